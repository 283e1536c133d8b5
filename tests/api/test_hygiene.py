"""What every request and response must be, whatever the route (``api/hygiene.py``): nosniff on
every answer, malformed or non-UTF-8 percent-encoding refused with 400, compressed bodies
refused with 415, and path parameters that only look like numbers never a 500."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from aslgraph.api.hygiene import url_problem

EVERY_KIND = [
    "/",  # HTML
    "/docs",
    "/static/vendor/MANIFEST.json",
    "/favicon.svg",
    "/health",
    "/api/tiers",  # JSON
    "/api/tiers/9",  # problem document
    "/id/rsp/ASL-3",
    "/sparql?query=ASK%7B%7D",
    "/examples/valid/bank-deploying-agents.ttl",
    "/no/such/path",
]


@pytest.mark.parametrize("path", EVERY_KIND)
def test_every_answer_is_nosniff(client: TestClient, path: str) -> None:
    first = client.get(path)
    again = client.get(path)  # the second may come from the answer cache
    for response in (first, again):
        assert response.headers["x-content-type-options"] == "nosniff", response.status_code


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("/api/provisions/%ff", "path does not decode to UTF-8"),
        ("/id/rsp/%C3%28", "path does not decode to UTF-8"),
        ("/api/tiers/%zz", "malformed percent-escape '%zz'"),
        ("/api/crosswalk?provision=%ff", "query string does not decode to UTF-8"),
        ("/sparql?query=ASK%7B%7D%", "malformed percent-escape"),
    ],
)
def test_bad_percent_encoding_is_400(client: TestClient, url: str, words: str) -> None:
    response = client.get(url)
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/problem+json")
    assert words in response.json()["detail"]
    assert response.json()["type"].endswith("invalid-url")


@pytest.mark.parametrize(
    ("path", "content_type"),
    [("/api/validate", "text/turtle"), ("/api/posture", "text/turtle"),
     ("/api/frameworks/regimes", "text/turtle"), ("/api/suppliers", "text/turtle"),
     ("/api/plan", "text/turtle"),
     ("/sparql", "application/sparql-query")],
)  # fmt: skip
@pytest.mark.parametrize("encoding", ["gzip", "br", "deflate"])
def test_compressed_bodies_are_415_saying_so(
    client: TestClient, path: str, content_type: str, encoding: str
) -> None:
    response = client.post(
        path,
        content=b"\x1f\x8b\x08\x00\x00\x00\x00\x00",
        headers={"content-type": content_type, "content-encoding": encoding},
    )
    assert response.status_code == 415
    assert "compressed bodies are not accepted" in response.json()["detail"]
    assert encoding in response.json()["detail"]


def test_identity_encoding_is_accepted(client: TestClient) -> None:
    response = client.post(
        "/sparql",
        content=b"ASK {}",
        headers={"content-type": "application/sparql-query", "content-encoding": "identity"},
    )
    assert response.status_code == 200


@pytest.mark.parametrize("tier", ["%C2%B2", "asl%C2%B2", "%E2%91%A0", "%D9%A3", "999999"])
def test_digits_that_are_not_ascii_are_an_unknown_tier(client: TestClient, tier: str) -> None:
    response = client.get(f"/api/tiers/{tier}")
    assert response.status_code == 404
    assert "unknown tier" in response.json()["detail"]


@pytest.mark.parametrize(
    ("raw", "ok"),
    [(b"/a/b%20c", True), (b"a=%E2%82%AC&b=x+y", True), (b"", True), (b"%", False),
     (b"%4", False), (b"%G0", False), (b"%C3", False), (b"%ED%A0%80", False)],
)  # fmt: skip
def test_url_problem(raw: bytes, ok: bool) -> None:
    assert (url_problem(raw, "query string") is None) is ok
