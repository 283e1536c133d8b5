"""The law's conditions, exceptions and dates, as data and as the engine evaluates them
(docs/decisions/0012): every condition query is well formed; each condition decides, on small
graphs, what its provision says (the boundaries included) and says what to state when it
cannot; the engine defers, exempts and dates duties as the provisions it cites say."""

from __future__ import annotations

from datetime import date

import pyoxigraph as ox
import pytest

from aslgraph.kg.catalog import Catalog
from aslgraph.namespaces import PREFIXES
from aslgraph.org.applicability import Facts, Rules, rules
from aslgraph.org.posture.assess import assess
from aslgraph.org.posture.model import LaterItem, ObligationVerdict, PostureReport

COND = PREFIXES["cond"]
EX = "https://example.org/t/"
TURTLE_PREFIXES = "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in sorted(PREFIXES.items()))
TURTLE_PREFIXES += "@prefix ex: <https://example.org/t/> .\n"


@pytest.fixture(scope="module")
def law(catalog: Catalog) -> Rules:
    return rules(catalog)


def store_of(turtle: str) -> ox.Store:
    store = ox.Store()
    store.load(TURTLE_PREFIXES + turtle, format=ox.RdfFormat.TURTLE)
    return store


def outcome(law: Rules, turtle: str, condition: str, subject: str) -> tuple[bool | None, str]:
    facts = Facts(law, store_of(turtle), lambda _p, _s: False)
    found = facts.outcome(COND + condition, EX + subject)
    return found.holds, found.because


# ---------------------------------------------------------------- the data


def test_there_are_conditions_and_each_query_is_a_select_of_subject_holds_because(
    law: Rules,
) -> None:
    queried = [c for c in law.conditions.values() if c.query]
    assert len(queried) >= 6
    empty = ox.Store()
    prologue = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in sorted(PREFIXES.items()))
    for condition in queried:
        assert condition.query is not None
        result = empty.query(prologue + condition.query)
        assert isinstance(result, ox.QuerySolutions), condition.iri
        names = {v.value for v in result.variables}
        assert {"subject", "holds", "because"} <= names, condition.iri
        assert condition.subject in (PREFIXES["asl"] + "AIModel", PREFIXES["asl"] + "Organisation")


def test_what_to_state_names_a_fact_the_condition_reads(law: Rules, catalog: Catalog) -> None:
    """Each query condition's instruction (asl:ifUnknown) names, as a CURIE, a fact it reads."""
    index = catalog.index
    for condition in law.conditions.values():
        if not condition.query:
            continue
        reads = index.require(condition.iri).links(PREFIXES["asl"] + "readsFact")
        assert reads, condition.iri
        curies = {"asl:" + r.removeprefix(PREFIXES["asl"]) for r in reads}
        assert condition.if_unknown is not None
        assert any(c in condition.if_unknown for c in curies), condition.iri


def test_composite_conditions_name_conditions_and_every_condition_is_set_by_a_provision(
    law: Rules, catalog: Catalog
) -> None:
    for condition in law.conditions.values():
        assert condition.set_by, condition.iri
        for provision in condition.set_by:
            assert catalog.index.get(provision) is not None, provision
        for part in (
            *condition.all_of,
            *([condition.negation_of] if condition.negation_of else []),
        ):
            assert part in law.conditions, (condition.iri, part)


def test_conditions_used_by_provisions_and_roles_are_defined(law: Rules) -> None:
    used = {c for exemptions in law.exemptions.values() for _p, c in exemptions}
    used |= set(law.held_when.values())
    assert used and used <= set(law.conditions)


# ---------------------------------------------------------------- systemic risk (Art. 51)

MODEL = "ex:m a asl:AIModel ; asl:supplier ex:org {facts} .\nex:org a asl:Organisation .\n"


def compute(flop: str) -> str:
    return f'; asl:trainingCompute [ a asl:ComputeEstimate ; asl:flop "{flop}"^^xsd:double ]'


@pytest.mark.parametrize(
    ("facts", "holds"),
    [
        (compute("1.0e25"), False),  # Art. 51(2): greater than 10^25, not equal
        (compute("1.01e25"), True),
        (compute("9e24"), False),
        ("; asl:systemicRisk true", True),
        ("; asl:systemicRisk false", False),
        (compute("3e25") + "; asl:systemicRisk false", True),  # the presumption is the law's
        ('; asl:designation [ a asl:Designation ; dct:date "2026-01-10"^^xsd:date ]', True),
        ("", None),
    ],
    ids=["1e25", "1.01e25", "9e24", "stated", "stated-not", "presumed", "designated", "silent"],
)
def test_systemic_risk_follows_art51(law: Rules, facts: str, holds: bool | None) -> None:
    found, because = outcome(law, MODEL.format(facts=facts), "aia-systemic-risk", "m")
    assert found is holds, because
    if holds is None:
        assert "does not say" in because


