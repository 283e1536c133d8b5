"""SHACL validation with pyshacl, returning a typed report.

Shapes are read once into a :class:`Validator`; :meth:`Validator.validate` runs them over an
rdflib graph and returns a :class:`ValidationReport` whose results name focus node, path,
severity, message, the shape that raised them and the provisions that shape rests on
(``asl:restsOn``). The set-at-a-time engine of :mod:`aslgraph.shacl` returns the same report.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from pyshacl import validate
from rdflib import Graph
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH
from rdflib.term import BNode, Node, URIRef

from aslgraph.namespaces import ASL

SEVERITY_NAMES = {SH.Violation: "violation", SH.Warning: "warning", SH.Info: "info"}


@dataclass(frozen=True)
class ValidationResult:
    """One SHACL result; ``path`` and ``value`` are None where the constraint has none.

    ``focus``, ``source_shape`` and ``value`` are an IRI or a literal's lexical form as text, a
    blank node as ``_:id`` (``focus`` and ``source_shape``: the bare id). ``path`` is an IRI,
    ``^p`` for an inverse path, ``a / b`` for a sequence. ``rests_on`` holds the IRIs in
    ``asl:restsOn`` of the shape that raised the result (for a property shape, of the node
    shapes that hold it), sorted.
    """

    focus: str
    path: str | None
    severity: str
    message: str
    source_shape: str
    constraint: str
    value: str | None
    rests_on: tuple[str, ...] = ()

    def sort_key(self) -> tuple[str, ...]:
        """The deterministic order of results in a report."""
        return (
            self.focus,
            self.path or "",
            self.message,
            self.severity,
            self.source_shape,
            self.constraint,
            self.value or "",
            " ".join(self.rests_on),
        )


@dataclass(frozen=True)
class ValidationReport:
    """The outcome of a validation: conforms, and every result (sorted by ``sort_key``).

    The standard SHACL report graph is built on first use of :meth:`to_graph`, so a large
    validation does not pay for it unless it is asked for.
    """

    conforms: bool
    results: tuple[ValidationResult, ...]
    graph_factory: Callable[[], Graph] = field(repr=False, compare=False)

    @property
    def violations(self) -> tuple[ValidationResult, ...]:
        return tuple(r for r in self.results if r.severity == "violation")

    @cached_property
    def _graph(self) -> Graph:
        return self.graph_factory()

    def to_graph(self) -> Graph:
        """The SHACL validation report (``sh:ValidationReport``) as an rdflib graph."""
        return self._graph


def load_shapes(paths: Iterable[Path]) -> Graph:
    """Parse every Turtle file under ``paths`` into one shapes graph.

    Blank nodes get ids derived from their content and where they hang, so a blank-node shape
    has the same id in every process (results name it as their source shape).
    """
    shapes = Graph()
    for path in paths:
        files = sorted(path.rglob("*.ttl")) if path.is_dir() else [path]
        for file in files:
            shapes.parse(file, format="turtle")
    return _stable_blank_nodes(shapes)


def _stable_blank_nodes(graph: Graph) -> Graph:
    """A copy of ``graph`` whose blank nodes are named by a hash of their content and parent."""
    incoming: dict[BNode, list[tuple[Node, Node]]] = {}
    for s, p, o in graph:
        if isinstance(o, BNode):
            incoming.setdefault(o, []).append((s, p))
    content: dict[BNode, str] = {}
    names: dict[BNode, str] = {}

    def content_of(node: BNode, seen: frozenset[BNode]) -> str:
        if node in content:
            return content[node]
        parts = []
        for p, o in graph.predicate_objects(node):
            if isinstance(o, BNode):
                text = "[cycle]" if o in seen else "[" + content_of(o, seen | {node}) + "]"
            else:
                text = o.n3()
            parts.append(f"{p.n3()} {text}")
        content[node] = " ; ".join(sorted(parts))
        return content[node]

    def name_of(node: BNode, seen: frozenset[BNode]) -> str:
        if node in names:
            return names[node]
        parents = incoming.get(node, [])
        if len(parents) == 1 and parents[0][0] not in seen:
            parent, predicate = parents[0]
            where = name_of(parent, seen | {node}) if isinstance(parent, BNode) else parent.n3()
            where += " " + predicate.n3()
        else:
            where = "|".join(
                sorted(f"{s.n3() if not isinstance(s, BNode) else ''} {p.n3()}" for s, p in parents)
            )
        digest = hashlib.sha256((where + "\n" + content_of(node, frozenset())).encode("utf-8"))
        names[node] = "s" + digest.hexdigest()[:16]
        return names[node]

    def rename(node: Node) -> Node:
        return BNode(name_of(node, frozenset())) if isinstance(node, BNode) else node

    stable = Graph()
    for prefix, namespace in graph.namespaces():
        stable.bind(prefix, namespace)
    for s, p, o in graph:
        stable.add((rename(s), p, rename(o)))
    return stable


def rests_on_map(shapes: Graph) -> dict[str, tuple[str, ...]]:
    """For each shape (as :class:`ValidationResult` names it): the sorted ``asl:restsOn`` IRIs
    of the shape, or for a property shape of the node shapes that hold it."""
    own: dict[str, set[str]] = {}
    for shape, provision in shapes.subject_objects(ASL.restsOn):
        own.setdefault(str(shape), set()).add(str(provision))
    found = {key: set(iris) for key, iris in own.items()}
    for holder, prop in shapes.subject_objects(SH.property):
        if str(prop) not in own and str(holder) in own:
            found.setdefault(str(prop), set()).update(own[str(holder)])
    return {key: tuple(sorted(iris)) for key, iris in found.items()}


class Validator:
    """Validates data graphs against one shapes graph, read once."""

    def __init__(self, shapes: Graph):
        self.shapes = shapes
        self.rests_on = rests_on_map(shapes)

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
        if not isinstance(report_graph, Graph):
            raise TypeError("pyshacl returned no report graph")
        results = tuple(
            sorted(_results(report_graph, self.rests_on), key=ValidationResult.sort_key)
        )
        return ValidationReport(
            conforms=bool(conforms), results=results, graph_factory=lambda: report_graph
        )


def node_text(node: Node | None) -> str | None:
    """An IRI or literal as its text, a blank node as ``_:id``."""
    if node is None:
        return None
    if isinstance(node, BNode):
        return f"_:{node}"
    return str(node)


def path_text(graph: Graph, node: Node | None) -> str | None:
    """Render a SHACL path: an IRI as itself, ``^p`` for an inverse path, ``a / b`` for a
    sequence, ``a | b`` for alternatives, ``p*``, ``p+``, ``p?``."""
    if node is None or isinstance(node, URIRef):
        return None if node is None else str(node)
    if not isinstance(node, BNode):
        return str(node)
    if graph.value(node, RDF.first) is not None:
        return " / ".join(str(path_text(graph, step)) for step in Collection(graph, node))
    inverse = graph.value(node, SH.inversePath)
    if inverse is not None:
        return "^" + str(path_text(graph, inverse))
    alternatives = graph.value(node, SH.alternativePath)
    if alternatives is not None:
        return " | ".join(str(path_text(graph, step)) for step in Collection(graph, alternatives))
    for predicate, mark in (
        (SH.zeroOrMorePath, "*"),
        (SH.oneOrMorePath, "+"),
        (SH.zeroOrOnePath, "?"),
    ):
        inner = graph.value(node, predicate)
        if inner is not None:
            return f"({path_text(graph, inner)}){mark}"
    return f"_:{node}"


def severity_name(node: Node | None) -> str:
    return SEVERITY_NAMES.get(node, str(node)) if isinstance(node, URIRef) else str(node)


def _message(report: Graph, result: Node) -> str:
    messages = sorted(str(m) for m in report.objects(result, SH.resultMessage))
    return messages[0] if messages else ""


def _results(report: Graph, rests_on: Mapping[str, tuple[str, ...]]) -> Iterable[ValidationResult]:
    for result in report.subjects(RDF.type, SH.ValidationResult):
        shape = str(report.value(result, SH.sourceShape))
        focus = report.value(result, SH.focusNode)
        yield ValidationResult(
            focus=str(focus),
            path=path_text(report, report.value(result, SH.resultPath)),
            severity=severity_name(report.value(result, SH.resultSeverity)),
            message=_message(report, result),
            source_shape=shape,
            constraint=str(report.value(result, SH.sourceConstraintComponent)),
            value=node_text(report.value(result, SH.value)),
            rests_on=rests_on.get(shape, ()),
        )


__all__ = [
    "SEVERITY_NAMES",
    "ValidationReport",
    "ValidationResult",
    "Validator",
    "load_shapes",
    "node_text",
    "path_text",
    "rests_on_map",
]
