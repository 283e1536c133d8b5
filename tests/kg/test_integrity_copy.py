"""``aslgraph check`` copies the store into rdflib term by term and lets pyshacl validate the copy
in place (issue 11: it wrote N-Triples for rdflib to parse, then pyshacl copied that graph
again). The findings are those of the old path, on data that breaks shapes."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph
from rdflib.compare import isomorphic

from aslgraph.config import Settings
from aslgraph.kg import integrity
from aslgraph.shacl.reference import Validator
from aslgraph.shacl.report import ValidationReport
from aslgraph.store import OxigraphStore

BROKEN = """\
@prefix asl: <https://w3id.org/aslgraph/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix ex: <https://w3id.org/aslgraph/id/rsp/> .
ex:broken-claim a asl:Claim ; rdfs:label "no language tag" ; asl:verdict ex:nothing ;
    asl:assessedAgainst [ rdfs:label "a blank node" ] .
ex:broken-mapping a asl:Mapping ; asl:confidence "high" .
ex:broken-provision a asl:Provision ; asl:paraphrase "x"@en , "y"@en ; rdfs:label 7 .
"""


def _as_before(store: OxigraphStore) -> Graph:
    """The copy as ``store_as_graph`` made it before: a CONSTRUCT, N-Triples, rdflib's parser."""
    result = store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
    assert isinstance(result, ox.QueryTriples)
    graph = Graph()
    graph.parse(data=result.serialize(format=ox.RdfFormat.N_TRIPLES), format="nt")
    return graph


def test_the_copy_and_the_findings_are_those_of_the_old_path(
    settings: Settings, kg_validator: Validator, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "broken.ttl").write_text(BROKEN, encoding="utf-8")
    store = OxigraphStore.from_paths([settings.ontology_dir, data], root=tmp_path)
    copy = integrity.store_as_graph(store)
    assert isomorphic(copy, _as_before(store))
    before = kg_validator.validate(_as_before(store))
    now = kg_validator.validate(integrity.store_as_graph(store), inplace=True)
    assert len(before.results) >= 5  # the broken file breaks several shapes
    assert not before.conforms and not now.conforms

    def named(report: ValidationReport) -> list[tuple[str, ...]]:
        # a blank node is named afresh by each copy; everything else is compared as is
        def value(text: str | None) -> str:
            return "_:" if (text or "").startswith("_:") else text or ""

        return sorted(
            (
                r.focus,
                r.path or "",
                r.severity,
                r.message,
                r.source_shape,
                r.constraint,
                value(r.value),
            )
            for r in report.results
        )

    assert named(now) == named(before)
    found = integrity.check([data], settings=settings, validator=kg_validator)
    assert not found.ok
    assert {f.resource for f in found.findings} >= {
        "https://w3id.org/aslgraph/id/rsp/broken-claim",
        "https://w3id.org/aslgraph/id/rsp/broken-mapping",
        "https://w3id.org/aslgraph/id/rsp/broken-provision",
    }
