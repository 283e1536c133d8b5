"""The catalog's domain objects: what the REST routes and the CLI return, with no HTTP in them.

Every object is a frozen pydantic model, so it can be cached and shared between requests and
its JSON schema (with an example) documents the REST API. Field names are the JSON keys; the
JSON-LD context (``aslgraph.api.jsonld``) gives each one its RDF meaning.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from aslgraph.namespaces import ID


def _example(**example: Any) -> ConfigDict:
    return ConfigDict(frozen=True, json_schema_extra={"examples": [example]})


class Concept(BaseModel):
    """A SKOS concept of one of the graph's schemes (a relation, a kind, a role, a status ...)."""

    model_config = _example(iri=ID + "relation/subset-of", id="subset-of", label="subset of")

    iri: str
    id: str
    """The concept's notation, as used in query parameters (``subset-of``, ``gpai-provider``)."""
    label: str


class Ref(BaseModel):
    """A link to another resource of the graph, with what a reader needs to recognise it."""

    model_config = _example(
        iri=ID + "eu-ai-act/art55-1-d",
        curie="aia:art55-1-d",
        notation="Art. 55(1)(d)",
        label="Art. 55(1)(d) — cybersecurity for the model and its physical infrastructure",
    )

    iri: str
    curie: str
    notation: str | None = None
    label: str | None = None


class SourceRef(BaseModel):
    """A source document (``data/sources.ttl``) a statement was taken from."""

    model_config = _example(
        iri=ID + "source/E1",
        key="E1",
        title="Regulation (EU) 2024/1689 (AI Act), OJ L, 12.7.2024",
    )

    iri: str
    key: str | None = None
    title: str | None = None


class VersionRef(BaseModel):
    """An instrument version, as cited by a provision or a mapping."""

    model_config = _example(
        iri=ID + "rsp/v2.2",
        curie="rsp:v2.2",
        notation="v2.2",
        label="RSP version 2.2",
        issued="2025-05-14",
    )

    iri: str
    curie: str
    notation: str | None = None
    label: str | None = None
    issued: date | None = None


class Citation(BaseModel):
    """One end of a mapping: the provision and the instrument version it was mapped in."""

    model_config = _example(
        iri=ID + "rsp/ASL3-SS",
        curie="rsp:ASL3-SS",
        notation="ASL-3 Security Standard",
        label="ASL-3 Security Standard",
        version={
            "iri": ID + "rsp/v2.2",
            "curie": "rsp:v2.2",
            "notation": "v2.2",
            "label": "RSP version 2.2",
            "issued": "2025-05-14",
        },
    )

    iri: str
    curie: str
    notation: str | None = None
    label: str | None = None
    version: VersionRef | None = None


_CONCEPT_SUBSET = {"iri": ID + "relation/subset-of", "id": "subset-of", "label": "subset of"}
_CONCEPT_SUPERSET = {
    "iri": ID + "relation/superset-of",
    "id": "superset-of",
    "label": "superset of",
}
_CITE_RSP = {
    "iri": ID + "rsp/ASL3-SS",
    "curie": "rsp:ASL3-SS",
    "notation": "ASL-3 Security Standard",
    "label": "ASL-3 Security Standard",
    "version": {"iri": ID + "rsp/v2.2", "curie": "rsp:v2.2", "notation": "v2.2"},
}
_CITE_AIA = {
    "iri": ID + "eu-ai-act/art55-1-d",
    "curie": "aia:art55-1-d",
    "notation": "Art. 55(1)(d)",
    "label": "Art. 55(1)(d) — cybersecurity for the model and its physical infrastructure",
    "version": {"iri": ID + "eu-ai-act/oj-2024", "curie": "aia:oj-2024"},
}
_MAPPING_EXAMPLE: dict[str, Any] = {
    "mapping": ID + "map/rsp__eu-ai-act-001",
    "curie": "map:rsp__eu-ai-act-001",
    "direction": "forward",
    "relation": _CONCEPT_SUBSET,
    "asserted_relation": _CONCEPT_SUBSET,
    "rationale": {"iri": ID + "rationale/semantic", "id": "semantic", "label": "semantic"},
    "confidence": 0.8,
    "justification": "RSP v2.2 §4.2 ASL-3 Security Standard protects model weights against "
    "most attackers ...; Art. 55(1)(d) requires an adequate level of cybersecurity ...",
    "status": {"iri": ID + "mapping-status/reviewed", "id": "reviewed", "label": "reviewed"},
    "created": "2026-11-26",
    "subject": _CITE_RSP,
    "object": _CITE_AIA,
    "other": _CITE_AIA,
    "derived_from": [{"iri": ID + "source/A3", "key": "A3"}, {"iri": ID + "source/E1"}],
}


