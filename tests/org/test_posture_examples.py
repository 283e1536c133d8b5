"""The posture service over every organisation graph in examples/: the verdicts each example's
comments lead one to expect."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pyoxigraph as ox
import pytest

from aslgraph.kg.catalog import Catalog
from aslgraph.namespaces import ID
from aslgraph.org.posture.assess import assess
from aslgraph.org.posture.model import PostureReport

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
FILES = sorted(EXAMPLES.glob("*/*.ttl"))
ART55 = ["aia:art55-1-a", "aia:art55-1-b", "aia:art55-1-c", "aia:art55-1-d"]
ART53 = ["aia:art53-1-a", "aia:art53-1-b", "aia:art53-1-c", "aia:art53-1-d"]


def load(name: str) -> ox.Store:
    store = ox.Store()
    store.load(path=str(EXAMPLES / name), format=ox.RdfFormat.TURTLE)
    return store


def report(catalog: Catalog, name: str, as_of: date | None = None) -> PostureReport:
    return assess(load(name), catalog, as_of)


def model(example: str, local: str) -> str:
    base = {
        "bank": "https://example.org/banco-meridiano/",
        "pixel": "https://example.org/pixel-and-quill/",
        "quill": "https://example.org/quillfeather/",
        "lumen": "https://example.org/lumen-legal/",
        "ardent": "https://example.org/ardent-robotics/",
        "fjord": "https://example.org/fjord-insurance/",
    }[example]
    return base + local


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_every_example_is_assessed_as_of_its_date_and_cites_iris(
    catalog: Catalog, path: Path
) -> None:
    store = ox.Store()
    store.load(path=str(path), format=ox.RdfFormat.TURTLE)
    size = len(store)
    result = assess(store, catalog)
    assert len(store) == size  # the uploaded graph is never changed
    assert result.as_of == date(2026, 11, 30)
    assert result.as_of_source == "assessment-date"
    everything = [*result.obligations, *result.not_applicable]
    for supplier in result.suppliers:
        everything.extend([*supplier.obligations, *supplier.not_applicable])
    for verdict in everything:
        assert verdict.obligation.iri.startswith(ID)
        assert verdict.cites[0].iri == verdict.obligation.iri
        assert all(ref.iri.startswith(ID) for ref in verdict.cites)
        for route in verdict.routes:
            assert route.counts
            assert all(ref.iri.startswith(ID) for ref in [*route.via, *route.mappings])
    assert sum(result.verdicts.values()) == len(result.obligations) + sum(
        len(s.obligations) for s in result.suppliers
    )


def test_code_adherence_meets_art55_and_art53(catalog: Catalog) -> None:
    result = report(catalog, "valid/gpai-sr-provider-adhering-to-code.ttl")
    for point in ART55:
        assert result.verdict_of(point) == "met", point
    for point in ("aia:art55-1-a", "aia:art55-1-b", "aia:art55-1-d"):
        verdict = next(v for v in result.obligations if v.obligation.curie == point)
        code = [r for r in verdict.routes if r.kind == "code"]
        assert code and code[0].via[0].curie == "cop:SS"
        assert code[0].extent == "full"
        assert "aia:art55-1" in [ref.curie for ref in code[0].via]
    for point in ART53:
        assert result.verdict_of(point) == "met", point
    # Art. 53(1)(d) is served by no chapter: met by the organisation's own control.
    d = next(v for v in result.obligations if v.obligation.curie == "aia:art53-1-d")
    assert [r.kind for r in d.routes] == ["control"]
    # The Code's own commitments: evidenced ones met, the others not assessed.
    assert result.verdict_of("cop:SS-C1") == "met"
    assert result.verdict_of("cop:SS-C7") == "met"
    assert result.verdict_of("cop:SS-C6") == "partly_met"  # only Measure 6.1 evidenced
    assert result.verdict_of("cop:SS-C2") == "not_assessed"
    assert result.verdict_of("aia:art73") == "not_applicable"
    assert result.verdict_of("aia:art54-tasks") == "not_applicable"
    # Aurora-3 was placed on the Union market after 2 August 2025: Art. 111(3) has no say.
    assert result.transitional == []


def test_own_controls_meet_everything_they_address(catalog: Catalog) -> None:
    result = report(catalog, "valid/gpai-sr-provider-own-controls.ttl")
    for point in [*ART53, *ART55]:
        assert result.verdict_of(point) == "met", point
    assert not result.suppliers


def test_relying_on_rsp_is_partly_met_with_the_notes(catalog: Catalog) -> None:
    result = report(catalog, "valid/gpai-sr-provider-relying-on-rsp.ttl")
    for point in ("aia:art55-1-a", "aia:art55-1-b", "aia:art55-1-d"):
        verdict = next(v for v in result.obligations if v.obligation.curie == point)
        assert verdict.verdict == "partly_met", point
        assert verdict.uncovered
        assert any("voluntary safety framework" in n for n in verdict.notes)
        assert all(r.kind == "standard" for r in verdict.routes)
    d = next(v for v in result.obligations if v.obligation.curie == "aia:art55-1-d")
    route = d.routes[0]
    assert [m.curie for m in route.mappings] == ["map:rsp__eu-ai-act-001"]
    assert route.relation is not None and route.relation.id == "subset-of"
    assert route.confidence == pytest.approx(0.8)
    scope = [n for n in d.notes if "out of its scope" in n]
    assert scope and "insiders" in scope[0]
    assert "Nothing in the graph evidences these threats separately" in scope[0]
    a = next(v for v in result.obligations if v.obligation.curie == "aia:art55-1-a")
    assert a.routes[0].via[1].curie == "rsp:ASL3-DS-3"  # through a part of the standard
    assert result.verdict_of("aia:art55-1-c") == "met"  # its own incident control


def test_gaps_are_unmet(catalog: Catalog) -> None:
    result = report(catalog, "invalid/gpai-sr-provider-with-gaps.ttl")
    for point in ("aia:art53-1-d", "aia:art55-1-c", "aia:art55-1-d"):
        assert result.verdict_of(point) == "unmet", point
    for point in ("aia:art53-1-a", "aia:art53-1-b", "aia:art53-1-c"):
        assert result.verdict_of(point) == "met", point
    assert result.verdict_of("aia:art55-1-a") == "met"
    assert result.verdict_of("aia:art55-1-b") == "met"
    # It signed Transparency and Copyright only: the Safety and Security commitments do not
    # bind it.
    ss = next(v for v in result.not_applicable if v.obligation.curie == "cop:SS-C6")
    assert "Safety and Security chapter" in ss.summary


def test_stale_supplier_evidence_does_not_count(catalog: Catalog) -> None:
    result = report(catalog, "invalid/stale-supplier-evidence.ttl")
    tern = model("quill", "tern-2")
    assert result.verdict_of("aia:art53-1-a", tern) == "unmet"
    assert result.verdict_of("aia:art53-1-c", tern) == "unmet"
    supplier = next(s for s in result.suppliers if s.model.iri == tern)
    a = next(v for v in supplier.obligations if v.obligation.curie == "aia:art53-1-a")
    assert not a.routes
    assert a.not_counted and a.not_counted[0].evidence[0].status == "expired"
    assert "expired on 2026-06-30" in a.summary
    # The Annex XII information itself is current; it serves point (b)(ii) only.
    b = next(v for v in supplier.obligations if v.obligation.curie == "aia:art53-1-b")
    assert b.verdict == "partly_met"
    assert b.routes[0].kind == "evidence"
    assert "aia:art53-1-b-ii" in [ref.curie for ref in b.routes[0].via]


def test_downstream_annex_xii_verdicts(catalog: Catalog) -> None:
    result = report(catalog, "invalid/downstream-provider-without-annex-xii.ttl")
    assert not result.obligations  # no obligation of the graph binds a downstream provider
    art53 = next(v for v in result.not_applicable if v.obligation.curie == "aia:art53-1-b")
    assert "downstream provider" in art53.summary
    tern, larkspur = model("pixel", "tern-2"), model("pixel", "larkspur-8b")
    assert result.verdict_of("aia:art53-1-b", tern) == "met"
    # Art. 53(1)(b) is owed to downstream providers: the organisation would hold the information.
    larkspur_b = next(
        v
        for s in result.suppliers
        if s.model.iri == larkspur
        for v in s.obligations
        if v.obligation.curie == "aia:art53-1-b"
    )
    assert larkspur_b.verdict == "unmet"
    assert "owed to the organisation as downstream provider" in larkspur_b.summary
    assert result.verdict_of("aia:art55-1-d", tern) == "not_applicable"


def test_startup_holds_annex_xii_from_its_supplier(catalog: Catalog) -> None:
    result = report(catalog, "valid/startup-assistant-on-third-party-model.ttl")
    opus = model("lumen", "claude-opus-4")
    supplier = result.suppliers[0]
    # Placed on the Union market on 22 May 2025: Art. 111(3) gives Anthropic until 2027-08-02.
    later = next(i for i in supplier.later if i.provision.curie == "aia:art53-1-b")
    assert later.applies_from == date(2027, 8, 2)
    assert later.basis is not None and later.basis.curie == "aia:art111-3"
    # By then the Annex XII information the startup holds has expired (2027-06-14).
    then = assess(load("valid/startup-assistant-on-third-party-model.ttl"), catalog,
                  date(2027, 8, 3))  # fmt: skip
    assert then.verdict_of("aia:art53-1-b", opus) == "unmet"
    b = next(v for v in then.suppliers[0].obligations if v.obligation.curie == "aia:art53-1-b")
    assert "expired on 2027-06-14" in b.summary
    assert [s.curie for s in supplier.standards_in_force] == ["rsp:ASL3-DS", "rsp:ASL3-SS"]
    # Not relied on as a model with systemic risk: Art. 55 is not applicable to it here.
    assert result.verdict_of("aia:art55-1-d", opus) == "not_applicable"


def test_bank_compensates_for_missing_annex_xii(catalog: Catalog) -> None:
    result = report(catalog, "valid/bank-deploying-agents.ttl")
    assert {r.role.id for r in result.roles} == {"deployer", "downstream-provider"}
    mini = model("bank", "nordlys-2-mini")
    supplier = next(s for s in result.suppliers if s.model.iri == mini)
    b = next(v for v in supplier.obligations if v.obligation.curie == "aia:art53-1-b")
    # The supplier's gap stays a gap (Nordlys owes the information to the bank, which holds
    # none for mini); the bank's own model testing is recorded as compensating for it.
    assert b.verdict == "unmet"
    assert [c.iri for c in b.compensations] == [model("bank", "model-testing")]
    assert "model-testing" in " ".join(c.iri for c in b.compensations)
    assert result.verdict_of("aia:art53-1-b", model("bank", "nordlys-2")) == "met"


def test_supplier_at_asl2_is_only_partly_met_for_a_systemic_risk_model(
    catalog: Catalog,
) -> None:
    result = report(catalog, "invalid/supplier-at-asl2-for-systemic-risk-model.ttl")
    corvid = model("ardent", "corvid-7")
    supplier = result.suppliers[0]
    assert supplier.systemic_risk
    d = next(v for v in supplier.obligations if v.obligation.curie == "aia:art55-1-d")
    assert d.verdict == "partly_met"
    assert [m.curie for m in d.routes[0].mappings] == ["map:rsp__eu-ai-act-003"]
    assert result.verdict_of("aia:art55-1-c", corvid) == "not_assessed"


def test_insurer_deployer_has_no_obligations_of_its_own(catalog: Catalog) -> None:
    result = report(catalog, "invalid/insurer-policy-requires-asl3.ttl")
    assert not result.obligations
    sonnet = model("fjord", "claude-sonnet-4")
    assert result.verdict_of("aia:art55-1-d", sonnet) == "not_applicable"
    supplier = result.suppliers[0]
    assert {i.provision.curie for i in supplier.later} >= {"aia:art53-1-a", "aia:art53-1-b"}


def test_structural_errors_still_give_a_report(catalog: Catalog) -> None:
    result = report(catalog, "invalid/structural-errors.ttl")
    assert {r.role.id for r in result.roles} == {"deployer", "provider", "fasc-signatory"}
    assert not result.obligations  # the Seoul role is filed under the AI Act


def test_before_chapter_v_applies_everything_is_later(catalog: Catalog) -> None:
    result = report(catalog, "valid/gpai-sr-provider-adhering-to-code.ttl", date(2025, 6, 1))
    assert result.as_of_source == "argument"
    later = {item.provision.curie: item for item in result.later}
    for point in [*ART53, *ART55]:
        assert later[point].applies_from == date(2025, 8, 2), point
        assert later[point].basis is not None and later[point].basis.curie == "aia:art113-b"
    assert later["cop:SS-C1"].applies_from == date(2025, 8, 1)
    assert later["aia:art101"].kind == "enforcement-power"
    assert later["aia:art101"].applies_from == date(2026, 8, 2)
    assert all(v.obligation.curie.startswith("fasc:") for v in result.obligations)


def test_fines_apply_later_between_the_two_dates(catalog: Catalog) -> None:
    result = report(catalog, "invalid/gpai-sr-provider-with-gaps.ttl", date(2026, 1, 15))
    later = {item.provision.curie: item for item in result.later}
    assert set(later) >= {"aia:art101", "aia:art91", "aia:art92", "aia:art93"}
    assert result.verdict_of("aia:art55-1-d") == "unmet"