def test_undecided_systemic_risk_says_what_to_state(law: Rules) -> None:
    facts = Facts(law, store_of(MODEL.format(facts="")), lambda _p, _s: False)
    found = facts.outcome(COND + "aia-systemic-risk", EX + "m")
    assert found.holds is None
    assert any("asl:trainingCompute" in m for m in found.missing)
    assert PREFIXES["aia"] + "art51" in found.set_by


def test_conflicting_statements_are_undecided(law: Rules) -> None:
    turtle = MODEL.format(facts="; asl:systemicRisk true, false")
    found, because = outcome(law, turtle, "aia-systemic-risk", "m")
    assert found is None and "conflicting" in because


def test_negation_and_conjunction_are_three_valued(law: Rules) -> None:
    open_terms = (
        "; asl:releasedUnder [ a asl:ReleaseTerms ; asl:freeAndOpenSource true ; "
        "asl:publicWeights true ; asl:publicArchitecture true ; asl:publicUsageInformation true ]"
    )
    for extra, no_risk, exception in [
        ("; asl:systemicRisk false", True, True),
        ("; asl:systemicRisk true", False, False),  # the proviso of Art. 53(2)
        ("", None, None),
    ]:
        turtle = MODEL.format(facts=open_terms + extra)
        assert outcome(law, turtle, "aia-no-systemic-risk", "m")[0] is no_risk
        assert outcome(law, turtle, "aia-open-source-exception-53", "m")[0] is exception
    closed = MODEL.format(
        facts="; asl:releasedUnder [ a asl:ReleaseTerms ; asl:publicWeights false ]"
    )
    # one element false decides the conjunction, whatever else is unknown
    assert outcome(law, closed, "aia-free-open-source-release", "m")[0] is False
    assert outcome(law, closed, "aia-open-source-exception-53", "m")[0] is False
    partial = MODEL.format(
        facts="; asl:releasedUnder [ a asl:ReleaseTerms ; asl:freeAndOpenSource true ]"
    )
    assert outcome(law, partial, "aia-free-open-source-release", "m")[0] is None


@pytest.mark.parametrize(
    ("country", "holds"),
    [("DE", False), ("US", True), ("CH", True), ("NO", True), ("RE", False), ("AX", False)],
)
def test_third_country_is_outside_the_union(law: Rules, country: str, holds: bool) -> None:
    turtle = f"ex:org a asl:Organisation ; asl:establishedIn jur:{country} ."
    found, because = outcome(law, turtle, "aia-third-country-provider", "org")
    assert found is holds, because


def test_establishment_not_stated_is_undecided(law: Rules) -> None:
    found, _because = outcome(
        law, "ex:org a asl:Organisation .", "aia-third-country-provider", "org"
    )
    assert found is None


# ---------------------------------------------------------------- the engine's decisions

PROVIDER = """
ex:org a asl:Organisation ; rdfs:label "Provider" ;
    asl:assessmentDate "{as_of}"^^xsd:date ; asl:establishedIn jur:{country} ;
    asl:holdsRole [ a asl:RoleAssignment ; asl:role role:gpai-provider ; asl:underRegime aia:AIA ] ;
    asl:hasAIModel ex:m {org} .
ex:m a asl:AIModel ; rdfs:label "M" ; asl:supplier ex:org ; asl:systemicRisk {systemic} ;
    asl:placedOnMarket [ a asl:MarketPlacement ; asl:market jur:{market} ;
                         dct:date "{placed}"^^xsd:date ] ;
    asl:releasedUnder [ a asl:ReleaseTerms ; asl:freeAndOpenSource {open} ;
        asl:publicWeights {open} ; asl:publicArchitecture {open} ;
        asl:publicUsageInformation {open} ] {model} .
"""


def provider(
    catalog: Catalog,
    *,
    as_of: str = "2026-11-30",
    country: str = "DE",
    market: str = "EU",
    placed: str = "2025-10-01",
    systemic: str = "false",
    open_source: bool = False,
    org: str = "",
    model: str = "",
    extra: str = "",
) -> PostureReport:
    text = PROVIDER.format(
        as_of=as_of,
        country=country,
        market=market,
        placed=placed,
        systemic=systemic,
        open=str(open_source).lower(),
        org=org,
        model=model,
    )
    return assess(store_of(text + extra), catalog)


def verdict(report: PostureReport, curie: str) -> ObligationVerdict:
    for item in [*report.obligations, *report.not_applicable]:
        if item.obligation.curie == curie:
            return item
    raise AssertionError(f"no verdict on {curie}")


