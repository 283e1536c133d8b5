"""The crosswalk service over a made-up graph whose answers are known exactly
(``kg/crosswalk-cases.ttl``: each mapping there says what it is for)."""

from __future__ import annotations

from datetime import date

import pytest

from aslgraph.cli.text import describe_entry
from aslgraph.kg.catalog import Catalog
from aslgraph.kg.errors import InvalidRequestError, NotFoundError
from aslgraph.kg.model import CrosswalkEntry
from aslgraph.namespaces import ID


def summary(entries: list[CrosswalkEntry]) -> list[tuple[str, str, float | None, bool]]:
    return [(e.target.curie, e.relation.id, e.confidence, e.derived) for e in entries]


def test_direct_mappings_are_read_from_the_provision_side(case_catalog: Catalog) -> None:
    result = case_catalog.crosswalk("rsp:X")
    assert summary(result.direct) == [
        ("aia:A", "subset-of", 0.8, False),
        ("fasc:K", "is-supported-by", 0.5, False),  # K supports X, read backwards
        ("cop:P", "intersects-with", 0.3, False),
    ]
    backwards = next(e for e in result.direct if e.target.curie == "fasc:K").path[0]
    assert backwards.direction == "inverse"
    assert backwards.asserted_relation.id == "supports"
    assert backwards.subject.curie == "fasc:K" and backwards.object.curie == "rsp:X"


def test_derived_mappings_compose_relations_and_keep_the_weakest_confidence(
    case_catalog: Catalog,
) -> None:
    result = case_catalog.crosswalk("rsp:X")
    assert summary(result.derived) == [
        ("cop:H", "subset-of", 0.7, True),
        ("cop:C", "subset-of", 0.6, True),
        ("fasc:M", "is-supported-by", 0.4, True),
    ]
    to_c = next(e for e in result.derived if e.target.curie == "cop:C")
    assert to_c.via is not None and to_c.via.curie == "aia:A"
    assert [link.curie for link in to_c.path] == ["map:t-01", "map:t-02"]
    assert to_c.rule == "subset-of ∘ subset-of = subset-of"
    assert to_c.status is not None and to_c.status.id == "reviewed"


def test_a_draft_on_the_path_makes_the_derived_mapping_draft(case_catalog: Catalog) -> None:
    to_m = next(e for e in case_catalog.crosswalk("rsp:X").derived if e.target.curie == "fasc:M")
    assert to_m.status is not None and to_m.status.id == "draft"
    assert to_m.rule == "is-supported-by ∘ is-supported-by = is-supported-by"


@pytest.mark.parametrize(
    ("target", "why"),
    [
        ("cop:E", "subset-of then superset-of says nothing"),
        ("cop:F", "no-relationship blocks the chain"),
        ("cop:G", "a superseded mapping takes no part"),
        ("fasc:L", "is-supported-by then supports says nothing"),
    ],
)
def test_no_derived_mapping_when_nothing_follows(
    case_catalog: Catalog, target: str, why: str
) -> None:
    assert target not in {e.target.curie for e in case_catalog.crosswalk("rsp:X").entries}, why


def test_a_direct_mapping_outranks_a_derived_one(case_catalog: Catalog) -> None:
    to_p = [e for e in case_catalog.crosswalk("rsp:X").entries if e.target.curie == "cop:P"]
    assert summary(to_p) == [("cop:P", "intersects-with", 0.3, False)]


def test_as_of_drops_mappings_made_against_later_versions(case_catalog: Catalog) -> None:
    result = case_catalog.crosswalk("rsp:X", as_of=date(2026, 1, 1))
    assert "cop:H" not in {e.target.curie for e in result.entries}
    assert {e.target.curie for e in result.derived} == {"cop:C", "fasc:M"}
    earlier = case_catalog.crosswalk("rsp:X", as_of=date(2024, 12, 31))
    assert [e.target.curie for e in earlier.direct] == ["fasc:K", "cop:P"]  # rsp:v1 is 2025


def test_min_confidence_and_target_scheme_filter(case_catalog: Catalog) -> None:
    strong = case_catalog.crosswalk("rsp:X", min_confidence=0.6)
    assert summary(strong.entries) == [
        ("aia:A", "subset-of", 0.8, False),
        ("cop:H", "subset-of", 0.7, True),
        ("cop:C", "subset-of", 0.6, True),
    ]
    code = case_catalog.crosswalk("rsp:X", to_scheme="gpai-cop")
    assert [e.target.curie for e in code.entries] == ["cop:P", "cop:H", "cop:C"]


def test_crosswalk_accepts_an_iri(case_catalog: Catalog) -> None:
    by_iri = case_catalog.crosswalk(f"{ID}rsp/X")
    assert by_iri == case_catalog.crosswalk("rsp:X")


@pytest.mark.parametrize(
    ("given", "error", "words"),
    [
        ("foo:X", InvalidRequestError, "unknown prefix 'foo'"),
        ("X", InvalidRequestError, "neither a CURIE"),
        ("", InvalidRequestError, "give a provision"),
        ("http://example.org/X", InvalidRequestError, "not an IRI of this knowledge graph"),
        ("rsp:v1", InvalidRequestError, "is an instrument version, not a provision"),
        ("map:t-01", InvalidRequestError, "is a mapping record, not a provision"),
        ("rsp:Nothing", NotFoundError, "no provision rsp:Nothing"),
    ],
)
def test_bad_provisions_are_refused_with_a_reason(
    case_catalog: Catalog, given: str, error: type[Exception], words: str
) -> None:
    with pytest.raises(error, match=words):
        case_catalog.crosswalk(given)


@pytest.mark.parametrize("value", [-0.1, 1.5, float("nan")])
def test_min_confidence_must_lie_between_0_and_1(case_catalog: Catalog, value: float) -> None:
    with pytest.raises(InvalidRequestError, match="between 0 and 1"):
        case_catalog.crosswalk("rsp:X", min_confidence=value)


def test_unknown_target_scheme_lists_the_known_ones(case_catalog: Catalog) -> None:
    with pytest.raises(InvalidRequestError, match="known schemes: rsp, eu-ai-act"):
        case_catalog.crosswalk("rsp:X", to_scheme="nope")


def test_describe_entry_names_the_path(case_catalog: Catalog) -> None:
    line = describe_entry(case_catalog.crosswalk("rsp:X").derived[1])
    assert "cop:C" in line and "via aia:A" in line and "map:t-01 + map:t-02" in line


def test_answers_are_memoised(case_catalog: Catalog) -> None:
    assert case_catalog.crosswalk("rsp:X") is case_catalog.crosswalk("rsp:X")
