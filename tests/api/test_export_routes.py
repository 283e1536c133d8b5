"""``GET /api/export/{format}``: each format with its media type and file name, the filters,
and problem documents for an unknown format or scheme (decision 0015)."""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient

from aslgraph.store import OxigraphStore


@pytest.mark.parametrize(
    ("name", "media_type", "filename"),
    [
        ("sssom", "text/tab-separated-values; charset=utf-8", "aslgraph.sssom.tsv"),
        ("oscal-mapping", "application/json", "aslgraph.oscal-mapping.json"),
        ("csv", "text/csv; charset=utf-8", "aslgraph.mappings.csv"),
        ("nquads", "application/n-quads", "aslgraph.nq"),
        ("trig", "application/trig", "aslgraph.trig"),
    ],
)
def test_each_format(client: TestClient, name: str, media_type: str, filename: str) -> None:
    response = client.get(f"/api/export/{name}")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == media_type
    assert response.headers["content-disposition"] == f'attachment; filename="{filename}"'
    assert len(response.content) > 10_000


def test_filters_name_the_file_and_keep_the_pair(client: TestClient) -> None:
    response = client.get("/api/export/csv", params={"from": "rsp", "to": "eu-ai-act"})
    assert response.status_code == 200
    assert (
        'filename="aslgraph-rsp__eu-ai-act.mappings.csv"' in response.headers["content-disposition"]
    )
    rows = response.text.splitlines()[1:]
    assert rows and all(",rsp:" in row and ",aia:" in row for row in rows)
    assert all(row.startswith("https://w3id.org/aslgraph/id/map/rsp__eu-ai-act-") for row in rows)


def test_a_pair_without_records_is_an_empty_table(client: TestClient) -> None:
    response = client.get("/api/export/sssom", params={"from": "uk-aisi", "to": "rsp"})
    assert response.status_code == 200
    lines = [line for line in response.text.splitlines() if not line.startswith("#")]
    assert len(lines) == 1 and lines[0].startswith("record_id\tsubject_id\t")


def test_oscal_has_one_mapping_per_pair(client: TestClient) -> None:
    response = client.get("/api/export/oscal-mapping", params={"from": "rsp"})
    assert response.status_code == 200
    mappings = response.json()["mapping-collection"]["mappings"]
    targets = [m["target-resource"]["props"][0]["value"] for m in mappings]
    assert len(targets) == len(set(targets)) > 3
    assert all(m["source-resource"]["props"][0]["value"] == "rsp" for m in mappings)


def test_coverage_csv_is_the_coverage_routes_table(client: TestClient) -> None:
    params = {"from": "rsp", "to": "eu-ai-act"}
    exported = client.get("/api/export/coverage-csv", params=params)
    table = client.get("/api/coverage", params={**params, "format": "csv"})
    assert exported.status_code == table.status_code == 200
    assert exported.content == table.content


def test_dump_holds_the_stores_quads(client: TestClient, kg: OxigraphStore) -> None:
    response = client.get("/api/export/nquads")
    quads = list(ox.parse(response.content, format=ox.RdfFormat.N_QUADS))
    assert len(quads) == len(kg)
    assert {q.graph_name.value for q in quads if isinstance(q.graph_name, ox.NamedNode)} == {
        source.graph for source in kg.sources
    }


@pytest.mark.parametrize(
    ("path", "params", "status", "kind", "says"),
    [
        ("/api/export/xlsx", {}, 404, "unknown-format", "unknown export format 'xlsx'"),
        ("/api/export/sssom", {"from": "nope"}, 400, "unknown-scheme", "unknown scheme (from)"),
        ("/api/export/oscal-mapping", {"to": "nope"}, 400, "unknown-scheme", "(to) 'nope'"),
        ("/api/export/trig", {"from": "rsp"}, 400, "invalid-parameter", "whole graph"),
        ("/api/export/coverage-csv", {"to": "rsp"}, 400, "invalid-parameter", "give both"),
        (
            "/api/export/oscal-mapping",
            {"from": "uk-aisi", "to": "rsp"},
            400,
            "no-mappings",
            "no mapping record",
        ),
    ],
)
def test_problems(
    client: TestClient, path: str, params: dict[str, str], status: int, kind: str, says: str
) -> None:
    response = client.get(path, params=params)
    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"
    problem = json.loads(response.content)
    assert problem["type"].endswith("/" + kind)
    assert says in problem["detail"]


def test_described_in_openapi(client: TestClient) -> None:
    operation = client.get("/openapi.json").json()["paths"]["/api/export/{format}"]["get"]
    content = operation["responses"]["200"]["content"]
    assert set(content) == {
        "text/tab-separated-values",
        "application/json",
        "text/csv",
        "application/n-quads",
        "application/trig",
    }
    parameters = {p["name"]: p for p in operation["parameters"]}
    assert "sssom" in parameters["format"]["schema"]["enum"]
    assert "rsp" in parameters["from"]["schema"]["anyOf"][0]["enum"]
    assert {"400", "404"} <= set(operation["responses"])
