"""``/id/{scheme}/{local}``: HTML for browsers, RDF for RDF clients, 404 for unknown IRIs."""

from __future__ import annotations

from urllib.parse import urljoin

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import SKOS
from tests.api.page_refs import references

from aslgraph.kg.catalog import Catalog
from aslgraph.namespaces import ASL, ID

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
RDF_TYPES = {
    "text/turtle": "turtle",
    "application/ld+json": "json-ld",
    "application/n-triples": "nt",
    "application/rdf+xml": "xml",
}
ALSO_ACCEPTED = {"application/json": "json-ld", "text/plain": "nt"}
"""Media types a client may ask for that carry one of the RDF syntaxes above."""


RDFLIB_JSONLD = pytest.mark.filterwarnings(
    "ignore:ConjunctiveGraph is deprecated:DeprecationWarning"
)


@RDFLIB_JSONLD
@pytest.mark.parametrize(("media_type", "parser"), sorted(RDF_TYPES.items()))
def test_rdf_clients_get_the_description(client: TestClient, media_type: str, parser: str) -> None:
    response = client.get("/id/eu-ai-act/art55-1-d", headers={"accept": media_type})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media_type
    graph = Graph().parse(data=response.content, format=parser)
    art = URIRef(ID + "eu-ai-act/art55-1-d")
    assert (art, SKOS.notation, Literal("Art. 55(1)(d)")) in graph
    # labels of what it links to, and the mappings that point at it
    assert (URIRef(ID + "eu-ai-act/art55-1"), None, None) in graph
    record = URIRef(ID + "map/rsp__eu-ai-act-001")
    assert (record, URIRef(ASL.mappingObject), art) in graph


def _expected(catalog: Catalog, scheme: str, local: str) -> Graph:
    """The description the catalog gives, as an rdflib graph."""
    data = ox.serialize(list(catalog.triples(scheme, local)), format=ox.RdfFormat.N_TRIPLES)
    return Graph().parse(data=data, format="nt")


@RDFLIB_JSONLD
@pytest.mark.parametrize("path", ["/id/rsp/ASL3-SS", "/id/eu-ai-act/art55-1-d", "/id/source/E1"])
@pytest.mark.parametrize(("media_type", "parser"), sorted({**RDF_TYPES, **ALSO_ACCEPTED}.items()))
def test_every_format_is_the_same_graph(
    client: TestClient, catalog: Catalog, path: str, media_type: str, parser: str
) -> None:
    """Each RDF answer, in every syntax and under every media type we offer, is the catalog's
    description of the resource, blank nodes and all (graph isomorphism, not a count)."""
    response = client.get(path, headers={"accept": media_type})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media_type
    expected = _expected(catalog, *path.removeprefix("/id/").split("/"))
    assert len(expected) > 5
    assert isomorphic(Graph().parse(data=response.content, format=parser), expected)


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, "text/turtle"),
        ("*/*", "text/turtle"),
        (BROWSER, "text/html"),
        ("application/ld+json, text/turtle;q=0.5", "application/ld+json"),
        ("text/turtle;q=0.2, application/rdf+xml", "application/rdf+xml"),
    ],
)
def test_negotiation(client: TestClient, accept: str | None, expected: str) -> None:
    headers = {"accept": accept} if accept is not None else {}
    response = client.get("/id/rsp/ASL-3", headers=headers)
    assert response.headers["content-type"].split(";")[0] == expected


def test_format_overrides_accept(client: TestClient) -> None:
    response = client.get("/id/rsp/ASL-3?format=jsonld", headers={"accept": BROWSER})
    assert response.headers["content-type"] == "application/ld+json"


@pytest.mark.parametrize(
    "path",
    [
        "/id/eu-ai-act/art55-1-d",
        "/id/eu-ai-act/oj-2024",
        "/id/eu-ai-act/AIA",
        "/id/map/rsp__eu-ai-act-001",
        "/id/source/E1",
        "/id/relation/subset-of",
        "/id/role/gpai-provider",
        "/id/relation/scheme",
        "/id/agent/aslgraph-team",
        "/id/rsp/SEED-security-ASL3",
        "/id/rsp/ASL3-SS-scope-BasicInsider-v2.2",
    ],
)
def test_every_kind_of_minted_iri_dereferences(client: TestClient, path: str) -> None:
    for accept in (BROWSER, "text/turtle"):
        assert client.get(path, headers={"accept": accept}).status_code == 200, (path, accept)


def test_the_html_page(client: TestClient) -> None:
    response = client.get("/id/eu-ai-act/art55-1-d", headers={"accept": BROWSER})
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert "default-src 'none'" in response.headers["content-security-policy"]
    page = response.text
    assert "Art. 55(1)(d)" in page
    assert "Ensure an adequate level of cybersecurity" in page  # paraphrase
    assert 'href="/id/eu-ai-act/art55-1"' in page  # parent
    assert 'href="/id/rsp/ASL3-SS"' in page  # the other end of a mapping
    assert 'href="/id/map/rsp__eu-ai-act-001"' in page
    assert 'href="/id/source/E1"' in page
    assert 'href="/api/provisions/eu-ai-act/art55-1-d"' in page


def test_the_html_page_loads_nothing_from_elsewhere(client: TestClient) -> None:
    page = client.get("/id/rsp/ASL-3", headers={"accept": BROWSER}).text
    refs = references(page)
    assert "script" not in refs.tags and "iframe" not in refs.tags
    assert refs.inline_styles == 0
    # the favicon, the site's style sheet and the same data in other formats, all from here
    assert sorted(set(refs.loaded)) == [
        "../../favicon.ico",
        "../../favicon.svg",
        "../../static/site/site.css",
        "?format=jsonld",
        "?format=nt",
        "?format=rdf",
        "?format=ttl",
    ]
    for url in refs.loaded:
        loaded = client.get(urljoin("http://testserver/id/rsp/ASL-3", url))
        assert loaded.status_code == 200, url


def test_everything_on_the_page_is_escaped(case_client: TestClient) -> None:
    page = case_client.get("/id/rsp/X", headers={"accept": BROWSER}).text
    assert "<script>" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &quot;quoted&quot;" in page


def test_unknown_iris_are_404_problems(client: TestClient) -> None:
    for accept in (BROWSER, "text/turtle"):
        response = client.get("/id/eu-ai-act/art999", headers={"accept": accept})
        assert response.status_code == 404
        assert response.headers["content-type"] == "application/problem+json"
        assert "describes nothing as eu-ai-act/art999" in response.json()["detail"]


def test_an_unacceptable_type_is_406(client: TestClient) -> None:
    response = client.get("/id/rsp/ASL-3", headers={"accept": "image/png"})
    assert response.status_code == 406
    assert "text/turtle" in response.json()["available"]


def test_head_answers_like_get_without_a_body(client: TestClient) -> None:
    head = client.head("/id/rsp/ASL-3", headers={"accept": "text/turtle"})
    get = client.get("/id/rsp/ASL-3", headers={"accept": "text/turtle"})
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-type"] == get.headers["content-type"]
    assert client.head("/id/rsp/nothing").status_code == 404
