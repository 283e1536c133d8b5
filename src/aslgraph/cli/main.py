"""The ``aslgraph`` command line: thin wrappers over the same services the HTTP API calls.

Exit status: 0 on success, 1 when a check or validation finds a violation, 2 on bad usage or
unreadable input, 3 when the work ran past its time budget and was stopped. Errors are one line
on stderr, never a traceback. Imports are made where a command needs them, so that ``--help``
and the light commands start fast.
"""

from __future__ import annotations

import argparse
import errno
import os
import sys
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from aslgraph import __version__
from aslgraph.cli import remote as remote_cli

if TYPE_CHECKING:
    from pydantic import BaseModel

    from aslgraph.config import Settings
    from aslgraph.kg.catalog import Catalog
    from aslgraph.kg.model import RegimeMatrix
    from aslgraph.org.jobs import OrgJob, OrgServices, Outcome
    from aslgraph.org.upload import Handed

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_STOPPED = 0, 1, 2, 3


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="aslgraph",
        description="Knowledge graph of AI regulation and AI-safety safeguards.",
        epilog="Exit status: 0 success, 1 a violation found, 2 bad usage or unreadable input, "
        "3 stopped past the time budget.",
    )
    parser.add_argument("--version", action="version", version=f"aslgraph {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    check = commands.add_parser(
        "check",
        help="validate the knowledge graph against shapes/kg and run the QA queries",
        description="Validate the ontology plus PATHs (default: the shipped data/) against "
        "shapes/kg and run every 'no rows expected' query of queries/qa. Exit 1 on any "
        "violation or a file that does not parse, 2 when a path is missing.",
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
    remote_cli.add_serve_argument(serve)  # --store URL (decision 0016)
    remote_cli.add_load_command(commands)  # aslgraph load --store URL

    query = commands.add_parser(
        "query",
        help="run a SPARQL query against the knowledge graph",
        description="Run a SPARQL query (given inline or with -f) against the knowledge graph, "
        "with the SPARQL endpoint's rules, caps and time budget (ASLGRAPH_QUERY_TIMEOUT, "
        "ASLGRAPH_MAX_RESULT_ROWS ...).",
    )
    source = query.add_mutually_exclusive_group(required=True)
    source.add_argument("query", nargs="?", help="the SPARQL query text")
    source.add_argument("-f", "--file", type=Path, help="read the query from FILE")
    query.add_argument(
        "--format", choices=["table", "csv", "json"], default="table", help="output format"
    )
    _budget_argument(query, "query_timeout")
    query.add_argument(
        "--max-rows", type=_positive_int, metavar="N", help="most rows or triples to answer"
    )

    regimes = commands.add_parser(
        "regimes",
        help="which sections of a framework serve which obligations of each regime",
        description="For each obligation of each regime (default: eu-ai-act, gpai-cop, ca-sb53, "
        "ny-raise), the sections of FRAMEWORK that serve it through the crosswalk, the "
        "obligations none serves, and the sections serving obligations whose deadlines "
        "differ. FRAMEWORK is a scheme of the graph (rsp, rsp3, openai-pf ...: the same "
        "answer as GET /api/frameworks/FRAMEWORK/regimes) or a FILE, an organisation's graph "
        "describing its own framework as an asl:Instrument whose sections (asl:Provision, "
        "dct:isPartOf it) are mapped to the graph's provisions (the same job as POST "
        "/api/frameworks/regimes). Exit 0, 2 for bad usage or a framework that cannot be "
        "read, 3 when stopped past the time budget.",
    )
    regimes.add_argument(
        "framework", metavar="FRAMEWORK", help="a scheme, such as rsp, or a FILE (.ttl ...)"
    )
    regimes.add_argument(
        "--regime", action="append", metavar="SCHEME", help="a regime to compare (repeatable)"
    )
    regimes.add_argument("--format", choices=("text", "json"), default="text")
    regimes.add_argument(
        "--framework",
        dest="framework_iri",
        metavar="IRI",
        help="the instrument to compare, when FILE describes several (an IRI or a CURIE of "
        "the file's prefixes)",
    )
    _reading_arguments(regimes)

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

    obligations = commands.add_parser(
        "obligations",
        help="the obligations of a role, decided for the facts given",
        description="Decide each obligation of a role (and the roles it includes or may hold by "
        "condition) for the facts given, with the applicability engine validate and posture use: "
        "applies, applies later, does not apply (and why) or cannot be decided (and what to "
        "give). A fact not given is not assumed. The same answer as GET /api/obligations.",
    )
    obligations.add_argument("role", help="a role id, such as gpai-provider or cop-signatory")
    obligations.add_argument("--as-of", type=_iso_date, metavar="DATE", help="default: today")
    obligations.add_argument(
        "--established-in", metavar="CODE", help="ISO 3166-1 code of the organisation's country"
    )
    obligations.add_argument(
        "--systemic-risk", type=_boolean, metavar="BOOL", help="the model has systemic risk"
    )
    obligations.add_argument(
        "--training-flop", type=float, metavar="FLOP", help="the model's training compute"
    )
    obligations.add_argument(
        "--open-source",
        type=_boolean,
        metavar="BOOL",
        help="released under a free and open-source licence, weights and usage information public",
    )
    obligations.add_argument(
        "--placed-on-market",
        type=_iso_date,
        metavar="DATE",
        help="when the model was first placed on the Union market",
    )
    obligations.add_argument(
        "--annual-revenue",
        type=float,
        metavar="USD",
        help="US frontier developer: gross revenue with affiliates in the year before --as-of",
    )
    obligations.add_argument(
        "--in-new-york",
        type=_boolean,
        metavar="BOOL",
        help="US frontier developer: the model is developed, deployed or operated in New York",
    )
    obligations.add_argument(
        "--adheres-to", metavar="CHAPTERS", help="Code of Practice chapters adhered to: T,C,SS"
    )
    obligations.add_argument(
        "--format", choices=["text", "json"], default="text", help="output format"
    )

    validate = commands.add_parser(
        "validate",
        help="validate an organisation's graph against the regulations that apply to it",
        description="Validate an organisation graph (Turtle .ttl, N-Triples .nt, JSON-LD "
        ".jsonld/.json, RDF/XML .rdf/.owl/.xml) against shapes/org and print the findings "
        "grouped by the provision they rest on; the same job as POST /api/validate. Exit 0 "
        "when nothing is violated, 1 when something is, 2 for bad usage or input that cannot "
        "be read, 3 when stopped past the time budget.",
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
    validate.add_argument(
        "--processes",
        type=_positive_int,
        metavar="N",
        help="decide the duties of a graph's many organisations in up to N processes "
        "(default: the CPUs this process may use; graphs of fewer than 64 organisations use one)",
    )

    posture = commands.add_parser(
        "posture",
        help="is the supplier's posture enough? a verdict per applicable obligation",
        description="Assess an organisation graph (same syntaxes as validate): for each "
        "obligation that binds one of its roles on the date, met, partly met, unmet, not "
        "applicable or not assessed, for the organisation and for each supplied model; then what "
        "applies later. The same job as POST /api/posture. Exit 0, 2 for bad usage or input "
        "that cannot be read, 3 when stopped past the time budget.",
    )
    _upload_arguments(posture, formats=["text", "json"])

    suppliers = commands.add_parser(
        "suppliers",
        help="which supplier's model would do, for each AI system",
        description="For each AI system of the organisation graph (same syntaxes as "
        "validate), the models it integrates and the ones considered instead "
        "(asl:candidateModel), each judged as if the system were built on it alone against the "
        "organisation's own policy, the supplier level it is relied on for and the supplier's "
        "duties under the organisation's regimes; ranked, those that satisfy first, with why "
        "the others do not. The same job as POST /api/suppliers. Exit 0, 2 for bad usage or "
        "input that cannot be read or compared, 3 when stopped past the time budget.",
    )
    _upload_arguments(suppliers, formats=["text", "json"])

    plan = commands.add_parser(
        "plan",
        help="what would close each shortfall: switch supplier, add a control, obtain evidence",
        description="Validate the organisation graph (same syntaxes as validate) and list, for "
        "its violations and warnings, the actions that would close them, from the graph: assign "
        "a level, switch to a considered model, obtain a posture or evidence, add a control "
        "(with what else it would cover, through which mappings); most closing first. The same "
        "job as POST /api/plan. Exit 0, 2 for bad usage or input that cannot be read, 3 when "
        "stopped past the time budget.",
    )
    _upload_arguments(plan, formats=["text", "json"])

    report = commands.add_parser(
        "report",
        help="an audit report: one self-contained HTML document, printable",
        description="Assess, validate and plan the organisation graph (same syntaxes as "
        "validate) and write one self-contained HTML document an auditor can read offline: the "
        "organisation, its regimes and roles, every verdict with the provision's paraphrase, "
        "evidence and mapping chain, the agent policy's findings and the plan. The same "
        "document as POST /api/posture?format=html. Exit 0, 2 for bad usage or input that "
        "cannot be read, 3 when stopped past the time budget.",
    )
    _upload_arguments(report, formats=["html"])
    report.add_argument(
        "-o", "--output", type=Path, metavar="FILE", help="write the report here (default: stdout)"
    )
    _batch_arguments(commands)  # validate-batch
    _export_arguments(commands)  # export
    return parser


# ---------------------------------------------------------------- validate-batch (arguments)


def _batch_arguments(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    batch = commands.add_parser(
        "validate-batch",
        help="validate and assess many organisation graphs on Dask, one JSON line per graph",
        description="Validate every graph of DIR (its .ttl, .nt, .jsonld, .json, .rdf, .owl "
        "and .xml files, recursively) or of MANIFEST (a text file of paths, one per line, "
        "relative to the manifest; # starts a comment) as aslgraph validate does, on a Dask "
        "cluster: the scheduler at --scheduler, else a local cluster of --workers processes "
        "on 127.0.0.1. Each graph's line (file, conforms, counts, findings, posture verdicts, "
        "or the error that kept it from being checked) is appended to OUT as JSON Lines as "
        "it completes; a summary table follows on stdout. Needs the batch extra (pip install "
        "'aslgraph[batch]'). Exit 0 when every graph conforms, 1 when one violates, 2 for bad "
        "usage or a graph that cannot be read or judged, 3 when the cluster went away before "
        "the end (run again with --resume).",
    )
    batch.add_argument("target", type=Path, metavar="DIR|MANIFEST", help="what to check")
    batch.add_argument(
        "-o", "--output", type=Path, required=True, metavar="OUT", help="the JSON Lines file"
    )
    batch.add_argument(
        "--scheduler", metavar="tcp://HOST:PORT", help="a running Dask scheduler to use"
    )
    batch.add_argument(
        "--workers",
        type=_positive_int,
        metavar="N",
        help="worker processes of the local cluster (default 2; not with --scheduler)",
    )
    batch.add_argument(
        "--as-of", type=_iso_date, metavar="DATE", help="judge every graph as of DATE (YYYY-MM-DD)"
    )
    batch.add_argument(
        "--resume",
        action="store_true",
        help="keep OUT's lines and check only the graphs it does not have yet",
    )
    batch.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="show progress on stderr (default: on a terminal)",
    )


def _upload_arguments(command: argparse.ArgumentParser, *, formats: list[str]) -> None:
    """The arguments of the commands that read an organisation graph from a file."""
    command.add_argument("file", type=Path, metavar="FILE", help="the organisation graph")
    command.add_argument(
        "--as-of", type=_iso_date, metavar="DATE", help="judge the graph as of DATE (YYYY-MM-DD)"
    )
    command.add_argument("--format", choices=formats, default="text", help="output format")
    _reading_arguments(command)


def _reading_arguments(command: argparse.ArgumentParser) -> None:
    """How a command reads FILE: its media type, the time budget and the largest size."""
    command.add_argument(
        "--content-type", metavar="TYPE", help="the file's media type (default: from its suffix)"
    )
    _budget_argument(command, "validation_timeout")
    command.add_argument(
        "--max-bytes",
        type=_positive_int,
        metavar="N",
        help="largest file to read (default: ASLGRAPH_MAX_UPLOAD_BYTES, as over HTTP)",
    )


def _budget_argument(command: argparse.ArgumentParser, setting: str) -> None:
    command.add_argument(
        "--timeout",
        type=float,
        metavar="SECONDS",
        help=f"stop past this many seconds (default: ASLGRAPH_{setting.upper()}, as over "
        "HTTP; 0: no limit)",
    )


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def _boolean(text: str) -> bool:
    value = text.strip().lower()
    if value in ("true", "yes", "1"):
        return True
    if value in ("false", "no", "0"):
        return False
    raise argparse.ArgumentTypeError(f"not true or false: {text!r}")


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"not a positive whole number: {text!r}")
    return value


def _error(message: str) -> None:
    print(f"aslgraph: {message}", file=sys.stderr)


# ---------------------------------------------------------------- the knowledge graph


def _check(args: argparse.Namespace, settings: Settings) -> int:
    from aslgraph.kg import integrity
    from aslgraph.namespaces import curie

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
    from aslgraph import media
    from aslgraph.cli.text import query_table
    from aslgraph.sparql.engine import evaluate_here
    from aslgraph.sparql.errors import SparqlError
    from aslgraph.store import OxigraphStore
    from aslgraph.workers.framing import cap_memory
    from aslgraph.workers.watchdog import deadline

    if args.file is not None:
        try:
            text = args.file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            _error(f"cannot read {args.file}: {getattr(exc, 'strerror', None) or exc}")
            return EXIT_USAGE
    else:
        text = args.query
    if args.max_rows is not None:
        settings = settings.model_copy(update={"max_result_rows": args.max_rows})
    results, graph = {
        "table": (media.SPARQL_TSV, media.TURTLE),
        "csv": (media.SPARQL_CSV, media.N_TRIPLES),
        "json": (media.SPARQL_JSON, media.JSON_LD),
    }[args.format]
    store = OxigraphStore.from_paths(
        settings.kg_dirs, root=settings.root, cache_dir=settings.store_cache
    )
    budget = settings.query_timeout if args.timeout is None else args.timeout
    cap_memory(settings.max_query_memory_bytes)
    stopped = (
        f"aslgraph: the query ran longer than {budget:g} s and was stopped; narrow it (a more "
        "selective pattern, LIMIT) or allow more time with --timeout"
    )
    with deadline(budget, stopped, status=EXIT_STOPPED):
        try:
            reply, body = evaluate_here(
                store, text, settings=settings, results=results, graph=graph
            )
        except SparqlError as exc:
            _error(exc.message)
            return EXIT_USAGE
        if args.format == "table" and reply.form != "construct":
            output = query_table(body, ask=reply.form == "ask")
        else:
            output = body.decode("utf-8")
    sys.stdout.write(output if output.endswith("\n") else output + "\n")
    return EXIT_OK


def _write_json(answer: BaseModel) -> int:
    """Print a service's answer as the REST API gives it (indented JSON); exit status 0."""
    sys.stdout.write(answer.model_dump_json(indent=2) + "\n")
    return EXIT_OK


def _write_line(data: bytes) -> None:
    """Write ``data`` to standard output ending in exactly one newline, as bytes: a report of
    10^6 triples is 70 MB, and decoding, stripping and encoding it again made three copies."""
    end = len(data)
    while end and data[end - 1 : end] == b"\n":
        end -= 1
    _write_pieces([memoryview(data)[:end]])


def _write_pieces(pieces: Iterable[bytes | memoryview]) -> None:
    """Write ``pieces`` to standard output as they come, then a newline."""
    sys.stdout.flush()
    out = sys.stdout.buffer
    for piece in pieces:
        out.write(piece)
    out.write(b"\n")
    out.flush()


def _catalog(settings: Settings) -> Catalog:
    """The knowledge graph's catalog (the commands that read it build it here, and only they
    pay for the import)."""
    from aslgraph.kg.catalog import Catalog
    from aslgraph.remote.store import open_store  # the files, or ASLGRAPH_STORE_URL's snapshot

    return Catalog(open_store(settings), settings)


def _regimes(args: argparse.Namespace, settings: Settings) -> int:
    from aslgraph.cli.text import regimes_text
    from aslgraph.kg import regimes as regime_service
    from aslgraph.kg.errors import CatalogError

    chosen = tuple(args.regime or regime_service.REGIMES)
    answer: RegimeMatrix | None
    if _names_a_file(args.framework):
        answer = _framework_file_matrix(args, settings, chosen)
        if answer is None:
            return EXIT_USAGE
    else:
        if args.framework_iri is not None:
            _error("--framework names an instrument of a FILE; FRAMEWORK is a scheme here")
            return EXIT_USAGE
        try:
            answer = regime_service.matrix(_catalog(settings), args.framework, chosen)
        except CatalogError as exc:
            _error(exc.message)
            return EXIT_USAGE
    if args.format == "json":
        return _write_json(answer)
    sys.stdout.write(regimes_text(answer))
    return EXIT_OK


def _names_a_file(framework: str) -> bool:
    """Whether FRAMEWORK is a file (an organisation's graph) rather than a scheme: a scheme is
    a bare name such as rsp; a file has a suffix, a directory or exists."""
    from aslgraph.media import FILE_SUFFIXES

    path = Path(framework)
    return path.suffix.lower() in FILE_SUFFIXES or len(path.parts) > 1 or path.exists()


def _framework_file_matrix(
    args: argparse.Namespace, settings: Settings, regimes: tuple[str, ...]
) -> RegimeMatrix | None:
    """The matrix of the framework a file describes (the same job as POST
    /api/frameworks/regimes); None after printing why there is none."""
    from aslgraph.kg.model import RegimeMatrix
    from aslgraph.org.jobs import OrgJob, OrgServices

    args.file = Path(args.framework)
    read = _read_upload(args, settings)
    if read is None:
        return None
    body, media_type = read
    job = OrgJob(op="regimes", media_type=media_type, regimes=regimes, framework=args.framework_iri)
    outcome = _judge(args, settings, job, body, OrgServices(settings))
    return outcome if isinstance(outcome, RegimeMatrix) else None


def _crosswalk(args: argparse.Namespace, settings: Settings) -> int:
    from aslgraph.cli.text import describe_entry
    from aslgraph.kg.errors import CatalogError

    catalog = _catalog(settings)
    try:
        answer = catalog.crosswalk(
            args.provision,
            to_scheme=args.to,
            min_confidence=args.min_confidence,
            as_of=args.as_of,
        )
    except CatalogError as exc:
        _error(exc.message)
        return EXIT_USAGE
    if args.format == "json":
        return _write_json(answer)
    head = answer.provision
    print(f"{head.curie} ({head.notation})" if head.notation else head.curie)
    for title, entries in (("direct", answer.direct), ("derived", answer.derived)):
        print(f"{title}: {len(entries)}")
        for entry in entries:
            print(f"  {describe_entry(entry)}")
    return EXIT_OK


def _obligations(args: argparse.Namespace, settings: Settings) -> int:
    from aslgraph.cli.text import obligations_text
    from aslgraph.kg.errors import CatalogError
    from aslgraph.org import situation as situations

    catalog = _catalog(settings)
    try:
        facts = situations.situation(
            catalog,
            args.role,
            as_of=args.as_of,
            established_in=args.established_in,
            systemic_risk=args.systemic_risk,
            training_flop=args.training_flop,
            open_source=args.open_source,
            placed_on_market=args.placed_on_market,
            adheres_to=[args.adheres_to] if args.adheres_to else None,
            annual_revenue=args.annual_revenue,
            in_new_york=args.in_new_york,
        )
    except CatalogError as exc:
        _error(exc.message)
        return EXIT_USAGE
    answer = situations.obligations(catalog, facts)
    if args.format == "json":
        _write_json(answer)
    else:
        sys.stdout.write(obligations_text(answer))
    return EXIT_OK


# ---------------------------------------------------------------- organisation graphs


def _read_upload(args: argparse.Namespace, settings: Settings) -> tuple[Handed, str] | None:
    """The file's bytes and its media type, screened as an upload is; None after printing why
    they cannot be had."""
    from aslgraph.media import FILE_SUFFIXES
    from aslgraph.org.errors import UploadError
    from aslgraph.org.upload import Handed, screen

    path: Path = args.file
    media = args.content_type or FILE_SUFFIXES.get(path.suffix.lower())
    if media is None:
        _error(
            f"cannot tell the syntax of {path} from its suffix; name it .ttl, .nt, .jsonld or "
            ".rdf, or give --content-type"
        )
        return None
    try:
        body = path.read_bytes()
    except OSError as exc:
        _error(f"cannot read {path}: {exc.strerror}")
        return None
    try:
        media = screen(body, media, max_bytes=_max_bytes(args, settings))
    except UploadError as exc:
        _error(f"{path}: {exc.message}")
        return None
    return Handed(body), media  # handed over: let go once parsed (137 MB at 10^6 triples)


def _max_bytes(args: argparse.Namespace, settings: Settings) -> int:
    return int(args.max_bytes if args.max_bytes is not None else settings.max_upload_bytes)


def _judge(
    args: argparse.Namespace,
    settings: Settings,
    job: OrgJob,
    body: Handed,
    services: OrgServices,
    display: object | None = None,
) -> Outcome | None:
    """Run ``job`` within the budget (the same :func:`aslgraph.org.jobs.run` as a worker's);
    None after printing why the graph could not be judged."""
    from aslgraph.cli.progress import ProgressDisplay
    from aslgraph.org.errors import OrgError
    from aslgraph.org.jobs import WHAT, run
    from aslgraph.workers.framing import cap_memory
    from aslgraph.workers.watchdog import deadline

    progress = display.update if isinstance(display, ProgressDisplay) else None
    budget = settings.validation_timeout if args.timeout is None else args.timeout
    what = WHAT[job.op]
    stopped = (
        f"aslgraph: the {what} of {args.file} ran longer than {budget:g} s and was stopped; "
        "allow more time with --timeout"
    )
    cap_memory(settings.max_validation_memory_bytes)
    with deadline(budget, stopped, status=EXIT_STOPPED):
        try:
            return run(
                job,
                body,
                services,
                max_bytes=_max_bytes(args, settings),
                progress=progress,
                processes=_processes(args),
            )
        except OrgError as exc:
            if isinstance(display, ProgressDisplay):
                display.done()
            where = (
                f" (line {exc.line})" if exc.line is not None and "line" not in exc.message else ""
            )
            _error(f"{args.file}: {exc.message}{where}")
            return None
        except MemoryError:
            _error(f"{args.file}: validating it needs more memory than a validation may use")
            return None


def _processes(args: argparse.Namespace) -> int:
    """The processes a validation may decide duties in: ``--processes``, else the CPUs usable."""
    from aslgraph.workers.cpus import usable_cpus

    chosen: int | None = getattr(args, "processes", None)
    return chosen if chosen is not None else usable_cpus()


def _validate(args: argparse.Namespace, settings: Settings) -> int:
    from aslgraph.cli.progress import ProgressDisplay
    from aslgraph.cli.text import report_text
    from aslgraph.org.jobs import OrgJob, OrgServices, json_report, serialise
    from aslgraph.org.validate import OrgValidation

    read = _read_upload(args, settings)
    if read is None:
        return EXIT_USAGE
    body, media_type = read
    display = ProgressDisplay.for_stream(sys.stderr, enabled=args.progress, size=body.size)
    display.stage(f"validating {args.file} ({body.size:,} bytes)")
    services = OrgServices(settings, engine=args.engine)
    job = OrgJob(
        op="validate",
        media_type=media_type,
        as_of=args.as_of,
        format="turtle" if args.format == "turtle" else "json",
    )
    outcome = _judge(args, settings, job, body, services, display)
    display.done()
    if not isinstance(outcome, OrgValidation):
        return EXIT_USAGE
    if args.format == "text":
        sys.stdout.write(report_text(outcome, services.catalog.views, source=str(args.file)))
    elif job.format == "json":  # written as it is made: a report of 10^6 triples is 200 MB
        _write_pieces(json_report(outcome, services))
    else:
        _media, data = serialise(outcome, job.format, services)
        _write_line(data)
    return EXIT_OK if outcome.report.conforms else EXIT_FAILED


def _posture(args: argparse.Namespace, settings: Settings) -> int:
    from aslgraph.cli.text import posture_text
    from aslgraph.org.jobs import OrgJob, OrgServices, serialise
    from aslgraph.org.posture.model import PostureReport

    read = _read_upload(args, settings)
    if read is None:
        return EXIT_USAGE
    body, media_type = read
    services = OrgServices(settings)
    job = OrgJob(op="posture", media_type=media_type, as_of=args.as_of)
    outcome = _judge(args, settings, job, body, services)
    if not isinstance(outcome, PostureReport):
        return EXIT_USAGE
    if args.format == "json":
        _media, data = serialise(outcome, "json", services)
        _write_line(data)
    else:
        sys.stdout.write(posture_text(outcome, source=str(args.file)))
    return EXIT_OK


def _report(args: argparse.Namespace, settings: Settings) -> int:
    from aslgraph.org.jobs import AuditPage, OrgJob, OrgServices

    read = _read_upload(args, settings)
    if read is None:
        return EXIT_USAGE
    body, media_type = read
    job = OrgJob(op="report", media_type=media_type, as_of=args.as_of)
    outcome = _judge(args, settings, job, body, OrgServices(settings))
    if not isinstance(outcome, AuditPage):
        return EXIT_USAGE
    if args.output is None:
        sys.stdout.write(outcome)
        return EXIT_OK
    try:
        args.output.write_text(outcome, encoding="utf-8")
    except OSError as exc:
        _error(f"cannot write {args.output}: {exc.strerror}")
        return EXIT_USAGE
    print(f"wrote {args.output}")
    return EXIT_OK


def _plan(args: argparse.Namespace, settings: Settings) -> int:
    from aslgraph.cli.text import plan_text

    return _org_answer(args, settings, "plan", plan_text)


def _suppliers(args: argparse.Namespace, settings: Settings) -> int:
    from aslgraph.cli.text import suppliers_text

    return _org_answer(args, settings, "suppliers", suppliers_text)


def _org_answer(
    args: argparse.Namespace,
    settings: Settings,
    op: Literal["plan", "suppliers"],
    text: Callable[[Any], str],
) -> int:
    """Run ``op`` on FILE and print its answer as JSON or as ``text`` renders it."""
    from aslgraph.org.jobs import OrgJob, OrgServices
    from aslgraph.org.plan import Plan
    from aslgraph.org.suppliers import SupplierComparison

    read = _read_upload(args, settings)
    if read is None:
        return EXIT_USAGE
    body, media_type = read
    job = OrgJob(op=op, media_type=media_type, as_of=args.as_of)
    outcome = _judge(args, settings, job, body, OrgServices(settings))
    if not isinstance(outcome, Plan | SupplierComparison):
        return EXIT_USAGE
    if args.format == "json":
        return _write_json(outcome)
    sys.stdout.write(text(outcome))
    return EXIT_OK


# ---------------------------------------------------------------- validate-batch


def _validate_batch(args: argparse.Namespace, settings: Settings) -> int:
    try:
        import distributed  # noqa: F401 - the optional extra, imported only here
    except ImportError:
        _error(
            "validate-batch runs on Dask distributed, which is not installed: install the "
            "batch extra (pip install 'aslgraph[batch]')"
        )
        return EXIT_USAGE
    from aslgraph.cli.progress import ProgressDisplay
    from aslgraph.org import batch

    if args.scheduler is not None and "://" not in args.scheduler:
        _error(f"--scheduler wants an address such as tcp://127.0.0.1:8786, not {args.scheduler!r}")
        return EXIT_USAGE
    if args.scheduler is not None and args.workers is not None:
        _error("--workers sizes the local cluster; with --scheduler the cluster has its own")
        return EXIT_USAGE
    try:
        todo = batch.sources(args.target)
        out = batch.Output.open(args.output, resume=args.resume)
    except batch.BatchInputError as exc:
        _error(str(exc))
        return EXIT_USAGE
    on = args.progress if args.progress is not None else sys.stderr.isatty()
    display = ProgressDisplay.for_stream(sys.stderr, enabled=on, size=0)
    workers = args.workers or 2
    where = args.scheduler or f"a local cluster of {workers} worker{'s' if workers > 1 else ''}"
    display.stage(f"checking {len(todo)} graphs on {where}")
    try:
        with batch.open_client(args.scheduler, workers=workers) as client:
            summary = batch.run_batch(
                todo,
                out,
                client,
                settings,
                as_of=args.as_of,
                progress=lambda done, total: display.update("graphs", done, total),
            )
    except batch.BatchInputError as exc:
        _error(str(exc))
        return EXIT_USAGE
    except batch.BatchStoppedError as exc:
        display.done()
        _error(str(exc))
        return EXIT_STOPPED
    finally:
        out.close()
    display.done()
    sys.stdout.write(summary.table())
    return summary.exit_status()


# ---------------------------------------------------------------- export


def _export_arguments(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from aslgraph.kg.export import FORMATS

    export = commands.add_parser(
        "export",
        help="export the mappings (SSSOM, OSCAL, CSV), a pair's coverage or the whole graph",
        description="Write the mapping records as SSSOM/TSV (sssom), an OSCAL 1.2 mapping "
        "collection (oscal-mapping) or CSV (csv); the coverage of one scheme by another as CSV "
        "(coverage-csv, needs --from and --to); or the whole knowledge graph, one named graph "
        "per source file, as N-Quads (nquads) or TriG (trig). The same files as GET "
        "/api/export/FORMAT. Exit 0, 2 for bad usage (an unknown scheme, a filter the format "
        "does not take, nothing to export) or a file that cannot be written.",
    )
    export.add_argument("--format", required=True, choices=FORMATS, help="what to write")
    export.add_argument(
        "--from",
        dest="from_scheme",
        metavar="SCHEME",
        help="keep the mappings whose subject lies in SCHEME (coverage-csv: the first scheme)",
    )
    export.add_argument(
        "--to",
        dest="to_scheme",
        metavar="SCHEME",
        help="keep the mappings whose object lies in SCHEME (coverage-csv: the other scheme)",
    )
    export.add_argument(
        "-o", "--output", type=Path, metavar="FILE", help="write the export here (default: stdout)"
    )


def _export(args: argparse.Namespace, settings: Settings) -> int:
    from aslgraph.kg.catalog import Catalog
    from aslgraph.kg.errors import CatalogError
    from aslgraph.kg.export.service import export
    from aslgraph.store import OxigraphStore

    store = OxigraphStore.from_paths(
        settings.kg_dirs, root=settings.root, cache_dir=settings.store_cache
    )
    try:
        answer = export(
            args.format,
            catalog=Catalog(store, settings),
            store=store,
            from_scheme=args.from_scheme,
            to_scheme=args.to_scheme,
        )
    except CatalogError as exc:
        _error(exc.message)
        return EXIT_USAGE
    if args.output is None:
        sys.stdout.flush()
        sys.stdout.buffer.write(answer.body)
        sys.stdout.buffer.flush()
        return EXIT_OK
    try:
        args.output.write_bytes(answer.body)
    except OSError as exc:
        _error(f"cannot write {args.output}: {exc.strerror}")
        return EXIT_USAGE
    print(f"wrote {args.output} ({answer.format}, {answer.items} items, {len(answer.body)} bytes)")
    return EXIT_OK


# ---------------------------------------------------------------- the service


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    from aslgraph.api.server import run  # imported here: only `serve` needs uvicorn

    host = args.host or settings.host
    port = args.port if args.port is not None else settings.port
    workers = args.workers if args.workers is not None else settings.workers
    if not 0 < port < 65536 or workers < 1:
        _error("--port must be 1-65535 and --workers at least 1")
        return EXIT_USAGE
    served = remote_cli.serve_settings(args.store, settings)  # a remote store, checked first
    if served is None:
        return EXIT_USAGE
    run(served, host=host, port=port, workers=workers)
    return EXIT_OK


COMMANDS = {
    "check": _check,
    "serve": _serve,
    "query": _query,
    "crosswalk": _crosswalk,
    "regimes": _regimes,
    "suppliers": _suppliers,
    "plan": _plan,
    "report": _report,
    "obligations": _obligations,
    "validate": _validate,
    "posture": _posture,
    "validate-batch": _validate_batch,
    "export": _export,
    "load": remote_cli.load_command,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = _parser().parse_args(argv)
    from aslgraph.config import Settings, SettingsError
    from aslgraph.store import ParseError, SourceNotFoundError, StoreError

    try:
        settings = Settings()
    except SettingsError as exc:  # an ASLGRAPH_* variable that its setting cannot take
        _error(f"cannot use the environment: {exc}")
        return EXIT_USAGE
    try:
        return COMMANDS[args.command](args, settings)
    except ParseError as exc:
        _error(f"not valid RDF: {exc}")
        return EXIT_FAILED if args.command == "check" else EXIT_USAGE
    except SourceNotFoundError as exc:
        _error(str(exc))
        return EXIT_USAGE
    except StoreError as exc:  # a remote store (ASLGRAPH_STORE_URL) that cannot be read
        _error(str(exc))
        return EXIT_USAGE
    except BrokenPipeError:
        # The reader went away (``aslgraph query ... | head``): nothing more to write.
        _quiet_stdout()
        return EXIT_OK
    except OSError as exc:
        if exc.errno not in _CANNOT_WRITE:
            raise
        where = exc.filename or "the output"  # the output, or a file a command writes (-o)
        _quiet_stdout()
        _error(f"cannot write {where}: {exc.strerror or exc}")
        return EXIT_USAGE


_CANNOT_WRITE = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO})
"""The errors of a write that found no room (or a device that failed): said in a line."""


def _quiet_stdout() -> None:
    """Standard output to /dev/null: what is left in its buffer is not written again at exit
    (which would print the same error once more)."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