class MappingLink(BaseModel):
    """A mapping record read from one of its ends.

    ``direction`` is ``forward`` when the provision it is read from is the record's subject and
    ``inverse`` when it is the object; ``relation`` is then the relation from that provision to
    ``other`` (the stored relation's ``asl:inverseRelation`` when read backwards), while
    ``asserted_relation`` is the relation as stored, from ``subject`` to ``object``.
    """

    model_config = ConfigDict(frozen=True, json_schema_extra={"examples": [_MAPPING_EXAMPLE]})

    mapping: str
    curie: str
    direction: Literal["forward", "inverse"]
    relation: Concept
    asserted_relation: Concept
    rationale: Concept | None = None
    confidence: float | None = None
    justification: str | None = None
    status: Concept | None = None
    created: date | None = None
    subject: Citation
    object: Citation
    other: Citation
    derived_from: list[SourceRef] = []


# ---------------------------------------------------------------- instruments


class Version(BaseModel):
    """A dated text of an instrument; ``paraphrase`` says what changed."""

    model_config = _example(
        iri=ID + "rsp/v2.2",
        curie="rsp:v2.2",
        notation="v2.2",
        label="RSP version 2.2",
        paraphrase="Narrows the insider scope of the ASL-3 Security Standard ...",
        issued="2025-05-14",
        entry_into_force=None,
        applies_from=None,
        revision_of={"iri": ID + "rsp/v2.1", "curie": "rsp:v2.1", "notation": "v2.1"},
        amended_by=[],
        verification={
            "iri": ID + "verification/verified",
            "id": "verified",
            "label": "verified",
        },
    )

    iri: str
    curie: str
    notation: str | None = None
    label: str | None = None
    paraphrase: str | None = None
    issued: date | None = None
    entry_into_force: date | None = None
    applies_from: date | None = None
    revision_of: Ref | None = None
    amended_by: list[Ref] = []
    verification: Concept | None = None


class Instrument(BaseModel):
    """A law, code, policy or guidance document and its versions (oldest first).

    ``scheme`` is the scheme of the instrument's own IRI; ``schemes`` every scheme whose
    provisions belong to one of its versions (the RSP's v3 provisions live in ``rsp3``).
    """

    model_config = _example(
        iri=ID + "rsp/RSP",
        curie="rsp:RSP",
        scheme="rsp",
        schemes=["rsp", "rsp3"],
        notation=None,
        label="Anthropic Responsible Scaling Policy",
        paraphrase="Anthropic's voluntary framework for deciding which safeguards ...",
        types=["Instrument", "SafetyFramework"],
        sources=[{"iri": ID + "source/A3", "key": "A3"}],
        verification={"iri": ID + "verification/verified", "id": "verified", "label": "verified"},
        see_also=[],
        versions=[{"iri": ID + "rsp/v2.2", "curie": "rsp:v2.2", "notation": "v2.2"}],
    )

    iri: str
    curie: str
    scheme: str
    schemes: list[str]
    notation: str | None = None
    label: str | None = None
    paraphrase: str | None = None
    types: list[str] = []
    sources: list[SourceRef] = []
    verification: Concept | None = None
    see_also: list[str] = []
    versions: list[Version] = []


# ---------------------------------------------------------------- provisions


