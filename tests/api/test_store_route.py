"""``/store``, the read-only SPARQL 1.1 Graph Store Protocol, in-process: every format of a named
graph and of the default graph holds the store's triples, HEAD is GET without a body, entity
tags and If-None-Match, and every refusal (400, 404, 405, 406) as a problem document."""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient
from rdflib import Graph
from rdflib.compare import isomorphic

from aslgraph.media import STORE_OFFERS
from aslgraph.namespaces import graph_iri
from aslgraph.store import OxigraphStore

LEVELS = str(graph_iri("data/rsp/levels.ttl"))
QUAD_TYPES = {"application/n-quads", "application/trig"}
PARSERS = {
    "TURTLE": ox.RdfFormat.TURTLE,
    "N_TRIPLES": ox.RdfFormat.N_TRIPLES,
    "JSON_LD": ox.RdfFormat.JSON_LD,
    "RDF_XML": ox.RdfFormat.RDF_XML,
    "N_QUADS": ox.RdfFormat.N_QUADS,
    "TRIG": ox.RdfFormat.TRIG,
}


def _held(kg: OxigraphStore, graph: str | None) -> Graph:
    """What the store holds in ``graph`` (None: the union of every graph), as an rdflib graph."""
    name = None if graph is None else ox.NamedNode(graph)
    triples = dict.fromkeys(q.triple for q in kg.raw.quads_for_pattern(None, None, None, name))
    return _rdflib(list(triples))


def _rdflib(triples: list[ox.Triple]) -> Graph:
    data = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
    return Graph().parse(data=data, format="nt")


def _problem(response: Any, status: int, kind: str | None = None) -> str:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == status
    if kind is not None:
        assert body["type"].endswith("/" + kind), body
    detail: str = body["detail"]
    return detail


@pytest.fixture(scope="module")
def levels(kg: OxigraphStore) -> Graph:
    held = _held(kg, LEVELS)
    assert len(held) > 20
    return held


@pytest.mark.parametrize("offer", STORE_OFFERS, ids=lambda o: o.media_type)
def test_a_named_graph_in_every_format(client: TestClient, levels: Graph, offer: Any) -> None:
    response = client.get("/store", params={"graph": LEVELS}, headers={"Accept": offer.media_type})
    assert response.status_code == 200
    assert response.headers["content-type"] == offer.content_type
    assert response.headers["vary"] == "Accept"
    assert response.headers["etag"].startswith('"')
    quads = list(ox.parse(response.content, format=PARSERS[offer.format]))
    names = {quad.graph_name for quad in quads}
    # a quad syntax says which graph this is; the others carry the triples alone
    assert names == (
        {ox.NamedNode(LEVELS)} if offer.media_type in QUAD_TYPES else {ox.DefaultGraph()}
    )
    assert isomorphic(_rdflib([q.triple for q in quads]), levels)


@pytest.mark.parametrize("accept", ["application/n-triples", "application/trig"])
def test_the_default_graph_is_the_union_of_every_graph(
    client: TestClient, kg: OxigraphStore, accept: str
) -> None:
    response = client.get("/store?default", headers={"Accept": accept})
    assert response.status_code == 200
    fmt = ox.RdfFormat.TRIG if accept == "application/trig" else ox.RdfFormat.N_TRIPLES
    quads = list(ox.parse(response.content, format=fmt))
    assert {quad.graph_name for quad in quads} == {ox.DefaultGraph()}
    union = {q.triple for q in kg.quads()}
    assert len(quads) == len(union) > 10_000  # each distinct triple once
    ground = {q.triple for q in quads if not _has_blank(q.triple)}
    assert ground == {t for t in union if not _has_blank(t)}


def _has_blank(triple: ox.Triple) -> bool:
    return isinstance(triple.subject, ox.BlankNode) or isinstance(triple.object, ox.BlankNode)


def test_turtle_is_the_default_and_uses_our_prefixes(client: TestClient) -> None:
    response = client.get("/store", params={"graph": LEVELS}, headers={"Accept": "*/*"})
    assert response.headers["content-type"] == "text/turtle; charset=utf-8"
    assert b"@prefix rsp: <https://w3id.org/aslgraph/id/rsp/>" in response.content
    assert client.get("/store?default", headers={"Accept": ""}).headers["content-type"] == (
        "text/turtle; charset=utf-8"
    )


def test_every_graph_of_the_store_is_served_with_its_triples(
    client: TestClient, kg: OxigraphStore
) -> None:
    counts: dict[str, int] = {}
    for quad in kg.quads():
        assert isinstance(quad.graph_name, ox.NamedNode)
        counts[quad.graph_name.value] = counts.get(quad.graph_name.value, 0) + 1
    assert len(kg.sources) > 50
    for source in kg.sources:
        response = client.get(
            "/store", params={"graph": source.graph}, headers={"Accept": "application/n-quads"}
        )
        assert response.status_code == 200, source.graph
        served = list(ox.parse(response.content, format=ox.RdfFormat.N_QUADS))
        assert len(served) == counts.get(source.graph, 0), source.relative
        assert {q.graph_name for q in served} <= {ox.NamedNode(source.graph)}


