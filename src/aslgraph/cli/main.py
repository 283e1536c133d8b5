"""The ``aslgraph`` command line: thin wrappers over the services.

Exit status: 0 on success, 1 when a check or validation finds a violation, 2 on bad usage or
unreadable input. Errors are one line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from aslgraph import __version__
from aslgraph.config import Settings
from aslgraph.kg import integrity
from aslgraph.kg import query as querying
from aslgraph.namespaces import curie
from aslgraph.store import ParseError, SourceNotFoundError

if TYPE_CHECKING:
    from aslgraph.kg.model import Crosswalk

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="aslgraph",
        description="Knowledge graph of AI regulation and AI-safety safeguards.",
    )
    parser.add_argument("--version", action="version", version=f"aslgraph {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    check = commands.add_parser(
        "check",
        help="validate the knowledge graph against shapes/kg and run the QA queries",
        description="Validate the ontology plus PATHs (default: the shipped data/) against "
        "shapes/kg and run every 'no rows expected' query of queries/qa. Exit 1 on any "
        "violation, 2 when a path is missing or a file cannot be parsed.",
    )
    check.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="data files or folders")

    serve = commands.add_parser(
        "serve",
        help="run the HTTP service (SPARQL endpoint, REST API, IRI pages)",
        description="Serve the knowledge graph over HTTP with uvicorn. Settings also come from "
        "ASLGRAPH_* environment variables (see the README).",
    )
    serve.add_argument("--host", help="address to bind (default 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port to listen on (default 8000)")
    serve.add_argument("--workers", type=int, help="uvicorn worker processes (default 1)")

    query = commands.add_parser(
        "query",
        help="run a SPARQL query against the knowledge graph",
        description="Run a SPARQL query (given inline or with -f) against the knowledge graph.",
    )
    source = query.add_mutually_exclusive_group(required=True)
    source.add_argument("query", nargs="?", help="the SPARQL query text")
    source.add_argument("-f", "--file", type=Path, help="read the query from FILE")
    query.add_argument(
        "--format", choices=["table", "csv", "json"], default="table", help="output format"
    )

    crosswalk = commands.add_parser(
        "crosswalk",
        help="list what a provision maps to, directly and through one intermediate provision",
        description="Show the mappings of a provision (CURIE such as aia:art55-1-a, or an IRI): "
        "direct ones with their relation and confidence, then derived ones with the composed "
        "relation and the path. The same answer as GET /api/crosswalk.",
    )
    crosswalk.add_argument("provision", metavar="IRI", help="the provision, as a CURIE or an IRI")
    crosswalk.add_argument("--to", metavar="SCHEME", help="keep only targets in this scheme")
    crosswalk.add_argument(
        "--min-confidence", type=float, metavar="X", help="drop entries below X (0 to 1)"
    )
    crosswalk.add_argument(
        "--as-of", type=_iso_date, metavar="DATE", help="only mappings in force on DATE"
    )
    crosswalk.add_argument(
        "--format", choices=["text", "json"], default="text", help="output format"
    )

    validate = commands.add_parser(
        "validate",
        help="validate an organisation's graph against the regulations that apply to it",
        description="Validate an organisation graph (Turtle .ttl, N-Triples .nt, JSON-LD "
        ".jsonld/.json, RDF/XML .rdf/.owl/.xml) against shapes/org and print the findings "
        "grouped by the provision they rest on. Exit 0 when nothing is violated, 1 when "
        "something is, 2 for bad usage or input that cannot be read.",
    )
    _upload_arguments(validate, formats=["text", "json", "turtle"])
    validate.add_argument(
        "--engine", choices=["fast", "pyshacl"], help="SHACL engine (default: the setting)"
    )
    validate.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="show progress on stderr (default: on a terminal, for graphs of 10,000+ triples)",
    )

    posture = commands.add_parser(
        "posture",
        help="is the supplier's posture enough? a verdict per applicable obligation",
        description="Assess an organisation graph (same syntaxes as validate): for each "
        "obligation that binds one of its roles on the date, met, partly met, unmet, not "
        "applicable or not assessed, for the organisation and for each supplied model; then what "
        "applies later. The same answer as POST /api/posture. Exit 0, or 2 for bad usage or "
        "input that cannot be read.",
    )
    _upload_arguments(posture, formats=["text", "json"])
    return parser


def _upload_arguments(command: argparse.ArgumentParser, *, formats: list[str]) -> None:
    """The arguments of the commands that read an organisation graph from a file."""
    command.add_argument("file", type=Path, metavar="FILE", help="the organisation graph")
    command.add_argument(
        "--as-of", type=_iso_date, metavar="DATE", help="judge the graph as of DATE (YYYY-MM-DD)"
    )
    command.add_argument("--format", choices=formats, default="text", help="output format")
    command.add_argument(
        "--content-type", metavar="TYPE", help="the file's media type (default: from its suffix)"
    )


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def _check(args: argparse.Namespace, settings: Settings) -> int:
    report = integrity.check(args.paths or None, settings=settings)
    for finding in report.findings:
        where = ", ".join(finding.files)
        path = (
            f" [{' / '.join(curie(step) for step in finding.path.split(' / '))}]"
            if finding.path
            else ""
        )
        print(f"{where}: {finding.severity}: {curie(finding.resource)}{path}: {finding.message}")
        print(f"    rule: {finding.rule}")
    violations = sum(1 for f in report.findings if f.severity == "violation")
    print(
        f"checked {len(report.files)} files, {report.triples} triples, {report.rules} rules: "
        f"{violations} violation(s), {len(report.findings) - violations} other finding(s)"
    )
    return EXIT_OK if report.ok else EXIT_FAILED


def _query(args: argparse.Namespace, settings: Settings) -> int:
    if args.file is not None:
        try:
            text = args.file.read_text(encoding="utf-8")
        except OSError as exc:
            print(f"aslgraph: cannot read {args.file}: {exc.strerror}", file=sys.stderr)
            return EXIT_USAGE
    else:
        text = args.query
    service = querying.QueryService.from_settings(settings)
    try:
        output = service.run(text, fmt=args.format)
    except querying.QueryError as exc:
        print(f"aslgraph: {exc}", file=sys.stderr)
        return EXIT_USAGE
    sys.stdout.write(output)
    return EXIT_OK


def _crosswalk(args: argparse.Namespace, settings: Settings) -> int:
    from aslgraph.kg.catalog import Catalog
    from aslgraph.kg.crosswalk import describe_entry
    from aslgraph.kg.errors import CatalogError
    from aslgraph.store import OxigraphStore

    catalog = Catalog(OxigraphStore.from_paths(settings.kg_dirs, root=settings.root), settings)
    try:
        answer: Crosswalk = catalog.crosswalk(
            args.provision,
            to_scheme=args.to,
            min_confidence=args.min_confidence,
            as_of=args.as_of,
        )
    except CatalogError as exc:
        print(f"aslgraph: {exc.message}", file=sys.stderr)
        return EXIT_USAGE
    if args.format == "json":
        sys.stdout.write(answer.model_dump_json(indent=2) + "\n")
        return EXIT_OK
    head = answer.provision
    print(f"{head.curie} ({head.notation})" if head.notation else head.curie)
    for title, entries in (("direct", answer.direct), ("derived", answer.derived)):
        print(f"{title}: {len(entries)}")
        for entry in entries:
            print(f"  {describe_entry(entry)}")
    return EXIT_OK


def _validate(args: argparse.Namespace, settings: Settings) -> int:
    from aslgraph.cli.progress import ProgressDisplay
    from aslgraph.kg.catalog import Catalog
    from aslgraph.org import validate as orgcheck
    from aslgraph.org.upload import UploadError, parse_upload
    from aslgraph.shacl import build_engine
    from aslgraph.store import OxigraphStore

    path: Path = args.file
    read = _read_upload(path, args.content_type)
    if read is None:
        return EXIT_USAGE
    body, content_type = read
    display = ProgressDisplay.for_stream(sys.stderr, enabled=args.progress, size=len(body))
    display.stage(f"parsing {path} ({len(body):,} bytes)")
    try:
        upload = parse_upload(body, content_type)
    except UploadError as exc:
        display.done()
        print(f"aslgraph: {path}: {exc.message}", file=sys.stderr)
        return EXIT_USAGE
    del body
    display.triples(upload.triples)
    display.stage("preparing the shapes")
    engine = build_engine(args.engine or settings.validation_engine, settings)
    validation = orgcheck.validate(upload, engine, as_of=args.as_of, progress=display.update)
    display.done()
    if args.format == "turtle":
        sys.stdout.write(orgcheck.report_graph(validation, "turtle").decode("utf-8"))
    else:
        catalog = Catalog(OxigraphStore.from_paths(settings.kg_dirs, root=settings.root), settings)
        if args.format == "json":
            sys.stdout.write(
                orgcheck.report_model(validation, catalog.views).model_dump_json(indent=2)
            )
            sys.stdout.write("\n")
        else:
            sys.stdout.write(orgcheck.report_text(validation, catalog.views, source=str(path)))
    return EXIT_OK if validation.report.conforms else EXIT_FAILED


def _read_upload(path: Path, content_type: str | None) -> tuple[bytes, str] | None:
    """The file's bytes and media type, or None after printing why they cannot be had."""
    from aslgraph.org.upload import SUFFIXES

    media = content_type or SUFFIXES.get(path.suffix.lower())
    if media is None:
        print(
            f"aslgraph: cannot tell the syntax of {path} from its suffix; name it .ttl, .nt, "
            ".jsonld or .rdf, or give --content-type",
            file=sys.stderr,
        )
        return None
    try:
        return path.read_bytes(), media
    except OSError as exc:
        print(f"aslgraph: cannot read {path}: {exc.strerror}", file=sys.stderr)
        return None