class ProvisionSummary(BaseModel):
    """A provision as listed: citation, label, paraphrase, kind and how well it is backed."""

    model_config = _example(
        iri=ID + "eu-ai-act/art55-1-d",
        curie="aia:art55-1-d",
        scheme="eu-ai-act",
        local="art55-1-d",
        notation="Art. 55(1)(d)",
        label="Art. 55(1)(d) — cybersecurity for the model and its physical infrastructure",
        paraphrase="Ensure an adequate level of cybersecurity protection both for the model "
        "and for its physical infrastructure.",
        kind={"iri": ID + "provision-kind/point", "id": "point", "label": "point"},
        types=["Obligation"],
        verification={"iri": ID + "verification/verified", "id": "verified", "label": "verified"},
    )

    iri: str
    curie: str
    scheme: str
    local: str
    notation: str | None = None
    label: str | None = None
    paraphrase: str | None = None
    kind: Concept | None = None
    types: list[str] = []
    verification: Concept | None = None


_ART111_3 = {
    "iri": ID + "eu-ai-act/art111-3",
    "curie": "aia:art111-3",
    "notation": "Art. 111(3)",
    "label": "Art. 111(3) — GPAI models placed on the market before 2 August 2025",
}
_SR_PROVIDER = {
    "iri": ID + "role/gpai-sr-provider",
    "id": "gpai-sr-provider",
    "label": "provider of a general-purpose AI model with systemic risk",
}


class TransitionalRef(Ref):
    """A transitional rule deferring an obligation (Art. 111(3)): placed before, comply by."""

    model_config = _example(
        **_ART111_3, placed_before="2025-08-02", compliance_deadline="2027-08-02"
    )

    placed_before: date | None = None
    compliance_deadline: date | None = None


class ObligationInfo(Ref):
    """A duty a provision imposes: on which role, under which condition, from when, on which
    basis, and which transitional rules defer it."""

    model_config = _example(
        iri=ID + "eu-ai-act/art55-1-d",
        curie="aia:art55-1-d",
        notation="Art. 55(1)(d)",
        label="Art. 55(1)(d) — cybersecurity for the model and its physical infrastructure",
        roles=[_SR_PROVIDER],
        condition="Binds providers of general-purpose AI models classified as having systemic "
        "risk under Art. 51. ...",
        applies_from="2025-08-02",
        basis={"iri": ID + "eu-ai-act/art113-b", "curie": "aia:art113-b"},
        deferred_by=[
            {**_ART111_3, "placed_before": "2025-08-02", "compliance_deadline": "2027-08-02"}
        ],
    )

    roles: list[Concept] = []
    condition: str | None = None
    applies_from: date | None = None
    basis: Ref | None = None
    deferred_by: list[TransitionalRef] = []


class ProvisionDetail(ProvisionSummary):
    """One provision with its source, versions, place in the text, duties and mappings.

    ``parents`` runs from the direct parent up to the instrument version; ``obligations`` are
    the duties the provision imposes itself or through its parts; ``serves`` and ``served_by``
    are the ``asl:servesProvision`` links the texts state themselves (not mappings); ``mappings``
    holds every mapping record with this provision at either end.
    """

    model_config = ConfigDict(frozen=True)

    sources: list[SourceRef] = []
    locator: str | None = None
    in_version: list[VersionRef] = []
    see_also: list[str] = []
    parents: list[Ref] = []
    children: list[Ref] = []
    obligations: list[ObligationInfo] = []
    serves: list[Ref] = []
    served_by: list[Ref] = []
    mappings: list[MappingLink] = []


# ---------------------------------------------------------------- tiers


