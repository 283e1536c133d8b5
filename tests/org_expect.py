"""Results of validating organisation graphs, and the expectations files state about them.

Results are compared as ``(severity, focus, key, value)`` where ``key`` is the result path
(``^p`` for an inverse path, ``a / b`` for a sequence) or, for a SPARQL rule without a path,
the IRI of the shape that raised it. Expectations name the same four parts as CURIEs, using the
file's own prefixes, ``shorg:`` for shapes/org and the project's prefixes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH
from rdflib.term import BNode, Node

from aslgraph.namespaces import PREFIXES
from aslgraph.org.posture.model import PostureReport
from aslgraph.org.validate import OrgValidation
from aslgraph.shacl.terms import SEVERITY_NAMES

SHORG = "https://w3id.org/aslgraph/shapes/org#"

OrgResult = tuple[str, str, str, str | None]
"""(severity, focus IRI, path or shape IRI, value or None)."""

EXPECT_LINE = re.compile(r"^#\s*expect(?:@(\d{4}-\d{2}-\d{2}))?:\s*(.+?)\s*$")
VERDICT_LINE = re.compile(r"^#\s*verdict(?:@(\d{4}-\d{2}-\d{2}))?:\s*(.+?)\s*$")
REGIMES_LINE = re.compile(r"^#\s*(regimes|serves|deadlines-differ):\s*(.+?)\s*$")
VERDICTS = (
    "met",
    "partly_met",
    "unmet",
    "not_assessed",
    "cannot_be_decided",
    "later",
    "not_applicable",
)

Verdict = tuple[str, str, str, str | None]
"""(focus IRI, obligation IRI, verdict, date or None) of a posture verdict."""


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


def run_dates(path: Path) -> list[str | None]:
    """The dates a file asks to be run on: None (its own assessment date) and every ``@DATE``
    of its expect and verdict lines."""
    found: dict[str | None, None] = {None: None}
    for line in path.read_text(encoding="utf-8").splitlines():
        for pattern in (EXPECT_LINE, VERDICT_LINE):
            match = pattern.match(line)
            if match and match.group(1):
                found[match.group(1)] = None
    return list(found)


def header_expectations(path: Path, graph: Graph, as_of: str | None = None) -> list[OrgResult]:
    """Parse the file's ``# expect[@DATE]: SEVERITY FOCUS PATH-OR-SHAPE [VALUE]`` comment
    lines for a run as of ``as_of`` (None: the file's own date)."""
    found = []
    for line in path.read_text(encoding="utf-8").splitlines():
        match = EXPECT_LINE.match(line)
        if match and match.group(1) == as_of:
            parts = match.group(2).split()
            assert len(parts) in (3, 4), f"{path.name}: bad expect line {line!r}"
            severity, focus, key = parts[:3]
            assert severity in ("violation", "warning", "info"), line
            value = parts[3] if len(parts) == 4 else None
            found.append(expected_result(severity, focus, key, value, graph))
    return found


def verdict_expectations(path: Path, graph: Graph, as_of: str | None = None) -> list[Verdict]:
    """Parse the file's ``# verdict[@DATE]: FOCUS OBLIGATION VERDICT [DATE]`` lines."""
    found = []
    for line in path.read_text(encoding="utf-8").splitlines():
        match = VERDICT_LINE.match(line)
        if match and match.group(1) == as_of:
            parts = match.group(2).split()
            assert len(parts) in (3, 4), f"{path.name}: bad verdict line {line!r}"
            assert parts[2] in VERDICTS, line
            found.append(
                (
                    expand_token(parts[0], graph),
                    expand_token(parts[1], graph),
                    parts[2],
                    parts[3] if len(parts) == 4 else None,
                )
            )
    return found


def posture_verdicts(report: object) -> set[Verdict]:
    """Every verdict of a posture report (the organisation's and its suppliers'), with the
    date of those that apply later: as (focus, obligation, verdict, date)."""
    from aslgraph.org.posture.model import PostureReport

    assert isinstance(report, PostureReport)
    found: set[Verdict] = set()

    def focus(item: object) -> str:
        model = getattr(item, "model", None)
        return model.iri if model is not None else item.bound.iri  # type: ignore[attr-defined]

    judged = [*report.obligations, *report.not_applicable]
    later = list(report.later)
    for supplier in report.suppliers:
        judged.extend([*supplier.obligations, *supplier.not_applicable])
        later.extend(supplier.later)
    for verdict in judged:
        found.add((focus(verdict), verdict.obligation.iri, verdict.verdict, None))
    for item in later:
        if item.kind == "obligation":
            found.add((focus(item), item.provision.iri, "later", item.applies_from.isoformat()))
    return found


def verdicts_match(got: set[Verdict], expected: list[Verdict]) -> tuple[list[str], list[str]]:
    """(expected but missing, got but not expected): every judged and later verdict must be
    expected; not_applicable ones only where a line names them; a date is checked when given."""

    def same(g: Verdict, e: Verdict) -> bool:
        return g[:3] == e[:3] and (e[3] is None or g[3] == e[3])

    missing = [" ".join(p for p in e if p) for e in expected if not any(same(g, e) for g in got)]
    extra = [
        " ".join(p for p in g if p)
        for g in sorted(got, key=lambda v: tuple(str(p) for p in v))
        if g[2] != "not_applicable" and not any(same(g, e) for e in expected)
    ]
    return missing, extra


@dataclass(frozen=True)
class Judged:
    """An organisation graph file judged by both commands, as of one date."""

    validation: OrgValidation
    posture: PostureReport | None
    """None when the graph names no single organisation to assess (a structural error)."""


@dataclass(frozen=True)
class RegimesLabel:
    """What an example's ``# regimes:``, ``# serves:`` and ``# deadlines-differ:`` lines say
    its own framework's regimes matrix is: how many obligations are served of how many, each
    (obligation, relation, section) cell, and each section with the obligations whose
    deadlines differ (IRIs)."""

    served: int
    rows: int
    cells: frozenset[tuple[str, str, str]]
    clocks: frozenset[tuple[str, frozenset[str]]]


def regimes_label(path: Path, graph: Graph) -> RegimesLabel | None:
    """Parse the file's regimes lines; None when it has none (no framework of its own)."""
    served = rows = -1
    cells: set[tuple[str, str, str]] = set()
    clocks: set[tuple[str, frozenset[str]]] = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        match = REGIMES_LINE.match(line)
        if not match:
            continue
        kind, parts = match.group(1), match.group(2).split()
        if kind == "regimes":
            assert len(parts) == 3 and parts[1] == "of", f"{path.name}: bad line {line!r}"
            served, rows = int(parts[0]), int(parts[2])
        elif kind == "serves":
            assert len(parts) >= 3, f"{path.name}: bad line {line!r}"
            obligation = expand_token(parts[0], graph)
            cells.update((obligation, parts[1], expand_token(s, graph)) for s in parts[2:])
        else:
            assert len(parts) >= 3, f"{path.name}: bad line {line!r}"
            clocks.add(
                (
                    expand_token(parts[0], graph),
                    frozenset(expand_token(o, graph) for o in parts[1:]),
                )
            )
    if served < 0 and not cells:
        return None
    assert served >= 0, f"{path.name}: serves lines without a regimes line"
    return RegimesLabel(served, rows, frozenset(cells), frozenset(clocks))


def matrix_label(matrix: object) -> RegimesLabel:
    """The same summary of a regimes matrix, to compare with :func:`regimes_label`."""
    from aslgraph.kg.model import RegimeMatrix

    assert isinstance(matrix, RegimeMatrix)
    return RegimesLabel(
        served=len(matrix.rows) - len(matrix.gaps),
        rows=len(matrix.rows),
        cells=frozenset(
            (row.obligation.iri, s.relation.id, s.section.iri)
            for row in matrix.rows
            for s in row.served_by
        ),
        clocks=frozenset(
            (c.section.iri, frozenset(o.obligation.iri for o in c.obligations))
            for c in matrix.clocks_differ
        ),
    )
