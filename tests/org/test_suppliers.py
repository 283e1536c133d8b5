"""Which supplier's model would do (aslgraph.org.suppliers): each option is judged as if the
system were built on it alone, against the organisation's policy, the supplier level it is
relied on for and the supplier's duties under the regime; the satisfying ones rank first."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from aslgraph.kg.catalog import Catalog
from aslgraph.org.errors import UnassessableError
from aslgraph.org.suppliers import SupplierComparison, SystemOptions, compare

ROOT = Path(__file__).resolve().parents[2]
HEALTH = ROOT / "examples" / "invalid" / "health-agents-short-of-their-policy.ttl"
BANK = ROOT / "examples" / "valid" / "bank-deploying-agents.ttl"
RSP = "https://w3id.org/aslgraph/id/rsp/"
AIA = "https://w3id.org/aslgraph/id/eu-ai-act/"


def compared(catalog: Catalog, text: str) -> SupplierComparison:
    store = ox.Store()
    store.load(text.encode(), format=ox.RdfFormat.TURTLE)
    return compare(store, catalog, prefixes={"ex": "https://example.org/"})


def system(answer: SupplierComparison, label: str) -> SystemOptions:
    return next(s for s in answer.systems if s.system.label == label)


def shortfalls(found: SystemOptions, model: str) -> set[tuple[str, str]]:
    option = next(o for o in found.options if o.model.label == model)
    return {(s.kind, s.about.rsplit("/", 1)[1]) for s in option.shortfalls}


def test_a_candidate_at_asl3_satisfies_what_the_current_model_does_not(
    catalog: Catalog,
) -> None:
    answer = compared(catalog, HEALTH.read_text(encoding="utf-8"))
    triage = system(answer, "Triage Assistant")
    assert triage.level is not None and triage.level.label == "H2: agents that read patient records"
    assert [m.label for m in triage.satisfying] == ["Boreal-2"]
    assert [o.model.label for o in triage.options] == ["Boreal-2", "Aurora-3"]
    assert [o.current for o in triage.options] == [False, True]
    assert shortfalls(triage, "Aurora-3") == {
        ("supplier-level", "ASL3-SS"),
        ("supplier-level", "ASL3-DS"),
        ("safeguard-partly-met", "sg-monitoring"),
    }
    assert shortfalls(triage, "Boreal-2") == {("safeguard-partly-met", "sg-monitoring")}
    first = triage.options[1].shortfalls
    assert [s.severity for s in first] == ["violation", "violation", "warning"]


def test_no_model_fixes_a_safeguard_only_a_control_can_meet(catalog: Catalog) -> None:
    answer = compared(catalog, HEALTH.read_text(encoding="utf-8"))
    rx = system(answer, "Prescription Drafting Agent")
    assert rx.satisfying == []
    for model in ("Boreal-2", "Aurora-3"):
        assert ("safeguard-unmet", "sg-pharmacist") in shortfalls(rx, model)
    assert [o.model.label for o in rx.options] == ["Boreal-2", "Aurora-3"]  # fewer violations


def test_the_suppliers_duties_under_the_regime_count(catalog: Catalog) -> None:
    answer = compared(catalog, BANK.read_text(encoding="utf-8"))
    assist = system(answer, "Meridiano Assist customer-service agent")
    # built on Nordlys-2-mini alone, the bank (a downstream provider) has no Annex XII
    # information for it: the supplier's Art. 53(1)(b) is unmet
    assert ("duty-unmet", "art53-1-b") in shortfalls(assist, "Nordlys-2-mini")
    assert [m.label for m in assist.satisfying] == ["Nordlys-2"]
    mini = next(o for o in assist.options if o.model.label == "Nordlys-2-mini")
    unmet = next(s for s in mini.shortfalls if s.kind == "duty-unmet")
    assert unmet.about == AIA + "art53-1-b" and unmet.severity == "violation"
    kyc = system(answer, "KYC Review Agent (vendor product)")
    assert [m.label for m in kyc.satisfying] == ["Claude Opus 4"]


SYSTEMIC = """
@prefix aia:  <https://w3id.org/aslgraph/id/eu-ai-act/> .
@prefix asl:  <https://w3id.org/aslgraph/ontology#> .
@prefix cop:  <https://w3id.org/aslgraph/id/gpai-cop/> .
@prefix dct:  <http://purl.org/dc/terms/> .
@prefix ex:   <https://example.org/> .
@prefix jur:  <https://w3id.org/aslgraph/id/jurisdiction/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix role: <https://w3id.org/aslgraph/id/role/> .
@prefix rsp:  <https://w3id.org/aslgraph/id/rsp/> .
@prefix xsd:  <http://www.w3.org/2001/XMLSchema#> .

ex:org a asl:Organisation ; rdfs:label "Org" ; asl:establishedIn jur:DE ;
    asl:assessmentDate "2026-11-30"^^xsd:date ; asl:declaresRegime aia:AIA ;
    asl:holdsRole [ a asl:RoleAssignment ; asl:role role:deployer ; asl:underRegime aia:AIA ] ;
    asl:hasAISystem ex:sys .
ex:sys a asl:AISystem ; rdfs:label "Sys" ; asl:integratesModel ex:code-model ;
    asl:candidateModel ex:rsp-model .
ex:code-model a asl:AIModel ; rdfs:label "Code model" ; asl:supplier ex:a ;
    asl:systemicRisk true {required} .
ex:rsp-model a asl:AIModel ; rdfs:label "RSP model" ; asl:supplier ex:b ;
    asl:systemicRisk true {required} .
ex:a a asl:Organisation ; rdfs:label "A" ;
    asl:declaresPosture [ a asl:DeclaredPosture ; asl:adheresTo cop:SS ] .
ex:b a asl:Organisation ; rdfs:label "B" ;
    asl:declaresPosture [ a asl:DeclaredPosture ; asl:standardInForce rsp:ASL3-SS, rsp:ASL3-DS ] .
"""


ASL4 = {("supplier-level", "ASL4-SS"), ("supplier-level", "ASL4-DS")}


@pytest.mark.parametrize(
    ("required", "code_model", "rsp_model"),
    [("", set(), set()), ("; asl:requiredLevel rsp:ASL-4", ASL4, ASL4)],
    ids=["systemic-risk", "policy-asks-asl4"],
)
def test_code_adherence_meets_the_systemic_risk_level_not_a_higher_one(
    catalog: Catalog,
    required: str,
    code_model: set[tuple[str, str]],
    rsp_model: set[tuple[str, str]],
) -> None:
    # as shapes/org/supplier-level.ttl decides: the Code's Safety and Security chapter meets
    # the ASL-3 a model with systemic risk needs, not a level the organisation asks above it
    answer = compared(catalog, SYSTEMIC.format(required=required))
    (found,) = answer.systems
    assert {k for k in shortfalls(found, "Code model") if k[0] == "supplier-level"} == code_model
    assert {k for k in shortfalls(found, "RSP model") if k[0] == "supplier-level"} == rsp_model


def test_a_graph_without_models_to_compare_is_refused(catalog: Catalog) -> None:
    text = SYSTEMIC.format(required="").replace(
        'ex:sys a asl:AISystem ; rdfs:label "Sys" ; asl:integratesModel ex:code-model ;\n'
        "    asl:candidateModel ex:rsp-model .",
        'ex:sys a asl:AISystem ; rdfs:label "Sys" .',
    )
    with pytest.raises(UnassessableError) as raised:
        compared(catalog, text)
    assert raised.value.kind == "nothing-to-compare"
    assert "asl:candidateModel" in raised.value.message
