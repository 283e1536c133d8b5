"""What would close each shortfall (aslgraph.org.plan): every violation and warning validate
reports is closed by an action or listed as unaddressed; one action closes all it can; the
most closing come first."""

from __future__ import annotations

from pathlib import Path

import pytest

from aslgraph.kg.catalog import Catalog
from aslgraph.org.plan import Plan, plan
from aslgraph.org.upload import parse_upload
from aslgraph.org.validate import validate
from aslgraph.shacl import OrgEngine

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples").rglob("*.ttl"))
HEALTH = ROOT / "examples" / "invalid" / "health-agents-short-of-their-policy.ttl"
EX = "https://example.org/vitalis/"


def planned(path: Path, engine: OrgEngine, catalog: Catalog) -> Plan:
    return plan(parse_upload(path.read_bytes(), "text/turtle"), engine, catalog)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_every_shortfall_is_closed_or_listed(
    path: Path, fast_engine: OrgEngine, catalog: Catalog
) -> None:
    found = planned(path, fast_engine, catalog)
    report = validate(parse_upload(path.read_bytes(), "text/turtle"), fast_engine, catalog).report
    shortfalls = {
        (r.focus, r.value, r.message)
        for r in report.results
        if r.severity in ("violation", "warning")
    }
    assert found.shortfalls == len([r for r in report.results if r.severity != "info"])
    covered = {(c.focus, c.about, c.message) for a in found.actions for c in a.closes}
    covered |= {(c.focus, c.about, c.message) for c in found.unaddressed}
    assert covered == shortfalls
    order = [
        (-sum(c.severity == "violation" for c in a.closes), -len(a.closes)) for a in found.actions
    ]
    assert order == sorted(order)


def test_the_health_plan(fast_engine: OrgEngine, catalog: Catalog) -> None:
    found = planned(HEALTH, fast_engine, catalog)
    kinds = [a.kind for a in found.actions]
    assert kinds == [
        "switch-supplier",
        "obtain-evidence",
        "assign-level",
        "add-control",
        "add-control",
    ]
    switch, obtain, assign, pharmacist, monitoring = found.actions
    # both agents are built on Aurora-3, whose ASL-2 posture is below the ASL-3 their levels
    # ask: switching both to the ASL-3 candidate closes the model's two violations
    assert "Prescription Drafting Agent (ex:rx-agent), Triage Assistant" in switch.summary
    assert "on Boreal-2 (ex:boreal-2) from Boreal AI SAS (ex:boreal)" in switch.summary
    assert {c.about for c in switch.closes} == {
        "https://w3id.org/aslgraph/id/rsp/ASL3-SS",
        "https://w3id.org/aslgraph/id/rsp/ASL3-DS",
    }
    assert obtain.closes == switch.closes and "Obtain from Aurora Models Ltd" in obtain.summary
    assert assign.closes[0].about == EX + "H3"
    assert pharmacist.closes[0].about == EX + "sg-pharmacist"
    # one control for the monitoring safeguard closes both agents' warnings, and the plan says
    # what the policy maps the safeguard to, with the weakest confidence
    assert {c.focus for c in monitoring.closes} == {EX + "rx-agent", EX + "triage-assistant"}
    assert monitoring.covers == ["rsp:ASL2-DS-2: intersects-with, 0.6"]
    assert monitoring.weakest_confidence == pytest.approx(0.6)
    assert found.unaddressed == []


def test_a_control_for_an_own_duty_names_what_else_it_serves(
    fast_engine: OrgEngine, catalog: Catalog
) -> None:
    found = planned(
        ROOT / "examples" / "invalid" / "gpai-sr-provider-with-gaps.ttl", fast_engine, catalog
    )
    cyber = next(a for a in found.actions if "aia:art55-1-d" in a.summary)
    assert cyber.kind == "add-control"
    assert "cop:SS-C6: superset-of, 0.70" in cyber.covers
    own = found.actions[0]
    assert own.kind == "add-control" and own.summary.startswith("Put the ASL-3 standards")
