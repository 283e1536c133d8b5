"""POST /api/frameworks/regimes: an organisation's own framework, uploaded, against the regimes.
The answer is the matrix the in-process service gives for the same file; what cannot be
compared is a problem document saying why, and an unknown regime is refused before any work
is queued."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from aslgraph.kg.catalog import Catalog
from aslgraph.kg.model import RegimeMatrix
from aslgraph.org.framework import regimes
from aslgraph.org.upload import parse_upload

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "valid" / "us-large-frontier-developer-three-regimes.ttl"
PATH = "/api/frameworks/regimes"
TURTLE = {"Content-Type": "text/turtle"}


def test_the_answer_is_the_matrix_of_the_uploaded_framework(
    client: TestClient, catalog: Catalog
) -> None:
    response = client.post(PATH, content=EXAMPLE.read_bytes(), headers=TURTLE)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/json")
    got = RegimeMatrix.model_validate_json(response.content)
    expected = regimes(parse_upload(EXAMPLE.read_bytes(), "text/turtle"), catalog)
    assert got == expected
    assert got.framework == "hff:HFF"
    assert got.regimes == ["eu-ai-act", "gpai-cop", "ca-sb53", "ny-raise"]


def test_regimes_and_the_framework_can_be_named(client: TestClient) -> None:
    response = client.post(
        PATH,
        params={"regime": ["ny-raise"], "framework": "hff:HFF"},
        content=EXAMPLE.read_bytes(),
        headers=TURTLE,
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["regimes"] == ["ny-raise"]
    assert {row["regime"] for row in body["rows"]} == {"ny-raise"}


def test_an_unknown_regime_is_400_naming_the_known_ones(client: TestClient) -> None:
    response = client.post(
        PATH, params={"regime": "eu-ai-akt"}, content=EXAMPLE.read_bytes(), headers=TURTLE
    )
    assert response.status_code == 400
    problem = response.json()
    assert "unknown regime 'eu-ai-akt'" in problem["detail"]
    assert "eu-ai-act" in problem["detail"]


@pytest.mark.parametrize(
    ("body", "kind", "words"),
    [
        (
            b'<https://example.org/x> <http://www.w3.org/2000/01/rdf-schema#label> "x" .',
            "no-framework",
            "no framework of its own",
        ),
        (
            b"<https://example.org/F> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
            b"<https://w3id.org/aslgraph/ontology#Instrument> .",
            "framework-without-sections",
            "has no sections",
        ),
    ],
    ids=["no-framework", "no-sections"],
)
def test_a_graph_that_describes_no_usable_framework_is_422(
    client: TestClient, body: bytes, kind: str, words: str
) -> None:
    response = client.post(PATH, content=body, headers={"Content-Type": "application/n-triples"})
    assert response.status_code == 422, response.text
    problem = response.json()
    assert problem["type"].endswith(kind)
    assert words in problem["detail"]


def test_several_frameworks_without_a_name_is_422(client: TestClient) -> None:
    extra = b'\nhff:Other a asl:Instrument ; rdfs:label "Another"@en .\n'
    response = client.post(PATH, content=EXAMPLE.read_bytes() + extra, headers=TURTLE)
    assert response.status_code == 422
    assert "hff:HFF" in response.json()["detail"] and "hff:Other" in response.json()["detail"]


def test_what_is_not_rdf_or_not_json_is_refused(client: TestClient) -> None:
    assert client.post(PATH, content=b"@prefix", headers=TURTLE).status_code == 400
    unsupported = client.post(PATH, content=b"x", headers={"Content-Type": "text/plain"})
    assert unsupported.status_code == 415
    html = client.post(
        PATH, content=EXAMPLE.read_bytes(), headers={**TURTLE, "Accept": "text/html"}
    )
    assert html.status_code == 406


def test_openapi_declares_the_upload(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    operation = spec["paths"][PATH]["post"]
    assert {"200", "400", "406", "413", "415", "422", "503"} <= set(operation["responses"])
    schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert schema["$ref"].endswith("/RegimeMatrix")
    examples = operation["requestBody"]["content"]["text/turtle"]["examples"]
    assert "hff:HFF" in examples["three-regimes"]["value"]