@pytest.mark.parametrize("query", [f"graph={LEVELS}", "default"])
def test_head_has_the_headers_of_get_and_no_body(client: TestClient, query: str) -> None:
    got = client.get(f"/store?{query}", headers={"Accept": "application/ld+json"})
    head = client.head(f"/store?{query}", headers={"Accept": "application/ld+json"})
    assert head.status_code == 200
    assert head.content == b""
    for name in ("content-type", "content-length", "etag", "vary"):
        assert head.headers[name] == got.headers[name], name
    assert int(head.headers["content-length"]) == len(got.content) > 0


def test_entity_tags_and_if_none_match(client: TestClient) -> None:
    url = f"/store?graph={LEVELS}"
    turtle = client.get(url).headers["etag"]
    assert client.get(url).headers["etag"] == turtle  # the graph never changes
    tags = {
        client.get(url, headers={"Accept": offer.media_type}).headers["etag"]
        for offer in STORE_OFFERS
    }
    assert len(tags) == len(STORE_OFFERS)  # one per representation
    assert client.get("/store?default").headers["etag"] != turtle
    for header in (turtle, f"W/{turtle}", f'"other", {turtle}', "*"):
        unchanged = client.get(url, headers={"If-None-Match": header})
        assert unchanged.status_code == 304, header
        assert unchanged.content == b""
        assert unchanged.headers["etag"] == turtle
    assert client.get(url, headers={"If-None-Match": '"other"'}).status_code == 200


@pytest.mark.parametrize(
    ("query", "kind", "says"),
    [
        ("", "invalid-parameter", "neither"),
        ("other=1", "invalid-parameter", "neither"),
        (f"default&graph={LEVELS}", "invalid-parameter", "more than one"),
        (f"graph={LEVELS}&graph={LEVELS}", "invalid-parameter", "more than one"),
        ("default&default", "invalid-parameter", "more than one"),
        ("default=yes", "invalid-parameter", "takes no value"),
        ("graph=", "invalid-iri", "absolute IRI"),
        ("graph=data/rsp/levels.ttl", "invalid-iri", "absolute IRI"),
        ("graph=https://example.org/a%20b", "invalid-iri", "absolute IRI"),
        ("graph=https://example.org/%3Cg%3E", "invalid-iri", "absolute IRI"),
    ],
)
def test_which_graph_must_be_said_once_and_well(
    client: TestClient, query: str, kind: str, says: str
) -> None:
    assert says in _problem(client.get(f"/store?{query}"), 400, kind)


@pytest.mark.parametrize(
    "graph",
    [
        "urn:example:nothing",
        "https://w3id.org/aslgraph/graph/data/rsp/nothing.ttl",
        LEVELS + "#part",
        LEVELS.upper(),
    ],
)
def test_a_graph_the_store_does_not_hold_is_404(client: TestClient, graph: str) -> None:
    response = client.get("/store", params={"graph": graph})
    assert "holds no graph" in _problem(response, 404, "unknown-graph")
    assert client.head("/store", params={"graph": graph}).status_code == 404


def test_a_graph_iri_is_never_fetched(client: TestClient, listener: tuple[str, list[str]]) -> None:
    base, requested = listener
    for graph in (f"{base}/graph.ttl", f"{base}/sparql"):
        _problem(client.get("/store", params={"graph": graph}), 404, "unknown-graph")
    assert requested == []


@pytest.mark.parametrize("method", ["PUT", "POST", "DELETE", "PATCH", "OPTIONS"])
def test_the_store_is_read_only(client: TestClient, kg: OxigraphStore, method: str) -> None:
    before = client.get(f"/store?graph={LEVELS}", headers={"Accept": "application/n-triples"})
    body = b"<urn:a> <urn:b> <urn:c> ."
    for query in (f"graph={LEVELS}", "default", ""):
        response = client.request(
            method,
            f"/store?{query}",
            content=body,
            headers={"Content-Type": "application/n-triples"},
        )
        assert "read-only" in _problem(response, 405, "read-only")
        assert response.headers["allow"] == "GET, HEAD"
    after = client.get(f"/store?graph={LEVELS}", headers={"Accept": "application/n-triples"})
    assert after.content == before.content
    assert b"urn:a" not in client.get("/store?default").content


def test_no_acceptable_type_is_406_listing_the_formats(client: TestClient) -> None:
    response = client.get("/store?default", headers={"Accept": "text/html, image/png"})
    _problem(response, 406, "not-acceptable")
    available = response.json()["available"]
    assert {"text/turtle", "application/n-quads", "application/trig"} <= set(available)


def test_the_openapi_document_describes_the_store(client: TestClient, kg: OxigraphStore) -> None:
    operation = client.get("/openapi.json").json()["paths"]["/store"]
    assert set(operation) == {"get"}  # HEAD is GET; the refused methods are not operations
    get = operation["get"]
    params = {p["name"]: p for p in get["parameters"]}
    assert set(params) == {"default", "graph"}
    assert params["default"]["allowEmptyValue"] is True
    assert params["graph"]["schema"]["enum"] == [source.graph for source in kg.sources]
    responses = get["responses"]
    assert set(responses["200"]["content"]) == {o.media_type for o in STORE_OFFERS}
    assert "ETag" in responses["200"]["headers"]
    for status in ("304", "400", "404", "406"):
        assert status in responses
    for status in ("400", "404", "406"):
        assert list(responses[status]["content"]) == ["application/problem+json"]
