"""The obligations of a described situation (``/api/obligations``, ``aslgraph obligations``)
are decided as ``posture`` decides the organisation graph the situation stands for."""

from __future__ import annotations

from datetime import date

import pytest

from aslgraph.kg.catalog import Catalog
from aslgraph.kg.errors import InvalidRequestError
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
