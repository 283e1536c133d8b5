"""SHACL validation with pyshacl, returning a typed report.

Shapes are read once into a :class:`Validator`; :meth:`Validator.validate` runs them over an
rdflib graph and returns a :class:`ValidationReport` whose results name focus node, path,
severity, message and the shape that raised them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from pyshacl import validate
from rdflib import Graph
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH
from rdflib.term import BNode, Node, URIRef

SEVERITY_NAMES = {SH.Violation: "violation", SH.Warning: "warning", SH.Info: "info"}


@dataclass(frozen=True)
class ValidationResult:
    """One SHACL result; ``path`` and ``value`` are None where the constraint has none."""

    focus: str
    path: str | None
    severity: str
    message: str
    source_shape: str
    constraint: str
    value: str | None


@dataclass(frozen=True)
class ValidationReport:
    """The outcome of a validation: conforms, and every result."""

    conforms: bool
    results: tuple[ValidationResult, ...]
    report_graph: Graph

    @property
    def violations(self) -> tuple[ValidationResult, ...]:
        return tuple(r for r in self.results if r.severity == "violation")


def load_shapes(paths: Iterable[Path]) -> Graph:
    """Parse every Turtle file under ``paths`` into one shapes graph."""
    shapes = Graph()
    for path in paths:
        files = sorted(path.rglob("*.ttl")) if path.is_dir() else [path]
        for file in files:
            shapes.parse(file, format="turtle")
    return shapes


class Validator:
    """Validates data graphs against one shapes graph, read once."""

    def __init__(self, shapes: Graph):
        self.shapes = shapes

    @classmethod
    def from_paths(cls, paths: Iterable[Path]) -> Validator:
        """Read the shapes under ``paths``; raises rdflib's parser errors on a bad shapes file."""
        return cls(load_shapes(paths))

    def validate(self, data: Graph, *, ontology: Graph | None = None) -> ValidationReport:
        """Validate ``data`` (with ``ontology`` mixed in for class hierarchy) against the shapes."""
        conforms, report_graph, _text = validate(
            data,
            shacl_graph=self.shapes,
            ont_graph=ontology,
            inference="none",
            advanced=True,
            allow_warnings=True,
        )
        results = tuple(
            sorted(_results(report_graph), key=lambda r: (r.focus, r.path or "", r.message))
        )
        return ValidationReport(conforms=bool(conforms), results=results, report_graph=report_graph)


def _text(node: Node | None) -> str | None:
    if node is None:
        return None
    if isinstance(node, BNode):
        return f"_:{node}"
    return str(node)


def _path_text(report: Graph, node: Node | None) -> str | None:
    """Render a SHACL path: an IRI as itself, a sequence path as ``a / b``."""
    if node is None or isinstance(node, URIRef):
        return None if node is None else str(node)
    if isinstance(node, BNode) and report.value(node, RDF.first) is not None:
        return " / ".join(str(step) for step in Collection(report, node))
    return _text(node)


def _severity(node: Node | None) -> str:
    return SEVERITY_NAMES.get(node, str(node)) if isinstance(node, URIRef) else str(node)


def _results(report: Graph) -> Iterable[ValidationResult]:
    for result in report.subjects(SH.resultSeverity, None):
        severity = report.value(result, SH.resultSeverity)
        path = report.value(result, SH.resultPath)
        message = report.value(result, SH.resultMessage)
        yield ValidationResult(
            focus=str(report.value(result, SH.focusNode)),
            path=_path_text(report, path),
            severity=_severity(severity),
            message=str(message) if message is not None else "",
            source_shape=str(report.value(result, SH.sourceShape)),
            constraint=str(report.value(result, SH.sourceConstraintComponent)),
            value=_text(report.value(result, SH.value)),
        )
