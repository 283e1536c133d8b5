"""Every SPARQL rule of shapes/org gives the same results when run set-at-a-time.

pyshacl runs a SHACL-SPARQL constraint once per focus node with ``$this`` pre-bound. The rules
are written so that the same query, with ``$this`` left free and run once over the whole graph
(as a faster engine would), returns exactly the same (focus, value) pairs: here on pyoxigraph,
for every example and every organisation shape case.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, SH

from aslgraph.shacl.reference import Validator
from aslgraph.shacl.report import ValidationReport

ROOT = Path(__file__).resolve().parents[2]
GRAPHS = sorted((ROOT / "examples").rglob("*.ttl")) + sorted(
    (Path(__file__).parent / "cases").glob("org-*/*.ttl")
)
SPARQL_COMPONENT = str(SH.SPARQLConstraintComponent)


Target = tuple[str, str]
"""(target predicate, target object)."""


def _rules(shapes: Graph) -> list[tuple[URIRef, str, tuple[Target, ...]]]:
    """(shape, query text with prefixes, its targets) per SPARQL rule."""
    declares = {
        str(shapes.value(d, SH.prefix)): str(shapes.value(d, SH.namespace))
        for ontology in shapes.subjects(RDF.type, OWL.Ontology)
        for d in shapes.objects(ontology, SH.declare)
    }
    header = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in sorted(declares.items()))
    rules = []
    for shape, constraint in shapes.subject_objects(SH.sparql):
        assert isinstance(shape, URIRef)
        select = str(shapes.value(constraint, SH.select))
        targets = [
            (kind, str(obj))
            for kind in (SH.targetClass, SH.targetSubjectsOf)
            for obj in shapes.objects(shape, kind)
        ]
        assert targets, f"{shape}: a target expected"
        rules.append((shape, header + select, tuple((str(k), o) for k, o in sorted(targets))))
    return sorted(rules)


def _focus_nodes(store: ox.Store, kind: str, target: str) -> set[str]:
    if kind == str(SH.targetClass):
        query = (
            "SELECT ?x WHERE { ?x a/<http://www.w3.org/2000/01/rdf-schema#subClassOf>* "
            f"<{target}> }}"
        )
    else:
        query = f"SELECT ?x WHERE {{ ?x <{target}> ?o }}"
    result = store.query(query)
    assert isinstance(result, ox.QuerySolutions)
    return {row["x"].value for row in result}


@pytest.fixture(scope="module")
def ontology_nt(org_ontology: Graph) -> bytes:
    return org_ontology.serialize(format="nt", encoding="utf-8")


@pytest.mark.parametrize("path", GRAPHS, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_rules_agree_set_at_a_time(
    path: Path,
    org_validator: Validator,
    org_report: Callable[[Path], ValidationReport],
    ontology_nt: bytes,
) -> None:
    report = org_report(path)
    store = ox.Store()
    store.load(ontology_nt, format=ox.RdfFormat.N_TRIPLES)
    store.load(path.read_bytes(), format=ox.RdfFormat.TURTLE, base_iri="https://example.org/")
    for shape, query, targets in _rules(org_validator.shapes):
        by_pyshacl = {
            (r.focus, r.value)
            for r in report.results
            if r.source_shape == str(shape) and r.constraint == SPARQL_COMPONENT
        }
        focus_nodes = set().union(*(_focus_nodes(store, kind, obj) for kind, obj in targets))
        result = store.query(query)
        assert isinstance(result, ox.QuerySolutions)
        names = {v.value for v in result.variables}
        at_once = set()
        for row in result:
            focus = row["this"].value
            if focus not in focus_nodes:
                continue
            value = row["value"] if "value" in names else None
            at_once.add((focus, value.value if value is not None else focus))
        assert at_once == by_pyshacl, shape
