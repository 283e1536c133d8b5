"""Nothing a client sends yields a 500: every bad request gets a 4xx problem document whose
message says what was wrong."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

PROBLEM = "application/problem+json"

JUNK: list[tuple[str, int, str]] = [
    # (url, status, words the message must contain)
    ("/api/instruments/foo", 404, "unknown scheme 'foo'; known schemes: rsp, rsp3, eu-ai-act"),
    ("/api/instruments?page=-1", 400, "page"),
    ("/api/instruments?page=abc", 400, "page"),
    ("/api/instruments?size=0", 400, "size"),
    ("/api/instruments?size=10000", 400, "size must be between 1 and 500"),
    ("/api/provisions?scheme=foo", 400, "unknown scheme 'foo'"),
    ("/api/provisions?kind=foo", 400, "unknown provision kind 'foo'"),
    ("/api/provisions?q=" + "x" * 500, 400, "q"),
    ("/api/provisions/foo/art55", 404, "unknown scheme 'foo'"),
    ("/api/provisions/eu-ai-act/art999", 404, "no provision 'art999'"),
    ("/api/provisions/eu-ai-act/oj-2024", 404, "instrument version, not a provision"),
    ("/api/provisions/eu-ai-act/%3Cscript%3E", 404, "no provision"),
    ("/api/provisions/eu-ai-act/a%20b%22c", 404, "no provision"),
    ("/api/provisions/eu-ai-act/%00", 404, "no provision"),
    ("/api/tiers/ASL-9", 404, "unknown tier 'ASL-9'; known tiers: ASL-1, ASL-2, ASL-3, ASL-4"),
    ("/api/tiers/99999999999999999999", 404, "unknown tier"),
    ("/api/tiers/asl-", 404, "unknown tier"),
    ("/api/crosswalk", 400, "from"),
    ("/api/crosswalk?from=", 400, "give a provision"),
    ("/api/crosswalk?from=foo:bar", 400, "unknown prefix 'foo'"),
    ("/api/crosswalk?from=art55", 400, "neither a CURIE"),
    ("/api/crosswalk?from=http://example.org/x", 400, "not an IRI of this knowledge graph"),
    ("/api/crosswalk?from=https://w3id.org/aslgraph/id/", 400, "not an IRI of this knowledge"),
    ("/api/crosswalk?from=https://w3id.org/aslgraph/id/rsp/nope", 404, "no provision rsp:nope"),
    ("/api/crosswalk?from=aia:a%20b%3E%3C", 404, "no provision"),
    ("/api/crosswalk?from=rsp:v2.2", 400, "instrument version, not a provision"),
    ("/api/crosswalk?from=map:rsp__eu-ai-act-001", 400, "mapping record, not a provision"),
    ("/api/crosswalk?from=rsp:ASL3-SS&to=foo", 400, "unknown target scheme 'foo'"),
    ("/api/crosswalk?from=rsp:ASL3-SS&min_confidence=abc", 400, "min_confidence"),
    ("/api/crosswalk?from=rsp:ASL3-SS&min_confidence=2", 400, "min_confidence"),
    ("/api/crosswalk?from=rsp:ASL3-SS&min_confidence=-1", 400, "min_confidence"),
    ("/api/crosswalk?from=rsp:ASL3-SS&min_confidence=nan", 400, "min_confidence"),
    ("/api/crosswalk?from=rsp:ASL3-SS&min_confidence=inf", 400, "min_confidence"),
    ("/api/crosswalk?from=rsp:ASL3-SS&as_of=notadate", 400, "as_of"),
    ("/api/crosswalk?from=rsp:ASL3-SS&as_of=2025-02-30", 400, "as_of"),
    ("/api/crosswalk?from=rsp:ASL3-SS&size=10000", 400, "size must be between 1 and 500"),
    ("/api/crosswalk?from=rsp:ASL3-SS&page=0", 400, "page"),
    ("/api/coverage?from=rsp", 400, "to"),
    ("/api/coverage?from=rsp&to=rsp", 400, "both 'rsp'"),
    ("/api/coverage?from=nope&to=rsp", 400, "unknown scheme (from) 'nope'"),
    ("/api/coverage?from=rsp&to=eu-ai-act&format=xml", 400, "format"),
    ("/api/obligations", 400, "role"),
    ("/api/obligations?role=king", 400, "unknown role 'king'; known roles: "),
    ("/api/obligations?role=deployer&systemic_risk=true", 400, "systemic_risk applies"),
    ("/api/obligations?role=gpai-provider&systemic_risk=maybe", 400, "systemic_risk"),
    ("/api/obligations?role=gpai-provider&as_of=2025-13-01", 400, "as_of"),
    ("/api/obligations?role=gpai-provider&established_in=XX", 400, "unknown jurisdiction 'XX'"),
    ("/api/obligations?role=gpai-provider&training_flop=-1", 400, "training_flop"),
    ("/api/obligations?role=gpai-provider&training_flop=lots", 400, "training_flop"),
    ("/api/obligations?role=gpai-provider&training_flop=inf", 400, "training_flop"),
    ("/api/obligations?role=gpai-provider&training_flop=nan", 400, "training_flop"),
    ("/api/obligations?role=deployer&training_flop=1e20", 400, "training_flop applies"),
    ("/api/obligations?role=gpai-provider&open_source=perhaps", 400, "open_source"),
    ("/api/obligations?role=gpai-provider&placed_on_market=2025-02-30", 400, "placed_on_market"),
    ("/api/obligations?role=cop-signatory&adheres_to=XX", 400, "unknown Code of Practice"),
    ("/id/foo/bar", 404, "unknown scheme 'foo'"),
    ("/id/rsp/nope", 404, "describes nothing as rsp/nope"),
    ("/id/rsp/%3Cscript%3E", 404, "describes nothing"),
    ("/id/rsp/ASL-3?format=pdf", 400, "format"),
    ("/api/nothing", 404, "no resource at /api/nothing"),
    ("/id/rsp", 404, "no resource"),
]


@pytest.mark.parametrize(("url", "status", "words"), JUNK, ids=[u for u, _, _ in JUNK])
def test_junk_gets_a_problem_document(
    client: TestClient, url: str, status: int, words: str
) -> None:
    response = client.get(url)
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    problem = response.json()
    assert problem["status"] == status
    assert words in problem["detail"]


@pytest.mark.parametrize(
    "accept",
    ["text/html", "image/png", "application/json;q=0", "application/xml"],
)
def test_an_accept_header_nothing_matches_is_406(client: TestClient, accept: str) -> None:
    response = client.get("/api/provisions/eu-ai-act/art55-1-d", headers={"accept": accept})
    assert response.status_code == 406
    assert response.headers["content-type"] == PROBLEM


@pytest.mark.parametrize(
    "accept",
    ["", ";;;", "garbage", "*/*;q=abc", "a/b;q=2, */*", "x" * 5000],
)
def test_a_malformed_accept_header_falls_back_to_json(client: TestClient, accept: str) -> None:
    response = client.get("/api/tiers/3", headers={"accept": accept})
    assert response.status_code in (200, 406)
    assert response.status_code != 500


def test_other_methods_are_refused(client: TestClient) -> None:
    response = client.post("/api/crosswalk?from=rsp:ASL3-SS", content=b"x")
    assert response.status_code == 405
    assert response.headers["content-type"] == PROBLEM


def test_no_url_of_a_fuzzed_bag_yields_a_500(client: TestClient) -> None:
    pieces = ["", "rsp", "ASL-3", "%00", "%ff", "..", "%2F", "a" * 300, "rsp:ASL3-SS", "{}", "'"]
    prefixes = [
        "/api/provisions/{}/{}",
        "/api/tiers/{}",
        "/api/instruments/{}",
        "/id/{}/{}",
        "/api/crosswalk?from={}&to={}",
        "/api/coverage?from={}&to={}",
        "/api/obligations?role={}&as_of={}",
        "/api/provisions?scheme={}&q={}",
    ]
    for template in prefixes:
        for a in pieces:
            for b in pieces[:4]:
                url = template.format(a, b)
                response = client.get(url)
                assert response.status_code < 500, (url, response.text)


@pytest.mark.parametrize("value", ["0", "1700000000", "2025-9-1", "20250901", "2025-09-01T00:00"])
@pytest.mark.parametrize(
    "path", ["/api/crosswalk?from=rsp:ASL3-SS&as_of=", "/api/obligations?role=deployer&as_of="]
)
def test_a_date_is_written_yyyy_mm_dd_and_nothing_else(
    client: TestClient, path: str, value: str
) -> None:
    response = client.get(path + value)
    assert response.status_code == 400
    assert "YYYY-MM-DD" in response.json()["detail"]
