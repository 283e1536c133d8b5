"""The OpenAPI document, made to say exactly what the service sends and accepts.

FastAPI's generated document is close but not true: it lists a 422 the service never sends
(invalid parameters are 400 problem documents), declares errors as ``application/json`` though
they are ``application/problem+json``, and cannot know the limits and vocabularies that live in
settings and in the knowledge graph. :func:`document` starts from FastAPI's and

- gives every error response the Problem schema as ``application/problem+json``, drops 422,
  and adds the statuses any route can get from the layers in front of it (400 malformed URL,
  408, 414, 431 and 503 from the HTTP server; 413 and 415 for routes that take a body), with
  ``Retry-After`` on 503;
- states the vocabularies parameters must come from, as enums read from the graph at start-up:
  schemes, provision kinds, roles, jurisdictions, Code chapters, the graphs the SPARQL dataset
  parameters may name; the CURIE-or-IRI pattern of a provision; the largest page size.

It is built once per app, on the first request for ``/openapi.json`` (the graph is loaded by
then), and ``tests/integration/test_contract.py`` holds the service to it with schemathesis.
"""

from __future__ import annotations

import re
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from aslgraph.api.problems import PROBLEM_JSON, Problem
from aslgraph.config import Settings
from aslgraph.kg.catalog import Catalog
from aslgraph.kg.index import C
from aslgraph.namespaces import ID, SCHEMES
from aslgraph.org.situation import CHAPTERS, JUR
from aslgraph.store import OxigraphStore

PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}
_RETRY_AFTER = {
    "Retry-After": {
        "description": "Seconds to wait before trying again.",
        "schema": {"type": "integer", "minimum": 0},
    }
}
_ANY_ROUTE = {
    400: "The URL is malformed (invalid percent-encoding or not UTF-8), or a parameter is not "
    "acceptable (the message says which and what is accepted).",
    408: "The request's headers or body did not arrive in time.",
    414: "The request line is longer than the server reads (ASLGRAPH_MAX_URL_BYTES).",
    431: "The request's headers are too large or too many.",
    503: "The server is busy or a worker failed; try again after Retry-After seconds.",
}
_WITH_BODY = {
    413: "The request body is larger than this route accepts.",
    415: "The body's Content-Type is not one this route reads, or it has a Content-Encoding.",
}
SPARQL_RESULTS_JSON = {
    "type": "object",
    "description": "SPARQL 1.1 Query Results JSON Format: head and results (SELECT) or boolean "
    "(ASK).",
    "required": ["head"],
    "properties": {
        "head": {
            "type": "object",
            "properties": {
                "vars": {"type": "array", "items": {"type": "string"}},
                "link": {"type": "array", "items": {"type": "string"}},
            },
        },
        "results": {
            "type": "object",
            "required": ["bindings"],
            "properties": {
                "bindings": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "additionalProperties": {
                            "type": "object",
                            "required": ["type"],
                            "properties": {
                                "type": {"enum": ["uri", "literal", "bnode", "triple"]},
                                "value": {},
                                "datatype": {"type": "string"},
                                "xml:lang": {"type": "string"},
                            },
                        },
                    },
                }
            },
        },
        "boolean": {"type": "boolean"},
    },
}
_CURIE_OR_IRI = "^\\s*(?:{prefixes}):\\S+\\s*$|^\\s*{id}[^/\\s]+/\\S+\\s*$"


def document(app: FastAPI) -> dict[str, Any]:
    """The OpenAPI document of ``app`` (started: its graph loaded), as the service behaves."""
    schema = get_openapi(
        title=app.title,
        version=app.version,
        description=app.description,
        routes=app.routes,
        license_info=app.license_info,
    )
    state = app.state
    vocabulary = _vocabulary(state.settings, state.catalog, state.store)
    for path, operations in schema.get("paths", {}).items():
        for operation in operations.values():
            _responses(operation)
            for parameter in operation.get("parameters", []):
                _constrain(path, parameter, vocabulary)
            body = operation.get("requestBody", {}).get("content", {})
            form = body.get("application/x-www-form-urlencoded", {}).get("schema", {})
            for name in ("default-graph-uri", "named-graph-uri"):
                if name in form.get("properties", {}):
                    form["properties"][name]["items"] = {"enum": vocabulary["graphs"]}
    schemas = schema.setdefault("components", {}).setdefault("schemas", {})
    schemas.pop("HTTPValidationError", None)
    schemas.pop("ValidationError", None)
    schemas["Problem"] = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
    return schema


