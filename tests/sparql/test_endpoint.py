"""The raw ASGI path for ``/sparql`` answers byte for byte as the FastAPI routes do.

:class:`~aslgraph.api.routes.sparql.SparqlEndpoint` answers GET and POST ``/sparql`` before
routing (decision 0020). The reference is the same app without that middleware, where the
FastAPI routes answer (their parameter handling, their exception handlers); over a corpus of
requests (every query form, every media type, dataset parameters, the service description and
the page, and errors) both give the same status, headers and body.
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Iterator

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient

from aslgraph import media
from aslgraph.api.app import create_app
from aslgraph.api.routes.sparql import SparqlEndpoint, endpoint_url, raw_headers
from aslgraph.config import Settings

LEVELS = "https://w3id.org/aslgraph/graph/data/rsp/levels.ttl"
SELECT = (
    "PREFIX asl: <https://w3id.org/aslgraph/ontology#> "
    "SELECT ?level ?rank WHERE { ?level asl:levelRank ?rank } ORDER BY ?rank"
)
CONSTRUCT = (
    "PREFIX asl: <https://w3id.org/aslgraph/ontology#> "
    "CONSTRUCT { ?level asl:levelRank ?rank } WHERE { ?level asl:levelRank ?rank }"
)
DESCRIBE = "DESCRIBE <https://w3id.org/aslgraph/id/eu-ai-act/art55>"
ASK = "ASK { ?s ?p ?o }"
RELATIVE = "CONSTRUCT { <a> <b> 1 } WHERE {}"
FROM = (  # the graph is LEVELS
    "SELECT (COUNT(*) AS ?n) FROM <https://w3id.org/aslgraph/graph/data/rsp/levels.ttl> "
    "WHERE { ?s ?p ?o }"
)
GRAPHS = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g LIMIT 3"

RESULT_TYPES = sorted({offer.media_type for offer in media.RESULT_OFFERS})
GRAPH_TYPES = sorted({offer.media_type for offer in media.GRAPH_OFFERS})

Request = tuple[str, str, dict[str, str], bytes]
"""(method, path and query string, headers, body)."""


def get(query: str | None = None, accept: str | None = None, **params: str) -> Request:
    pairs = ([("query", query)] if query is not None else []) + list(params.items())
    url = "/sparql" + ("?" + urllib.parse.urlencode(pairs) if pairs else "")
    return "GET", url, {"accept": accept} if accept else {}, b""


def _corpus() -> list[Request]:
    corpus: list[Request] = []
    for accept in [None, "*/*", *RESULT_TYPES, "text/turtle", "image/png"]:
        corpus += [get(SELECT, accept), get(ASK, accept)]
    for accept in [None, "*/*", *GRAPH_TYPES, "application/sparql-results+json"]:
        corpus += [get(CONSTRUCT, accept), get(DESCRIBE, accept)]
    corpus += [
        get(RELATIVE, "application/n-triples"),
        get(FROM),
        get(GRAPHS, "text/csv"),
        get("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", **{"default-graph-uri": LEVELS}),
        get(GRAPHS, **{"named-graph-uri": LEVELS}),
        # the service description and the query page
        get(None, "text/turtle"),
        get(None, "application/ld+json"),
        get(None, "text/html"),
        get(None),
        # errors
        get(None, "image/png"),
        get("SELECT * WHERE { ?s ?p }"),
        get("INSERT DATA { <a> <b> <c> }"),
        get("SELECT * WHERE { SERVICE <http://example.org/> { ?s ?p ?o } }"),
        get("SELECT * FROM <http://example.org/elsewhere> WHERE { ?s ?p ?o }"),
        get(SELECT, **{"default-graph-uri": "http://example.org/nowhere"}),
        get("SELECT * WHERE " + "{" * 70 + "}" * 70),
        get(None, **{"default-graph-uri": LEVELS}),
        get(SELECT, update="DROP ALL"),
        ("GET", "/sparql?query=ASK%20%7B%7D&query=ASK%20%7B%7D", {}, b""),
        ("GET", "/sparql?query=%ff", {}, b""),
        ("GET", "/sparql?query=%zz", {}, b""),
    ]
    form = {"content-type": "application/x-www-form-urlencoded"}
    direct = {"content-type": "application/sparql-query"}
    corpus += [
        ("POST", "/sparql", form, urllib.parse.urlencode({"query": SELECT}).encode()),
        ("POST", "/sparql", {**form, "accept": "text/csv"}, f"query={ASK}".encode()),
        ("POST", "/sparql", direct, CONSTRUCT.encode()),
        ("POST", "/sparql", {**direct, "accept": "application/rdf+xml"}, DESCRIBE.encode()),
        ("POST", "/sparql?default-graph-uri=" + urllib.parse.quote(LEVELS), direct, FROM.encode()),
        ("POST", "/sparql", {"content-type": "application/sparql-update"}, b"DROP ALL"),
        ("POST", "/sparql", {"content-type": "text/plain"}, SELECT.encode()),
        ("POST", "/sparql", {}, SELECT.encode()),
        (
            "POST",
            "/sparql",
            {"content-type": "application/sparql-query; charset=latin-1"},
            b"ASK{}",
        ),
        ("POST", "/sparql", direct, b"\xff\xfe"),
        ("POST", "/sparql?query=ASK%7B%7D", direct, b"ASK {}"),
        ("POST", "/sparql", form, b"nothing=here"),
        ("POST", "/sparql", {**direct, "content-encoding": "gzip"}, b"ASK {}"),
        ("POST", "/sparql", direct, b"ASK {" + b" " * 2_000_000 + b"}"),
        ("HEAD", "/sparql?" + urllib.parse.urlencode({"query": SELECT}), {}, b""),
        ("PUT", "/sparql", direct, b"ASK {}"),
    ]
    return corpus


CORPUS = _corpus()


@pytest.fixture(scope="module")
def clients(settings: Settings) -> Iterator[tuple[TestClient, TestClient]]:
    """The app as shipped, and the same app without SparqlEndpoint (the routes answer)."""
    routed = create_app(settings)
    routed.user_middleware = [m for m in routed.user_middleware if m.cls is not SparqlEndpoint]
    with (
        TestClient(create_app(settings), raise_server_exceptions=False) as raw,
        TestClient(routed, raise_server_exceptions=False) as reference,
    ):
        yield raw, reference


def _exchange(client: TestClient, request: Request) -> tuple[int, list[tuple[str, str]], bytes]:
    method, url, headers, body = request
    response = client.request(method, url, headers=headers, content=body or None)
    return response.status_code, list(response.headers.multi_items()), response.content


@pytest.mark.parametrize("request_", CORPUS, ids=lambda r: f"{r[0]} {r[1][:70]} {r[2]}")
def test_the_raw_path_answers_as_the_routes_do(
    clients: tuple[TestClient, TestClient], request_: Request
) -> None:
    raw, reference = clients
    expected = _exchange(reference, request_)
    assert expected[0] < 500, expected  # the reference itself answers every request
    got = _exchange(raw, request_)
    if request_[0] == "GET" and "query=" not in request_[1] and _RDF.search(got[2]):
        # the service description: its blank nodes are labelled afresh in each app
        assert got[0] == expected[0]
        assert _without_length(got[1]) == _without_length(expected[1])
        content_type = dict(got[1])["content-type"].split(";")[0]
        assert _graph(got[2], content_type) == _graph(expected[2], content_type)
        return
    assert got == expected


_RDF = re.compile(rb"_:|rdf:nodeID")


def _without_length(headers: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [(name, value) for name, value in headers if name != "content-length"]


def _graph(body: bytes, content_type: str) -> set[ox.Quad]:
    """The answer's triples with their blank nodes relabelled canonically."""
    dataset = ox.Dataset(ox.parse(body, format=ox.RdfFormat.from_media_type(content_type)))
    dataset.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    return set(dataset)


