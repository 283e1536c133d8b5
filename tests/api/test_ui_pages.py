"""The analyst UI's pages in-process: entity pages (heading, breadcrumbs, sections, obligations),
the crosswalk matrices and their downloads, and the coverage pages, each checked against the
catalog's own answers."""

from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest
from fastapi.testclient import TestClient
from tests.api.page_refs import references

from aslgraph.api.ui.entity import name, split_mappings
from aslgraph.api.ui.layout import root_of
from aslgraph.kg.catalog import Catalog
from aslgraph.kg.matrix import coverage_extent

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
UI_PAGES = [
    "/crosswalk",
    "/crosswalk/rsp/eu-ai-act",
    "/coverage",
    "/coverage/rsp/eu-ai-act",
    "/validate",
    "/id/eu-ai-act/art55-1-d",
]


def _get(client: TestClient, path: str) -> str:
    response = client.get(path, headers={"accept": BROWSER})
    assert response.status_code == 200, (path, response.text[:300])
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    return response.text


class _Text(HTMLParser):
    """The text of the first element with a given id, and of every ``h1``."""

    def __init__(self, ident: str) -> None:
        super().__init__()
        self.ident, self.depth, self.text = ident, 0, ""
        self.h1: list[str] = []
        self._in_h1 = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.depth:
            self.depth += 1
        elif dict(attrs).get("id") == self.ident:
            self.depth = 1
        if tag == "h1":
            self._in_h1 = True
            self.h1.append("")

    def handle_endtag(self, tag: str) -> None:
        if self.depth:
            self.depth -= 1
        if tag == "h1":
            self._in_h1 = False

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.text += data
        if self._in_h1:
            self.h1[-1] += data


def _text(page: str, ident: str) -> _Text:
    parser = _Text(ident)
    parser.feed(page)
    return parser


@pytest.mark.parametrize("path", UI_PAGES)
def test_a_ui_page_loads_only_its_own_files_and_runs_no_inline_code(
    client: TestClient, path: str
) -> None:
    response = client.get(path, headers={"accept": BROWSER})
    policy = response.headers["content-security-policy"]
    assert "default-src 'none'" in policy and "'unsafe-inline'" not in policy
    refs = references(response.text)
    assert refs.inline_scripts == [] and refs.inline_styles == 0
    for url in refs.loaded:
        assert not re.match(r"(https?:)?//", url), url
    assert "Skip to content" in response.text
    assert 'aria-label="Site"' in response.text


@pytest.mark.parametrize(
    ("path", "root"),
    [("/", "./"), ("/crosswalk", "./"), ("/crosswalk/a/b", "../../"), ("/id/x/y", "../../")],
)
def test_links_are_relative_to_the_page(path: str, root: str) -> None:
    assert root_of(path) == root


# ---------------------------------------------------------------- entity pages


def test_the_heading_says_the_citation_once(client: TestClient) -> None:
    page = _get(client, "/id/eu-ai-act/art55-1-d")
    (heading,) = _text(page, "").h1
    assert heading == "Art. 55(1)(d) — cybersecurity for the model and its physical infrastructure"
    assert "Art. 55(1)(d) — Art. 55(1)(d)" not in page
    assert "<title>Art. 55(1)(d) — cybersecurity" in page


@pytest.mark.parametrize(
    ("notation", "label", "expected"),
    [
        ("Art. 55(1)(d)", "Art. 55(1)(d) — cybersecurity", "Art. 55(1)(d) — cybersecurity"),
        ("ASL-3", "AI Safety Level 3", "ASL-3 — AI Safety Level 3"),
        ("ASL-3 Security Standard", "ASL-3 Security Standard", "ASL-3 Security Standard"),
        (None, "Only a label", "Only a label"),
        (None, None, "rsp:X"),
    ],
)
def test_a_name_repeats_nothing(notation: str | None, label: str | None, expected: str) -> None:
    assert name(notation, label, "rsp:X") == expected


def test_breadcrumbs_run_from_the_instrument_down(client: TestClient) -> None:
    page = _get(client, "/id/eu-ai-act/art55-1-d")
    trail = re.search(r'<nav class="crumbs" aria-label="Breadcrumb"><ol>(.*?)</ol>', page)
    assert trail is not None
    steps = re.findall(r"<li>(?:<a [^>]*>|<span [^>]*>)([^<]*)<", trail.group(1))
    assert steps == [
        "Home",
        "Artificial Intelligence Act (Regulation (EU) 2024/1689)",
        "Chapter V",
        "Art. 55",
        "Art. 55(1)",
        "Art. 55(1)(d)",
    ]
    assert 'href="/id/eu-ai-act/cpt-V"' in trail.group(1)
    assert '<span aria-current="page">Art. 55(1)(d)</span>' in trail.group(1)


