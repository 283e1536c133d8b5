"""An organisation's own framework against the regimes (aslgraph.org.framework): its sections
serve obligations through its own mappings, directly or through one provision of the graph;
a section's own deadline is compared with the regimes'; and an upload that describes no usable
framework, or reaches into the knowledge graph, is refused with a message naming what is
wrong. The knowledge graph's index is left as it was."""

from __future__ import annotations

import pytest

from aslgraph.kg.catalog import Catalog
from aslgraph.kg.crosswalk import CrosswalkQuery, crosswalk
from aslgraph.kg.model import RegimeMatrix
from aslgraph.namespaces import ASL, ID
from aslgraph.org.errors import UnassessableError
from aslgraph.org.framework import regimes
from aslgraph.org.upload import parse_upload

HEAD = """
@prefix asl:   <https://w3id.org/aslgraph/ontology#> .
@prefix dct:   <http://purl.org/dc/terms/> .
@prefix rdfs:  <http://www.w3.org/2000/01/rdf-schema#> .
@prefix rel:   <https://w3id.org/aslgraph/id/relation/> .
@prefix sb53:  <https://w3id.org/aslgraph/id/ca-sb53/> .
@prefix raise: <https://w3id.org/aslgraph/id/ny-raise/> .
@prefix cop:   <https://w3id.org/aslgraph/id/gpai-cop/> .
@prefix fw:    <https://example.org/acme/framework/> .
"""
FRAMEWORK = """
fw:F a asl:Instrument ; rdfs:label "Acme framework" .
fw:s1 a asl:Provision ; dct:isPartOf fw:F ; rdfs:label "§1 Thresholds" .
fw:s1-1 a asl:Provision ; dct:isPartOf fw:s1 ; rdfs:label "§1.1 Incidents" ;
    asl:dueWithinDays 10 .
"""
SB53 = ID + "ca-sb53/"
RAISE = ID + "ny-raise/"
FW = "https://example.org/acme/framework/"


def mapping(name: str, subject: str, obj: str, relation: str = "equal", extra: str = "") -> str:
    return (
        f"fw:{name} a asl:Mapping ; asl:mappingSubject {subject} ; asl:mappingObject {obj} ;"
        f" asl:relation rel:{relation} ; asl:confidence 0.8 {extra} .\n"
    )


def matrix(catalog: Catalog, body: str, **kwargs: object) -> RegimeMatrix:
    upload = parse_upload((HEAD + body).encode(), "text/turtle")
    return regimes(upload, catalog, **kwargs)  # type: ignore[arg-type]


def refused(catalog: Catalog, body: str, **kwargs: object) -> UnassessableError:
    with pytest.raises(UnassessableError) as raised:
        matrix(catalog, body, **kwargs)
    return raised.value


def row(found: RegimeMatrix, obligation: str) -> list[tuple[str, str, bool, str | None]]:
    (match,) = [r for r in found.rows if r.obligation.iri == obligation]
    return [
        (s.section.iri, s.relation.id, s.derived, s.part.iri if s.part else None)
        for s in match.served_by
    ]


def test_a_section_serves_a_duty_directly_and_another_regime_through_the_graph(
    catalog: Catalog,
) -> None:
    found = matrix(catalog, FRAMEWORK + mapping("m1", "fw:s1", "sb53:22757.12-a-2"))
    assert found.framework == "fw:F"
    # the framework item is a part of §22757.12(a): the row is the duty's, through its item
    assert row(found, SB53 + "22757.12-a") == [(FW + "s1", "equal", False, SB53 + "22757.12-a-2")]
    # New York's item contains California's (subset-of in the crosswalk), so it contains the
    # section that equals California's: superset-of, derived, through RAISE §1421(1)(b)
    assert row(found, RAISE + "1421-1") == [(FW + "s1", "superset-of", True, RAISE + "1421-1-b")]
    (served,) = next(r for r in found.rows if r.obligation.iri == RAISE + "1421-1").served_by
    assert served.via is not None and served.via.iri == SB53 + "22757.12-a-2"
    assert served.section.curie == "fw:s1"
    assert served.confidence == pytest.approx(0.75)  # the weakest on the path


def test_nested_sections_count_and_their_own_deadline_is_compared(catalog: Catalog) -> None:
    body = FRAMEWORK + mapping("m1", "fw:s1-1", "sb53:22757.13-c-1", "intersects-with")
    found = matrix(catalog, body)
    assert row(found, SB53 + "22757.13-c-1") == [(FW + "s1-1", "intersects-with", False, None)]
    (difference,) = found.clocks_differ
    assert difference.section.iri == FW + "s1-1"
    assert difference.section_clock is not None and difference.section_clock.days == 10
    assert [o.obligation.iri for o in difference.obligations] == [SB53 + "22757.13-c-1"]


