"""The posture report's domain objects: verdicts per obligation for an uploaded organisation
graph (see :mod:`aslgraph.org.posture.assess` and ``docs/decisions/0008-posture-verdicts.md``).

Every object is a frozen pydantic model with an example, so the REST API can return it as is
and its JSON schema documents the route. ``Ref`` and ``Concept`` point into the knowledge graph
(provisions, mappings, roles); ``Entity`` points into the uploaded graph (the organisation, its
controls, postures, models and evidence documents).
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from aslgraph.kg.model import Concept, Ref, TransitionalNote, TransitionalRef
from aslgraph.namespaces import ID

Verdict = Literal[
    "met", "partly_met", "unmet", "not_applicable", "not_assessed", "cannot_be_decided"
]
"""``met``: a route that counts covers the obligation fully; ``partly_met``: only partial
coverage (a part, a subset, an overlap or support); ``unmet``: nothing that counts;
``not_applicable``: it does not bind this organisation or situation; ``not_assessed``: the graph
holds nothing that lets us judge; ``cannot_be_decided``: whether it binds turns on a fact the
graph does not state (``missing`` says which)."""

RouteKind = Literal[
    "control", "compensating-control", "posture", "evidence", "code", "standard", "fact"
]
Extent = Literal["full", "partial"]
EvidenceStatus = Literal["current", "expired", "not-yet-issued"]


def _example(**example: Any) -> ConfigDict:
    return ConfigDict(frozen=True, json_schema_extra={"examples": [example]})


_ORG = {"iri": "https://example.org/aurora-models/aurora", "label": "Aurora Models SE"}
_ART55_1_D = {
    "iri": ID + "eu-ai-act/art55-1-d",
    "curie": "aia:art55-1-d",
    "notation": "Art. 55(1)(d)",
    "label": "Art. 55(1)(d) — cybersecurity for the model and its physical infrastructure",
}
_SR_PROVIDER = {
    "iri": ID + "role/gpai-sr-provider",
    "id": "gpai-sr-provider",
    "label": "provider of a general-purpose AI model with systemic risk",
}
_DOC = {
    "iri": "https://example.org/aurora-models/signatory-notice",
    "title": "Aurora Models SE: signature of the General-Purpose AI Code of Practice",
    "issued": "2025-08-01",
    "valid_until": None,
    "status": "current",
}
_ROUTE = {
    "kind": "code",
    "extent": "full",
    "source": {"iri": "https://example.org/aurora-models/aurora-posture", "label": None},
    "via": [
        {"iri": ID + "gpai-cop/SS", "curie": "cop:SS", "notation": "Safety and Security chapter"},
        {"iri": ID + "gpai-cop/SS-C6", "curie": "cop:SS-C6", "notation": "Commitment 6"},
    ],
    "relation": None,
    "mappings": [],
    "confidence": None,
    "evidence": [_DOC],
    "counts": True,
    "explanation": "Adherence to cop:SS: its commitments cop:SS-C6 ... serve Art. 55(1) "
    "(asl:servesProvision), which contains Art. 55(1)(d).",
}


class Entity(BaseModel):
    """A node of the uploaded organisation graph (organisation, control, posture, model ...)."""

    model_config = _example(**_ORG)

    iri: str
    label: str | None = None


class EvidenceDoc(BaseModel):
    """An evidence document and whether it may be relied on as of the assessment date:
    ``expired`` when ``valid_until`` is before it, ``not-yet-issued`` when ``issued`` is after
    it."""

    model_config = _example(**_DOC)

    iri: str
    title: str | None = None
    issued: date | None = None
    valid_until: date | None = None
    issuer: str | None = None
    """Who issued the document (``dct:publisher``: a label, or the IRI)."""
    status: EvidenceStatus


class Route(BaseModel):
    """One way something in the graph speaks to an obligation.

    ``kind``: the organisation's own ``control`` (or ``compensating-control``), a ``posture`` or
    ``evidence`` that addresses a provision, Code of Practice adherence (``code``: the chapter and
    the commitments that serve the obligation) or a safeguard ``standard`` in force related to
    it by mapping records (``mappings``, direct or derived through one intermediate, with the
    composed ``relation`` read from the standard and the weakest ``confidence``). ``via`` lists
    the knowledge-graph provisions the route runs through. ``extent`` is ``full`` when the route
    covers the whole obligation; ``counts`` is false when none of its ``evidence`` is current.
    """

    model_config = _example(**_ROUTE)

    kind: RouteKind
    extent: Extent
    source: Entity
    via: list[Ref] = []
    relation: Concept | None = None
    mappings: list[Ref] = []
    confidence: float | None = None
    evidence: list[EvidenceDoc] = []
    counts: bool
    explanation: str


class ObligationVerdict(BaseModel):
    """The verdict on one obligation for the party bound by it (``bound``: the organisation,
    or the supplier of ``model``).

    ``routes`` are the routes that count; ``not_counted`` those that would have spoken to it but
    rest on stale or missing evidence; ``uncovered`` says what partial coverage leaves open;
    ``compensations`` are the organisation's compensating controls for a supplier's gap;
    ``cites`` every provision and mapping record the verdict rests on.
    """

    model_config = _example(
        obligation=_ART55_1_D,
        instrument={"iri": ID + "eu-ai-act/AIA", "curie": "aia:AIA"},
        role=_SR_PROVIDER,
        bound=_ORG,
        model=None,
        applies_from="2025-08-02",
        basis={"iri": ID + "eu-ai-act/art113-b", "curie": "aia:art113-b"},
        condition="Binds providers of general-purpose AI models classified as having systemic "
        "risk under Art. 51. ...",
        verdict="met",
        summary="Met: adherence to cop:SS (Safety and Security chapter) ...",
        routes=[_ROUTE],
        not_counted=[],
        uncovered=None,
        compensations=[],
        notes=[],
        cites=[_ART55_1_D],
        deferred_by=[],
    )

    obligation: Ref
    instrument: Ref | None = None
    role: Concept
    bound: Entity
    model: Entity | None = None
    applies_from: date | None = None
    basis: Ref | None = None
    condition: str | None = None
    binding: bool = True
    """False under a voluntary regime (a code of practice, commitments, a safety framework)."""
    verdict: Verdict
    summary: str
    applies_because: str | None = None
    """What made the obligation apply here (roles, conditions, dates), citing provisions."""
    decided_by: list[Ref] = []
    """The provisions that decided whether and when it applies."""
    missing: list[str] = []
    """For ``cannot_be_decided``: what the graph must state."""
    framework_only: bool = False
    """True when every route counted rests on a voluntary safety framework's standards."""
    routes: list[Route] = []
    not_counted: list[Route] = []
    uncovered: str | None = None
    compensations: list[Entity] = []
    notes: list[str] = []
    cites: list[Ref] = []
    deferred_by: list[TransitionalRef] = []


