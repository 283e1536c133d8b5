"""The verdict rules on small organisation graphs written in the test."""

from __future__ import annotations

from datetime import date

import pyoxigraph as ox
import pytest

from aslgraph.kg.catalog import Catalog
from aslgraph.org.errors import UnassessableError
from aslgraph.org.posture.assess import assess, tables
from aslgraph.org.posture.model import PostureReport

PREFIXES = """
@prefix aia:  <https://w3id.org/aslgraph/id/eu-ai-act/> .
@prefix asl:  <https://w3id.org/aslgraph/ontology#> .
@prefix cop:  <https://w3id.org/aslgraph/id/gpai-cop/> .
@prefix dct:  <http://purl.org/dc/terms/> .
@prefix ex:   <https://example.org/t/> .
@prefix jur:  <https://w3id.org/aslgraph/id/jurisdiction/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix role: <https://w3id.org/aslgraph/id/role/> .
@prefix rsp:  <https://w3id.org/aslgraph/id/rsp/> .
@prefix xsd:  <http://www.w3.org/2001/XMLSchema#> .
"""

PROVIDER = """
ex:org a asl:Organisation ; rdfs:label "Test provider" ;
    asl:assessmentDate "2026-11-30"^^xsd:date ; asl:establishedIn jur:DE ;
    asl:holdsRole ex:role ; asl:hasAIModel ex:m ; asl:runsControl ex:c .
ex:role a asl:RoleAssignment ; asl:role role:{role} ; asl:underRegime aia:AIA .
ex:m a asl:AIModel ; asl:supplier ex:org {systemic} {placed} ;
    asl:releasedUnder [ a asl:ReleaseTerms ; asl:freeAndOpenSource false ] .
ex:m-eu a asl:MarketPlacement ; asl:market jur:EU ; dct:date "2025-10-01"^^xsd:date .
ex:c a asl:Control ; asl:addresses {addresses} ; asl:evidencedBy ex:doc .
ex:doc a asl:Evidence ; dct:title "Record" ; dct:issued "{issued}"^^xsd:date {valid} .
"""


def graph(turtle: str) -> ox.Store:
    store = ox.Store()
    store.load(PREFIXES + turtle, format=ox.RdfFormat.TURTLE)
    return store


def provider(
    catalog: Catalog,
    *,
    role: str = "gpai-provider",
    systemic: bool = False,
    addresses: str = "aia:art53-1-d",
    issued: str = "2026-01-01",
    valid_until: str | None = None,
    as_of: date | None = None,
    placed: bool = True,
) -> PostureReport:
    text = PROVIDER.format(
        role=role,
        placed="; asl:placedOnMarket ex:m-eu" if placed else "",
        systemic=f"; asl:systemicRisk {str(systemic).lower()}",
        addresses=addresses,
        issued=issued,
        valid=f'; asl:validUntil "{valid_until}"^^xsd:date' if valid_until else "",
    )
    return assess(graph(text), catalog, as_of)


def test_a_graph_without_an_organisation_is_refused(catalog: Catalog) -> None:
    with pytest.raises(UnassessableError, match="asl:assessmentDate"):
        assess(graph("ex:m a asl:AIModel ."), catalog)


def test_art55_does_not_bind_a_provider_without_systemic_risk(catalog: Catalog) -> None:
    result = provider(catalog)
    assert result.verdict_of("aia:art53-1-d") == "met"
    art55 = next(v for v in result.not_applicable if v.obligation.curie == "aia:art55-1-d")
    assert "asl:systemicRisk" in art55.summary
    assert art55.verdict == "not_applicable"


def test_without_the_placement_date_the_duties_cannot_be_decided(catalog: Catalog) -> None:
    """Art. 111(3) defers a model placed before 2 August 2025: without the date the graph
    cannot say whether the duty binds yet, and the verdict says what to state."""
    result = provider(catalog, placed=False)
    verdict = next(v for v in result.obligations if v.obligation.curie == "aia:art53-1-d")
    assert verdict.verdict == "cannot_be_decided"
    assert any("asl:placedOnMarket" in m for m in verdict.missing)
    assert "aia:art111-3" in [d.curie for d in verdict.decided_by]


def test_a_model_with_systemic_risk_brings_art55(catalog: Catalog) -> None:
    result = provider(catalog, systemic=True)
    assert result.verdict_of("aia:art55-1-d") == "unmet"
    considered = {c.id for c in result.roles[0].roles_considered}
    assert considered == {"gpai-provider", "gpai-sr-provider"}


