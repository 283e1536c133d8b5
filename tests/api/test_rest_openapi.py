"""The OpenAPI description: every REST route, its parameters, answers with examples, problems."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import BaseModel

from aslgraph.api.rest import example_of
from aslgraph.api.routes import coverage, crosswalk, instruments, obligations, provisions, tiers
from aslgraph.kg import model

ROUTES = {
    "/api/frameworks/{framework}/regimes": (400, 404, 406),
    "/api/instruments": (400, 406),
    "/api/instruments/{scheme}": (400, 404, 406),
    "/api/provisions": (400, 406),
    "/api/provisions/{scheme}/{local}": (404, 406),
    "/api/tiers": (400, 406),
    "/api/tiers/{tier}": (404, 406),
    "/api/crosswalk": (400, 404, 406),
    "/api/coverage": (400, 406),
    "/api/obligations": (400, 406),
    "/id/{scheme}/{local}": (404, 406),
    "/store": (400, 404, 406),  # the Graph Store (tests/api/test_store_route.py)
}


@pytest.fixture(scope="module")
def openapi(client: TestClient) -> dict[str, Any]:
    response = client.get("/openapi.json")
    assert response.status_code == 200
    spec: dict[str, Any] = response.json()
    return spec


@pytest.mark.parametrize(("path", "errors"), sorted(ROUTES.items()))
def test_route_is_described(openapi: dict[str, Any], path: str, errors: tuple[int, ...]) -> None:
    operation = openapi["paths"][path]["get"]
    assert operation["summary"] and operation["description"] and operation["tags"]
    responses = operation["responses"]
    assert "200" in responses
    assert "422" not in responses  # FastAPI's default; invalid parameters are 400 here
    for status in (*errors, 400, 408, 414, 431, 503):
        content = responses[str(status)]["content"]
        assert list(content) == ["application/problem+json"]
        assert content["application/problem+json"]["schema"]["$ref"].endswith("/Problem")
    assert "Retry-After" in responses["503"]["headers"]


@pytest.mark.parametrize("path", [p for p in ROUTES if p.startswith("/api")])
def test_answers_have_a_schema_and_json_ld(openapi: dict[str, Any], path: str) -> None:
    content = openapi["paths"][path]["get"]["responses"]["200"]["content"]
    assert "$ref" in content["application/json"]["schema"]
    assert "application/ld+json" in content


def test_crosswalk_parameters(openapi: dict[str, Any]) -> None:
    params = {p["name"]: p for p in openapi["paths"]["/api/crosswalk"]["get"]["parameters"]}
    assert set(params) >= {"from", "to", "min_confidence", "as_of", "page", "size"}
    assert params["from"]["required"] is True
    assert params["from"]["schema"]["examples"] == ["rsp:ASL3-SS"]


def test_every_schema_of_the_rest_api_has_an_example(openapi: dict[str, Any]) -> None:
    framework = {"HTTPValidationError", "ValidationError", "Problem", "Health"}
    missing = [
        name
        for name, schema in openapi["components"]["schemas"].items()
        if name not in framework and not schema.get("examples")
    ]
    assert missing == []


def _models() -> list[type[BaseModel]]:
    found: list[type[BaseModel]] = []
    for module in (model, instruments, provisions, tiers, crosswalk, coverage, obligations):
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, BaseModel)
                and value.__module__ == module.__name__
                and value.__pydantic_generic_metadata__["origin"] is None
            ):
                found.append(value)
    return found


@pytest.mark.parametrize("cls", _models(), ids=lambda c: c.__name__)
def test_examples_are_valid_instances(cls: type[BaseModel]) -> None:
    example = example_of(cls)
    if example:
        cls.model_validate(example)


def _parameters(openapi: dict[str, Any], path: str, method: str = "get") -> dict[str, Any]:
    return {p["name"]: p["schema"] for p in openapi["paths"][path][method]["parameters"]}


def test_limits_and_vocabularies_are_stated(openapi: dict[str, Any]) -> None:
    size = _parameters(openapi, "/api/provisions")["size"]["anyOf"][0]
    assert (size["minimum"], size["maximum"]) == (1, 500)
    coverage = _parameters(openapi, "/api/coverage")
    assert "rsp" in coverage["from"]["enum"] and "eu-ai-act" in coverage["to"]["enum"]
    obligations = _parameters(openapi, "/api/obligations")
    assert "gpai-provider" in obligations["role"]["enum"]
    assert obligations["adheres_to"]["anyOf"][0]["items"] == {"enum": ["C", "SS", "T"]}
    assert "US" in obligations["established_in"]["anyOf"][0]["enum"]
    pattern = _parameters(openapi, "/api/crosswalk")["from"]["pattern"]
    assert re.match(pattern, "aia:art55-1-d") and not re.match(pattern, "")
    assert re.match(pattern, "https://w3id.org/aslgraph/id/rsp/ASL3-SS")
    graphs = _parameters(openapi, "/sparql")["named-graph-uri"]["items"]["enum"]
    assert "https://w3id.org/aslgraph/graph/data/rsp/levels.ttl" in graphs


def test_what_is_sent_is_what_is_declared(openapi: dict[str, Any]) -> None:
    sparql = openapi["paths"]["/sparql"]["get"]["responses"]["200"]["content"]
    assert sparql["application/sparql-results+json"]["schema"]["type"] == "object"
    posture = openapi["paths"]["/api/posture"]["post"]["responses"]
    assert {"413", "415", "422"} <= set(posture)  # 422 is the service's own: no organisation
    body = openapi["paths"]["/api/validate"]["post"]["requestBody"]["content"]
    assert body["application/ld+json"]["schema"]["type"] == ["object", "array"]
    assert "HTTPValidationError" not in openapi["components"]["schemas"]