def test_no_relationship_records_have_their_own_section_after_the_mappings(
    client: TestClient, catalog: Catalog
) -> None:
    view = catalog.resource("eu-ai-act", "art55-1-d")
    positive, none, _ = split_mappings(view.mappings)
    assert positive and none
    page = _get(client, "/id/eu-ai-act/art55-1-d")
    mappings, unrelated = page.index('id="mappings"'), page.index('id="no-relationship"')
    assert mappings < unrelated
    before, after = page[mappings:unrelated], page[unrelated:]
    for link in none:
        assert f"/id/map/{link.curie.removeprefix('map:')}" in after
        assert f'/id/map/{link.curie.removeprefix("map:")}"' not in before
    assert "no relationship" not in before
    for link in positive:
        assert f'/id/map/{link.curie.removeprefix("map:")}"' in before


def test_obligations_show_roles_and_dates(client: TestClient, catalog: Catalog) -> None:
    (duty,) = catalog.provision("eu-ai-act", "art55-1-d").obligations
    page = _get(client, "/id/eu-ai-act/art55-1-d")
    section = page[page.index('id="obligations"') :]
    assert duty.roles[0].label in section
    assert duty.applies_from is not None and duty.applies_from.isoformat() in section
    assert "/id/eu-ai-act/art111-3" in section  # the transitional rule deferring it


def test_the_same_data_is_linked_as_turtle_and_json_ld(client: TestClient) -> None:
    page = _get(client, "/id/rsp/ASL-3")
    assert 'href="?format=ttl" type="text/turtle"' in page
    assert 'href="?format=jsonld" type="application/ld+json"' in page
    turtle = client.get("/id/rsp/ASL-3?format=ttl")
    assert turtle.headers["content-type"].startswith("text/turtle")


# ---------------------------------------------------------------- matrices


def test_the_matrix_page_shows_each_pair_with_its_link(
    client: TestClient, catalog: Catalog
) -> None:
    matrix = catalog.instrument_matrix()
    page = _get(client, "/crosswalk")
    for cell in matrix.cells:
        if cell.positive and cell.a != cell.b:
            link = re.search(rf'href="\./crosswalk/{cell.a}/{cell.b}"[^>]*>(\d+)</a>', page)
            assert link is not None, (cell.a, cell.b)
            assert int(link.group(1)) == cell.positive
            back = re.search(rf'href="\./crosswalk/{cell.b}/{cell.a}"[^>]*>(\d+)</a>', page)
            assert back is not None and int(back.group(1)) == cell.positive


def test_the_matrix_counts_agree_with_the_grids(catalog: Catalog) -> None:
    matrix = catalog.instrument_matrix()
    cell = matrix.cell("rsp", "eu-ai-act")
    assert cell is not None
    grid = catalog.provision_grid("rsp", "eu-ai-act")
    pairs = {(c.row, c.column) for c in grid.cells if c.relation.id != "no-relationship"}
    unrelated = {(c.row, c.column) for c in grid.cells if c.relation.id == "no-relationship"}
    assert len(pairs) == cell.positive
    assert len(unrelated - pairs) == cell.no_relationship
    coverage = catalog.coverage("rsp", "eu-ai-act")
    side = {s.scheme: s for s in coverage.summary}
    assert len(grid.unmapped_rows) == side["rsp"].unmapped
    assert len(grid.unmapped_columns) == side["eu-ai-act"].unmapped


def test_the_matrix_downloads(client: TestClient, catalog: Catalog) -> None:
    matrix = catalog.instrument_matrix()
    table = list(csv.DictReader(io.StringIO(client.get("/crosswalk.csv").text)))
    assert len(table) == len(matrix.cells)
    first = table[0]
    assert int(first["pairs_mapped"]) == matrix.cells[0].positive
    svg = client.get("/crosswalk.svg")
    assert svg.headers["content-type"] == "image/svg+xml"
    root = ET.fromstring(svg.content)  # noqa: S314 - our own output
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert str(matrix.cells[0].positive) in texts


def test_the_grid_downloads(client: TestClient, catalog: Catalog) -> None:
    grid = catalog.provision_grid("gpai-cop", "eu-ai-act")
    response = client.get("/crosswalk/gpai-cop/eu-ai-act.csv")
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert sum(r["relation"] != "unmapped" for r in rows) == len(grid.cells)
    assert sum(r["relation"] == "unmapped" for r in rows) == len(grid.unmapped_rows) + len(
        grid.unmapped_columns
    )
    assert all(r["justification"] for r in rows if r["relation"] != "unmapped")
    svg = client.get("/crosswalk/gpai-cop/eu-ai-act.svg")
    root = ET.fromstring(svg.content)  # noqa: S314 - our own output
    tips = [t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}title")]
    assert len(tips) == 1 + len({(c.row, c.column) for c in grid.cells})