class LaterItem(BaseModel):
    """An obligation binding one of the roles, or an enforcement power over an instrument the
    organisation has obligations under, that applies only after the assessment date."""

    model_config = _example(
        provision={
            "iri": ID + "eu-ai-act/art101",
            "curie": "aia:art101",
            "notation": "Art. 101",
            "label": "Art. 101 — fines for providers of general-purpose AI models",
        },
        kind="enforcement-power",
        role=None,
        bound=_ORG,
        model=None,
        applies_from="2026-08-02",
        basis={"iri": ID + "eu-ai-act/art113", "curie": "aia:art113"},
        reason="Enforcement power of the Commission under aia:AIA; applies from 2026-08-02.",
    )

    provision: Ref
    kind: Literal["obligation", "enforcement-power"]
    role: Concept | None = None
    bound: Entity
    model: Entity | None = None
    applies_from: date
    basis: Ref | None = None
    reason: str
    binding: bool = True


class RoleHeld(BaseModel):
    """A role assignment: the role under a regime, for named systems or models (``scope``, empty
    for all), and every role whose obligations it brings (``roles_considered``)."""

    model_config = _example(
        assignment={"iri": "https://example.org/aurora-models/role-gpai-sr"},
        role=_SR_PROVIDER,
        regime={"iri": ID + "eu-ai-act/AIA", "curie": "aia:AIA"},
        scope=[{"iri": "https://example.org/aurora-models/aurora-3", "label": "Aurora-3"}],
        roles_considered=[_SR_PROVIDER],
    )

    assignment: Entity
    role: Concept
    regime: Ref | None = None
    scope: list[Entity] = []
    roles_considered: list[Concept] = []


