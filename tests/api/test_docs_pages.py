"""``/docs`` and ``/redoc``: Swagger UI and ReDoc from the package's own copies, under a strict
Content-Security-Policy, with nothing from a CDN."""

from __future__ import annotations

import base64
import hashlib
import re
from typing import Any
from urllib.parse import urljoin

import pytest
from fastapi.testclient import TestClient
from page_refs import references, same_origin

from aslgraph.api import apidocs

PAGES = {
    "/docs": (
        apidocs.SWAGGER_CSP,
        [
            "favicon.svg",
            "favicon.ico",
            "static/vendor/swagger-ui/5.35.0/swagger-ui.css",
            "static/vendor/swagger-ui/5.35.0/swagger-ui-bundle.js",
            "static/site/swagger-init.js",
        ],
    ),
    "/redoc": (
        apidocs.REDOC_CSP,
        ["favicon.svg", "favicon.ico", "static/vendor/redoc/3.0.1/redoc.standalone.js"],
    ),
}
TYPES = {
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
    ".ico": "image/x-icon",
}


def _directives(policy: str) -> dict[str, list[str]]:
    parts = (d.split() for d in policy.split(";") if d.strip())
    return {name: sources for name, *sources in parts}


@pytest.mark.parametrize(("path", "expected"), [(p, e) for p, (_, e) in PAGES.items()])
def test_the_page_loads_only_same_origin_files(
    client: TestClient, path: str, expected: list[str]
) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    refs = references(response.text)
    assert refs.loaded == expected
    assert all(same_origin(url) for url in refs.loaded + refs.links)
    assert refs.inline_scripts == []  # started by a file of ours, so script-src can be 'self'
    assert refs.inline_styles == 0
    assert not re.search(r"https?://|//cdn|jsdelivr|unpkg", response.text)


@pytest.mark.parametrize(("path", "expected"), [(p, e) for p, (_, e) in PAGES.items()])
def test_what_the_page_loads_is_served(client: TestClient, path: str, expected: list[str]) -> None:
    for url in expected:
        response = client.get(urljoin(f"http://testserver{path}", url))
        assert response.status_code == 200, url
        suffix = url[url.rindex(".") :]
        assert response.headers["content-type"] == TYPES[suffix], url
        assert response.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize(("path", "policy"), [(p, c) for p, (c, _) in PAGES.items()])
def test_the_page_carries_a_strict_policy(client: TestClient, path: str, policy: str) -> None:
    response = client.get(path)
    assert response.headers["content-security-policy"] == policy
    assert response.headers["x-content-type-options"] == "nosniff"
    directives = _directives(policy)
    assert directives["default-src"] == ["'none'"]
    assert directives["script-src"] == ["'self'"]  # no inline script, no eval, no CDN
    assert directives["connect-src"] == ["'self'"]
    assert directives["img-src"] == ["'self'", "data:"]
    assert directives["base-uri"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["form-action"] == ["'self'"]
    assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy
    assert "worker-src" not in directives and "blob:" not in policy


def test_redoc_admits_only_empty_inline_style_elements() -> None:
    """ReDoc's style elements start empty and are filled through the CSSOM (decision 0010)."""
    empty = "'sha256-" + base64.b64encode(hashlib.sha256(b"").digest()).decode() + "'"
    assert empty == "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='"
    assert _directives(apidocs.REDOC_CSP)["style-src"] == ["'self'", empty]
    assert _directives(apidocs.REDOC_CSP)["font-src"] == ["data:"]
    assert _directives(apidocs.SWAGGER_CSP)["style-src"] == ["'self'"]
    assert "font-src" not in _directives(apidocs.SWAGGER_CSP)


def test_swagger_ui_is_pointed_at_our_description(client: TestClient) -> None:
    page = client.get("/docs").text
    assert 'data-openapi-url="openapi.json"' in page
    script = client.get("/static/site/swagger-init.js").text
    assert "validatorUrl: null" in script  # the validator badge would be fetched from elsewhere
    assert not re.search(r"https?://", script)


def test_redoc_is_pointed_at_our_description_without_telemetry(client: TestClient) -> None:
    page = client.get("/redoc").text
    assert '<redoc spec-url="openapi.json" disable-telemetry="true"></redoc>' in page
    assert '<script type="module" src="static/vendor/redoc/3.0.1/redoc.standalone.js">' in page


@pytest.mark.parametrize("path", ["/docs/oauth2-redirect", "/redoc/x"])
def test_fastapis_own_docs_routes_are_gone(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"


def test_openapi_describes_the_front_door_but_not_the_pages(client: TestClient) -> None:
    spec: dict[str, Any] = client.get("/openapi.json").json()
    paths = spec["paths"]
    assert "/" in paths and "/examples/{verdict}/{name}" in paths
    for hidden in ("/docs", "/redoc", "/static/{path}", "/favicon.svg", "/favicon.ico"):
        assert hidden not in paths
    assert paths["/"]["get"]["tags"] == ["front door"]
    assert "406" in paths["/"]["get"]["responses"]
    assert "text/html" in paths["/"]["get"]["responses"]["200"]["content"]
