"""``GET /``: the front door, as a page without script for browsers and as JSON on request."""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest
from fastapi.testclient import TestClient
from page_refs import references, same_origin

from aslgraph import __version__
from aslgraph.api import home
from aslgraph.api.examples import Examples
from aslgraph.api.routes.ids import href
from aslgraph.config import Settings
from aslgraph.kg.catalog import Catalog

ROOT = Path(__file__).resolve().parents[2]
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
EXAMPLES = sorted(
    f"examples/{path.parent.name}/{path.name}"
    for verdict in ("valid", "invalid")
    for path in (ROOT / "examples" / verdict).glob("*.ttl")
)
ENTRY_POINTS = (
    "/sparql",
    "/docs",
    "/redoc",
    "/openapi.json",
    "/health",
    "/api/instruments",
    "/api/crosswalk?from=rsp:ASL3-SS",
    "/api/coverage?from=rsp&to=eu-ai-act",
    "/api/obligations?role=gpai-provider&systemic_risk=true",
    "/api/tiers",
    "/api/provisions",
)


@pytest.fixture(scope="module")
def page(client: TestClient) -> str:
    response = client.get("/", headers={"accept": BROWSER})
    assert response.status_code == 200
    return response.text


@pytest.fixture(scope="module")
def index(client: TestClient) -> dict[str, Any]:
    response = client.get("/", headers={"accept": "application/json"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    body: dict[str, Any] = response.json()
    return body


def _hrefs(index: dict[str, Any]) -> list[str]:
    return [link["href"] for section in index["sections"] for link in section["links"]]


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("", "text/html; charset=utf-8"),
        ("*/*", "text/html; charset=utf-8"),
        (BROWSER, "text/html; charset=utf-8"),
        ("text/html", "text/html; charset=utf-8"),
        ("application/json", "application/json"),
        ("application/*", "application/json"),
        ("application/json, text/html;q=0.5", "application/json"),
        ("text/html;q=0.4, application/json", "application/json"),
        ("application/json;q=0.4, text/html", "text/html; charset=utf-8"),
    ],
)
def test_the_answer_follows_accept(client: TestClient, accept: str, expected: str) -> None:
    response = client.get("/", headers={"accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"] == expected
    assert response.headers["vary"] == "Accept"


@pytest.mark.parametrize("accept", ["text/turtle", "application/ld+json", "image/png"])
def test_neither_html_nor_json_is_406(client: TestClient, accept: str) -> None:
    response = client.get("/", headers={"accept": accept})
    assert response.status_code == 406
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["type"].endswith("/not-acceptable")
    assert problem["available"] == ["text/html", "application/json"]


def test_the_page_needs_no_script_and_loads_only_our_own_files(client: TestClient) -> None:
    response = client.get("/", headers={"accept": BROWSER})
    assert response.headers["content-security-policy"] == home.CONTENT_SECURITY_POLICY
    assert "script-src" not in home.CONTENT_SECURITY_POLICY  # default-src 'none' forbids it
    assert "default-src 'none'" in home.CONTENT_SECURITY_POLICY
    assert response.headers["x-content-type-options"] == "nosniff"
    refs = references(response.text)
    assert "script" not in refs.tags
    assert refs.inline_styles == 0
    assert sorted(refs.loaded) == [
        "./favicon.svg",  # the site navigation's logo (the analyst UI's frame)
        "favicon.ico",
        "favicon.svg",
        "favicon.svg",
        "static/site/site.css",
    ]
    for url in refs.loaded:
        assert same_origin(url)
        loaded = client.get(urljoin("http://testserver/", url))
        assert loaded.status_code == 200, url


def test_the_page_says_what_aslgraph_is(page: str) -> None:
    for sentence in home.ABOUT:
        assert html.escape(sentence) in page
    assert len(home.ABOUT) == 2


@pytest.mark.parametrize("path", ENTRY_POINTS)
def test_the_entry_points_are_linked_from_page_and_index(
    page: str, index: dict[str, Any], path: str
) -> None:
    assert path in references(page).links
    assert path in _hrefs(index)


def test_every_instrument_is_linked_to_its_id_page(
    page: str, index: dict[str, Any], catalog: Catalog, settings: Settings
) -> None:
    instruments = catalog.instruments()
    assert len(instruments) >= 4
    section = next(s for s in index["sections"] if s["id"] == "instruments")
    linked = {link["href"] for link in section["links"]}
    for instrument in instruments:
        target = href(instrument.iri, settings)
        assert target is not None and target.startswith("/id/")
        assert target in linked
        assert target in references(page).links


@pytest.mark.parametrize("example", EXAMPLES)
def test_every_example_graph_is_listed(page: str, index: dict[str, Any], example: str) -> None:
    assert f"/{example}" in references(page).links
    assert f"/{example}" in _hrefs(index)


def test_every_link_of_the_index_answers(client: TestClient, index: dict[str, Any]) -> None:
    """No dead link: each one, followed, answers 200 (HTML for a browser where it has one)."""
    hrefs = _hrefs(index)
    assert len(hrefs) == len(set(hrefs)) >= len(ENTRY_POINTS) + len(EXAMPLES)
    for target in hrefs:
        assert same_origin(target) and target.startswith("/"), target
        response = client.get(target, headers={"accept": BROWSER})
        assert response.status_code == 200, (target, response.text[:200])


def test_the_index_is_the_page_as_json(page: str, index: dict[str, Any]) -> None:
    assert index["name"] == "aslgraph"
    assert index["version"] == __version__
    assert index["description"] == " ".join(home.ABOUT)
    body = page.split("</header>", 1)[1]  # after the site navigation
    assert references(body).links == _hrefs(index)


def test_head_answers_like_get(client: TestClient) -> None:
    response = client.head("/", headers={"accept": BROWSER})
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert response.content == b""


def test_links_use_the_public_base(settings: Settings) -> None:
    moved = settings.model_copy(update={"public_base": "https://kg.example.org/aslgraph/"})
    door = home.front_door(moved, [], Examples(()), lambda iri: None)
    hrefs = [link.href for section in door.sections for link in section.links]
    assert "https://kg.example.org/aslgraph/sparql" in hrefs
    assert all(h.startswith("https://kg.example.org/aslgraph/") for h in hrefs)


def test_without_examples_the_page_lists_none(case_client: TestClient) -> None:
    """An installed package may ship without examples/: the page then has no such section."""
    index = case_client.get("/", headers={"accept": "application/json"}).json()
    assert not [s for s in index["sections"] if s["id"].startswith("examples")]
    assert case_client.get("/examples/valid/bank-deploying-agents.ttl").status_code == 404


def test_every_value_on_the_page_is_escaped() -> None:
    hostile = "<script>alert(\"x\")</script> & 'quoted'"
    door = home.FrontDoor(
        name=hostile,
        version=hostile,
        description=hostile,
        sections=[
            home.Section(
                id=hostile,
                title=hostile,
                note=hostile,
                links=[home.Link(href='"><script>x</script>', title=hostile, note=hostile)],
            )
        ],
    )
    page = home.render_html(door).decode()
    assert "<script" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#x27;quoted&#x27;" in page
    assert 'href="&quot;&gt;&lt;script&gt;x&lt;/script&gt;"' in page
