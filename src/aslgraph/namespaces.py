"""The one module that spells aslgraph's IRIs.

Everything else imports from here: the ontology namespace (``ASL``), the instance schemes and
their Turtle prefixes (``SCHEMES``), the SKOS concept schemes, and the IRIs of named graphs.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

BASE = "https://w3id.org/aslgraph/"
"""The base of every IRI aslgraph mints."""


class Namespace(str):
    """An IRI prefix; ``NS["local"]`` is the full IRI, a plain str.

    Not rdflib's Namespace: the service and the query workers never import rdflib (about 0.2 s
    and 20 MiB of a process's start, decision 0020). Where an rdflib graph is built, wrap a
    term in ``rdflib.URIRef``.
    """

    __slots__ = ()

    def __getitem__(self, local: Any) -> str:
        if not isinstance(local, str):
            raise TypeError(f"a namespace is indexed by a local name, not {local!r}")
        return str.__add__(self, local)


ONTOLOGY_IRI = BASE + "ontology"
ID = BASE + "id/"
GRAPH = Namespace(BASE + "graph/")
"""Named graphs: one per source file, ``GRAPH[<path relative to the project root>]``."""


class ASL:
    """Terms of the aslgraph ontology (``ontology/aslgraph.ttl``)."""

    _NS = Namespace(BASE + "ontology#")

    # classes
    Instrument: str
    Legislation: str
    CodeOfPractice: str
    SafetyFramework: str
    VoluntaryCommitments: str
    GovernmentGuidance: str
    PublicationCollection: str
    InstrumentVersion: str
    Provision: str
    Obligation: str
    ApplicationRule: str
    TransitionalRule: str
    ReportingDeadline: str
    SafetyLevel: str
    CapabilityCriterion: str
    CapabilityThreshold: str
    CapabilityCheckpoint: str
    OngoingAssessmentArea: str
    SafeguardStandard: str
    SafeguardRequirement: str
    SafeguardMeasure: str
    ThreatActorClass: str
    ThreatScopeStatement: str
    Claim: str
    SourceDocument: str
    Mapping: str
    # properties
    versionOf: str
    amendedBy: str
    entryIntoForce: str
    appliesFrom: str
    paraphrase: str
    provisionKind: str
    inVersion: str
    source: str
    locator: str
    verificationStatus: str
    servesProvision: str
    bindsRole: str
    owedTo: str
    condition: str
    applicationBasis: str
    exercisedBy: str
    governs: str
    appliesToPlacedBefore: str
    complianceDeadline: str
    modifies: str
    days: str
    trigger: str
    maxFineTurnoverPercent: str
    maxFineAmountEUR: str
    levelRank: str
    includesLevel: str
    riskDomain: str
    requiresStandard: str
    requirementNote: str
    forLevel: str
    dimension: str
    specified: str
    implementsStandard: str
    adoptedOn: str
    scopeOf: str
    threatActor: str
    inScope: str
    aboutLevel: str
    aboutDimension: str
    verdict: str
    assessedAgainst: str
    evidence: str
    sourceKey: str
    primarySource: str
    mappingSubject: str
    mappingObject: str
    relation: str
    rationale: str
    justification: str
    confidence: str
    mappingStatus: str
    subjectVersion: str
    objectVersion: str
    skosMatch: str
    oscalRelationship: str
    inverseRelation: str
    # organisation graph (classes)
    Organisation: str
    RoleAssignment: str
    AISystem: str
    AIModel: str
    DeclaredPosture: str
    Evidence: str
    Control: str
    CompensatingControl: str
    # organisation graph (properties)
    assessmentDate: str
    holdsRole: str
    role: str
    underRegime: str
    roleFor: str
    declaresRegime: str
    hasAISystem: str
    hasAIModel: str
    integratesModel: str
    supplier: str
    systemicRisk: str
    requiredLevel: str
    declaresPosture: str
    postureFor: str
    standardInForce: str
    frameworkVersion: str
    adheresTo: str
    evidencedBy: str
    validUntil: str
    addresses: str
    runsControl: str
    compensatesFor: str
    # applicability
    Condition: str
    conditionQuery: str
    conditionSubject: str
    readsFact: str
    ifUnknown: str
    allOf: str
    negationOf: str
    setBy: str
    appliesWhen: str
    exempts: str
    exemptionWhen: str
    heldWhen: str
    dutiesPerModel: str
    reportsTo: str
    shownBy: str
    arisesOn: str
    dueWithinDays: str
    dueWithinHours: str
    maxPenaltyUSD: str
    maxRepeatPenaltyUSD: str
    penaltyPerDayUSD: str
    computeThresholdOperations: str
    revenueThresholdUSD: str
    casualtyThreshold: str
    damageThresholdUSD: str
    # organisation graph: facts the conditions read
    establishedIn: str
    MarketPlacement: str
    placedOnMarket: str
    market: str
    ReleaseTerms: str
    releasedUnder: str
    freeAndOpenSource: str
    publicWeights: str
    publicArchitecture: str
    publicUsageInformation: str
    ComputeEstimate: str
    trainingCompute: str
    flop: str
    estimationMethod: str
    RevenueStatement: str
    annualRevenue: str
    calendarYear: str
    usd: str
    includesAffiliates: str
    developedIn: str
    deployedIn: str
    operatedIn: str
    activityStated: str
    Notification: str
    notification: str
    Designation: str
    designation: str
    Mandate: str
    mandates: str
    representative: str
    mandateFor: str
    # determinations (computed)
    Determination: str
    determination: str
    aboutObligation: str
    postureVerdict: str
    bindingRegime: str
    compensated: str
    frameworkOnly: str
    determinedSystemicRisk: str
    summary: str
    PolicyFinding: str
    policyFinding: str
    findingKind: str
    aboutClause: str
    determinedLevel: str
    # an organisation's own policy for its fleet
    InternalPolicy: str
    adoptsPolicy: str
    PolicyLevel: str
    PolicyTrigger: str
    triggersLevel: str
    whenContext: str
    PolicySafeguard: str
    requiresSafeguard: str
    requiresSupplierLevel: str
    exhibits: str
    policyLevel: str
    coversSystem: str
    candidateModel: str
    # annotation on validation shapes
    restsOn: str


# Each term is a plain class attribute holding its IRI (a str): reading ``ASL.holdsRole`` is an
# attribute read (rdflib's DefinedNamespace checked membership on every access, which cost 0.8 s
# of a 10^5-triple validation). A term not declared above is an AttributeError, and mypy's error.
for _term in ASL.__annotations__:
    setattr(ASL, _term, ASL._NS[_term])
del _term

SCHEMES: dict[str, str] = {
    "rsp": "rsp",
    "rsp3": "rsp3",
    "eu-ai-act": "aia",
    "gpai-cop": "cop",
    "uk-fasc": "fasc",
    "uk-ep": "ukep",
    "uk-cs": "dsit-cs",
    "uk-aisi": "aisi",
    "openai-pf": "oai",
    "gdm-fsf": "gdm",
    "nist-ai-rmf": "nist",
    "eu-gpai-guidelines": "gpaigl",
    "ca-sb53": "sb53",
    "ny-raise": "raise",
    "map": "map",
    "source": "src",
    "agent": "agent",
    "relation": "rel",
    "rationale": "rat",
    "mapping-status": "mst",
    "role": "role",
    "dimension": "dim",
    "verification": "vst",
    "verdict": "verdict",
    "provision-kind": "pk",
    "risk-domain": "rd",
    "jurisdiction": "jur",
    "condition": "cond",
}
"""Instance schemes (``<BASE>id/<scheme>/<local>``) and their Turtle prefixes."""


def scheme_namespace(scheme: str) -> Namespace:
    """Return the namespace of an instance scheme; raises KeyError for an unknown scheme."""
    if scheme not in SCHEMES:
        raise KeyError(scheme)
    return Namespace(f"{ID}{scheme}/")


PREFIXES: dict[str, str] = {
    "asl": str(ASL._NS),
    **{prefix: f"{ID}{scheme}/" for scheme, prefix in SCHEMES.items()},
    "dct": "http://purl.org/dc/terms/",
    "owl": "http://www.w3.org/2002/07/owl#",
    "prov": "http://www.w3.org/ns/prov#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "sh": "http://www.w3.org/ns/shacl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
"""Prefixes known to queries and serialisations."""

RDF = Namespace(PREFIXES["rdf"])
RDFS = Namespace(PREFIXES["rdfs"])
XSD = Namespace(PREFIXES["xsd"])
DCT = Namespace(PREFIXES["dct"])
OWL = Namespace(PREFIXES["owl"])
"""The W3C and DCMI vocabularies, for code that builds terms without rdflib (``RDF["type"]``)."""

REL = scheme_namespace("relation")
VST = scheme_namespace("verification")


def graph_iri(relative_path: str) -> str:
    """Return the IRI of the named graph holding the file at ``relative_path`` (POSIX)."""
    return GRAPH[relative_path]


STORE_MARKER = GRAPH["store-marker"]
"""The named graph (and subject) of a remote store's version marker (``aslgraph load --store``,
:mod:`aslgraph.remote.marker`); no source file can have this name (it has no RDF suffix)."""


def curie(iri: str, extra: Mapping[str, str] | None = None) -> str:
    """Shorten ``iri`` to a CURIE with the longest matching known prefix, or return it as is.

    ``extra`` adds prefixes (a document's own); the project's prefixes win a tie.
    """
    best = ""
    best_prefix = ""
    known = {**extra, **PREFIXES} if extra else PREFIXES
    for prefix, ns in known.items():
        if iri.startswith(ns) and len(ns) > len(best):
            best, best_prefix = ns, prefix
    return f"{best_prefix}:{iri[len(best) :]}" if best else iri


def expand(curie_or_iri: str) -> str:
    """Expand a CURIE with a known prefix; an absolute IRI is returned unchanged.

    Raises ValueError when the text is neither.
    """
    head, sep, tail = curie_or_iri.partition(":")
    if sep and head in PREFIXES and not tail.startswith("//"):
        return PREFIXES[head] + tail
    if sep and tail.startswith("//"):
        return curie_or_iri
    raise ValueError(f"not an IRI or a CURIE with a known prefix: {curie_or_iri!r}")