class Threshold(Ref):
    """A capability threshold that requires some of a tier's safeguard standards."""

    model_config = _example(
        iri=ID + "rsp/CT-CBRN-3",
        curie="rsp:CT-CBRN-3",
        notation="CBRN-3",
        label="CBRN-3 capability threshold",
        risk_domains=[{"iri": ID + "risk-domain/cbrn", "id": "cbrn", "label": "CBRN"}],
        requires=[{"iri": ID + "rsp/ASL3-DS", "curie": "rsp:ASL3-DS"}],
        requirement_note="Needs both the ASL-3 Deployment Standard and the ASL-3 Security "
        "Standard ...",
    )

    risk_domains: list[Concept] = []
    requires: list[Ref] = []
    requirement_note: str | None = None


class Measure(Ref):
    """A measure a developer put in place to meet a standard or one of its requirements."""

    model_config = _example(
        iri=ID + "rsp/M-TwoPartyAuth",
        curie="rsp:M-TwoPartyAuth",
        label="Two-party authorization",
        adopted_on="2025-05-22",
    )

    adopted_on: date | None = None


class Standard(Ref):
    """A safeguard standard of the tier or of a tier it includes (``inherited``)."""

    model_config = _example(
        iri=ID + "rsp/ASL3-SS",
        curie="rsp:ASL3-SS",
        notation="ASL-3 Security Standard",
        label="ASL-3 Security Standard",
        level={"iri": ID + "rsp/ASL-3", "curie": "rsp:ASL-3", "notation": "ASL-3"},
        inherited=False,
        specified=True,
        paraphrase="...",
        requirements=[{"iri": ID + "rsp/ASL3-SS-1", "curie": "rsp:ASL3-SS-1"}],
        measures=[],
    )

    level: Ref
    inherited: bool
    specified: bool | None = None
    paraphrase: str | None = None
    requirements: list[Ref] = []
    measures: list[Measure] = []


class DimensionSafeguards(BaseModel):
    """The standards of one dimension of the tier summary, the tier's own and inherited ones
    (higher tiers first)."""

    model_config = _example(
        dimension={"iri": ID + "dimension/security", "id": "security", "label": "security"},
        standards=[],
    )

    dimension: Concept
    standards: list[Standard] = []


class Claim(BaseModel):
    """A statement about a tier from one source, with its verification status and verdict."""

    model_config = _example(
        iri=ID + "rsp/SEED-security-ASL3",
        curie="rsp:SEED-security-ASL3",
        label="Seed: security at ASL-3",
        paraphrase="Insider-threat mitigations and hardened weight access.",
        about_dimension={"iri": ID + "dimension/security", "id": "security", "label": "security"},
        sources=[{"iri": ID + "source/SEED", "key": "SEED"}],
        locator="tier table, Security x ASL-3",
        verification={
            "iri": ID + "verification/unverified",
            "id": "unverified",
            "label": "unverified",
        },
        verdict={
            "iri": ID + "verdict/partly-agrees",
            "id": "partly-agrees",
            "label": "partly agrees",
        },
        evidence=[],
    )

    iri: str
    curie: str
    label: str | None = None
    paraphrase: str | None = None
    about_dimension: Concept | None = None
    sources: list[SourceRef] = []
    locator: str | None = None
    verification: Concept | None = None
    verdict: Concept | None = None
    evidence: list[Ref] = []


class SummaryClaim(Claim):
    """A tier-summary claim and the source-backed claim it was checked against."""

    model_config = ConfigDict(frozen=True)

    counter_claim: Claim | None = None


class Tier(BaseModel):
    """An AI Safety Level with its thresholds, its safeguards by dimension (cumulative: a tier
    includes the standards of every tier it includes) and the tier-summary claims about it."""

    model_config = _example(
        iri=ID + "rsp/ASL-3",
        curie="rsp:ASL-3",
        id="ASL-3",
        rank=3,
        notation="ASL-3",
        label="AI Safety Level 3",
        paraphrase="...",
        includes=[{"iri": ID + "rsp/ASL-2", "curie": "rsp:ASL-2", "notation": "ASL-2"}],
        thresholds=[],
        dimensions=[],
        claims=[],
    )

    iri: str
    curie: str
    id: str
    rank: int | None = None
    notation: str | None = None
    label: str | None = None
    paraphrase: str | None = None
    includes: list[Ref] = []
    thresholds: list[Threshold] = []
    dimensions: list[DimensionSafeguards] = []
    claims: list[SummaryClaim] = []


