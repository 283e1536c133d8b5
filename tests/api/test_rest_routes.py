"""The REST routes in-process: status, media types, paging and what each answer holds."""

from __future__ import annotations

import csv
import io
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient

JSON = "application/json"


def get_json(client: TestClient, url: str, **headers: str) -> Any:
    response = client.get(url, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


@pytest.mark.parametrize(
    "url",
    [
        "/api/instruments",
        "/api/instruments/eu-ai-act",
        "/api/provisions",
        "/api/provisions/eu-ai-act/art55-1-d",
        "/api/tiers",
        "/api/tiers/ASL-3",
        "/api/crosswalk?from=rsp:ASL3-SS",
        "/api/coverage?from=rsp&to=eu-ai-act",
        "/api/obligations?role=gpai-provider",
    ],
)
def test_every_route_answers_json_by_default(client: TestClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == JSON
    assert response.headers["vary"] == "Accept"
    assert isinstance(response.json(), dict)


@pytest.mark.parametrize(
    "url",
    [
        "/api/instruments",
        "/api/provisions",
        "/api/tiers",
        "/api/crosswalk?from=rsp:ASL3-SS",
        "/api/coverage?from=rsp&to=eu-ai-act",
        "/api/obligations?role=gpai-provider",
    ],
)
def test_every_list_is_paged(client: TestClient, url: str) -> None:
    body = get_json(client, url + ("&" if "?" in url else "?") + "size=1")
    assert body["page"] == 1 and body["size"] == 1 and len(body["items"]) <= 1
    assert body["total"] >= len(body["items"])
    assert body["prev"] is None
    if body["total"] > 1:
        assert body["next"] is not None
        query = parse_qs(urlsplit(body["next"]).query)
        assert query["page"] == ["2"] and query["size"] == ["1"]
        second = get_json(client, body["next"])
        assert second["page"] == 2 and second["prev"] is not None
        assert second["items"] != body["items"]


def test_default_page_size_comes_from_the_settings(client: TestClient) -> None:
    body = get_json(client, "/api/provisions")
    assert body["size"] == 50 and len(body["items"]) == min(50, body["total"])


def test_paging_walks_the_whole_list(client: TestClient) -> None:
    first = get_json(client, "/api/provisions?scheme=rsp&size=500")
    seen: list[str] = []
    url: str | None = "/api/provisions?scheme=rsp&size=7"
    while url:
        body = get_json(client, url)
        seen += [item["curie"] for item in body["items"]]
        url = body["next"]
    assert seen == [item["curie"] for item in first["items"]]


def test_a_page_past_the_end_is_empty(client: TestClient) -> None:
    body = get_json(client, "/api/tiers?page=99")
    assert body["items"] == [] and body["next"] is None and body["prev"] is not None


def test_instruments_with_versions(client: TestClient) -> None:
    body = get_json(client, "/api/instruments/rsp")
    rsp = next(i for i in body["items"] if i["curie"] == "rsp:RSP")
    v22 = next(v for v in rsp["versions"] if v["curie"] == "rsp:v2.2")
    assert v22["issued"] == "2025-05-14" and v22["paraphrase"]
    assert body["scheme"] == "rsp"


def test_provision_search(client: TestClient) -> None:
    body = get_json(client, "/api/provisions?scheme=eu-ai-act&kind=point&q=cybersecurity")
    assert "aia:art55-1-d" in [p["curie"] for p in body["items"]]
    assert body["filters"] == {"scheme": "eu-ai-act", "kind": "point", "q": "cybersecurity"}


def test_provision_detail(client: TestClient) -> None:
    body = get_json(client, "/api/provisions/eu-ai-act/art55-1-d")
    assert body["notation"] == "Art. 55(1)(d)"
    assert body["obligations"][0]["applies_from"] == "2025-08-02"
    record = next(m for m in body["mappings"] if m["curie"] == "map:rsp__eu-ai-act-001")
    assert record["relation"]["id"] == "superset-of"  # read from the object side
    assert record["asserted_relation"]["id"] == "subset-of"


def test_tier(client: TestClient) -> None:
    body = get_json(client, "/api/tiers/asl-3")
    assert body["id"] == "ASL-3" and [t["curie"] for t in body["includes"]] == [
        "rsp:ASL-2",
        "rsp:ASL-1",
    ]
    assert get_json(client, "/api/tiers/3") == body


def test_crosswalk(client: TestClient) -> None:
    body = get_json(client, "/api/crosswalk?from=rsp:ASL3-SS&to=eu-ai-act&min_confidence=0.7")
    assert body["provision"]["curie"] == "rsp:ASL3-SS"
    assert body["direct_total"] + body["derived_total"] == body["total"]
    entry = next(e for e in body["items"] if e["target"]["curie"] == "aia:art55-1-d")
    assert entry["relation"]["id"] == "subset-of" and entry["confidence"] == 0.8
    step = entry["path"][0]
    assert step["subject"]["version"]["curie"] == "rsp:v2.2"
    assert step["object"]["version"]["curie"] == "aia:oj-2024"
    assert step["justification"] and step["rationale"]["id"] == "semantic"
    assert all(e["target"]["curie"].startswith("aia:") for e in body["items"])


def test_crosswalk_by_iri_equals_by_curie(client: TestClient) -> None:
    by_curie = get_json(client, "/api/crosswalk?from=rsp:ASL3-SS")
    by_iri = get_json(
        client, "/api/crosswalk?from=https%3A%2F%2Fw3id.org%2Faslgraph%2Fid%2Frsp%2FASL3-SS"
    )
    assert by_iri["items"] == by_curie["items"]


def test_derived_crosswalk_entries_over_http(case_client: TestClient) -> None:
    body = get_json(case_client, "/api/crosswalk?from=rsp:X")
    derived = [e for e in body["items"] if e["derived"]]
    assert [(e["target"]["curie"], e["relation"]["id"]) for e in derived] == [
        ("cop:H", "subset-of"),
        ("cop:C", "subset-of"),
        ("fasc:M", "is-supported-by"),
    ]
    assert [step["curie"] for step in derived[1]["path"]] == ["map:t-01", "map:t-02"]
    older = get_json(case_client, "/api/crosswalk?from=rsp:X&as_of=2026-01-01")
    assert "cop:H" not in [e["target"]["curie"] for e in older["items"]]
    assert older["as_of"] == "2026-01-01"


def test_coverage_json(client: TestClient) -> None:
    body = get_json(client, "/api/coverage?from=rsp&to=eu-ai-act&size=500")
    assert [s["scheme"] for s in body["summary"]] == ["rsp", "eu-ai-act"]
    sides = [row["side"] for row in body["items"]]
    assert sides == sorted(sides, key=lambda s: s != "from")


@pytest.mark.parametrize(
    ("url", "headers"),
    [
        ("/api/coverage?from=rsp&to=eu-ai-act", {"accept": "text/csv"}),
        ("/api/coverage?from=rsp&to=eu-ai-act&format=csv", {}),
    ],
)
def test_coverage_csv(client: TestClient, url: str, headers: dict[str, str]) -> None:
    response = client.get(url, headers=headers)
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(response.text)))
    summary = get_json(client, "/api/coverage?from=rsp&to=eu-ai-act")["summary"]
    for side in summary:
        side_rows = [r for r in rows if r["side"] == ("from" if side["scheme"] == "rsp" else "to")]
        assert len({r["provision"] for r in side_rows}) == side["provisions"]
        assert (
            len({r["provision"] for r in side_rows if r["covered"] == "false"})
            == (side["unmapped"])
        )
    link = next(
        r for r in rows if r["provision"] == "rsp:ASL3-SS" and r["other"] == "aia:art55-1-d"
    )
    assert (link["relation"], link["confidence"]) == ("subset-of", "0.8")


