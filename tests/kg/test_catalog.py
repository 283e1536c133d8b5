"""The catalog service over the shipped knowledge graph: instruments, provisions, tiers,
coverage and obligations (facts taken from the fact sheet, not from counts that grow)."""

from __future__ import annotations

from datetime import date

import pytest

from aslgraph.kg.catalog import Catalog
from aslgraph.kg.errors import InvalidRequestError, NotFoundError

# ---------------------------------------------------------------- instruments

ROLE_NS = "https://w3id.org/aslgraph/id/role/"


def test_instruments_carry_their_dated_versions(catalog: Catalog) -> None:
    rsp = next(i for i in catalog.instruments() if i.curie == "rsp:RSP")
    versions = {v.curie: v for v in rsp.versions}
    assert versions["rsp:v2.2"].issued == date(2025, 5, 14)
    assert versions["rsp:v2.2"].revision_of is not None
    assert versions["rsp:v2.2"].revision_of.curie == "rsp:v2.1"
    assert versions["rsp:v2.2"].paraphrase  # what changed
    issued = [v.issued for v in rsp.versions if v.issued]
    assert issued == sorted(issued)


def test_ai_act_versions_have_force_and_application_dates(catalog: Catalog) -> None:
    aia = next(i for i in catalog.instruments("eu-ai-act") if i.curie == "aia:AIA")
    oj = next(v for v in aia.versions if v.curie == "aia:oj-2024")
    assert (oj.issued, oj.entry_into_force, oj.applies_from) == (
        date(2024, 7, 12),
        date(2024, 8, 1),
        date(2026, 8, 2),
    )
    consolidated = next(v for v in aia.versions if v.curie == "aia:cons-2026-07-27")
    assert [a.curie for a in consolidated.amended_by] == ["aia:reg-2026-1744"]


def test_rsp3_lists_the_rsp_whose_v3_provisions_it_holds(catalog: Catalog) -> None:
    assert "rsp:RSP" in [i.curie for i in catalog.instruments("rsp3")]


def test_unknown_scheme_is_not_found_with_the_known_ones(catalog: Catalog) -> None:
    with pytest.raises(NotFoundError, match="unknown scheme 'foo'; known schemes: rsp, rsp3, "):
        catalog.instruments("foo")


# ---------------------------------------------------------------- provisions


def test_search_by_scheme_kind_and_text(catalog: Catalog) -> None:
    points = catalog.provisions(scheme="eu-ai-act", kind="point", q="CYBERSECURITY")
    assert "aia:art55-1-d" in [p.curie for p in points]
    assert all(p.scheme == "eu-ai-act" and p.kind and p.kind.id == "point" for p in points)


def test_provisions_come_in_natural_order(catalog: Catalog) -> None:
    curies = [p.curie for p in catalog.provisions(scheme="eu-ai-act", kind="article")]
    assert curies.index("aia:art3") < curies.index("aia:art53") < curies.index("aia:art111")


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"scheme": "map"}, "unknown scheme 'map'; known schemes: rsp"),
        ({"kind": "chapterette"}, "unknown provision kind 'chapterette'; known kinds: "),
    ],
)
def test_bad_filters_are_refused(catalog: Catalog, kwargs: dict[str, str], words: str) -> None:
    with pytest.raises(InvalidRequestError, match=words):
        catalog.provisions(**kwargs)


