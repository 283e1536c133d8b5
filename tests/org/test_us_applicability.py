"""California SB 53 and New York's RAISE Act in the applicability engine: the frontier-model and
large-frontier-developer tests at their boundaries, New York's territorial nexus, and the dates
(SB 53 binds from 1 Jan 2026, RAISE from 1 Jan 2027)."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from tests.org.test_applicability import COND, EX, outcome, store_of

from aslgraph.kg.catalog import Catalog
from aslgraph.namespaces import ASL, PREFIXES
from aslgraph.org.applicability import Facts, Rules, rules

MODEL = """
ex:dev a asl:Organisation ; asl:assessmentDate "{on}"^^xsd:date ; asl:hasAIModel ex:m {revenue} .
ex:m a asl:AIModel ; asl:supplier ex:dev {facts} .
"""


@pytest.fixture(scope="module")
def law(catalog: Catalog) -> Rules:
    return rules(catalog)


def model(facts: str = "", revenue: str = "", on: str = "2026-06-01") -> str:
    return MODEL.format(facts=facts, revenue=revenue, on=on)


def compute(flop: str) -> str:
    return f'; asl:trainingCompute [ a asl:ComputeEstimate ; asl:flop "{flop}"^^xsd:double ]'


def revenue(year: int, usd: str, affiliates: str = "true") -> str:
    return (
        f"; asl:annualRevenue [ a asl:RevenueStatement ; asl:calendarYear {year} ; "
        f'asl:usd "{usd}"^^xsd:decimal ; asl:includesAffiliates {affiliates} ]'
    )


@pytest.mark.parametrize(
    ("flop", "holds"),
    [("1e26", False), ("1.0000001e26", True), ("3e26", True), ("5e25", False)],
)
def test_a_frontier_model_is_trained_with_more_than_1e26_operations(
    law: Rules, flop: str, holds: bool
) -> None:
    found, because = outcome(law, model(compute(flop)), "us-frontier-model", "m")
    assert found is holds, because
    assert "10^26" in because


def test_without_compute_the_frontier_test_cannot_be_decided(law: Rules) -> None:
    facts = Facts(law, store_of(model()), lambda _p, _s: False)
    found = facts.outcome(COND + "us-frontier-model", EX + "m")
    assert found.holds is None
    assert any("asl:trainingCompute" in m for m in found.missing)


@pytest.mark.parametrize(
    ("statement", "holds"),
    [
        (revenue(2025, "500000000"), False),  # "over" $500 million: exactly is not over
        (revenue(2025, "500000001"), True),
        (revenue(2025, "2000000000"), True),
        (revenue(2025, "100000000", affiliates="false"), None),  # affiliates may add the rest
        (revenue(2025, "900000000", affiliates="false"), True),  # over without them already
        (revenue(2024, "900000000"), None),  # not the preceding calendar year
        ("", None),
    ],
    ids=["500M", "500M+1", "2B", "without-affiliates", "over-alone", "wrong-year", "silent"],
)
def test_a_large_developer_had_over_500m_in_the_preceding_calendar_year(
    law: Rules, statement: str, holds: bool | None
) -> None:
    turtle = model(revenue=statement, on="2026-06-01")
    found, because = outcome(law, turtle, "us-developer-revenue-over-500m", "m")
    assert found is holds, because


def test_the_preceding_year_follows_the_assessment_date(law: Rules) -> None:
    turtle = model(revenue=revenue(2026, "700000000"), on="2027-02-01")
    found, _ = outcome(law, turtle, "us-developer-revenue-over-500m", "m")
    assert found is True


def test_a_large_frontier_developer_needs_both_tests(law: Rules) -> None:
    both = model(compute("2e26"), revenue(2025, "700000000"))
    assert outcome(law, both, "us-large-frontier-developer", "m")[0] is True
    small = model(compute("2e26"), revenue(2025, "400000000"))
    assert outcome(law, small, "us-large-frontier-developer", "m")[0] is False
    below = model(compute("5e25"), revenue(2025, "700000000"))
    assert outcome(law, below, "us-large-frontier-developer", "m")[0] is False


@pytest.mark.parametrize(
    ("facts", "holds"),
    [
        ("; asl:deployedIn jur:US-NY", True),
        ("; asl:developedIn jur:US-CA, jur:US-NY", True),
        ("; asl:operatedIn jur:US-NY", True),
        ("; asl:deployedIn jur:US-CA ; asl:activityStated true", False),
        ("; asl:deployedIn jur:US-CA", None),  # the list may not be complete
        ("", None),
    ],
    ids=["deployed", "developed", "operated", "complete-without-ny", "partial", "silent"],
)
def test_new_york_binds_models_developed_deployed_or_operated_there(
    law: Rules, facts: str, holds: bool | None
) -> None:
    found, because = outcome(law, model(facts), "ny-nexus", "m")
    assert found is holds, because


def test_the_us_roles_are_held_by_condition(law: Rules) -> None:
    role = PREFIXES["role"]
    assert law.held_when[role + "us-frontier-developer"] == COND + "us-frontier-model"
    assert (
        law.held_when[role + "us-large-frontier-developer"] == COND + "us-large-frontier-developer"
    )


# ---------------------------------------------------------------- /api/obligations' situations


def _decided(catalog: Catalog, role: str, on: str, **facts: object) -> dict[str, str]:
    from datetime import date

    from aslgraph.org import situation as situations

    answer = situations.obligations(
        catalog, situations.situation(catalog, role, as_of=date.fromisoformat(on), **facts)
    )
    found: dict[str, str] = {}
    for bucket, entries in (
        ("applies", answer.in_effect),
        ("applies_later", answer.upcoming),
        ("cannot_be_decided", answer.undecided),
        ("does_not_apply", answer.not_applicable),
    ):
        for entry in entries:
            found[entry.curie] = bucket
    return found


LARGE = {"training_flop": 3e26, "annual_revenue": 7.2e8, "in_new_york": True}


def test_a_large_frontier_developer_in_2026_has_californias_duties_and_new_yorks_later(
    catalog: Catalog,
) -> None:
    found = _decided(catalog, "us-large-frontier-developer", "2026-06-01", **LARGE)
    for duty in ("sb53:22757.12-a", "sb53:22757.12-d", "sb53:22757.13-c-1", "sb53:22757.12-c-1"):
        assert found[duty] == "applies", duty
    for duty in ("raise:1421-1", "raise:1422-3-a", "raise:1428-1"):
        assert found[duty] == "applies_later", duty


def test_from_2027_new_yorks_duties_apply(catalog: Catalog) -> None:
    found = _decided(catalog, "us-large-frontier-developer", "2027-01-01", **LARGE)
    for duty in ("raise:1421-1", "raise:1422-3-a", "raise:1428-1", "sb53:22757.12-a"):
        assert found[duty] == "applies", duty


def test_below_the_revenue_threshold_only_every_developers_duties_bind(catalog: Catalog) -> None:
    found = _decided(
        catalog,
        "us-frontier-developer",
        "2027-03-01",
        training_flop=3e26,
        annual_revenue=1e8,
        in_new_york=True,
    )
    assert found["sb53:22757.12-c-1"] == "applies"  # transparency report: every developer
    assert found["sb53:22757.13-c-1"] == "applies"  # incidents: every developer
    assert found["raise:1422-3-a"] == "applies"
    for duty in ("sb53:22757.12-a", "sb53:22757.12-d", "raise:1421-1", "raise:1428-1"):
        assert found[duty] == "does_not_apply", duty


def test_without_a_new_york_nexus_the_raise_act_does_not_bind(catalog: Catalog) -> None:
    found = _decided(
        catalog, "us-large-frontier-developer", "2027-03-01", **{**LARGE, "in_new_york": False}
    )
    assert found["raise:1421-1"] == "does_not_apply"
    assert found["sb53:22757.12-a"] == "applies"


def test_a_stated_role_is_held_but_unstated_facts_are_never_assumed(catalog: Catalog) -> None:
    found = _decided(catalog, "us-frontier-developer", "2027-03-01")
    assert found["sb53:22757.12-c-1"] == "applies"  # the role is stated, so it is held
    assert found["raise:1422-3-a"] == "cannot_be_decided"  # New York nexus not stated
    assert found["sb53:22757.12-a"] == "cannot_be_decided"  # large? revenue not stated


def test_us_facts_for_a_role_without_a_model_are_refused(catalog: Catalog) -> None:
    from aslgraph.kg.errors import InvalidRequestError
    from aslgraph.org import situation as situations

    with pytest.raises(InvalidRequestError, match="annual_revenue"):
        situations.situation(catalog, "deployer", annual_revenue=1e9)
    with pytest.raises(InvalidRequestError, match="systemic_risk"):
        situations.situation(catalog, "us-frontier-developer", systemic_risk=True)


REPORTER = """
@prefix asl:   <https://w3id.org/aslgraph/ontology#> .
@prefix cop:   <https://w3id.org/aslgraph/id/gpai-cop/> .
@prefix dct:   <http://purl.org/dc/terms/> .
@prefix ex:    <https://example.org/t/> .
@prefix jur:   <https://w3id.org/aslgraph/id/jurisdiction/> .
@prefix raise: <https://w3id.org/aslgraph/id/ny-raise/> .
@prefix rdfs:  <http://www.w3.org/2000/01/rdf-schema#> .
@prefix role:  <https://w3id.org/aslgraph/id/role/> .
@prefix sb53:  <https://w3id.org/aslgraph/id/ca-sb53/> .
@prefix xsd:   <http://www.w3.org/2001/XMLSchema#> .

