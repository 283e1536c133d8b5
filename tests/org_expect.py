"""Results of validating organisation graphs, and the expectations files state about them.

Results are compared as ``(severity, focus, key, value)`` where ``key`` is the result path
(``^p`` for an inverse path, ``a / b`` for a sequence) or, for a SPARQL rule without a path,
the IRI of the shape that raised it. Expectations name the same four parts as CURIEs, using the
file's own prefixes, ``shorg:`` for shapes/org and the project's prefixes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH
from rdflib.term import BNode, Node

from aslgraph.namespaces import PREFIXES
from aslgraph.shacl.report import SEVERITY_NAMES

SHORG = "https://w3id.org/aslgraph/shapes/org#"

OrgResult = tuple[str, str, str, str | None]
"""(severity, focus IRI, path or shape IRI, value or None)."""

EXPECT_LINE = re.compile(r"^#\s*expect:\s*(.+?)\s*$")


def _path(report: Graph, node: Node) -> str:
    if isinstance(node, URIRef):
        return str(node)
    inverse = report.value(node, SH.inversePath)
    if inverse is not None:
        return "^" + _path(report, inverse)
    if report.value(node, RDF.first) is not None:
        return " / ".join(_path(report, step) for step in Collection(report, node))
    return f"_:{node}"


def _value(node: Node | None) -> str | None:
    if node is None or isinstance(node, BNode):
        return None
    return str(node)


def org_results(report: Graph) -> set[OrgResult]:
    """Every result of a SHACL report graph as (severity, focus, key, value)."""
    found: set[OrgResult] = set()
    for result in report.subjects(RDF.type, SH.ValidationResult):
        severity = report.value(result, SH.resultSeverity)
        path = report.value(result, SH.resultPath)
        key = _path(report, path) if path is not None else str(report.value(result, SH.sourceShape))
        found.add(
            (
                SEVERITY_NAMES.get(severity, str(severity)),
                str(report.value(result, SH.focusNode)),
                key,
                _value(report.value(result, SH.value)),
            )
        )
    return found


def expand_token(token: str, graph: Graph) -> str:
    """Expand a CURIE with the file's own prefixes, ``shorg:`` or the project's prefixes."""
    if token.startswith("^"):
        return "^" + expand_token(token[1:], graph)
    if token.startswith("<") and token.endswith(">"):
        return token[1:-1]
    head, sep, tail = token.partition(":")
    if not sep or tail.startswith("//"):
        return token
    if head == "shorg":
        return SHORG + tail
    for prefix, namespace in graph.namespaces():
        if prefix == head:
            return str(namespace) + tail
    if head in PREFIXES:
        return PREFIXES[head] + tail
    return token


def expected_result(
    severity: str, focus: str, key: str, value: str | None, graph: Graph
) -> OrgResult:
    return (
        severity.lower(),
        expand_token(focus, graph),
        expand_token(key, graph),
        None if value is None else expand_token(value, graph),
    )


def matches(got: set[OrgResult], expected: Iterable[OrgResult]) -> tuple[list[str], list[str]]:
    """Compare results; an expectation without a value covers every value at its key.

    Returns (expected but missing, got but not expected), each as readable lines.
    """
    expected = list(expected)
    missing = [
        " ".join(str(part) for part in e if part is not None)
        for e in expected
        if not any(g[:3] == e[:3] and (e[3] is None or g[3] == e[3]) for g in got)
    ]
    extra = [
        " ".join(str(part) for part in g if part is not None)
        for g in sorted(got, key=lambda r: tuple(str(p) for p in r))
        if not any(g[:3] == e[:3] and (e[3] is None or g[3] == e[3]) for e in expected)
    ]
    return missing, extra


def header_expectations(path: Path, graph: Graph) -> list[OrgResult]:
    """Parse the file's ``# expect: SEVERITY FOCUS PATH-OR-SHAPE [VALUE]`` comment lines."""
    found = []
    for line in path.read_text(encoding="utf-8").splitlines():
        match = EXPECT_LINE.match(line)
        if match:
            parts = match.group(1).split()
            assert len(parts) in (3, 4), f"{path.name}: bad expect line {line!r}"
            severity, focus, key = parts[:3]
            assert severity in ("violation", "warning", "info"), line
            value = parts[3] if len(parts) == 4 else None
            found.append(expected_result(severity, focus, key, value, graph))
    return found