class SupplierPosture(BaseModel):
    """A model the organisation relies on from another organisation, and the verdicts on that
    supplier's obligations as provider of the model, judged from the supplier's declared
    postures and the evidence the organisation holds on the model."""

    model_config = _example(
        model={"iri": "https://example.org/lumen-legal/claude-opus-4", "label": "Claude Opus 4"},
        supplier={"iri": "https://example.org/lumen-legal/anthropic", "label": "Anthropic PBC"},
        systemic_risk=False,
        relied_on_as=[
            {"iri": ID + "role/downstream-provider", "id": "downstream-provider", "label": "x"}
        ],
        postures=[{"iri": "https://example.org/lumen-legal/anthropic-posture"}],
        standards_in_force=[{"iri": ID + "rsp/ASL3-SS", "curie": "rsp:ASL3-SS"}],
        adheres_to=[],
        obligations=[],
        not_applicable=[],
        later=[],
    )

    model: Entity
    supplier: Entity
    systemic_risk: bool
    relied_on_as: list[Concept] = []
    postures: list[Entity] = []
    standards_in_force: list[Ref] = []
    adheres_to: list[Ref] = []
    obligations: list[ObligationVerdict] = []
    not_applicable: list[ObligationVerdict] = []
    later: list[LaterItem] = []


class SystemLevel(BaseModel):
    """An AI system at its level of the organisation's own policy."""

    model_config = _example(
        system={"iri": "https://example.org/vitalis/rx-agent", "label": "Prescription agent"},
        level={"iri": "https://example.org/vitalis/H3", "label": "H3"},
    )

    system: Entity
    level: Entity


class PolicyFindingItem(BaseModel):
    """A shortfall of a system against the organisation's own policy: ``kind`` level-too-low
    (``clause``: the level demanded), safeguard-unmet or safeguard-partly-met (``clause``: the
    safeguard), with what it rests on (the clause, the triggers, the provisions mapped)."""

    model_config = _example(
        system={"iri": "https://example.org/vitalis/rx-agent"},
        kind="safeguard-unmet",
        clause={"iri": "https://example.org/vitalis/sg-pharmacist"},
        summary="Prescription agent is at H3, which requires S3 ...; no control addresses it.",
        cites=["https://example.org/vitalis/sg-pharmacist"],
    )

    system: Entity
    kind: Literal["level-too-low", "safeguard-unmet", "safeguard-partly-met"]
    clause: Entity
    summary: str
    cites: list[str] = []


class PolicyStanding(BaseModel):
    """The organisation's systems against its own agent policy (decision 0014)."""

    model_config = _example(levels=[], findings=[])

    levels: list[SystemLevel] = []
    findings: list[PolicyFindingItem] = []


class PostureReport(BaseModel):
    """The posture of an organisation as of a date.

    ``obligations``: a verdict per obligation that binds one of its roles and applies on
    ``as_of``; ``not_applicable``: obligations of its regimes that do not bind it, each with the
    reason; ``later``: what binds it only after ``as_of``; ``transitional``: rules (Art. 111(3))
    that would defer some of the obligations for models placed on the market before a date;
    ``suppliers``: the obligations of the providers of the models it relies on. ``as_of_source``
    says where the date came from (``argument``, the graph's ``assessment-date``, ``today``);
    ``verdicts`` counts the verdicts of ``obligations`` and ``suppliers``; ``policy``: its
    systems against its own agent policy, when it adopts one.
    """

    model_config = _example(
        organisation=_ORG,
        as_of="2026-11-30",
        as_of_source="assessment-date",
        roles=[],
        regimes=[{"iri": ID + "eu-ai-act/AIA", "curie": "aia:AIA"}],
        obligations=[],
        not_applicable=[],
        later=[],
        transitional=[],
        suppliers=[],
        verdicts={"met": 8, "partly_met": 1, "unmet": 2, "not_assessed": 3},
    )

    organisation: Entity
    as_of: date
    as_of_source: Literal["argument", "assessment-date", "today"]
    roles: list[RoleHeld] = []
    regimes: list[Ref] = []
    obligations: list[ObligationVerdict] = []
    not_applicable: list[ObligationVerdict] = []
    later: list[LaterItem] = []
    transitional: list[TransitionalNote] = []
    suppliers: list[SupplierPosture] = []
    verdicts: dict[str, int] = {}
    policy: PolicyStanding | None = None

    def verdict_of(self, obligation: str, model: str | None = None) -> Verdict | None:
        """The verdict on ``obligation`` (IRI or CURIE) for the organisation, or with ``model``
        for that model's supplier; None when the report holds no verdict on it."""
        for item in self._verdicts(model):
            if obligation in (item.obligation.iri, item.obligation.curie):
                return item.verdict
        return None

    def _verdicts(self, model: str | None) -> list[ObligationVerdict]:
        if model is None:
            return [*self.obligations, *self.not_applicable]
        for supplier in self.suppliers:
            if supplier.model.iri == model:
                return [*supplier.obligations, *supplier.not_applicable]
        return []