def _vocabulary(settings: Settings, catalog: Catalog, store: OxigraphStore) -> dict[str, Any]:
    schemes = catalog.schemes()
    concepts = catalog.index.by_class.get(C.concept, [])
    jurisdictions = sorted(
        iri.removeprefix(str(JUR))
        for iri in concepts
        if iri.startswith(str(JUR)) and iri != str(JUR) + "scheme"
    )
    prefixes = "|".join(re.escape(SCHEMES[s]) for s in schemes if s in SCHEMES)
    return {
        "schemes": schemes,
        "kinds": [k.id for k in catalog.kinds()],
        "roles": [r.id for r in catalog.roles()],
        "jurisdictions": jurisdictions,
        "chapters": sorted(CHAPTERS),
        "graphs": [source.graph for source in store.sources],
        "provision": _CURIE_OR_IRI.format(prefixes=prefixes, id=re.escape(str(ID))),
        "max_page_size": settings.max_page_size,
    }


def _responses(operation: dict[str, Any]) -> None:
    responses: dict[str, Any] = operation.setdefault("responses", {})
    framework = responses.get("422", {}).get("content", {}).get("application/json", {})
    if framework.get("schema", {}).get("$ref", "").endswith("/HTTPValidationError"):
        del responses["422"]  # FastAPI's; the service answers invalid parameters with 400
    statuses = dict(_ANY_ROUTE)
    if "requestBody" in operation:
        statuses.update(_WITH_BODY)
    for status, description in statuses.items():
        responses.setdefault(str(status), {"description": description})
    for code, response in responses.items():
        if code.isdigit() and int(code) >= 400:
            response["content"] = {PROBLEM_JSON: {"schema": PROBLEM_REF}}
            if code == "503":
                response["headers"] = _RETRY_AFTER
    ok = responses.get("200", {}).get("content", {})
    for media_type in ("application/sparql-results+json", "application/json"):
        if media_type in ok and "sparql" in operation.get("tags", []):
            ok[media_type] = {"schema": SPARQL_RESULTS_JSON}


_ENUM_OF = {
    ("/api/coverage", "from"): "schemes",
    ("/api/coverage", "to"): "schemes",
    ("/api/crosswalk", "to"): "schemes",
    ("/api/provisions", "scheme"): "schemes",
    ("/api/provisions", "kind"): "kinds",
    ("/api/obligations", "role"): "roles",
    ("/api/obligations", "established_in"): "jurisdictions",
    ("/store", "graph"): "graphs",  # the Graph Store serves only the store's own graphs
    ("/api/export/{format}", "from"): "schemes",
    ("/api/export/{format}", "to"): "schemes",
}
"""Query parameters whose value must come from a vocabulary of the graph."""
_ITEMS_OF = {
    ("/api/obligations", "adheres_to"): "chapters",
    ("/api/frameworks/{framework}/regimes", "regime"): "schemes",
    ("/api/frameworks/regimes", "regime"): "schemes",
}
"""Repeatable query parameters whose every value must come from a vocabulary."""


def _constrain(path: str, parameter: dict[str, Any], vocabulary: dict[str, Any]) -> None:
    """Narrow a parameter's schema to what the route accepts."""
    name, where = str(parameter.get("name")), parameter.get("in")
    if where != "query":
        return
    schema = parameter.get("schema", {})
    branches = schema.get("anyOf", [schema])
    if name == "size":
        for branch in branches:
            if branch.get("type") == "integer":
                branch["maximum"] = vocabulary["max_page_size"]
    elif (path, name) in _ENUM_OF:
        _narrow(schema, {"enum": vocabulary[_ENUM_OF[path, name]]})
    elif (path, name) in _ITEMS_OF:
        for branch in branches:
            if branch.get("type") == "array":
                branch["items"] = {"enum": vocabulary[_ITEMS_OF[path, name]]}
    elif (path, name) == ("/api/crosswalk", "from"):
        schema["pattern"] = vocabulary["provision"]
    elif name in ("default-graph-uri", "named-graph-uri"):
        schema["items"] = {"enum": vocabulary["graphs"]}


def _narrow(schema: dict[str, Any], to: dict[str, Any]) -> None:
    """Replace the string branch of ``schema`` (or ``schema`` itself) by ``to``."""
    branches = schema.get("anyOf")
    if branches is None:
        schema.clear()
        schema.update(to)
        return
    for k, branch in enumerate(branches):
        if branch.get("type") == "string":
            branches[k] = dict(to)