ex:dev a asl:Organisation ; rdfs:label "Dev" ; asl:establishedIn jur:US ;
    asl:assessmentDate "2027-02-01"^^xsd:date ; asl:hasAIModel ex:m ; asl:runsControl ex:desk ;
    asl:declaresRegime sb53:TFAIA, raise:RAISE ;
    asl:holdsRole [ a asl:RoleAssignment ; asl:role role:us-large-frontier-developer ;
                    asl:underRegime sb53:TFAIA ; asl:roleFor ex:m ] ,
                  [ a asl:RoleAssignment ; asl:role role:us-large-frontier-developer ;
                    asl:underRegime raise:RAISE ; asl:roleFor ex:m ] .
ex:m a asl:AIModel ; rdfs:label "M" ; asl:supplier ex:dev ;
    asl:developedIn jur:US-CA ; asl:deployedIn jur:US-CA, jur:US-NY ; asl:activityStated true ;
    asl:trainingCompute [ a asl:ComputeEstimate ; asl:flop "2e26"^^xsd:double ] .
ex:desk a asl:Control ; rdfs:label "Incident desk"@en ; asl:addresses {addresses} ;
    asl:evidencedBy ex:runbook .
ex:runbook a asl:Evidence ; dct:title "Runbook"@en ; dct:issued "2026-01-05"^^xsd:date .
"""


def _incident_verdicts(catalog: Catalog, addresses: str) -> dict[str, tuple[str, list[str]]]:
    from aslgraph.org.posture.assess import assess

    store = ox.Store()
    store.load(REPORTER.format(addresses=addresses), format=ox.RdfFormat.TURTLE)
    report = assess(store, catalog, None)
    found = {}
    for verdict in [v for s in report.suppliers for v in s.obligations] + report.obligations:
        if verdict.obligation.curie in ("sb53:22757.13-c-1", "raise:1422-3-a"):
            found[verdict.obligation.curie] = (verdict.verdict, verdict.notes)
    return found


def test_a_report_to_one_authority_does_not_meet_a_duty_to_report_to_another(
    catalog: Catalog,
) -> None:
    # the Code's Measure 9.3 reports to the AI Office, New York's §1422(3)(a) to its office: the
    # crosswalk links both to SB 53's incident report, which goes to Cal OES (§22757.13(c)(1))
    found = _incident_verdicts(catalog, "cop:SS-M9.3, raise:1422-3-a")
    verdict, notes = found["sb53:22757.13-c-1"]
    assert verdict == "not_assessed"
    (note,) = [n for n in notes if n.startswith("Not counted:")]
    assert "requires reporting to the California Office of Emergency Services" in note
    assert "European Commission (AI Office)" in note and "office of the RAISE Act" in note
    assert found["raise:1422-3-a"][0] == "met"  # the control's own statement stands


def test_a_control_stated_for_the_duty_itself_stands(catalog: Catalog) -> None:
    found = _incident_verdicts(catalog, "sb53:22757.13-c-1")
    assert found["sb53:22757.13-c-1"][0] == "met"


def test_the_us_authorities_are_in_the_graph(catalog: Catalog) -> None:
    index = catalog.index
    role = "https://w3id.org/aslgraph/id/role/"
    pairs = {
        ("ca-sb53/22757.13-c-1", "reportsTo", "cal-oes"),
        ("ca-sb53/22757.12-d", "reportsTo", "cal-oes"),
        ("ny-raise/1422-2", "reportsTo", "ny-raise-office"),
        ("ny-raise/1422-3-a", "reportsTo", "ny-raise-office"),
        ("ny-raise/1428-1", "reportsTo", "ny-raise-office"),
        ("ca-sb53/22757.15-b", "exercisedBy", "ca-attorney-general"),
        ("ny-raise/1427-1", "exercisedBy", "ny-attorney-general"),
    }
    for local, predicate, authority in pairs:
        resource = index.require("https://w3id.org/aslgraph/id/" + local)
        assert resource.links(getattr(ASL, predicate)) == [role + authority], local