def _posture(args: argparse.Namespace, settings: Settings) -> int:
    from aslgraph.kg.catalog import Catalog
    from aslgraph.kg.errors import CatalogError
    from aslgraph.org import validate as orgcheck
    from aslgraph.org.posture import assess as posture
    from aslgraph.org.upload import UploadError, parse_upload
    from aslgraph.store import OxigraphStore

    read = _read_upload(args.file, args.content_type)
    if read is None:
        return EXIT_USAGE
    body, media = read
    catalog = Catalog(OxigraphStore.from_paths(settings.kg_dirs, root=settings.root), settings)
    try:
        report = posture.assess(parse_upload(body, media).store, catalog, args.as_of)
    except (UploadError, CatalogError) as exc:
        print(f"aslgraph: {args.file}: {exc.message}", file=sys.stderr)
        return EXIT_USAGE
    if args.format == "json":
        sys.stdout.write(report.model_dump_json(indent=2) + "\n")
    else:
        sys.stdout.write(orgcheck.posture_text(report, source=str(args.file)))
    return EXIT_OK


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn  # imported here: only `serve` needs it

    host = args.host or settings.host
    port = args.port if args.port is not None else settings.port
    workers = args.workers if args.workers is not None else settings.workers
    if not 0 < port < 65536 or workers < 1:
        print("aslgraph: --port must be 1-65535 and --workers at least 1", file=sys.stderr)
        return EXIT_USAGE
    uvicorn.run("aslgraph.api.app:create_app", factory=True, host=host, port=port, workers=workers)
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = _parser().parse_args(argv)
    settings = Settings()
    try:
        if args.command == "check":
            return _check(args, settings)
        if args.command == "serve":
            return _serve(args, settings)
        if args.command == "crosswalk":
            return _crosswalk(args, settings)
        if args.command == "validate":
            return _validate(args, settings)
        if args.command == "posture":
            return _posture(args, settings)
        return _query(args, settings)
    except ParseError as exc:
        print(f"aslgraph: not valid RDF: {exc}", file=sys.stderr)
        return EXIT_FAILED if args.command == "check" else EXIT_USAGE
    except SourceNotFoundError as exc:
        print(f"aslgraph: {exc}", file=sys.stderr)
        return EXIT_USAGE


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
