"""The REST API and the IRI pages over HTTP, against the real server (uvicorn on 127.0.0.1)."""

from __future__ import annotations

import concurrent.futures
import csv
import io

import httpx
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SKOS

from aslgraph.namespaces import ID

PROBLEM = "application/problem+json"


def test_crosswalk_over_http(client: httpx.Client) -> None:
    response = client.get("/api/crosswalk", params={"from": "rsp:ASL3-SS", "to": "eu-ai-act"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert body["provision"]["curie"] == "rsp:ASL3-SS"
    assert "aia:art55-1-d" in [e["target"]["curie"] for e in body["items"]]
    again = client.get("/api/crosswalk", params={"from": "rsp:ASL3-SS", "to": "eu-ai-act"})
    assert again.content == response.content


def test_provision_as_json_ld(client: httpx.Client) -> None:
    response = client.get(
        "/api/provisions/eu-ai-act/art55-1-d", headers={"accept": "application/ld+json"}
    )
    assert response.headers["content-type"] == "application/ld+json"
    assert response.json()["@context"] == "/api/context.jsonld"
    context = client.get("/api/context.jsonld")
    assert context.status_code == 200 and "@context" in context.json()


def test_an_iri_dereferences_as_turtle_and_html(client: httpx.Client) -> None:
    turtle = client.get("/id/eu-ai-act/art55-1-d", headers={"accept": "text/turtle"})
    graph = Graph().parse(data=turtle.text, format="turtle")
    assert (URIRef(ID + "eu-ai-act/art55-1-d"), SKOS.notation, Literal("Art. 55(1)(d)")) in graph
    page = client.get("/id/eu-ai-act/art55-1-d", headers={"accept": "text/html"})
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    assert "Art. 55(1)(d)" in page.text


def test_coverage_as_csv(client: httpx.Client) -> None:
    response = client.get("/api/coverage?from=rsp&to=gpai-cop", headers={"accept": "text/csv"})
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert rows and {r["side"] for r in rows} == {"from", "to"}


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/api/crosswalk?from=nope:x", 400),
        ("/api/crosswalk?from=rsp:ASL3-SS&min_confidence=2", 400),
        ("/api/crosswalk?from=rsp:ASL3-SS&as_of=notadate", 400),
        ("/api/provisions?size=10000", 400),
        ("/api/provisions/eu-ai-act/art999", 404),
        ("/api/tiers/ASL-9", 404),
        ("/api/obligations?role=king", 400),
        ("/id/rsp/nothing", 404),
    ],
)
def test_errors_are_problem_documents(client: httpx.Client, url: str, status: int) -> None:
    response = client.get(url)
    assert response.status_code == status
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["detail"]


def test_concurrent_lookups_all_succeed(server: str) -> None:
    urls = [
        "/api/crosswalk?from=rsp:ASL3-SS",
        "/api/provisions/eu-ai-act/art55-1-d",
        "/api/tiers/ASL-3",
        "/api/obligations?role=gpai-sr-provider&as_of=2025-09-01",
        "/id/rsp/ASL-3",
    ] * 20

    def fetch(url: str) -> int:
        with httpx.Client(base_url=server, timeout=30) as client:
            return client.get(url).status_code

    with concurrent.futures.ThreadPoolExecutor(max_workers=16) as pool:
        assert set(pool.map(fetch, urls)) == {200}
