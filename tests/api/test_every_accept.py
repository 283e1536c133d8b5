"""No Accept header makes any route fail: every GET route of the OpenAPI document (and the pages
outside it), with every media type the service offers and the common and garbage values a
client sends, answers 200, 406 (a problem document listing what is available) or, for a
route that reads a body, 415; never a 5xx. GET and HEAD alike."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from aslgraph import media

SAMPLES = {
    "scheme": "rsp",
    "local": "ASL-3",
    "tier": "3",
    "from": "aia:art55-1-d",
    "to": "rsp",
    "role": "gpai-provider",
    "verdict": "valid",
    "name": "bank-deploying-agents.ttl",
    "framework": "rsp",
    "format": "sssom",  # /api/export/{format}
}
QUERIES = {
    "/sparql": {"query": "ASK {}"},
    "/api/coverage": {"from": "rsp", "to": "eu-ai-act"},
    "/store": {"graph": "https://w3id.org/aslgraph/graph/data/rsp/levels.ttl"},
}
HIDDEN = ["/docs", "/redoc", "/favicon.svg", "/favicon.ico", "/static/site/site.css"]
OFFERED = sorted(
    {
        offer.media_type
        for offers in (media.RESULT_OFFERS, media.GRAPH_OFFERS, media.DESCRIPTION_OFFERS,
                       media.RESOURCE_OFFERS, media.REST_OFFERS, media.TABLE_OFFERS,
                       media.HOME_OFFERS, media.REPORT_OFFERS, media.STORE_OFFERS)
        for offer in offers
    }
)  # fmt: skip
GARBAGE = [
    "", "*/*", "*/*;q=0", "text/*", "application/*", "image/png", "foo", "foo/", "/bar",
    "a/b;q=x", "text/html;q=2", "text/html;q=-1", ",,,", ";;;", "*/*, */*;q=0.0",
    "application/json; charset=latin-1", "TEXT/HTML", "text/html;level=1;q=0.5",
    "x" * 4096, "text/turtle;q=0.1, application/ld+json;q=0.1", "\u00e9/\u00e9",
]  # fmt: skip


def _get_urls(client: TestClient) -> list[str]:
    document: dict[str, Any] = client.get("/openapi.json").json()
    urls = []
    for path, operations in document["paths"].items():
        if "get" not in operations:
            continue
        url = re.sub(r"\{(\w+)\}", lambda m: SAMPLES[m.group(1)], path)
        query = QUERIES.get(path) or {
            p["name"]: SAMPLES[p["name"]]
            for p in operations["get"].get("parameters", [])
            if p.get("required") and p["in"] == "query"
        }
        if query:
            url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
        urls.append(url)
    return urls + HIDDEN


@pytest.fixture(scope="module")
def urls(client: TestClient) -> list[str]:
    found = _get_urls(client)
    assert len(found) >= 15
    return found


@pytest.mark.parametrize("accept", OFFERED + GARBAGE)
def test_no_accept_value_makes_a_route_fail(
    client: TestClient, urls: list[str], accept: str
) -> None:
    headers = {"accept": accept.encode("utf-8")}
    for url in urls:
        for method in ("GET", "HEAD"):
            response = client.request(method, url, headers=headers)
            allowed = (200, 406, 503) if url == "/health/ready" else (200, 406)  # not ready yet
            assert response.status_code in allowed, (method, url, accept, response.status_code)
            if response.status_code == 406 and method == "GET":
                assert response.headers["content-type"].startswith("application/problem+json")
                assert response.json()["available"], (url, accept)
            assert response.headers["x-content-type-options"] == "nosniff"
            if response.headers.get("content-type", "").startswith("text/html"):
                # every HTML page says what it may load
                assert "default-src" in response.headers["content-security-policy"], url


def test_with_no_accept_header_every_route_answers(client: TestClient, urls: list[str]) -> None:
    for url in urls:
        response = client.get(url, headers={"accept": ""})
        allowed = (200, 503) if url == "/health/ready" else (200,)
        assert response.status_code in allowed, (url, response.status_code)
