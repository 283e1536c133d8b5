"""The obligations of a described situation (``/api/obligations``, ``aslgraph obligations``)
are decided as ``posture`` decides the organisation graph the situation stands for."""

from __future__ import annotations

from datetime import date

import pytest

from aslgraph.kg.catalog import Catalog
from aslgraph.kg.errors import InvalidRequestError
from aslgraph.kg.model import Obligations
from aslgraph.org import situation as situations
from aslgraph.org.posture.assess import assess

AS_OF = date(2026, 11, 30)
SITUATIONS = [
    {},
    {"established_in": "DE", "open_source": False, "placed_on_market": date(2025, 9, 1)},
    {"established_in": "US", "open_source": True, "systemic_risk": False,
     "placed_on_market": date(2025, 9, 1)},
    {"established_in": "US", "open_source": True, "training_flop": 4e25,
     "placed_on_market": date(2025, 9, 1)},
    {"established_in": "JP", "open_source": False, "training_flop": 2e24,
     "placed_on_market": date(2025, 3, 1)},
]  # fmt: skip
POSTURE_OF = {
    "applies": {"met", "partly_met", "unmet", "not_assessed"},
    "does_not_apply": {"not_applicable"},
    "cannot_be_decided": {"cannot_be_decided"},
}


@pytest.mark.parametrize("facts", SITUATIONS, ids=lambda f: ",".join(sorted(f)) or "none")
def test_situation_is_decided_as_posture_decides_its_graph(
    catalog: Catalog, facts: dict[str, object]
) -> None:
    given = situations.situation(catalog, "gpai-provider", as_of=AS_OF, **facts)  # type: ignore[arg-type]
    answer = situations.obligations(catalog, given)
    report = assess(situations.situation_graph(given), catalog, AS_OF)
    verdicts = {
        v.obligation.curie: v.verdict for v in [*report.obligations, *report.not_applicable]
    }
    later = {item.provision.curie: item.applies_from for item in report.later}
    for entry in [*answer.in_effect, *answer.undecided, *answer.not_applicable]:
        assert entry.applicability is not None
        outcome = entry.applicability.outcome
        assert verdicts.get(entry.curie) in POSTURE_OF[outcome], (entry.curie, outcome)
    for entry in answer.upcoming:
        assert entry.applicability is not None
        assert later[entry.curie] == entry.applicability.applies_from, entry.curie


def test_facts_not_given_are_not_assumed(catalog: Catalog) -> None:
    answer = situations.obligations(
        catalog, situations.situation(catalog, "gpai-provider", as_of=AS_OF)
    )
    assert answer.in_effect == [] and answer.facts == {}
    assert {e.curie for e in answer.undecided} >= {
        "aia:art53-1-a",
        "aia:art54-mandate",
        "aia:art55-1-a",
    }
    for entry in answer.undecided:
        assert entry.applicability is not None and entry.applicability.missing
        assert all(": give " in m for m in entry.applicability.missing), entry.curie


def test_a_code_signatory_is_bound_by_the_chapters_it_adheres_to(catalog: Catalog) -> None:
    answer = situations.obligations(
        catalog, situations.situation(catalog, "cop-signatory", as_of=AS_OF, adheres_to=["T,C"])
    )
    applying = {e.curie for e in answer.in_effect}
    assert "cop:C-C1" in applying and "cop:SS-C1" not in applying
    assert "cop:SS-C1" in {e.curie for e in answer.not_applicable}
    assert answer.facts == {"adheres_to": "C,T"}


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"role": "king"}, "unknown role 'king'"),
        ({"role": "gpai-provider", "established_in": "Atlantis"}, "unknown jurisdiction"),
        ({"role": "deployer", "systemic_risk": True}, "systemic_risk applies"),
        ({"role": "gpai-provider", "training_flop": float("inf")}, "training_flop must be"),
        ({"role": "cop-signatory", "adheres_to": ["T,X"]}, "unknown Code of Practice chapter 'X'"),
    ],
)
def test_bad_facts_are_refused_with_what_to_give(
    catalog: Catalog, arguments: dict[str, object], message: str
) -> None:
    role = str(arguments.pop("role"))
    with pytest.raises(InvalidRequestError, match=message):
        situations.situation(catalog, role, **arguments)  # type: ignore[arg-type]


FACTS: dict[str, object] = {
    "established_in": "DE",
    "open_source": False,
    "placed_on_market": date(2025, 8, 20),
}


def decided(catalog: Catalog, role: str, as_of: date, **facts: object) -> Obligations:
    return situations.obligations(
        catalog,
        situations.situation(catalog, role, as_of=as_of, **facts),  # type: ignore[arg-type]
    )


def test_gpai_provider_obligations_on_a_date(catalog: Catalog) -> None:
    result = decided(catalog, "gpai-provider", date(2025, 9, 1), systemic_risk=False, **FACTS)
    in_effect = [o.curie for o in result.in_effect]
    assert "aia:art53-1-a" in in_effect
    assert "aia:art55-1-a" in [o.curie for o in result.not_applicable]  # systemic risk only
    assert all(
        o.applies_from is None or o.applies_from <= date(2025, 9, 1) for o in result.in_effect
    )


def test_systemic_risk_brings_the_sr_provider_obligations(catalog: Catalog) -> None:
    result = decided(catalog, "gpai-provider", date(2025, 9, 1), systemic_risk=True, **FACTS)
    in_effect = {o.curie: o for o in result.in_effect}
    assert {"aia:art53-1-a", "aia:art55-1-d"} <= set(in_effect)
    assert in_effect["aia:art55-1-d"].binds_role.id == "gpai-sr-provider"
    assert [r.id for r in result.roles_considered] == ["gpai-provider", "gpai-sr-provider"]


def test_an_sr_provider_is_also_a_gpai_provider(catalog: Catalog) -> None:
    result = decided(catalog, "gpai-sr-provider", date(2025, 9, 1), **FACTS)
    assert {"aia:art53-1-a", "aia:art55-1-a"} <= {o.curie for o in result.in_effect}


def test_obligations_that_start_later_are_upcoming_with_their_date(catalog: Catalog) -> None:
    result = decided(catalog, "gpai-provider", date(2025, 1, 1))
    assert result.in_effect == []
    upcoming = {o.curie: o.applies_from for o in result.upcoming}
    assert upcoming["aia:art53-1-a"] == date(2025, 8, 2)


def test_article_111_3_is_mentioned_where_it_defers_obligations(catalog: Catalog) -> None:
    result = decided(catalog, "gpai-sr-provider", date(2026, 1, 1))
    (note,) = [n for n in result.transitional if n.curie == "aia:art111-3"]
    assert (note.placed_before, note.compliance_deadline) == (date(2025, 8, 2), date(2027, 8, 2))
    assert "aia:art55-1-a" in [m.curie for m in note.modifies]
    assert "2027-08-02" in note.note and "still ahead" in note.note
    assert decided(catalog, "deployer", date(2026, 1, 1)).transitional == []


def test_obligations_a_later_version_dropped_are_superseded(catalog: Catalog) -> None:
    before = decided(catalog, "frontier-developer", date(2025, 6, 1))
    after = decided(catalog, "frontier-developer", date(2026, 3, 1))
    assert before.in_effect and not before.superseded
    assert {o.curie for o in after.superseded} == {o.curie for o in before.in_effect}
    assert all(o.superseded_by and o.superseded_by.curie == "rsp:v3.0" for o in after.superseded)


def test_as_of_defaults_to_today(catalog: Catalog) -> None:
    assert situations.situation(catalog, "gpai-provider").as_of == date.today()
