"""The HTML query page: self-contained, with example queries that answer."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pyoxigraph as ox
import pytest

from aslgraph.namespaces import ID, PREFIXES
from aslgraph.sparql.page import CONTENT_SECURITY_POLICY, QueryPage
from aslgraph.store import OxigraphStore

STATIC = Path(__file__).resolve().parents[2] / "src" / "aslgraph" / "api" / "static"


@pytest.fixture(scope="module")
def page() -> QueryPage:
    return QueryPage.load(STATIC, prefixes=PREFIXES, id_base=ID, timeout=10, max_rows=100_000)


class _References(HTMLParser):
    """Collects every URL the page would load or link to."""

    def __init__(self) -> None:
        super().__init__()
        self.loaded: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        values = dict(attrs)
        if tag in ("script", "img", "iframe", "link") and (
            url := values.get("src") or values.get("href")
        ):
            self.loaded.append(url)


def test_the_page_loads_nothing_from_elsewhere(page: QueryPage) -> None:
    parser = _References()
    parser.feed(page.html.decode())
    assert parser.loaded == [
        "favicon.svg",
        "favicon.ico",
        "static/vendor/yasgui/4.2.28/yasgui.min.css",  # the editor, vendored (no CDN)
        "static/site/site.css",
        "sparql/static/sparql.css",
        "static/vendor/yasgui/4.2.28/yasgui.min.js",
        "sparql/static/sparql-editor.js",
        "sparql/static/sparql.js",
    ]
    assert {"textarea", "form", "select"} <= set(parser.tags)
    for asset in page.assets.values():
        text = asset.body.decode()
        assert not re.search(r"""(?:import|url\(|src=|@import)\s*["']?https?:""", text)
    assert "default-src 'none'" in CONTENT_SECURITY_POLICY
    assert "connect-src 'self'" in CONTENT_SECURITY_POLICY


def test_the_editor_asks_no_remote_service(page: QueryPage) -> None:
    """YASGUI is pinned to our endpoint: prefixes from our own file, no LOV look-ups, no
    shortener; the prefixes file holds the project's prefixes."""
    script = page.assets["sparql-editor.js"].body.decode()
    assert 'yasqe.autocompleters = ["prefixes", "variables"]' in script
    assert 'yasqe.prefixCcApi = new URL("sparql/static/prefixes.json"' in script
    assert "yasqe.createShortLink = undefined" in script
    assert "copyEndpointOnNewTab: false" in script
    assert json.loads(page.assets["prefixes.json"].body) == PREFIXES


def test_no_placeholder_is_left(page: QueryPage) -> None:
    assert b"{{" not in page.html


def test_examples_cover_the_domain(page: QueryPage) -> None:
    titles = " ".join(example.title for example in page.examples)
    for words in ("Safety Levels", "ASL-3 Security Standard", "systemic risk", "Art. 55"):
        assert words in titles
    for example in page.examples:
        assert example.title.encode() in page.html


@pytest.mark.parametrize("name", sorted(p.stem for p in (STATIC / "examples").glob("*.rq")))
def test_every_example_answers_with_data(page: QueryPage, kg: OxigraphStore, name: str) -> None:
    (example,) = [e for e in page.examples if e.name == name]
    result = kg.query(example.text)
    if isinstance(result, ox.QuerySolutions):
        assert len(list(result)) > 0
    else:
        assert isinstance(result, ox.QueryTriples)
        assert len(list(result)) > 0


def test_embedded_json_cannot_close_the_script_element() -> None:
    page = QueryPage.load(
        STATIC,
        prefixes={"x": "http://x/</script><script>alert(1)</script>"},
        id_base=ID,
        timeout=1,
        max_rows=1,
    )
    assert b"</script><script>alert" not in page.html