# ---------------------------------------------------------------- crosswalk


class CrosswalkEntry(BaseModel):
    """A provision the crosswalk reaches, directly (one mapping) or derived (two mappings).

    ``relation`` runs from the provision asked about to ``target``; for a derived entry it is
    the composition of the path's relations (``rule`` shows it), ``via`` the intermediate
    provision and ``confidence`` the weakest on the path; ``status`` is ``draft`` unless every
    mapping on the path is reviewed. ``path`` holds the mapping records, each read from the
    provision it is walked from.
    """

    model_config = _example(
        derived=False,
        target=_CITE_AIA,
        via=None,
        relation=_CONCEPT_SUBSET,
        confidence=0.8,
        status={"iri": ID + "mapping-status/reviewed", "id": "reviewed", "label": "reviewed"},
        rule=None,
        path=[_MAPPING_EXAMPLE],
    )

    derived: bool
    target: Citation
    via: Citation | None = None
    relation: Concept
    confidence: float | None = None
    status: Concept | None = None
    rule: str | None = None
    path: list[MappingLink]


class Crosswalk(BaseModel):
    """Every provision mapped to ``provision``: direct entries first, then derived ones."""

    model_config = ConfigDict(frozen=True)

    provision: Ref
    to_scheme: str | None = None
    min_confidence: float | None = None
    as_of: date | None = None
    entries: list[CrosswalkEntry] = []

    @property
    def direct(self) -> list[CrosswalkEntry]:
        return [e for e in self.entries if not e.derived]

    @property
    def derived(self) -> list[CrosswalkEntry]:
        return [e for e in self.entries if e.derived]


# ---------------------------------------------------------------- coverage


class CoverageLink(BaseModel):
    """A mapping linking a provision to one of the other scheme: the other provision, the
    relation read from the row's side, the confidence and status."""

    model_config = _example(
        mapping=ID + "map/rsp__eu-ai-act-001",
        other={"iri": ID + "eu-ai-act/art55-1-d", "curie": "aia:art55-1-d"},
        relation=_CONCEPT_SUBSET,
        confidence=0.8,
        status={"iri": ID + "mapping-status/reviewed", "id": "reviewed", "label": "reviewed"},
    )

    mapping: str
    other: Ref
    relation: Concept
    confidence: float | None = None
    status: Concept | None = None


class CoverageRow(Ref):
    """A provision of either scheme (``side``) and the mappings linking it to the other."""

    model_config = _example(
        iri=ID + "rsp/ASL3-SS",
        curie="rsp:ASL3-SS",
        notation="ASL-3 Security Standard",
        label="ASL-3 Security Standard",
        side="from",
        kind={
            "iri": ID + "provision-kind/safeguard-standard",
            "id": "safeguard-standard",
            "label": "safeguard standard",
        },
        covered=True,
        links=[],
    )

    side: Literal["from", "to"]
    kind: Concept | None = None
    covered: bool
    links: list[CoverageLink] = []


class CoverageSide(BaseModel):
    """How many provisions a scheme holds and how many are mapped to the other scheme."""

    model_config = _example(scheme="rsp", provisions=120, covered=40, unmapped=80)

    scheme: str
    provisions: int
    covered: int
    unmapped: int


class Coverage(BaseModel):
    """Which provisions of ``from_scheme`` are covered by which of ``to_scheme`` and the reverse.

    Rows of the ``from`` side come first, then the ``to`` side; a row is ``covered`` when some
    mapping other than ``no-relationship`` (and not superseded) links it to the other scheme.
    """

    model_config = ConfigDict(frozen=True)

    from_scheme: str
    to_scheme: str
    summary: list[CoverageSide]
    rows: list[CoverageRow]


# ---------------------------------------------------------------- obligations