@pytest.mark.parametrize(
    ("issued", "valid_until", "verdict", "status"),
    [
        ("2026-01-01", None, "met", "current"),
        ("2026-01-01", "2026-11-30", "met", "current"),  # valid through the day itself
        ("2025-01-01", "2026-11-29", "unmet", "expired"),
        ("2026-12-01", None, "unmet", "not-yet-issued"),
    ],
)
def test_evidence_counts_only_when_current(
    catalog: Catalog, issued: str, valid_until: str | None, verdict: str, status: str
) -> None:
    result = provider(catalog, issued=issued, valid_until=valid_until)
    d = next(v for v in result.obligations if v.obligation.curie == "aia:art53-1-d")
    assert d.verdict == verdict
    routes = d.routes or d.not_counted
    assert routes[0].evidence[0].status == status


def test_a_part_is_partial_and_the_containing_paragraph_is_full(catalog: Catalog) -> None:
    part = provider(catalog, addresses="aia:art53-1-b-i")
    b = next(v for v in part.obligations if v.obligation.curie == "aia:art53-1-b")
    assert b.verdict == "partly_met"
    assert b.uncovered is not None and "aia:art53-1-b-i" in b.uncovered
    whole = provider(catalog, systemic=True, addresses="aia:art55-1")
    for point in ("aia:art55-1-a", "aia:art55-1-b", "aia:art55-1-c", "aia:art55-1-d"):
        assert whole.verdict_of(point) == "met", point


def test_a_code_measure_is_related_through_its_mapping(catalog: Catalog) -> None:
    result = provider(catalog, systemic=True, addresses="cop:SS-App4.4")
    d = next(v for v in result.obligations if v.obligation.curie == "aia:art55-1-d")
    assert d.verdict == "partly_met"
    assert [m.curie for m in d.routes[0].mappings] == ["map:eu-ai-act__gpai-cop-005"]


RSP_POSTURE = """
ex:org a asl:Organisation ; asl:assessmentDate "2026-11-30"^^xsd:date ;
    asl:establishedIn jur:FR ;
    asl:holdsRole ex:role ; asl:hasAIModel ex:m ; asl:declaresPosture ex:p {controls} .
ex:role a asl:RoleAssignment ; asl:role role:gpai-sr-provider ; asl:underRegime aia:AIA .
ex:m a asl:AIModel ; asl:supplier ex:org ; asl:systemicRisk true ; asl:placedOnMarket ex:m-eu .
ex:m-eu a asl:MarketPlacement ; asl:market jur:EU ; dct:date "2025-10-01"^^xsd:date .
ex:p a asl:DeclaredPosture ; asl:standardInForce rsp:ASL3-SS ; asl:frameworkVersion rsp:v2.2 ;
    asl:evidencedBy ex:report .
ex:report a asl:Evidence ; dct:title "Safeguards report" ; dct:issued "2026-03-01"^^xsd:date .
ex:insider a asl:Control ; rdfs:label "Insider programme" ; asl:addresses cop:SS-App4.4 ;
    asl:evidencedBy ex:report .
"""


def test_insider_scope_gap_is_flagged_unless_evidenced(catalog: Catalog) -> None:
    bare = assess(graph(RSP_POSTURE.format(controls="")), catalog)
    d = next(v for v in bare.obligations if v.obligation.curie == "aia:art55-1-d")
    assert d.verdict == "partly_met"
    note = next(n for n in d.notes if "out of its scope" in n)
    assert "Sophisticated insiders" in note
    assert "Nothing in the graph evidences" in note
    covered = assess(graph(RSP_POSTURE.format(controls="; asl:runsControl ex:insider")), catalog)
    d = next(v for v in covered.obligations if v.obligation.curie == "aia:art55-1-d")
    note = next(n for n in d.notes if "out of its scope" in n)
    assert "Evidenced separately by Insider programme" in note


def test_as_of_defaults_to_today_without_an_assessment_date(catalog: Catalog) -> None:
    text = """
    ex:org a asl:Organisation ; asl:holdsRole ex:role .
    ex:role a asl:RoleAssignment ; asl:role role:deployer ; asl:underRegime aia:AIA .
    """
    result = assess(graph(text), catalog)
    assert result.as_of == date.today()
    assert result.as_of_source == "today"


def test_tables_are_built_once_per_catalog(catalog: Catalog) -> None:
    assert tables(catalog) is tables(catalog)
    assert tables(catalog).out_of_scope  # the RSP's scope statements were read
