"""The reference SHACL engine: pyshacl over rdflib graphs.

:class:`Validator` holds one shapes graph, read once; :meth:`Validator.validate` runs pyshacl
and returns a :class:`~aslgraph.shacl.report.ValidationReport`. pyshacl hands every SPARQL-based
constraint to rdflib as text, once per focus node, and rdflib parses the text every time (nine
tenths of a validation's time on our shapes); :class:`PreparedQueries` parses each text once, as
``rdflib.plugins.sparql.prepareQuery`` would, and is installed as rdflib's SPARQL processor when
this module is imported. Results are unchanged (the differential tests hold both engines equal).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from pyshacl import validate
from rdflib import Graph, plugin
from rdflib.namespace import RDF, SH
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.plugins.sparql.processor import SPARQLProcessor
from rdflib.plugins.sparql.sparql import Query
from rdflib.query import Processor
from rdflib.term import Identifier, Node

from aslgraph.shacl.report import ValidationReport, ValidationResult
from aslgraph.shacl.shapes import load_shapes, rests_on_map
from aslgraph.shacl.terms import OxTerm, node_text, path_text, severity_name, to_rdflib


@lru_cache(maxsize=4096)
def _prepared(text: str, base: str | None, namespaces: tuple[tuple[str, Any], ...]) -> Query:
    return translateQuery(parseQuery(text), base, dict(namespaces))


class PreparedQueries(SPARQLProcessor):
    """rdflib's SPARQL processor, with each query text parsed and translated once."""

    def query(  # type: ignore[override]  # the signature of SPARQLProcessor.query
        self,
        strOrQuery: str | Query,  # noqa: N803 - rdflib's parameter names
        initBindings: Mapping[str, Identifier] | None = None,  # noqa: N803
        initNs: Mapping[str, Any] | None = None,  # noqa: N803
        base: str | None = None,
        DEBUG: bool = False,  # noqa: N803
    ) -> Mapping[str, Any]:
        prepared = (
            _prepared(strOrQuery, base, tuple(sorted((initNs or {}).items())))
            if isinstance(strOrQuery, str)
            else strOrQuery
        )
        return super().query(prepared, initBindings, initNs, base, DEBUG)


plugin.register("sparql", Processor, __name__, PreparedQueries.__name__)

Progress = Callable[[str, int, int], None]


class Validator:
    """Validates data graphs against one shapes graph, read once."""

    def __init__(self, shapes: Graph):
        self.shapes = shapes
        self.rests_on = rests_on_map(shapes)

    @classmethod
    def from_paths(cls, paths: Iterable[Path]) -> Validator:
        """Read the shapes under ``paths``; raises rdflib's parser errors on a bad shapes file."""
        return cls(load_shapes(paths))

    def validate(
        self, data: Graph, *, ontology: Graph | None = None, inplace: bool = False
    ) -> ValidationReport:
        """Validate ``data`` (with ``ontology`` mixed in for class hierarchy) against the shapes.

        ``inplace``: pyshacl works on ``data`` itself instead of a copy (it may add to it), for
        a caller that made ``data`` for this validation alone."""
        conforms, report_graph, _text = validate(
            data,
            shacl_graph=self.shapes,
            ont_graph=ontology,
            inference="none",
            advanced=True,
            allow_warnings=True,
            inplace=inplace,
        )
        if not isinstance(report_graph, Graph):
            raise TypeError("pyshacl returned no report graph")
        results = tuple(
            sorted(_results(report_graph, self.rests_on), key=ValidationResult.sort_key)
        )
        return ValidationReport(
            conforms=bool(conforms), results=results, graph_factory=lambda: report_graph
        )


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


def store_to_graph(store: ox.Store) -> Graph:
    """The default graph of ``store`` as an rdflib graph (blank nodes keep their ids)."""
    return quads_to_graph(store.quads_for_pattern(None, None, None, ox.DefaultGraph()))


def quads_to_graph(quads: Iterable[ox.Quad]) -> Graph:
    """The triples of ``quads`` (whatever their graph) as one rdflib graph, term by term (blank
    nodes keep their ids); raises TypeError on an RDF-star triple term."""
    graph = Graph()
    terms: dict[OxTerm, Node] = {}

    def term(t: OxTerm | ox.Triple) -> Node:
        if isinstance(t, ox.Triple):
            raise TypeError("RDF-star triples are not supported")
        found = terms.get(t)
        if found is None:
            found = terms[t] = to_rdflib(t)
        return found

    graph.addN((term(q.subject), term(q.predicate), term(q.object), graph) for q in quads)
    return graph


class PyshaclEngine:
    """The reference: pyshacl over the store copied into rdflib, with the ontology added."""

    name = "pyshacl"

    def __init__(self, shapes: Graph, ontology: Graph):
        self.validator = Validator(shapes)
        self.ontology = ontology

    @classmethod
    def from_paths(cls, shapes_dir: Path, ontology_dir: Path) -> PyshaclEngine:
        ontology = Graph()
        for path in sorted(ontology_dir.rglob("*.ttl")):
            ontology.parse(path, format="turtle")
        return cls(load_shapes([shapes_dir]), ontology)

    def validate(
        self,
        data: ox.Store,
        *,
        progress: Progress | None = None,
        split: Callable[[Callable[[int, int], Any]], list[Any]] | None = None,
    ) -> ValidationReport:
        """Validate the default graph of ``data`` with pyshacl (one stage; ``split`` is not
        used: pyshacl runs in one process)."""
        graph = store_to_graph(data)
        graph += self.ontology
        report = self.validator.validate(graph)
        if progress is not None:
            progress("pyshacl", 1, 1)
        return report