class Applicability(BaseModel):
    """Whether an obligation binds, as the applicability engine decides it for the facts given
    (docs/decisions/0012), as ``outcome``: ``applies``, ``does_not_apply`` (with the condition
    or exception that decided it), ``applies_later`` (with the date and the provision that sets
    it) or ``cannot_be_decided`` (with ``missing``: the facts to state)."""

    model_config = _example(
        outcome="cannot_be_decided",
        reason="Art. 111(3) defers it to 2027-08-02 for models placed on the Union market "
        "before 2025-08-02, and the graph does not say when the model was placed",
        decided_by=[{"iri": ID + "eu-ai-act/art111-3", "curie": "aia:art111-3"}],
        missing=["state when the model was placed on the Union market (placed_on_market)"],
        applies_from=None,
        basis=None,
    )

    outcome: Literal["applies", "does_not_apply", "applies_later", "cannot_be_decided"]
    reason: str
    decided_by: list[Ref] = []
    missing: list[str] = []
    applies_from: date | None = None
    basis: Ref | None = None


class ObligationEntry(Ref):
    """An obligation binding the role asked about (``binds_role``: that role or one it
    includes), with its condition, start date and the basis of that date and, when the
    applicability engine decided it, ``applicability``."""

    model_config = _example(
        iri=ID + "eu-ai-act/art55-1-d",
        curie="aia:art55-1-d",
        notation="Art. 55(1)(d)",
        label="Art. 55(1)(d) — cybersecurity for the model and its physical infrastructure",
        instrument={"iri": ID + "eu-ai-act/AIA", "curie": "aia:AIA"},
        binds_role=_SR_PROVIDER,
        condition="Binds providers of general-purpose AI models classified as having systemic "
        "risk under Art. 51. ...",
        applies_from="2025-08-02",
        basis={"iri": ID + "eu-ai-act/art113-b", "curie": "aia:art113-b"},
        deferred_by=[
            {**_ART111_3, "placed_before": "2025-08-02", "compliance_deadline": "2027-08-02"}
        ],
        superseded_by=None,
    )

    instrument: Ref | None = None
    binds_role: Concept
    condition: str | None = None
    applies_from: date | None = None
    basis: Ref | None = None
    deferred_by: list[TransitionalRef] = []
    superseded_by: VersionRef | None = None
    applicability: Applicability | None = None


class TransitionalNote(Ref):
    """A transitional rule (Art. 111(3)) that defers some of the obligations listed."""

    model_config = _example(
        **_ART111_3,
        placed_before="2025-08-02",
        compliance_deadline="2027-08-02",
        modifies=[{"iri": ID + "eu-ai-act/art55-1-a", "curie": "aia:art55-1-a"}],
        note="Art. 111(3): providers of models placed on the market before 2025-08-02 have "
        "until 2027-08-02 to comply with 4 of the obligations listed. ...",
    )

    placed_before: date | None = None
    compliance_deadline: date | None = None
    modifies: list[Ref] = []
    note: str


class Obligations(BaseModel):
    """The obligations of a role on a date, each decided by the applicability engine for the
    facts stated (``facts``; docs/decisions/0012).

    ``in_effect`` apply on ``as_of``; ``upcoming`` apply later (each with its date and basis);
    ``undecided`` cannot be decided without a fact not stated (each says which);
    ``not_applicable`` do not apply (each says which condition or exception decided it);
    ``superseded`` were in an instrument version that a later one, issued by ``as_of``, no
    longer contains. ``roles_considered`` lists every role whose obligations were gathered
    (the role asked about, the broader roles it includes and the narrower roles held by
    condition, such as gpai-sr-provider); ``transitional`` the rules (Art. 111(3)) that
    defer some of them.
    """

    model_config = ConfigDict(frozen=True)

    role: Concept
    roles_considered: list[Concept]
    systemic_risk: bool | None
    as_of: date
    facts: dict[str, str] = {}
    """The facts stated, by parameter name, as given (dates and numbers as text)."""
    in_effect: list[ObligationEntry] = []
    upcoming: list[ObligationEntry] = []
    undecided: list[ObligationEntry] = []
    not_applicable: list[ObligationEntry] = []
    superseded: list[ObligationEntry] = []
    transitional: list[TransitionalNote] = []