def test_obligations(client: TestClient) -> None:
    """Each obligation of the role is decided for the facts given, as validate and posture
    decide it; a fact not given leaves what turns on it undecided, naming the parameter."""
    base = "/api/obligations?role=gpai-provider&as_of=2025-09-01"
    body = get_json(
        client,
        base + "&systemic_risk=true&open_source=false&established_in=DE"
        "&placed_on_market=2025-08-20",
    )
    curies = [o["curie"] for o in body["items"]]
    assert {"aia:art53-1-a", "aia:art55-1-d"} <= set(curies)
    assert all(o["applicability"]["outcome"] == "applies" for o in body["items"])
    assert body["as_of"] == "2025-09-01" and body["systemic_risk"] is True
    assert body["facts"]["established_in"] == "DE"
    mandate = next(o for o in body["not_applicable"] if o["curie"] == "aia:art54-mandate")
    assert "third country" in mandate["applicability"]["reason"]
    unknown = get_json(client, base)
    assert unknown["items"] == [] and unknown["systemic_risk"] is None
    art55 = next(o for o in unknown["undecided"] if o["curie"] == "aia:art55-1-d")
    assert any(
        "give training_flop or systemic_risk" in m for m in art55["applicability"]["missing"]
    )
    assert unknown["transitional"][0]["curie"] == "aia:art111-3"
    legacy = get_json(
        client,
        "/api/obligations?role=gpai-provider&as_of=2026-11-30&training_flop=2e24"
        "&open_source=false&established_in=FR&placed_on_market=2025-03-01",
    )
    deferred = next(o for o in legacy["upcoming"] if o["curie"] == "aia:art53-1-a")
    assert deferred["applicability"]["applies_from"] == "2027-08-02"
    assert deferred["applicability"]["basis"]["curie"] == "aia:art111-3"
    open_source = get_json(
        client,
        "/api/obligations?role=gpai-provider&as_of=2026-11-30&systemic_risk=false"
        "&open_source=true&established_in=US&placed_on_market=2025-09-01",
    )
    exempt = {o["curie"]: o for o in open_source["not_applicable"]}
    assert {"aia:art53-1-a", "aia:art53-1-b", "aia:art54-mandate"} <= set(exempt)
    assert [d["curie"] for d in exempt["aia:art53-1-a"]["applicability"]["decided_by"]] == [
        "aia:art53-2",
        *[d["curie"] for d in exempt["aia:art53-1-a"]["applicability"]["decided_by"][1:]],
    ]
    later = get_json(client, "/api/obligations?role=gpai-provider&as_of=2025-01-01")
    assert later["items"] == [] and later["upcoming"]


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("application/ld+json", "application/ld+json"),
        ("application/json;q=0.5, application/ld+json", "application/ld+json"),
        ("application/ld+json;q=0.1, application/json", JSON),
        ("*/*", JSON),
        ("application/*", JSON),
        ("", JSON),
    ],
)
def test_negotiation_with_q_values(client: TestClient, accept: str, expected: str) -> None:
    response = client.get("/api/tiers/3", headers={"accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"] == expected


def test_an_unacceptable_type_is_a_406_problem(client: TestClient) -> None:
    response = client.get("/api/tiers/3", headers={"accept": "text/html"})
    assert response.status_code == 406
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["available"] == [JSON, "application/ld+json"]


def test_obligations_take_the_us_facts(client: TestClient) -> None:
    response = client.get(
        "/api/obligations",
        params={
            "role": "us-large-frontier-developer",
            "as_of": "2026-06-01",
            "training_flop": "3e26",
            "annual_revenue": "720000000",
            "in_new_york": "true",
            "size": "500",
        },
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["facts"]["annual_revenue"] == "720000000.0"
    in_effect = {item["curie"] for item in body["items"]}
    assert "sb53:22757.12-a" in in_effect and "raise:1421-1" not in in_effect
    later = {item["curie"]: item for item in body["upcoming"]}
    assert later["raise:1421-1"]["applicability"]["applies_from"] == "2027-01-01"
    refused = client.get("/api/obligations", params={"role": "deployer", "annual_revenue": "1"})
    assert refused.status_code == 400
