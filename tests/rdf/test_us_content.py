"""California SB 53 and New York's RAISE Act: the facts the US fact sheet marks [V] (and the
marks themselves), pinned by asking the store with SPARQL. Each test names the provision and the
sheet's row. A failing test here means the data says something other than the sources."""

from __future__ import annotations

import pytest
from tests.rdf.test_content import ask, select

from aslgraph.store import OxigraphStore

HARM = "asl:casualtyThreshold 50 ; asl:damageThresholdUSD ?d . FILTER(?d = 1000000000)"
NY_PENALTY = (
    "asl:maxPenaltyUSD ?a ; asl:maxRepeatPenaltyUSD ?b . FILTER(?a = 1000000 && ?b = 3000000)"
)


@pytest.mark.parametrize(
    ("provision", "fact"),
    [
        # §22757.11(i) / §1420: more than 10^26 operations
        ("sb53:22757.11-i", "asl:computeThresholdOperations ?v . FILTER(?v = 1e26)"),
        ("raise:1420-frontier-model", "asl:computeThresholdOperations ?v . FILTER(?v = 1e26)"),
        # §22757.11(j) / §1420: over $500 million with affiliates, preceding calendar year
        ("sb53:22757.11-j", "asl:revenueThresholdUSD ?v . FILTER(?v = 500000000)"),
        ("raise:1420-lfd", "asl:revenueThresholdUSD ?v . FILTER(?v = 500000000)"),
        # §22757.11(c)(1) / §1420(3)(a): more than 50 deaths or serious injuries, more than $1B
        ("sb53:22757.11-c-1", HARM),
        ("raise:1420-3-a", HARM),
        # §22757.12(b)(2): republish within 30 days of a material change
        ("sb53:22757.12-b-2", "asl:dueWithinDays 30"),
        # §22757.13(c)(1): critical safety incident to Cal OES within 15 days
        ("sb53:22757.13-c-1", "asl:dueWithinDays 15"),
        # §22757.13(c)(2) and §1422(3)(b): imminent danger within 24 hours
        ("sb53:22757.13-c-2", "asl:dueWithinHours 24"),
        ("raise:1422-3-b", "asl:dueWithinHours 24"),
        # §1422(3)(a): 72 hours
        ("raise:1422-3-a", "asl:dueWithinHours 72"),
        # §22757.15(a): up to $1,000,000 per violation
        ("sb53:22757.15-a", "asl:maxPenaltyUSD ?v . FILTER(?v = 1000000)"),
        # §1427(1): up to $1M first, $3M each later violation
        ("raise:1427-1", NY_PENALTY),
    ],
)
def test_thresholds_clocks_and_penalties(kg: OxigraphStore, provision: str, fact: str) -> None:
    assert ask(kg, f"{provision} {fact}"), provision


@pytest.mark.parametrize(
    ("framework", "items"),
    [("sb53:22757.12-a", 10), ("raise:1421-1", 10)],
)
def test_the_framework_lists_ten_topics(kg: OxigraphStore, framework: str, items: int) -> None:
    """§22757.12(a)(1)-(10); §1421(1)(a)-(j), the same ten topics."""
    rows = select(kg, f"SELECT ?item WHERE {{ ?item dct:isPartOf {framework} }}")
    assert len(rows) == items, rows


@pytest.mark.parametrize(
    ("obligation", "role"),
    [
        ("sb53:22757.12-a", "role:us-large-frontier-developer"),  # framework: large only
        ("sb53:22757.12-c-1", "role:us-frontier-developer"),  # transparency report: every one
        ("sb53:22757.12-d", "role:us-large-frontier-developer"),  # internal-use summaries
        ("sb53:22757.13-c-1", "role:us-frontier-developer"),  # incidents: every one
        ("raise:1421-1", "role:us-large-frontier-developer"),
        ("raise:1422-3-a", "role:us-frontier-developer"),
        ("raise:1428-1", "role:us-large-frontier-developer"),  # disclosure statement
    ],
)
def test_who_the_duty_binds(kg: OxigraphStore, obligation: str, role: str) -> None:
    assert ask(kg, f"{obligation} a asl:Obligation ; asl:bindsRole {role}"), obligation


def test_california_binds_from_2026_and_new_york_from_2027(kg: OxigraphStore) -> None:
    """SB 53's core duties since 1 Jan 2026 ([S]); RAISE from 1 Jan 2027 ([V] for §1427)."""
    for duty in ("sb53:22757.12-a", "sb53:22757.13-c-1"):
        assert ask(kg, f'{duty} asl:appliesFrom "2026-01-01"^^xsd:date'), duty
    for duty in ("raise:1421-1", "raise:1422-3-a", "raise:1428-1"):
        assert ask(kg, f'{duty} asl:appliesFrom "2027-01-01"^^xsd:date'), duty
    late = select(
        kg,
        "SELECT ?o WHERE { ?o a asl:Obligation ; asl:bindsRole ?r ; asl:appliesFrom ?d . "
        "FILTER(STRSTARTS(STR(?o), STR(raise:)) && ?d < '2027-01-01'^^xsd:date) }",
    )
    assert late == []


@pytest.mark.parametrize(
    ("provision", "status"),
    [
        ("sb53:22757.11-i", "vst:verified"),
        ("sb53:22757.13-c-1", "vst:verified"),
        ("raise:1422-3-a", "vst:verified"),
        ("raise:1420-3-a", "vst:verified"),
        ("raise:1420-frontier-model", "vst:secondary"),  # statute text not found
        ("raise:1420-lfd", "vst:secondary"),
        ("raise:1421-2", "vst:secondary"),
        ("raise:1428-fees-penalty", "vst:secondary"),
    ],
)
def test_marks_follow_the_sheet(kg: OxigraphStore, provision: str, status: str) -> None:
    assert ask(kg, f"{provision} asl:verificationStatus {status}"), provision


def test_the_two_laws_are_instruments_with_versions(kg: OxigraphStore) -> None:
    assert ask(kg, "sb53:TFAIA a asl:Instrument, asl:Legislation . ?v asl:versionOf sb53:TFAIA")
    assert ask(kg, "raise:RAISE a asl:Instrument, asl:Legislation . ?v asl:versionOf raise:RAISE")