def test_a_grid_cell_carries_justification_and_confidence(
    client: TestClient, catalog: Catalog
) -> None:
    grid = catalog.provision_grid("rsp", "eu-ai-act")
    cell = next(c for c in grid.cells if c.justification and c.confidence is not None)
    page = _get(client, "/crosswalk/rsp/eu-ai-act")
    local = cell.mapping.rsplit("/", 1)[1]
    found = re.search(rf'<a href="/id/map/{re.escape(local)}" title="([^"]*)"', page)
    assert found is not None
    assert f"confidence {cell.confidence:g}" in found.group(1)
    assert cell.justification[:40].replace("'", "&#x27;") in found.group(1)


def test_unknown_schemes_are_400_problems(client: TestClient) -> None:
    for path in ("/crosswalk/rsp/nope", "/coverage/nope/rsp", "/crosswalk/rsp/rsp.csv"):
        response = client.get(path, headers={"accept": BROWSER})
        assert response.status_code == 400, path
        assert response.headers["content-type"] == "application/problem+json"


# ---------------------------------------------------------------- coverage


def test_the_coverage_page_counts_what_the_coverage_service_says(
    client: TestClient, catalog: Catalog
) -> None:
    coverage = catalog.coverage("rsp", "eu-ai-act")
    page = _get(client, "/coverage/rsp/eu-ai-act")
    for side in ("from", "to"):
        rows = [r for r in coverage.rows if r.side == side]
        for extent in ("covered", "partly", "unmapped"):
            shown = int(_text(page, f"{side}-{extent}").text)
            assert shown == sum(coverage_extent(r) == extent for r in rows), (side, extent)
    summary = {s.scheme: s for s in coverage.summary}
    assert int(_text(page, "from-unmapped").text) == summary["rsp"].unmapped
    unmapped = _text(page, "from-unmapped-list").text
    for row in coverage.rows:
        if row.side == "from" and not row.covered:
            assert row.curie in unmapped


def test_the_coverage_chooser_redirects_to_the_permalink(client: TestClient) -> None:
    response = client.get("/coverage?from=rsp&to=gpai-cop", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "coverage/rsp/gpai-cop"
    assert client.get("/coverage?from=rsp&to=nope").status_code == 400


def test_a_mapping_record_is_named_by_what_it_maps_and_sits_under_its_pair(
    client: TestClient, catalog: Catalog
) -> None:
    mappings = catalog.resource("rsp", "ASL3-SS").mappings
    link = next(m for m in mappings if m.curie == "map:rsp__eu-ai-act-001")
    page = _get(client, "/id/map/rsp__eu-ai-act-001")
    subject = link.subject.notation or link.subject.curie
    target = link.object.notation or link.object.curie
    title = f"Mapping: {subject} {link.asserted_relation.label} {target}"
    assert f"<title>{title} · aslgraph</title>" in page
    assert '<a href="../../crosswalk/rsp/eu-ai-act">rsp by eu-ai-act</a>' in page


def test_provisions_that_share_a_notation_are_told_apart_in_the_grid(client: TestClient) -> None:
    page = _get(client, "/crosswalk/uk-fasc/gpai-cop")
    headers = re.findall(r'<th scope="col"[^>]*><a [^>]*>([^<]*)</a></th>', page)
    assert len(headers) == len(set(headers))
    assert "Commitment 1 (cop:C-C1)" in headers


@pytest.mark.parametrize(
    "path", ["/crosswalk", "/crosswalk.csv", "/crosswalk/rsp/eu-ai-act.svg", "/coverage/rsp/uk-ep"]
)
def test_head_answers_like_get(client: TestClient, path: str) -> None:
    head, get = client.head(path), client.get(path)
    assert head.status_code == get.status_code == 200
    assert head.headers["content-type"] == get.headers["content-type"]
    assert head.content == b""


def test_an_instrument_leads_to_its_versions_and_a_version_to_its_parts(
    client: TestClient, catalog: Catalog
) -> None:
    (act,) = [i for i in catalog.instruments() if i.curie == "aia:AIA"]
    page = _get(client, "/id/eu-ai-act/AIA")
    section = page[page.index('id="versions"') :]
    for version in act.versions:
        assert f'href="/id/eu-ai-act/{version.curie.removeprefix("aia:")}"' in section
    version = _get(client, "/id/eu-ai-act/oj-2024")
    assert 'id="parts"' in version and 'href="/id/eu-ai-act/cpt-V"' in version
    trail = re.search(r'aria-label="Breadcrumb"><ol>(.*?)</ol>', version)
    assert trail is not None and 'href="/id/eu-ai-act/AIA"' in trail.group(1)