def test_provision_detail(catalog: Catalog) -> None:
    p = catalog.provision("eu-ai-act", "art55-1-d")
    assert (p.notation, p.kind and p.kind.id, p.verification and p.verification.id) == (
        "Art. 55(1)(d)",
        "point",
        "verified",
    )
    assert p.locator == "Art. 55(1)(d)" and [s.key for s in p.sources] == ["E1"]
    assert "https://eur-lex.europa.eu/eli/reg/2024/1689/oj#art_55" in p.see_also
    assert [v.curie for v in p.in_version] == ["aia:oj-2024", "aia:cons-2026-07-27"]
    assert [r.curie for r in p.parents][:3] == ["aia:art55-1", "aia:art55", "aia:cpt-V"]
    assert p.parents[-1].curie in ("aia:oj-2024", "aia:cons-2026-07-27")
    (duty,) = p.obligations
    assert [r.id for r in duty.roles] == ["gpai-sr-provider"]
    assert duty.applies_from == date(2025, 8, 2)
    assert duty.basis is not None and duty.basis.curie == "aia:art113-b"
    assert [d.curie for d in duty.deferred_by] == ["aia:art111-3"]


def test_mappings_are_listed_from_both_ends(catalog: Catalog) -> None:
    art = catalog.provision("eu-ai-act", "art55-1-d")
    record = next(m for m in art.mappings if m.curie == "map:rsp__eu-ai-act-001")
    assert record.direction == "inverse"
    assert (record.asserted_relation.id, record.relation.id) == ("subset-of", "superset-of")
    assert record.other.curie == "rsp:ASL3-SS" and record.other.version is not None
    assert record.other.version.curie == "rsp:v2.2"
    assert record.justification and record.confidence == 0.8
    rsp = catalog.provision("rsp", "ASL3-SS")
    forward = next(m for m in rsp.mappings if m.curie == "map:rsp__eu-ai-act-001")
    assert (forward.direction, forward.relation.id) == ("forward", "subset-of")


def test_an_article_lists_the_obligations_of_its_points(catalog: Catalog) -> None:
    article = catalog.provision("eu-ai-act", "art55")
    assert {"aia:art55-1-a", "aia:art55-1-d"} <= {o.curie for o in article.obligations}
    assert "aia:art55-1" in [c.curie for c in article.children]


def test_serves_provision_both_ways(catalog: Catalog) -> None:
    art = catalog.provision("eu-ai-act", "art55-1")
    assert art.served_by, "Code commitments state that they serve Art. 55(1)"
    commitment = catalog.provision_by_iri(art.served_by[0].curie)
    assert "aia:art55-1" in [s.curie for s in commitment.serves]


@pytest.mark.parametrize(
    ("scheme", "local", "words"),
    [
        ("nope", "art55", "unknown scheme 'nope'"),
        ("eu-ai-act", "art999", "no provision 'art999' in scheme 'eu-ai-act'"),
        ("eu-ai-act", "oj-2024", "is an instrument version, not a provision; see /id/"),
    ],
)
def test_unknown_provisions_are_not_found(
    catalog: Catalog, scheme: str, local: str, words: str
) -> None:
    with pytest.raises(NotFoundError, match=words):
        catalog.provision(scheme, local)


# ---------------------------------------------------------------- tiers


@pytest.mark.parametrize("name", ["ASL-3", "asl-3", "asl3", "3", " Asl-3 ", "rsp:ASL-3"])
def test_tier_names(catalog: Catalog, name: str) -> None:
    assert catalog.tier(name).id == "ASL-3"


def test_unknown_tier_lists_the_known_ones(catalog: Catalog) -> None:
    with pytest.raises(NotFoundError, match="known tiers: ASL-1, ASL-2, ASL-3, ASL-4"):
        catalog.tier("ASL-7")


def test_tiers_are_ordered_and_cumulative(catalog: Catalog) -> None:
    tiers = catalog.tiers()
    assert [t.id for t in tiers] == ["ASL-1", "ASL-2", "ASL-3", "ASL-4"]
    asl3 = catalog.tier("ASL-3")
    assert [t.curie for t in asl3.includes] == ["rsp:ASL-2", "rsp:ASL-1"]
    security = next(d for d in asl3.dimensions if d.dimension.id == "security")
    standards = {s.curie: s for s in security.standards}
    assert not standards["rsp:ASL3-SS"].inherited
    assert standards["rsp:ASL2-SS"].inherited and standards["rsp:ASL2-SS"].level.curie == (
        "rsp:ASL-2"
    )
    assert standards["rsp:ASL3-SS"].requirements
    assert [d.dimension.id for d in asl3.dimensions] == [
        "pre-deployment-evaluation",
        "deployment",
        "security",
        "disclosure",
    ]


