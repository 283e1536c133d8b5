"""An organisation's own agent policy, and its fleet against it (aslgraph.org.policy), on the
bank example (examples/valid/bank-deploying-agents.ttl) and variations of it: each system is at
the level its triggers demand (or the one assigned, when higher), every safeguard its level
requires is met by a control for it or through a supplier standard the policy maps it into,
and what falls short is reported through validate, citing the policy clause and the provisions
it is mapped to."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from aslgraph.kg.catalog import Catalog
from aslgraph.org import policy
from aslgraph.org.errors import UploadError
from aslgraph.org.upload import parse_upload
from aslgraph.org.validate import validate
from aslgraph.shacl import OrgEngine

ROOT = Path(__file__).resolve().parents[2]
BANK = ROOT / "examples" / "valid" / "bank-deploying-agents.ttl"
EX = "https://example.org/banco-meridiano/"
RSP = "https://w3id.org/aslgraph/id/rsp/"
SHORG = "https://w3id.org/aslgraph/shapes/org#"


def bank(*edits: tuple[str, str], extra: str = "") -> str:
    text = BANK.read_text(encoding="utf-8")
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new)
    return text + extra


def checked(catalog: Catalog, text: str) -> policy.Checked:
    store = ox.Store()
    store.load(text.encode(), format=ox.RdfFormat.TURTLE)
    return policy.check(store, catalog, {"ex": EX})


def findings(result: policy.Checked) -> set[tuple[str, str, str]]:
    return {(f.system.value, f.kind, f.clause.value) for f in result.findings}


def test_the_bank_fleet_meets_its_policy(catalog: Catalog) -> None:
    result = checked(catalog, bank())
    assert findings(result) == set()
    levels = {system.value: level.value for system, level in result.levels.items()}
    assert levels == {EX + "kyc-agent": EX + "A2", EX + "meridiano-assist": EX + "A1"}
    # A2 asks its models' supplier for ASL-3: the model's required level comes from the policy
    assert {m.value: lv for m, lv in result.required.items()} == {
        EX + "claude-opus-4": {RSP + "ASL-3"}
    }


def test_a_trigger_puts_a_system_above_its_assigned_level(catalog: Catalog) -> None:
    text = bank(
        (
            "    asl:exhibits ex:reads-customer-files .",
            "    asl:exhibits ex:reads-customer-files, ex:moves-money ;\n"
            "    asl:policyLevel ex:A1 .",
        )
    )
    result = checked(catalog, text)
    assert findings(result) == {
        (EX + "kyc-agent", "level-too-low", EX + "A3"),
        (EX + "kyc-agent", "safeguard-unmet", EX + "sg-dual-approval"),
    }
    low = next(f for f in result.findings if f.kind == "level-too-low")
    assert "is assigned A1: every agent (ex:A1)" in low.summary
    assert "demand A3: agents that move customers' money (ex:A3)" in low.summary
    assert "T2: initiates payments (ex:t-payments)" in low.summary
    # both triggers demand more than A1; the summary and the citations name each
    assert "T1: reads customer files (ex:t-customer-files)" in low.summary
    assert set(low.cites) == {EX + "A3", EX + "t-customer-files", EX + "t-payments"}


def test_an_assigned_level_above_the_triggers_counts(catalog: Catalog) -> None:
    text = bank(
        (
            "    asl:integratesModel ex:nordlys-2, ex:nordlys-2-mini .",
            "    asl:integratesModel ex:nordlys-2, ex:nordlys-2-mini ;\n"
            "    asl:policyLevel ex:A2 .",
        )
    )
    result = checked(catalog, text)
    assert (EX + "meridiano-assist", "safeguard-unmet", EX + "sg-adverse-review") in findings(
        result
    )  # the review control covers the KYC agent only
    assert {RSP + "ASL-3"} == result.required[ox.NamedNode(EX + "nordlys-2")]


def test_a_control_scoped_to_another_system_does_not_count(catalog: Catalog) -> None:
    text = bank(
        ("    asl:coversSystem ex:kyc-agent ;", "    asl:coversSystem ex:meridiano-assist ;")
    )
    result = checked(catalog, text)
    assert findings(result) == {(EX + "kyc-agent", "safeguard-unmet", EX + "sg-adverse-review")}
    (unmet,) = result.findings
    assert "no control of the organisation addresses it for this system" in unmet.summary


def test_without_the_supplier_standard_the_mapped_safeguard_is_unmet(catalog: Catalog) -> None:
    text = bank(
        ("asl:standardInForce rsp:ASL3-DS, rsp:ASL3-SS ;", "asl:standardInForce rsp:ASL3-SS ;")
    )
    result = checked(catalog, text)
    assert findings(result) == {(EX + "kyc-agent", "safeguard-unmet", EX + "sg-monitoring")}
    (unmet,) = result.findings
    assert "the policy maps it to rsp:ASL3-DS-5" in unmet.summary
    assert unmet.cites == (EX + "sg-monitoring", RSP + "ASL3-DS-5")


def test_a_higher_standard_of_the_same_dimension_covers_a_lower_requirement(
    catalog: Catalog,
) -> None:
    text = bank(
        ("asl:standardInForce rsp:ASL3-DS, rsp:ASL3-SS ;", "asl:standardInForce rsp:ASL4-SS ;")
    )
    result = checked(catalog, text)
    # ASL-4 security does not hold the ASL-3 deployment monitoring requirement
    assert findings(result) == {(EX + "kyc-agent", "safeguard-unmet", EX + "sg-monitoring")}
    mapped = bank(
        ("asl:mappingObject rsp:ASL3-DS-5 ;", "asl:mappingObject rsp:ASL3-SS-2 ;"),
        ("asl:standardInForce rsp:ASL3-DS, rsp:ASL3-SS ;", "asl:standardInForce rsp:ASL4-SS ;"),
    )
    assert findings(checked(catalog, mapped)) == set()


@pytest.mark.parametrize("relation", ["intersects-with", "superset-of"])
def test_an_overlapping_mapping_meets_a_safeguard_only_in_part(
    catalog: Catalog, relation: str
) -> None:
    text = bank(("asl:relation rel:subset-of ;", f"asl:relation rel:{relation} ;"))
    result = checked(catalog, text)
    assert findings(result) == {(EX + "kyc-agent", "safeguard-partly-met", EX + "sg-monitoring")}
    (partly,) = result.findings
    assert f"maps it as {relation} rsp:ASL3-DS-5" in partly.summary
    assert "held for Claude Opus 4 (ex:claude-opus-4)" in partly.summary


def test_a_system_that_triggers_nothing_is_at_the_lowest_level(catalog: Catalog) -> None:
    text = bank(
        ("    asl:addresses ex:sg-logging ;\n", "    asl:addresses ex:sg-adverse-review ;\n")
    )
    result = checked(catalog, text)
    assert findings(result) == {
        (EX + "meridiano-assist", "safeguard-unmet", EX + "sg-logging"),
        (EX + "kyc-agent", "safeguard-unmet", EX + "sg-logging"),
    }


def test_validate_reports_the_findings_citing_the_clause_and_what_it_maps_to(
    catalog: Catalog, fast_engine: OrgEngine
) -> None:
    text = bank(
        (
            "asl:standardInForce rsp:ASL3-DS, rsp:ASL3-SS ;",
            "asl:standardInForce rsp:ASL2-DS, rsp:ASL2-SS ;",
        )
    )
    report = validate(parse_upload(text.encode(), "text/turtle"), fast_engine, catalog).report
    ours = [r for r in report.results if r.focus == EX + "kyc-agent"]
    (unmet,) = [r for r in ours if r.source_shape == SHORG + "PolicySafeguardUnmetShape"]
    assert unmet.severity == "violation" and unmet.value == EX + "sg-monitoring"
    assert set(unmet.rests_on) == {EX + "sg-monitoring", RSP + "ASL3-DS-5"}
    # A2's supplier level, now the model's required level, is not met by an ASL-2 posture
    supplier = [
        r
        for r in report.results
        if r.focus == EX + "claude-opus-4"
        and r.source_shape == SHORG + "SupplierSafeguardLevelShape"
    ]
    assert {r.value for r in supplier} == {RSP + "ASL3-SS", RSP + "ASL3-DS"}
    assert all("the level the organisation's own policy requires" in r.message for r in supplier)


def test_findings_are_computed_never_uploaded(catalog: Catalog, fast_engine: OrgEngine) -> None:
    text = bank(extra="\nex:kyc-agent asl:policyFinding ex:f .\n")
    with pytest.raises(UploadError) as raised:
        validate(parse_upload(text.encode(), "text/turtle"), fast_engine, catalog)
    assert raised.value.kind == "reserved-term" and "policyFinding" in raised.value.message


@pytest.mark.parametrize(
    "name", ["invalid/health-agents-short-of-their-policy.ttl", "valid/bank-deploying-agents.ttl"]
)
def test_posture_lists_what_validate_reports_of_the_policy(
    catalog: Catalog, fast_engine: OrgEngine, name: str
) -> None:
    from aslgraph.org.posture.assess import assess

    path = ROOT / "examples" / name
    posture = assess(parse_upload(path.read_bytes(), "text/turtle").store, catalog)
    assert posture.policy is not None and posture.policy.levels
    report = validate(parse_upload(path.read_bytes(), "text/turtle"), fast_engine, catalog).report
    shapes = {SHORG + s for s in ("PolicyLevelTooLowShape", "PolicySafeguardUnmetShape",
                                  "PolicySafeguardPartlyMetShape")}  # fmt: skip
    reported = {(r.focus, r.value) for r in report.results if r.source_shape in shapes}
    assert {(f.system.iri, f.clause.iri) for f in posture.policy.findings} == reported
