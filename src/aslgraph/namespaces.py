"""The one module that spells aslgraph's IRIs.

Everything else imports from here: the ontology namespace (``ASL``), the instance schemes and
their Turtle prefixes (``SCHEMES``), the SKOS concept schemes, and the IRIs of named graphs.
"""

from __future__ import annotations

from collections.abc import Mapping

from rdflib import Namespace
from rdflib.namespace import DefinedNamespace
from rdflib.term import URIRef

BASE = "https://w3id.org/aslgraph/"
"""The base of every IRI aslgraph mints."""

ONTOLOGY_IRI = URIRef(BASE + "ontology")
ID = BASE + "id/"
GRAPH = Namespace(BASE + "graph/")
"""Named graphs: one per source file, ``GRAPH[<path relative to the project root>]``."""


class ASL(DefinedNamespace):
    """Terms of the aslgraph ontology (``ontology/aslgraph.ttl``)."""

    _NS = Namespace(BASE + "ontology#")
    _fail = True

    # classes
    Instrument: URIRef
    Legislation: URIRef
    CodeOfPractice: URIRef
    SafetyFramework: URIRef
    VoluntaryCommitments: URIRef
    GovernmentGuidance: URIRef
    PublicationCollection: URIRef
    InstrumentVersion: URIRef
    Provision: URIRef
    Obligation: URIRef
    ApplicationRule: URIRef
    TransitionalRule: URIRef
    ReportingDeadline: URIRef
    SafetyLevel: URIRef
    CapabilityCriterion: URIRef
    CapabilityThreshold: URIRef
    CapabilityCheckpoint: URIRef
    OngoingAssessmentArea: URIRef
    SafeguardStandard: URIRef
    SafeguardRequirement: URIRef
    SafeguardMeasure: URIRef
    ThreatActorClass: URIRef
    ThreatScopeStatement: URIRef
    Claim: URIRef
    SourceDocument: URIRef
    Mapping: URIRef
    # properties
    versionOf: URIRef
    amendedBy: URIRef
    entryIntoForce: URIRef
    appliesFrom: URIRef
    paraphrase: URIRef
    provisionKind: URIRef
    inVersion: URIRef
    source: URIRef
    locator: URIRef
    verificationStatus: URIRef
    servesProvision: URIRef
    bindsRole: URIRef
    owedTo: URIRef
    condition: URIRef
    applicationBasis: URIRef
    exercisedBy: URIRef
    governs: URIRef
    appliesToPlacedBefore: URIRef
    complianceDeadline: URIRef
    modifies: URIRef
    days: URIRef
    trigger: URIRef
    maxFineTurnoverPercent: URIRef
    maxFineAmountEUR: URIRef
    levelRank: URIRef
    includesLevel: URIRef
    riskDomain: URIRef
    requiresStandard: URIRef
    requirementNote: URIRef
    forLevel: URIRef
    dimension: URIRef
    specified: URIRef
    implementsStandard: URIRef
    adoptedOn: URIRef
    scopeOf: URIRef
    threatActor: URIRef
    inScope: URIRef
    aboutLevel: URIRef
    aboutDimension: URIRef
    verdict: URIRef
    assessedAgainst: URIRef
    evidence: URIRef
    sourceKey: URIRef
    primarySource: URIRef
    mappingSubject: URIRef
    mappingObject: URIRef
    relation: URIRef
    rationale: URIRef
    justification: URIRef
    confidence: URIRef
    mappingStatus: URIRef
    subjectVersion: URIRef
    objectVersion: URIRef
    skosMatch: URIRef
    oscalRelationship: URIRef
    inverseRelation: URIRef
    # organisation graph (classes)
    Organisation: URIRef
    RoleAssignment: URIRef
    AISystem: URIRef
    AIModel: URIRef
    DeclaredPosture: URIRef
    Evidence: URIRef
    Control: URIRef
    CompensatingControl: URIRef
    # organisation graph (properties)
    assessmentDate: URIRef
    holdsRole: URIRef
    role: URIRef
    underRegime: URIRef
    roleFor: URIRef
    declaresRegime: URIRef
    hasAISystem: URIRef
    hasAIModel: URIRef
    integratesModel: URIRef
    supplier: URIRef
    systemicRisk: URIRef
    requiredLevel: URIRef
    declaresPosture: URIRef
    postureFor: URIRef
    standardInForce: URIRef
    frameworkVersion: URIRef
    adheresTo: URIRef
    evidencedBy: URIRef
    validUntil: URIRef
    addresses: URIRef
    runsControl: URIRef
    compensatesFor: URIRef
    # applicability
    Condition: URIRef
    conditionQuery: URIRef
    conditionSubject: URIRef
    readsFact: URIRef
    ifUnknown: URIRef
    allOf: URIRef
    negationOf: URIRef
    setBy: URIRef
    appliesWhen: URIRef
    exempts: URIRef
    exemptionWhen: URIRef
    heldWhen: URIRef
    dutiesPerModel: URIRef
    reportsTo: URIRef
    shownBy: URIRef
    arisesOn: URIRef
    dueWithinDays: URIRef
    dueWithinHours: URIRef
    maxPenaltyUSD: URIRef
    maxRepeatPenaltyUSD: URIRef
    penaltyPerDayUSD: URIRef
    computeThresholdOperations: URIRef
    revenueThresholdUSD: URIRef
    casualtyThreshold: URIRef
    damageThresholdUSD: URIRef
    # organisation graph: facts the conditions read
    establishedIn: URIRef
    MarketPlacement: URIRef
    placedOnMarket: URIRef
    market: URIRef
    ReleaseTerms: URIRef
    releasedUnder: URIRef
    freeAndOpenSource: URIRef
    publicWeights: URIRef
    publicArchitecture: URIRef
    publicUsageInformation: URIRef
    ComputeEstimate: URIRef
    trainingCompute: URIRef
    flop: URIRef
    estimationMethod: URIRef
    RevenueStatement: URIRef
    annualRevenue: URIRef
    calendarYear: URIRef
    usd: URIRef
    includesAffiliates: URIRef
    developedIn: URIRef
    deployedIn: URIRef
    operatedIn: URIRef
    activityStated: URIRef
    Notification: URIRef
    notification: URIRef
    Designation: URIRef
    designation: URIRef
    Mandate: URIRef
    mandates: URIRef
    representative: URIRef
    mandateFor: URIRef
    # determinations (computed)
    Determination: URIRef
    determination: URIRef
    aboutObligation: URIRef
    postureVerdict: URIRef
    bindingRegime: URIRef
    compensated: URIRef
    frameworkOnly: URIRef
    determinedSystemicRisk: URIRef
    summary: URIRef
    PolicyFinding: URIRef
    policyFinding: URIRef
    findingKind: URIRef
    aboutClause: URIRef
    determinedLevel: URIRef
    # an organisation's own policy for its fleet
    InternalPolicy: URIRef
    adoptsPolicy: URIRef
    PolicyLevel: URIRef
    PolicyTrigger: URIRef
    triggersLevel: URIRef
    whenContext: URIRef
    PolicySafeguard: URIRef
    requiresSafeguard: URIRef
    requiresSupplierLevel: URIRef
    exhibits: URIRef
    policyLevel: URIRef
    coversSystem: URIRef
    candidateModel: URIRef
    # annotation on validation shapes
    restsOn: URIRef


# Each term becomes a plain class attribute: ``ASL.holdsRole`` is then an attribute read, not a
# trip through DefinedNamespace's ``__getattr__`` (which checks membership on every access and
# cost 0.8 s of a 10^5-triple validation). A term not declared above still fails as before.
for _term in ASL.__annotations__:
    type.__setattr__(ASL, _term, ASL._NS[_term])
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

REL = scheme_namespace("relation")
VST = scheme_namespace("verification")


def graph_iri(relative_path: str) -> URIRef:
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
