"""JSON-LD answers: the JSON plus the published @context, every key defined in it, and the
RDF they denote says what the graph says."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS, SKOS, XSD

from aslgraph.api.jsonld import CONTEXT_PATH, defined_terms
from aslgraph.namespaces import ASL, ID

LD = {"accept": "application/ld+json"}
URLS = [
    "/api/instruments",
    "/api/provisions?scheme=eu-ai-act",
    "/api/provisions/eu-ai-act/art55-1-d",
    "/api/provisions/eu-ai-act/art55",
    "/api/tiers",
    "/api/crosswalk?from=rsp:ASL3-SS",
    "/api/crosswalk?from=ukep:5",
    "/api/coverage?from=rsp&to=eu-ai-act",
    "/api/obligations?role=gpai-provider&systemic_risk=true&as_of=2025-01-01",
    "/api/obligations?role=frontier-developer&as_of=2026-11-01",
]


def keys(value: Any) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in keys(v)}
    return set()


@pytest.fixture(scope="module")
def context(client: TestClient) -> dict[str, Any]:
    response = client.get(CONTEXT_PATH)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/ld+json"
    body: dict[str, Any] = response.json()
    return body


RDFLIB_JSONLD = pytest.mark.filterwarnings(
    "ignore:ConjunctiveGraph is deprecated:DeprecationWarning"
)


def as_graph(body: dict[str, Any], context: dict[str, Any]) -> Graph:
    inline = {**body, "@context": context["@context"]}
    return Graph().parse(data=json.dumps(inline), format="json-ld", base="http://test/")


@pytest.mark.parametrize("url", URLS)
def test_every_key_is_a_term_of_the_context(
    client: TestClient, context: dict[str, Any], url: str
) -> None:
    body = client.get(url, headers=LD).json()
    assert body["@context"] == CONTEXT_PATH
    undefined = {k for k in keys(body) if not k.startswith("@")} - set(context["@context"])
    assert undefined == set()


def test_the_context_defines_exactly_the_declared_terms(context: dict[str, Any]) -> None:
    terms = {k for k in context["@context"] if not k.startswith("@")}
    prefixes = {"asl", "dct", "prov", "rdfs", "skos", "xsd", "hydra"}
    assert terms - prefixes == defined_terms()


def test_json_ld_is_the_json_plus_the_context(client: TestClient) -> None:
    plain = client.get("/api/tiers/3").json()
    linked = client.get("/api/tiers/3", headers=LD).json()
    assert linked.pop("@context") == CONTEXT_PATH
    assert linked == plain


@RDFLIB_JSONLD
def test_a_provision_as_rdf(client: TestClient, context: dict[str, Any]) -> None:
    graph = as_graph(client.get("/api/provisions/eu-ai-act/art55-1-d", headers=LD).json(), context)
    art = URIRef(ID + "eu-ai-act/art55-1-d")
    assert (art, SKOS.notation, Literal("Art. 55(1)(d)")) in graph
    assert (art, URIRef(ASL.provisionKind), URIRef(ID + "provision-kind/point")) in graph
    assert (
        art,
        URIRef(str(RDFS.seeAlso)),
        URIRef("http://data.europa.eu/eli/reg/2024/1689/oj"),
    ) in graph
    assert (art, URIRef(ASL.inVersion), URIRef(ID + "eu-ai-act/oj-2024")) in graph
    assert (art, URIRef(str(ASL._NS) + "type"), None) not in graph
    assert (
        art,
        URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
        URIRef(ASL.Obligation),
    ) in graph
    assert (URIRef(ID + "eu-ai-act/art55-1"), None, None) in graph


@RDFLIB_JSONLD
def test_a_mapping_record_as_rdf(client: TestClient, context: dict[str, Any]) -> None:
    body = client.get("/api/crosswalk?from=rsp:ASL3-SS", headers=LD).json()
    graph = as_graph(body, context)
    record = URIRef(ID + "map/rsp__eu-ai-act-001")
    assert (record, URIRef(ASL.mappingSubject), URIRef(ID + "rsp/ASL3-SS")) in graph
    assert (record, URIRef(ASL.mappingObject), URIRef(ID + "eu-ai-act/art55-1-d")) in graph
    assert (record, URIRef(ASL.relation), URIRef(ID + "relation/subset-of")) in graph
    created = next(graph.objects(record, URIRef("http://purl.org/dc/terms/created")))
    assert isinstance(created, Literal) and created.datatype == XSD.date
