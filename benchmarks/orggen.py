"""Generate realistic organisation graphs of a given size, with known injected defects.

A group of companies is assessed as one graph: the parent states the assessment date; each
subsidiary, established in a Member State, holds AI Act and Code roles (GPAI provider with
systemic risk, downstream provider, deployer, Code signatory), places its own model on the Union
market (with its training compute and the Commission notification the law then asks for), runs
AI systems on its own and on third-party models, runs controls with evidence and declares a
posture; a pool of suppliers declare RSP or Code postures with evidence. The vocabulary is that
of ``ontology/aslgraph.ttl`` (organisation graph section), as in ``examples/``. Each subsidiary
gets, with probability ``rate``, one defect of a kind validation reports (a shape, or a duty the
applicability engine decides is unmet or cannot be decided); the counts of each kind injected
are returned (and printed by the command line). :func:`pair` gives a small graph with one clean
subsidiary and one with a given defect, to show what that defect adds to the report.

Run: ``.venv/bin/python -m benchmarks.orggen --triples 1e5 [--seed 7] [--rate 0.3] -o out.nt``.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections import Counter
from dataclasses import dataclass, field

from aslgraph.namespaces import ASL, PREFIXES

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
XSD = "http://www.w3.org/2001/XMLSchema#"
DCT = "http://purl.org/dc/terms/"
EX = "https://example.org/group/"
AIA, COP, RSP, ROLE, JUR = (PREFIXES[p] for p in ("aia", "cop", "rsp", "role", "jur"))
MEMBER_STATES = ("DE", "FR", "IE", "NL", "IT", "ES", "SE", "PL")
ASSESSMENT_DATE = "2026-11-30"

DEFECTS = (
    "missing_label",
    "role_not_in_scheme",
    "role_without_regime",
    "role_under_wrong_regime",
    "regime_not_declared",
    "system_without_model",
    "model_without_supplier",
    "model_with_two_suppliers",
    "posture_without_evidence",
    "posture_names_whole_code",
    "rsp_posture_without_version",
    "evidence_date_as_text",
    "evidence_issued_after_valid_until",
    "evidence_unused",
    "control_addresses_literal",
    "posture_for_non_model",
    "stale_evidence",
    "future_evidence",
    "missing_art53_evidence",
    "missing_art55_evidence",
    "art55_rsp_only",
    "missing_annex12",
    "annex12_only_compensated",
    "supplier_below_systemic_risk_level",
    "supplier_below_required_level",
    "insider_scope_without_evidence",
    "cop_signatory_without_chapters",
    "compute_as_text",
    "placement_after_assessment",
    "systemic_risk_undecidable",
    "late_notification",
    "unknown_market",
)


def _iri(value: str) -> str:
    return f"<{value}>"


def _lit(value: str, datatype: str | None = None, lang: str | None = None) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    if lang:
        return f'"{escaped}"@{lang}'
    if datatype:
        return f'"{escaped}"^^<{datatype}>'
    return f'"{escaped}"'


@dataclass
class Builder:
    """Collects N-Triples lines."""

    lines: list[str] = field(default_factory=list)

    def add(self, s: str, p: str, o: str) -> None:
        self.lines.append(f"{s} {p} {o} .\n")

    def a(self, s: str, cls: str) -> None:
        self.add(s, _iri(RDF_TYPE), _iri(cls))


def _date(rng: random.Random, year_from: int, year_to: int) -> str:
    return f"{rng.randint(year_from, year_to)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def _evidence(b: Builder, node: str, title: str, rng: random.Random, *, valid: bool = True) -> None:
    b.a(node, str(ASL.Evidence))
    b.add(node, _iri(DCT + "title"), _lit(title, lang="en"))
    b.add(node, _iri(DCT + "issued"), _lit(_date(rng, 2025, 2026)[:5] + "01-15", XSD + "date"))
    if valid:
        b.add(node, _iri(str(ASL.validUntil)), _lit("2027-12-31", XSD + "date"))
    b.add(
        node, _iri(DCT + "source"), _iri(f"https://docs.example.org/{node[1:-1].rsplit('/', 1)[1]}")
    )


def _supplier(b: Builder, i: int, rng: random.Random) -> tuple[str, int]:
    """A supplier with a posture at level 2, 3 or 4; returns (IRI, level)."""
    org = _iri(f"{EX}supplier-{i}")
    level = rng.choice((2, 3, 3, 4))
    b.a(org, str(ASL.Organisation))
    b.add(org, _iri(LABEL), _lit(f"Supplier {i} Ltd", lang="en"))
    b.add(org, _iri(str(ASL.establishedIn)), _iri(JUR + rng.choice(("US", "GB", "FR", "DE"))))
    posture = _iri(f"{EX}supplier-{i}/posture")
    b.add(org, _iri(str(ASL.declaresPosture)), posture)
    b.a(posture, str(ASL.DeclaredPosture))
    for dim in ("DS", "SS"):
        b.add(posture, _iri(str(ASL.standardInForce)), _iri(f"{RSP}ASL{level}-{dim}"))
    b.add(posture, _iri(str(ASL.frameworkVersion)), _iri(RSP + "v2.2"))
    b.add(posture, _iri(str(ASL.adheresTo)), _iri(COP + "SS"))
    evidence = _iri(f"{EX}supplier-{i}/safeguards-report")
    b.add(posture, _iri(str(ASL.evidencedBy)), evidence)
    _evidence(b, evidence, f"Supplier {i} safeguards report", rng)
    insider = _iri(f"{EX}supplier-{i}/insider-programme")
    b.add(posture, _iri(str(ASL.evidencedBy)), insider)
    _evidence(b, insider, f"Supplier {i} insider-threat programme", rng)
    b.add(insider, _iri(str(ASL.addresses)), _iri(COP + "SS-App4.4"))
    return org, level


def _subsidiary(
    b: Builder, i: int, suppliers: list[tuple[str, int]], rng: random.Random, defect: str | None
) -> None:
    base = f"{EX}sub-{i}"
    org = _iri(base)
    a, add = b.a, b.add
    a(org, str(ASL.Organisation))
    if defect != "missing_label":
        add(org, _iri(LABEL), _lit(f"Subsidiary {i} GmbH", lang="en"))
    add(org, _iri(str(ASL.establishedIn)), _iri(JUR + rng.choice(MEMBER_STATES)))
    regimes = [AIA + "AIA", COP + "CoP"]
    for regime in regimes if defect != "regime_not_declared" else regimes[:1]:
        add(org, _iri(str(ASL.declaresRegime)), _iri(regime))
    roles = [("gpai-sr", "gpai-sr-provider", AIA + "AIA"), ("downstream", "downstream-provider",
             AIA + "AIA"), ("deployer", "deployer", AIA + "AIA"),
             ("cop", "cop-signatory", COP + "CoP")]  # fmt: skip
    for key, role, regime in roles:
        node = _iri(f"{base}/role-{key}")
        add(org, _iri(str(ASL.holdsRole)), node)
        a(node, str(ASL.RoleAssignment))
        if defect == "role_not_in_scheme" and key == "deployer":
            role = "provider"
        add(node, _iri(str(ASL.role)), _iri(ROLE + role))
        if defect == "role_under_wrong_regime" and key == "cop":
            regime = AIA + "AIA"
        if not (defect == "role_without_regime" and key == "deployer"):
            add(node, _iri(str(ASL.underRegime)), _iri(regime))
    # own model (GPAI with systemic risk) and own posture
    own = _iri(f"{base}/model")
    add(org, _iri(str(ASL.hasAIModel)), own)
    a(own, str(ASL.AIModel))
    add(own, _iri(LABEL), _lit(f"Model {i}", lang="en"))
    add(own, _iri(str(ASL.supplier)), org)
    if defect != "systemic_risk_undecidable":
        add(own, _iri(str(ASL.systemicRisk)), _lit("true", XSD + "boolean"))
    _model_facts(b, base, own, rng, defect)
    posture = _iri(f"{base}/posture")
    add(org, _iri(str(ASL.declaresPosture)), posture)
    a(posture, str(ASL.DeclaredPosture))
    add(posture, _iri(str(ASL.postureFor)), own)
    if defect == "posture_for_non_model":
        add(posture, _iri(str(ASL.postureFor)), org)
    if defect == "cop_signatory_without_chapters":
        add(posture, _iri(str(ASL.standardInForce)), _iri(RSP + "ASL3-DS"))
    else:
        add(posture, _iri(str(ASL.adheresTo)), _iri(COP + ("CoP" if defect ==
            "posture_names_whole_code" else "T")))  # fmt: skip
        add(posture, _iri(str(ASL.adheresTo)), _iri(COP + "C"))
    for level_standard in ("ASL3-DS", "ASL3-SS"):
        add(posture, _iri(str(ASL.standardInForce)), _iri(RSP + level_standard))
    if defect != "rsp_posture_without_version":
        add(posture, _iri(str(ASL.frameworkVersion)), _iri(RSP + "v2.2"))
    if defect not in ("art55_rsp_only", "cop_signatory_without_chapters",
                      "insider_scope_without_evidence"):  # fmt: skip
        add(posture, _iri(str(ASL.adheresTo)), _iri(COP + "SS"))
    if defect != "posture_without_evidence":
        report = _iri(f"{base}/posture-report")
        add(posture, _iri(str(ASL.evidencedBy)), report)
        _evidence(b, report, f"Subsidiary {i} safeguards report", rng)
        if defect != "insider_scope_without_evidence":
            add(report, _iri(str(ASL.addresses)), _iri(COP + "SS-App4.4"))
    # controls
    points = ["art53-1-a", "art53-1-b", "art53-1-c", "art53-1-d", "art55-1-a", "art55-1-b",
              "art55-1-c", "art55-1-d"]  # fmt: skip
    if defect == "missing_art53_evidence":
        points.remove("art53-1-d")
    if defect in ("missing_art55_evidence", "art55_rsp_only"):
        points.remove("art55-1-c")
    for n, point in enumerate(points):
        control = _iri(f"{base}/control-{n}")
        add(org, _iri(str(ASL.runsControl)), control)
        a(control, str(ASL.Control))
        add(control, _iri(LABEL), _lit(f"Control for {point}", lang="en"))
        if defect == "control_addresses_literal" and n == 0:
            add(control, _iri(str(ASL.addresses)), _lit(point))
        else:
            add(control, _iri(str(ASL.addresses)), _iri(AIA + point))
        record = _iri(f"{base}/control-{n}-record")
        add(control, _iri(str(ASL.evidencedBy)), record)
        _evidence(b, record, f"Record of control {n}", rng, valid=n % 2 == 0)
        if n == 0 and defect == "stale_evidence":
            add(record, _iri(str(ASL.validUntil)), _lit("2026-01-31", XSD + "date"))
        if n == 1 and defect == "future_evidence":
            add(record, _iri(DCT + "issued"), _lit("2027-02-01", XSD + "date"))
        if n == 2 and defect == "evidence_date_as_text":
            add(record, _iri(DCT + "issued"), _lit("March 2026"))
        if n == 3 and defect == "evidence_issued_after_valid_until":
            add(record, _iri(str(ASL.validUntil)), _lit("2024-01-31", XSD + "date"))
    if defect == "evidence_unused":
        _evidence(b, _iri(f"{base}/stray-record"), "A stray record", rng)
    # systems on third-party models
    for n in range(3):
        system = _iri(f"{base}/system-{n}")
        add(org, _iri(str(ASL.hasAISystem)), system)
        a(system, str(ASL.AISystem))
        add(system, _iri(LABEL), _lit(f"System {i}.{n}", lang="en"))
        if defect == "system_without_model" and n == 0:
            continue
        model = _iri(f"{base}/system-{n}/model")
        add(system, _iri(str(ASL.integratesModel)), model)
        a(model, str(ASL.AIModel))
        add(model, _iri(LABEL), _lit(f"Hosted model {i}.{n}", lang="en"))
        supplier = rng.choice(suppliers)[0]
        systemic = defect == "supplier_below_systemic_risk_level" and n == 0
        if systemic:
            supplier = next((s for s in suppliers if s[1] == 2), suppliers[0])[0]
        add(model, _iri(str(ASL.systemicRisk)), _lit(str(systemic).lower(), XSD + "boolean"))
        _hosted_facts(b, f"{base}/system-{n}/model", model)
        if defect == "supplier_below_required_level" and n == 1:
            supplier, _level = next((s for s in suppliers if s[1] == 3), suppliers[0])
            add(model, _iri(str(ASL.requiredLevel)), _iri(RSP + "ASL-4"))
        if not (defect == "model_without_supplier" and n == 0):
            add(model, _iri(str(ASL.supplier)), supplier)
        if defect == "model_with_two_suppliers" and n == 0:
            other = next(s for s, _level in suppliers if s != supplier)
            add(model, _iri(str(ASL.supplier)), other)
        if defect == "annex12_only_compensated" and n == 0:
            control = _iri(f"{base}/annex12-compensation")
            add(org, _iri(str(ASL.runsControl)), control)
            a(control, str(ASL.CompensatingControl))
            add(control, _iri(LABEL), _lit("Own model testing", lang="en"))
            add(control, _iri(str(ASL.addresses)), _iri(AIA + "art26-1"))
            add(control, _iri(str(ASL.compensatesFor)), _iri(AIA + "anx12"))
            record = _iri(f"{base}/annex12-compensation-record")
            add(control, _iri(str(ASL.evidencedBy)), record)
            _evidence(b, record, "Model testing record", rng)
            continue
        if defect == "missing_annex12" and n == 0:
            continue
        info = _iri(f"{base}/system-{n}/annex12-info")
        add(model, _iri(str(ASL.evidencedBy)), info)
        _evidence(b, info, f"Annex XII information for model {i}.{n}", rng)
        add(info, _iri(str(ASL.addresses)), _iri(AIA + "anx12"))


def _model_facts(b: Builder, base: str, model: str, rng: random.Random, defect: str | None) -> None:
    """The facts the law's conditions read about a subsidiary's own model: placed on the Union
    market after Chapter V applies, trained with more than 10^25 FLOP and notified within the
    14 days of Art. 52(1)."""
    placement = _iri(f"{base}/model/placement-eu")
    b.add(model, _iri(str(ASL.placedOnMarket)), placement)
    b.a(placement, str(ASL.MarketPlacement))
    market = _iri(f"{EX}moon") if defect == "unknown_market" else _iri(JUR + "EU")
    b.add(placement, _iri(str(ASL.market)), market)
    placed = (
        "2027-01-15"
        if defect == "placement_after_assessment"
        else f"2025-{rng.randint(9, 12):02d}-15"
    )
    b.add(placement, _iri(DCT + "date"), _lit(placed, XSD + "date"))
    terms = _iri(f"{base}/model/terms")
    b.add(model, _iri(str(ASL.releasedUnder)), terms)
    b.a(terms, str(ASL.ReleaseTerms))
    b.add(terms, _iri(str(ASL.freeAndOpenSource)), _lit("false", XSD + "boolean"))
    if defect == "systemic_risk_undecidable":
        return
    compute = _iri(f"{base}/model/compute")
    b.add(model, _iri(str(ASL.trainingCompute)), compute)
    b.a(compute, str(ASL.ComputeEstimate))
    flop = "about 2e25" if defect == "compute_as_text" else f"{rng.randint(11, 60) / 10}e25"
    b.add(
        compute,
        _iri(str(ASL.flop)),
        _lit(flop, None if defect == "compute_as_text" else XSD + "double"),
    )
    b.add(compute, _iri(DCT + "date"), _lit("2025-06-01", XSD + "date"))
    notification = _iri(f"{base}/model/notification")
    b.add(model, _iri(str(ASL.notification)), notification)
    b.a(notification, str(ASL.Notification))
    b.add(notification, _iri(LABEL), _lit("Notification to the Commission", lang="en"))
    notified = "2025-07-30" if defect == "late_notification" else "2025-06-10"
    b.add(notification, _iri(DCT + "date"), _lit(notified, XSD + "date"))


def _hosted_facts(b: Builder, base: str, model: str) -> None:
    """What the organisation knows of a supplier's model: placed on the Union market after
    Chapter V applies, under proprietary terms."""
    placement = _iri(f"{base}/placement-eu")
    b.add(model, _iri(str(ASL.placedOnMarket)), placement)
    b.a(placement, str(ASL.MarketPlacement))
    b.add(placement, _iri(str(ASL.market)), _iri(JUR + "EU"))
    b.add(placement, _iri(DCT + "date"), _lit("2025-09-01", XSD + "date"))
    terms = _iri(f"{base}/terms")
    b.add(model, _iri(str(ASL.releasedUnder)), terms)
    b.a(terms, str(ASL.ReleaseTerms))
    b.add(terms, _iri(str(ASL.freeAndOpenSource)), _lit("false", XSD + "boolean"))


def generate(triples: int, *, seed: int = 7, rate: float = 0.3) -> tuple[str, Counter[str]]:
    """An organisation graph of about ``triples`` triples (N-Triples) and the defects injected."""
    rng = random.Random(seed)
    b = Builder()
    _parent(b)
    suppliers = [_supplier(b, i, rng) for i in range(max(4, triples // 5000))]
    if not any(level == 2 for _s, level in suppliers):
        suppliers.append(_supplier_at(b, len(suppliers), 2, rng))
    injected: Counter[str] = Counter()
    i = 0
    while len(b.lines) < triples:
        defect = rng.choice(DEFECTS) if rng.random() < rate else None
        if defect:
            injected[defect] += 1
        _subsidiary(b, i, suppliers, rng, defect)
        i += 1
    return "".join(b.lines), injected


def pair(defect: str, *, seed: int = 7) -> str:
    """A group with the suppliers, subsidiary 0 with no defect and subsidiary 1 with ``defect``."""
    rng = random.Random(seed)
    b = Builder()
    _parent(b)
    suppliers = [_supplier(b, i, rng) for i in range(4)]
    if not any(level == 2 for _s, level in suppliers):
        suppliers.append(_supplier_at(b, len(suppliers), 2, rng))
    for i, kind in enumerate((None, defect)):
        _subsidiary(b, i, suppliers, random.Random(seed), kind)
    return "".join(b.lines)


def _parent(b: Builder) -> None:
    parent = _iri(f"{EX}parent")
    b.a(parent, str(ASL.Organisation))
    b.add(parent, _iri(LABEL), _lit("Group Holdings plc", lang="en"))
    b.add(parent, _iri(str(ASL.assessmentDate)), _lit(ASSESSMENT_DATE, XSD + "date"))
    b.add(parent, _iri(str(ASL.declaresRegime)), _iri(AIA + "AIA"))
    role = _iri(f"{EX}parent/role-deployer")
    b.add(parent, _iri(str(ASL.holdsRole)), role)
    b.a(role, str(ASL.RoleAssignment))
    b.add(role, _iri(str(ASL.role)), _iri(ROLE + "deployer"))
    b.add(role, _iri(str(ASL.underRegime)), _iri(AIA + "AIA"))


def _supplier_at(b: Builder, i: int, level: int, rng: random.Random) -> tuple[str, int]:
    while True:
        scratch = Builder()
        org, got = _supplier(scratch, i, rng)
        if got == level:
            b.lines.extend(scratch.lines)
            return org, got


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=float, default=1e4)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--rate", type=float, default=0.3)
    parser.add_argument("-o", "--output", default="-")
    args = parser.parse_args(argv)
    data, injected = generate(int(args.triples), seed=args.seed, rate=args.rate)
    if args.output == "-":
        sys.stdout.write(data)
    else:
        with open(args.output, "w", encoding="utf-8") as out:
            out.write(data)
    for kind in DEFECTS:
        print(f"{kind:40} {injected[kind]}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