def test_the_corpus_covers_answers_and_every_kind_of_error(
    clients: tuple[TestClient, TestClient],
) -> None:
    raw, _ = clients
    statuses = {_exchange(raw, request)[0] for request in CORPUS}
    assert statuses == {200, 400, 405, 406, 413, 415}


def test_the_routes_answer_nothing_while_the_endpoint_is_in_the_app(
    clients: tuple[TestClient, TestClient],
) -> None:
    """One path per operation: in the shipped app the middleware answers every GET and POST
    of /sparql, and the OpenAPI document still describes both operations."""
    raw, _ = clients
    assert any(m.cls is SparqlEndpoint for m in raw.app.user_middleware)  # type: ignore[attr-defined]
    operations = raw.get("/openapi.json").json()["paths"]["/sparql"]
    assert set(operations) == {"get", "post"}
    assert {p["name"] for p in operations["get"]["parameters"]} == {
        "query",
        "default-graph-uri",
        "named-graph-uri",
    }


def test_raw_headers_are_what_a_starlette_response_sends() -> None:
    from starlette.responses import Response

    for body, media_type, headers in [
        (b"abc", "text/turtle; charset=utf-8", {"Vary": "Accept"}),
        (b"", "application/sparql-results+json", {"Vary": "Accept"}),
        (b"<html>", "text/html", {"Content-Security-Policy": "default-src 'self'", "Vary": "x"}),
    ]:
        response = Response(body, media_type=media_type, headers=headers)
        assert raw_headers(body, media_type, headers) == response.raw_headers


@pytest.mark.parametrize(
    ("scope", "url"),
    [
        ({"scheme": "http", "server": ("127.0.0.1", 8000)}, "http://127.0.0.1:8000/sparql"),
        ({"scheme": "https", "server": ["h", 443], "host": b"example.org"}, "https://example.org/sparql"),
        ({"scheme": "http", "server": None, "host": b"a:81", "root_path": "/kg"}, "http://a:81/kg/sparql"),
    ],
)  # fmt: skip
def test_the_endpoint_url_is_the_one_the_client_addressed(
    settings: Settings, scope: dict[str, object], url: str
) -> None:
    host = scope.pop("host", None)
    full = {"type": "http", "path": "/sparql", "query_string": b"", **scope}
    full["headers"] = [(b"host", host)] if host else []
    assert endpoint_url(full, settings) == url
    assert endpoint_url(full, settings) == url  # memoised: the same answer again
    public = settings.model_copy(update={"public_base": "https://kg.example/"})
    assert endpoint_url(full, public) == "https://kg.example/sparql"