def later(report: PostureReport, curie: str) -> LaterItem:
    return next(item for item in report.later if item.provision.curie == curie)


@pytest.mark.parametrize(
    ("placed", "deferred"),
    [("2025-08-01", True), ("2025-08-02", False), ("2024-11-01", True)],
)
def test_art111_3_defers_models_placed_before_2_august_2025(
    catalog: Catalog, placed: str, deferred: bool
) -> None:
    report = provider(catalog, placed=placed)
    if deferred:
        item = later(report, "aia:art53-1-d")
        assert item.applies_from == date(2027, 8, 2)
        assert item.basis is not None and item.basis.curie == "aia:art111-3"
    else:
        found = verdict(report, "aia:art53-1-d")
        assert found.verdict == "unmet"
        assert "aia:art111-3" in [d.curie for d in found.decided_by]


def test_placing_on_a_member_state_market_is_placing_on_the_union_market(
    catalog: Catalog,
) -> None:
    report = provider(catalog, market="IT", placed="2025-03-01")
    assert later(report, "aia:art53-1-a").applies_from == date(2027, 8, 2)
    elsewhere = provider(catalog, market="US", placed="2025-03-01")
    found = verdict(elsewhere, "aia:art53-1-a")
    assert found.verdict == "cannot_be_decided"
    assert any("asl:placedOnMarket" in m for m in found.missing)


def test_open_source_exception_sets_aside_53_1_a_and_b_unless_systemic(catalog: Catalog) -> None:
    report = provider(catalog, open_source=True)
    for point in ("aia:art53-1-a", "aia:art53-1-b"):
        found = verdict(report, point)
        assert found.verdict == "not_applicable", point
        assert "aia:art53-2" in [d.curie for d in found.decided_by]
    assert verdict(report, "aia:art53-1-c").verdict == "unmet"  # the exception spares it not
    systemic = provider(catalog, open_source=True, systemic="true")
    assert verdict(systemic, "aia:art53-1-a").verdict == "unmet"


def test_art54_mandate_binds_a_third_country_provider_unless_open_source(catalog: Catalog) -> None:
    assert verdict(provider(catalog), "aia:art54-mandate").verdict == "not_applicable"
    third = provider(catalog, country="US")
    assert verdict(third, "aia:art54-mandate").verdict == "unmet"
    mandated = provider(
        catalog,
        country="US",
        org="; asl:mandates ex:mandate",
        extra="""ex:mandate a asl:Mandate ; dct:date "2025-09-01"^^xsd:date ;
            asl:representative ex:rep ; asl:mandateFor ex:m .
            ex:rep a asl:Organisation ; asl:establishedIn jur:IE .""",
    )
    assert verdict(mandated, "aia:art54-mandate").verdict == "met"
    exempt = verdict(provider(catalog, country="US", open_source=True), "aia:art54-mandate")
    assert exempt.verdict == "not_applicable"
    assert "aia:art54-6" in [d.curie for d in exempt.decided_by]


NOTIFIED = """; asl:trainingCompute [ a asl:ComputeEstimate ; asl:flop "2e25"^^xsd:double ;
    dct:date "{known}"^^xsd:date ] {notification}"""


@pytest.mark.parametrize(
    ("known", "notified", "expected"),
    [
        ("2026-11-01", None, "unmet"),
        ("2026-11-01", "2026-11-15", "met"),  # the fourteenth day is within the two weeks
        ("2026-11-01", "2026-11-16", "unmet"),
        ("2026-11-20", None, "later"),
    ],
)
def test_art52_1_notification_is_due_within_two_weeks(
    catalog: Catalog, known: str, notified: str | None, expected: str
) -> None:
    notification = (
        f'; asl:notification [ a asl:Notification ; dct:date "{notified}"^^xsd:date ]'
        if notified
        else ""
    )
    report = provider(
        catalog,
        systemic="true",
        model=NOTIFIED.format(known=known, notification=notification),
    )
    if expected == "later":
        assert later(report, "aia:art52-1").applies_from == date(2026, 12, 4)
    else:
        assert verdict(report, "aia:art52-1").verdict == expected


def test_cannot_be_decided_names_the_fact_and_the_provision(catalog: Catalog) -> None:
    text = PROVIDER.format(
        as_of="2026-11-30",
        country="DE",
        market="EU",
        placed="2025-10-01",
        systemic="false",
        open="false",
        org="",
        model="",
    ).replace("asl:establishedIn jur:DE ;", "")
    found = verdict(assess(store_of(text), catalog), "aia:art54-mandate")
    assert found.verdict == "cannot_be_decided"
    assert found.summary.startswith("Cannot be decided")
    assert any("asl:establishedIn" in m for m in found.missing)
    assert "aia:art54-mandate" in [d.curie for d in found.decided_by]
