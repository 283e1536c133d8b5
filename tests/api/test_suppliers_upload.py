"""POST /api/suppliers and POST /api/plan: the comparison and the plan the in-process service
gives for the same file, and a problem document when there is nothing to compare."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from aslgraph.kg.catalog import Catalog
from aslgraph.org.plan import Plan, plan
from aslgraph.org.suppliers import SupplierComparison, compare
from aslgraph.org.upload import parse_upload
from aslgraph.shacl import OrgEngine

ROOT = Path(__file__).resolve().parents[2]
HEALTH = ROOT / "examples" / "invalid" / "health-agents-short-of-their-policy.ttl"
TURTLE = {"Content-Type": "text/turtle"}


def test_the_answer_is_the_comparison_of_the_uploaded_graph(
    client: TestClient, catalog: Catalog
) -> None:
    response = client.post("/api/suppliers", content=HEALTH.read_bytes(), headers=TURTLE)
    assert response.status_code == 200, response.text
    got = SupplierComparison.model_validate_json(response.content)
    upload = parse_upload(HEALTH.read_bytes(), "text/turtle")
    assert got == compare(upload.store, catalog, prefixes=upload.prefixes)
    triage = next(s for s in got.systems if s.system.label == "Triage Assistant")
    assert [m.label for m in triage.satisfying] == ["Boreal-2"]


def test_as_of_is_the_assessment_date(client: TestClient) -> None:
    response = client.post(
        "/api/suppliers",
        params={"as_of": "2027-01-15"},
        content=HEALTH.read_bytes(),
        headers=TURTLE,
    )
    assert response.status_code == 200
    assert response.json()["as_of"] == "2027-01-15"


def test_nothing_to_compare_is_422(client: TestClient) -> None:
    body = b'<https://example.org/x> <http://www.w3.org/2000/01/rdf-schema#label> "x" .'
    response = client.post(
        "/api/suppliers", content=body, headers={"Content-Type": "application/n-triples"}
    )
    assert response.status_code == 422
    assert response.json()["type"].endswith("no-organisation")


def test_openapi_declares_it(client: TestClient) -> None:
    operation = client.get("/openapi.json").json()["paths"]["/api/suppliers"]["post"]
    schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert schema["$ref"].endswith("/SupplierComparison")
    example = operation["requestBody"]["content"]["text/turtle"]["examples"]["health-agents"]
    assert "asl:candidateModel ex:boreal-2" in example["value"]


def test_the_plan_is_the_in_process_plan(
    client: TestClient, catalog: Catalog, fast_engine: OrgEngine
) -> None:
    response = client.post("/api/plan", content=HEALTH.read_bytes(), headers=TURTLE)
    assert response.status_code == 200, response.text
    got = Plan.model_validate_json(response.content)
    assert got == plan(parse_upload(HEALTH.read_bytes(), "text/turtle"), fast_engine, catalog)
    assert got.actions[0].kind == "switch-supplier"
    spec = client.get("/openapi.json").json()["paths"]["/api/plan"]["post"]
    assert spec["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/Plan"
    )


def test_posture_as_html_is_the_audit_report(client: TestClient) -> None:
    by_format = client.post(
        "/api/posture", params={"format": "html"}, content=HEALTH.read_bytes(), headers=TURTLE
    )
    assert by_format.status_code == 200, by_format.text
    assert by_format.headers["content-type"].startswith("text/html")
    assert by_format.text.startswith("<!DOCTYPE html>")
    by_accept = client.post(
        "/api/posture", content=HEALTH.read_bytes(), headers={**TURTLE, "Accept": "text/html"}
    )
    assert by_accept.text == by_format.text
    as_json = client.post("/api/posture", content=HEALTH.read_bytes(), headers=TURTLE)
    assert as_json.headers["content-type"].startswith("application/json")
