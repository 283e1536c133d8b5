"""The JSON-LD context of the REST API, published at ``GET /api/context.jsonld``.

A JSON-LD answer is the JSON answer plus ``"@context": "<base>/api/context.jsonld"``: every key
of the JSON is a term of this context. Keys with an RDF meaning map to the ontology's properties
(``notation`` is ``skos:notation``, ``confidence`` is ``asl:confidence`` ...), ``iri`` and
``mapping`` are the node's ``@id`` and ``types`` its ``@type`` (class names resolve against the
ontology namespace); keys that only shape the answer (``curie``, ``page``, ``side`` ...) map to
``null`` so that JSON-LD processors drop them instead of inventing properties. Lists of a page
are ``hydra:member`` with ``hydra:totalItems``, ``hydra:next`` and ``hydra:previous``.
"""

from __future__ import annotations

import json
from typing import Any

from aslgraph.namespaces import ASL, PREFIXES

CONTEXT_PATH = "/api/context.jsonld"
HYDRA = "http://www.w3.org/ns/hydra/core#"


def _date(iri: str) -> dict[str, str]:
    return {"@id": iri, "@type": "xsd:date"}


def _reverse(iri: str) -> dict[str, str]:
    return {"@reverse": iri}


TERMS: dict[str, Any] = {
    # identity
    "iri": "@id",
    "mapping": "@id",
    "types": "@type",
    # what a resource is called and says
    "id": "skos:notation",
    "notation": "skos:notation",
    "label": "rdfs:label",
    "title": "dct:title",
    "key": "asl:sourceKey",
    "paraphrase": "asl:paraphrase",
    "kind": "asl:provisionKind",
    "verification": "asl:verificationStatus",
    "sources": "asl:source",
    "locator": "asl:locator",
    "see_also": {"@id": "rdfs:seeAlso", "@type": "@id"},
    # instruments and versions
    "versions": _reverse("asl:versionOf"),
    "version": "asl:inVersion",
    "in_version": "asl:inVersion",
    "issued": _date("dct:issued"),
    "entry_into_force": _date("asl:entryIntoForce"),
    "applies_from": _date("asl:appliesFrom"),
    "revision_of": "prov:wasRevisionOf",
    "amended_by": "asl:amendedBy",
    # structure of the texts
    "parents": "dct:isPartOf",
    "children": _reverse("dct:isPartOf"),
    "serves": "asl:servesProvision",
    "served_by": _reverse("asl:servesProvision"),
    # obligations and dates
    "roles": "asl:bindsRole",
    "binds_role": "asl:bindsRole",
    "condition": "asl:condition",
    "basis": "asl:applicationBasis",
    "deferred_by": _reverse("asl:modifies"),
    "modifies": "asl:modifies",
    "placed_before": _date("asl:appliesToPlacedBefore"),
    "compliance_deadline": _date("asl:complianceDeadline"),
    # tiers, thresholds, safeguards, claims
    "rank": "asl:levelRank",
    "includes": "asl:includesLevel",
    "claims": _reverse("asl:aboutLevel"),
    "risk_domains": "asl:riskDomain",
    "requires": "asl:requiresStandard",
    "requirement_note": "asl:requirementNote",
    "level": "asl:forLevel",
    "specified": "asl:specified",
    "requirements": _reverse("dct:isPartOf"),
    "measures": _reverse("asl:implementsStandard"),
    "adopted_on": _date("asl:adoptedOn"),
    "about_dimension": "asl:aboutDimension",
    "verdict": "asl:verdict",
    "evidence": "asl:evidence",
    "counter_claim": "asl:assessedAgainst",
    # mappings
    "subject": "asl:mappingSubject",
    "object": "asl:mappingObject",
    "asserted_relation": "asl:relation",
    "rationale": "asl:rationale",
    "justification": "asl:justification",
    "confidence": "asl:confidence",
    "status": "asl:mappingStatus",
    "created": _date("dct:created"),
    "derived_from": "prov:wasDerivedFrom",
    "path": "prov:wasDerivedFrom",
    # pages
    "items": "hydra:member",
    "total": "hydra:totalItems",
    "next": {"@id": "hydra:next", "@type": "@id"},
    "prev": {"@id": "hydra:previous", "@type": "@id"},
}
"""Keys with an RDF meaning."""

PRESENTATION_KEYS: tuple[str, ...] = (
    "curie",
    "scheme",
    "schemes",
    "local",
    "direction",
    "other",
    "relation",
    "obligations",
    "mappings",
    "superseded_by",
    "instrument",
    "note",
    "inherited",
    "dimension",
    "dimensions",
    "standards",
    "thresholds",
    "derived",
    "target",
    "via",
    "rule",
    "links",
    "side",
    "covered",
    "summary",
    "provisions",
    "unmapped",
    "page",
    "size",
    "filters",
    "q",
    "provision",
    "to_scheme",
    "from_scheme",
    "min_confidence",
    "as_of",
    "direct_total",
    "derived_total",
    "role",
    "roles_considered",
    "systemic_risk",
    "in_effect",
    "upcoming",
    "superseded",
    "transitional",
    "facts",
    "undecided",
    "not_applicable",
    "applicability",
    "outcome",
    "reason",
    "decided_by",
    "missing",
)
"""Keys that only shape an answer; the context maps them to null (JSON-LD drops them)."""


def context() -> dict[str, Any]:
    """The context document (``{"@context": {...}}``)."""
    prefixes = {name: PREFIXES[name] for name in ("asl", "dct", "prov", "rdfs", "skos", "xsd")}
    terms: dict[str, Any] = {
        "@vocab": str(ASL._NS),
        **prefixes,
        "hydra": HYDRA,
        **TERMS,
        **{key: None for key in PRESENTATION_KEYS},
    }
    return {"@context": terms}


def context_bytes() -> bytes:
    return json.dumps(context(), indent=2, ensure_ascii=False).encode("utf-8")


def defined_terms() -> frozenset[str]:
    """Every key the context defines (used to check that no answer has an undefined key)."""
    return frozenset(TERMS) | frozenset(PRESENTATION_KEYS)