# ---------------------------------------------------------------- any resource (/id pages)


class Statement(BaseModel):
    """One property of a resource and its values (IRIs as links, literals as text)."""

    model_config = ConfigDict(frozen=True)

    property: Ref
    values: list[Ref | str]


class ResourceView(BaseModel):
    """Any resource the graph mints, for its HTML page."""

    model_config = ConfigDict(frozen=True)

    iri: str
    curie: str
    scheme: str
    local: str
    label: str | None = None
    notation: str | None = None
    paraphrase: str | None = None
    is_provision: bool = False
    types: list[Ref] = []
    sources: list[SourceRef] = []
    locator: str | None = None
    parents: list[Ref] = []
    children: list[Ref] = []
    statements: list[Statement] = []
    mappings: list[MappingLink] = []


# ---------------------------------------------------------------- one framework, several regimes


_SECTION_EXAMPLE = {
    "iri": ID + "rsp/ASL3-SS",
    "curie": "rsp:ASL3-SS",
    "notation": "ASL-3 Security Standard",
    "label": "ASL-3 Security Standard",
}
_DUTY_EXAMPLE = {
    "iri": ID + "ca-sb53/22757.13-c-1",
    "curie": "sb53:22757.13-c-1",
    "notation": "§22757.13(c)(1)",
    "label": "§22757.13(c)(1) — report a critical safety incident to Cal OES within 15 days",
}


class Serving(BaseModel):
    """A section of the framework that serves an obligation: through one mapping (direct) or
    two (derived, ``via`` the provision between), with the relation read from the obligation's
    side and the weakest confidence on the way."""

    model_config = _example(
        section=_SECTION_EXAMPLE,
        relation={
            "iri": ID + "relation/intersects-with",
            "id": "intersects-with",
            "label": "intersects with",
        },
        confidence=0.6,
        derived=False,
        via=None,
        part=None,
    )

    section: Ref
    relation: Concept
    confidence: float | None = None
    derived: bool = False
    via: Ref | None = None
    part: Ref | None = None
    """The part of the obligation the section is mapped to (a framework item of it), when the
    mapping is to a part rather than to the obligation itself."""


class Clock(BaseModel):
    """The time an obligation allows: days or hours from its trigger."""

    model_config = _example(days=15, hours=None)

    days: int | None = None
    hours: int | None = None

    def text(self) -> str:
        if self.hours is not None:
            return f"{self.hours} hours"
        return f"{self.days} days" if self.days is not None else "no deadline"


class RegimeRow(BaseModel):
    """One obligation of one regime and the sections of the framework that serve it (none:
    the obligation is a gap)."""

    model_config = _example(
        regime="ca-sb53", obligation=_DUTY_EXAMPLE, clock={"days": 15, "hours": None}, served_by=[]
    )

    regime: str
    obligation: Ref
    clock: Clock | None = None
    served_by: list[Serving] = []


class ClockDifference(BaseModel):
    """A section that serves obligations whose deadlines differ from each other (in several
    regimes) or from the section's own."""

    model_config = _example(section=_SECTION_EXAMPLE, section_clock=None, obligations=[])

    section: Ref
    section_clock: Clock | None = None
    """The section's own deadline, when it has one (a framework that is itself a law)."""
    obligations: list[RegimeRow]


class RegimeMatrix(BaseModel):
    """Which sections of a framework serve which obligation of each regime, which obligations
    no section serves, and where the regimes' deadlines differ for the same section."""

    model_config = _example(
        framework="rsp", regimes=["eu-ai-act", "ca-sb53"], rows=[], gaps=[], clocks_differ=[]
    )

    framework: str
    regimes: list[str]
    rows: list[RegimeRow]
    gaps: list[RegimeRow]
    """The rows no section serves."""
    clocks_differ: list[ClockDifference]