def test_thresholds_of_a_tier_require_its_standards(catalog: Catalog) -> None:
    asl3 = catalog.tier("ASL-3")
    cbrn3 = next(t for t in asl3.thresholds if t.curie == "rsp:CT-CBRN-3")
    assert {r.curie for r in cbrn3.requires} == {"rsp:ASL3-DS", "rsp:ASL3-SS"}
    assert [d.id for d in cbrn3.risk_domains] == ["cbrn"]
    assert "rsp:CT-CBRN-4" in [t.curie for t in catalog.tier("ASL-4").thresholds]


def test_summary_claims_come_with_their_counter_claims(catalog: Catalog) -> None:
    claim = next(c for c in catalog.tier("ASL-3").claims if c.curie == "rsp:SEED-security-ASL3")
    assert claim.verification is not None and claim.verification.id == "unverified"
    assert claim.verdict is not None and claim.verdict.id == "partly-agrees"
    assert claim.counter_claim is not None
    assert claim.counter_claim.curie == "rsp:SRC-security-ASL3"
    assert claim.counter_claim.verification is not None
    assert claim.counter_claim.verification.id == "verified"
    assert claim.counter_claim.evidence


# ---------------------------------------------------------------- roles
# (what binds a role is decided in tests/org/test_situation.py)


@pytest.mark.parametrize("name", ["deployer", "role:deployer", ROLE_NS + "deployer", " deployer "])
def test_a_role_is_named_by_id_curie_or_iri(catalog: Catalog, name: str) -> None:
    assert catalog.role_iri(name) == ROLE_NS + "deployer"


def test_an_unknown_role_is_refused_with_the_known_ones(catalog: Catalog) -> None:
    with pytest.raises(InvalidRequestError, match="unknown role 'gpai'; known roles: auth"):
        catalog.role_iri("gpai")


# ---------------------------------------------------------------- coverage


def test_coverage_counts_match_the_rows(catalog: Catalog) -> None:
    result = catalog.coverage("rsp", "eu-ai-act")
    for side in result.summary:
        rows = [r for r in result.rows if (r.side == "from") == (side.scheme == "rsp")]
        assert side.provisions == len(rows)
        assert side.covered == sum(r.covered for r in rows)
        assert side.unmapped == side.provisions - side.covered
    asl3 = next(r for r in result.rows if r.curie == "rsp:ASL3-SS")
    link = next(link for link in asl3.links if link.other.curie == "aia:art55-1-d")
    assert (link.relation.id, link.confidence) == ("subset-of", 0.8)
    art = next(r for r in result.rows if r.side == "to" and r.curie == "aia:art55-1-d")
    assert "superset-of" in {link.relation.id for link in art.links}


def test_coverage_leaves_out_no_relationship_records(catalog: Catalog) -> None:
    result = catalog.coverage("rsp", "eu-ai-act")
    assert all(link.relation.id != "no-relationship" for r in result.rows for link in r.links)


def test_coverage_needs_two_different_known_schemes(catalog: Catalog) -> None:
    with pytest.raises(InvalidRequestError, match="both 'rsp'"):
        catalog.coverage("rsp", "rsp")
    with pytest.raises(InvalidRequestError, match="unknown scheme \\(to\\) 'x'"):
        catalog.coverage("rsp", "x")


# ---------------------------------------------------------------- start-up stays lazy


def test_nothing_is_read_before_the_first_question(kg, settings) -> None:  # type: ignore[no-untyped-def]
    fresh = Catalog(kg, settings)
    assert fresh._index is None
    fresh.tier("3")
    assert fresh._index is not None