def test_mappings_may_be_written_from_the_graph_side(catalog: Catalog) -> None:
    found = matrix(catalog, FRAMEWORK + mapping("m1", "sb53:22757.12-b-1", "fw:s1", "subset-of"))
    assert row(found, SB53 + "22757.12-b-1") == [(FW + "s1", "subset-of", False, None)]


def test_no_relationship_serves_nothing_and_gaps_are_the_unserved_rows(
    catalog: Catalog,
) -> None:
    found = matrix(
        catalog, FRAMEWORK + mapping("m1", "fw:s1", "sb53:22757.12-d", "no-relationship")
    )
    assert row(found, SB53 + "22757.12-d") == []
    assert len(found.gaps) == len(found.rows)


def test_the_regimes_can_be_chosen(catalog: Catalog) -> None:
    found = matrix(catalog, FRAMEWORK, regimes=["ny-raise"])
    assert found.regimes == ["ny-raise"]
    assert {r.regime for r in found.rows} == {"ny-raise"}
    error = refused(catalog, FRAMEWORK, regimes=["nope"])
    assert error.kind == "unknown-scheme" and "'nope'" in error.message


def test_the_graph_is_left_as_it_was(catalog: Catalog) -> None:
    index = catalog.index
    ends = list(index.mapping_ends[SB53 + "22757.12-a-2"])
    provisions = len(index.by_class[str(ASL.Provision)])
    matrix(catalog, FRAMEWORK + mapping("m1", "fw:s1", "sb53:22757.12-a-2"))
    assert catalog.index is index
    assert index.mapping_ends[SB53 + "22757.12-a-2"] == ends
    assert len(index.by_class[str(ASL.Provision)]) == provisions
    assert FW + "s1" not in index.resources and FW + "F" not in index.children
    assert index.overlaid == frozenset()
    fresh = crosswalk(index, catalog.views, CrosswalkQuery(SB53 + "22757.12-a-2"))
    assert all(not e.target.iri.startswith(FW) for e in fresh.entries)


def test_a_graph_without_a_framework_is_refused(catalog: Catalog) -> None:
    error = refused(catalog, 'fw:x rdfs:label "nothing" .')
    assert error.kind == "no-framework"
    assert "asl:Instrument" in error.message and "dct:isPartOf" in error.message


def test_several_frameworks_need_a_name(catalog: Catalog) -> None:
    body = FRAMEWORK + 'fw:G a asl:Instrument ; rdfs:label "Another" .\n'
    error = refused(catalog, body)
    assert error.kind == "several-frameworks"
    assert "fw:F" in error.message and "fw:G" in error.message
    assert matrix(catalog, body + mapping("m1", "fw:s1", "cop:SS-C2"), framework="fw:F")
    assert matrix(catalog, body, framework=FW + "F").framework == "fw:F"
    unknown = refused(catalog, body, framework="fw:H")
    assert unknown.kind == "unknown-framework" and "fw:F" in unknown.message


def test_a_framework_without_sections_is_refused(catalog: Catalog) -> None:
    error = refused(catalog, 'fw:F a asl:Instrument ; rdfs:label "Empty" .')
    assert error.kind == "framework-without-sections"
    assert "fw:F" in error.message


def test_the_graphs_own_resources_cannot_be_redefined(catalog: Catalog) -> None:
    body = FRAMEWORK + "sb53:22757.12-a-2 a asl:Provision ; dct:isPartOf fw:F .\n"
    error = refused(catalog, body)
    assert error.kind == "framework-reuses-graph-iri"
    assert "sb53:22757.12-a-2" in error.message


@pytest.mark.parametrize(
    ("bad", "says"),
    [
        (
            mapping("m9", "fw:s1", "sb53:no-such-item"),
            "sb53:no-such-item, which is not a provision",
        ),
        (mapping("m9", "sb53:22757.12-a-1", "cop:SS-C2"), "two provisions of the knowledge graph"),
        (mapping("m9", "fw:s1", "sb53:22757.12-a-2", "resembles"), "needs one asl:relation"),
        (
            mapping("m9", "fw:s1", "sb53:22757.12-a-2", extra="; asl:confidence 2"),
            "not one number from 0 to 1",
        ),
        (
            "fw:m9 a asl:Mapping ; asl:mappingSubject fw:s1 ; asl:relation rel:equal .\n",
            "exactly one asl:mappingSubject and one asl:mappingObject",
        ),
    ],
    ids=["unknown-target", "graph-to-graph", "bad-relation", "bad-confidence", "one-end"],
)
def test_a_mapping_that_cannot_be_read_is_named(catalog: Catalog, bad: str, says: str) -> None:
    error = refused(catalog, FRAMEWORK + mapping("m1", "fw:s1", "cop:SS-C2") + bad)
    assert error.kind == "invalid-framework-mapping"
    assert error.message.startswith("1 mapping(s) of the framework cannot be read: fw:m9 ")
    assert says in error.message
