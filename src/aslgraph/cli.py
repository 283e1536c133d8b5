"""The ``aslgraph`` command line: thin wrappers over the services.

Exit status: 0 on success, 1 when a check or validation finds a violation, 2 on bad usage or
unreadable input. Errors are one line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from aslgraph import __version__
from aslgraph.config import Settings
from aslgraph.namespaces import curie
from aslgraph.services import integrity, querying
from aslgraph.store import ParseError, SourceNotFoundError

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
    return parser


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


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = _parser().parse_args(argv)
    settings = Settings()
    try:
        if args.command == "check":
            return _check(args, settings)
        return _query(args, settings)
    except ParseError as exc:
        print(f"aslgraph: not valid RDF: {exc}", file=sys.stderr)
        return EXIT_FAILED if args.command == "check" else EXIT_USAGE
    except SourceNotFoundError as exc:
        print(f"aslgraph: {exc}", file=sys.stderr)
        return EXIT_USAGE


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
