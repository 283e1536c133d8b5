"""The analyst UI in a real browser: headless Chromium (Debian's chromium and chromium-driver,
driven by selenium) against the real server.

Every page loads with no console error and no request leaving 127.0.0.1 (Chromium resolves
no other host, and its DevTools network log is checked too); the crosswalk matrix shows the
count the data gives for a known pair; a query runs in the editor and shows rows; validating
an invalid example shows the findings its ``# expect:`` lines list and the posture verdicts
its ``# verdict:`` lines list. One browser serves the
whole module. Without Chromium the tests skip, except in CI (``CI=true``), where they fail.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from rdflib import Graph
from scripts.screenshots import CHROMEDRIVER, CHROMIUM, chrome_options

from org_expect import header_expectations, matches, verdict_expectations, verdicts_match

ROOT = Path(__file__).resolve().parents[2]

INVALID_EXAMPLE = ROOT / "examples" / "invalid" / "gpai-sr-provider-with-gaps.ttl"
PAGES = [
    "/",
    "/crosswalk",
    "/crosswalk/rsp/eu-ai-act",
    "/coverage",
    "/coverage/rsp/eu-ai-act",
    "/id/eu-ai-act/art55-1-d",
    "/id/rsp/ASL-3",
    "/sparql",
    "/validate",
    "/validate?example=invalid/gpai-sr-provider-with-gaps.ttl",
]
PAIR_COUNT = """
PREFIX asl: <https://w3id.org/aslgraph/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX mst: <https://w3id.org/aslgraph/id/mapping-status/>
SELECT (COUNT(DISTINCT ?pair) AS ?n) WHERE {
  ?m a asl:Mapping ; asl:mappingSubject ?s ; asl:mappingObject ?o ; asl:relation ?r .
  FILTER (?r != <https://w3id.org/aslgraph/id/relation/no-relationship>)
  FILTER NOT EXISTS { ?m asl:mappingStatus mst:superseded }
  ?s a/rdfs:subClassOf* asl:Provision .
  ?o a/rdfs:subClassOf* asl:Provision .
  BIND (STRSTARTS(STR(?s), "https://w3id.org/aslgraph/id/rsp/") AS ?forward)
  FILTER ((?forward && STRSTARTS(STR(?o), "https://w3id.org/aslgraph/id/eu-ai-act/"))
       || (STRSTARTS(STR(?s), "https://w3id.org/aslgraph/id/eu-ai-act/")
           && STRSTARTS(STR(?o), "https://w3id.org/aslgraph/id/rsp/")))
  BIND (IF(?forward, CONCAT(STR(?s), " ", STR(?o)), CONCAT(STR(?o), " ", STR(?s))) AS ?pair)
}
"""
"""Provision pairs of the RSP and the EU AI Act linked by a mapping that is neither superseded
nor no-relationship, in either direction: what the matrix cell must count."""


def _chromium_or_skip() -> None:
    if Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists():
        return
    message = f"needs {CHROMIUM} and {CHROMEDRIVER} (Debian: chromium, chromium-driver)"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One headless Chromium for the module; it resolves no host but 127.0.0.1."""
    _chromium_or_skip()
    os.environ["SE_OFFLINE"] = "true"  # selenium must never fetch a driver
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="aslgraph-chromium-")
    options = chrome_options(profile)  # the screenshots' browser: only 127.0.0.1 resolves
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(60)
    driver.get("about:blank")
    _requests(driver), _problems(driver)  # the start page's own traffic
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def _requests(driver: Any) -> list[str]:
    """Every URL the browser asked for since the last call (DevTools Network events)."""
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message.get("method") == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


def _problems(driver: Any) -> list[str]:
    """Console errors and warnings since the last call."""
    return [
        entry["message"]
        for entry in driver.get_log("browser")
        if entry["level"] in ("SEVERE", "WARNING")
    ]


NETWORK = ("http", "https", "ws", "wss", "ftp")
"""URL schemes that reach the network (data:, blob:, about: and chrome: stay inside)."""


def _outside(urls: list[str], server: str) -> list[str]:
    here = urlsplit(server).netloc
    return [url for url in urls if urlsplit(url).scheme in NETWORK and urlsplit(url).netloc != here]


def _visit(driver: Any, server: str, path: str) -> None:
    _requests(driver), _problems(driver)  # drop what earlier tests left in the logs
    driver.get(server + path)


def _wait(driver: Any, css: str, timeout: float = 30) -> Any:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout).until(
        ec.presence_of_element_located((By.CSS_SELECTOR, css))
    )


def _sparql(server: str, query: str) -> dict[str, Any]:
    response = httpx.post(
        f"{server}/sparql",
        data={"query": query},
        headers={"Accept": "application/sparql-results+json"},
        timeout=60,
    )
    response.raise_for_status()
    answer: dict[str, Any] = response.json()
    return answer


@pytest.mark.parametrize("path", PAGES)
def test_a_page_loads_cleanly_and_stays_on_this_service(
    browser: Any, server: str, path: str
) -> None:
    _visit(browser, server, path)
    _wait(browser, "nav.site" if path != "/" else "h1")
    if path == "/sparql":
        _wait(browser, ".yasqe .CodeMirror")  # the editor started
    title = browser.title
    assert title and "aslgraph" in title
    assert not title.startswith(("rsp:", "aia:", "http")), title  # says what, not an id
    problems = _problems(browser)
    assert problems == [], problems
    requests = _requests(browser)
    assert requests, "the DevTools network log recorded nothing"
    assert _outside(requests, server) == []


def test_every_page_has_the_site_navigation_and_a_skip_link(browser: Any, server: str) -> None:
    from selenium.webdriver.common.by import By

    for path in PAGES[1:]:
        _visit(browser, server, path)
        _wait(browser, "nav.site")
        links = [a.text for a in browser.find_elements(By.CSS_SELECTOR, "nav.site ul a")]
        assert links[:5] == ["Home", "Crosswalk matrix", "Coverage", "Query", "Validate a graph"]
        assert browser.find_elements(By.CSS_SELECTOR, "a.skip"), path


def test_the_matrix_counts_the_pairs_the_data_holds(browser: Any, server: str) -> None:
    from selenium.webdriver.common.by import By

    expected = int(_sparql(server, PAIR_COUNT)["results"]["bindings"][0]["n"]["value"])
    assert expected > 0
    _visit(browser, server, "/crosswalk")
    cell = _wait(browser, 'table.matrix a[href$="crosswalk/rsp/eu-ai-act"]')
    assert int(cell.text) == expected
    assert "provision pairs mapped" in (cell.get_attribute("title") or "")
    cell.click()  # the cell leads to the provision-by-provision matrix of the pair
    _wait(browser, "table.grid")
    assert browser.current_url == f"{server}/crosswalk/rsp/eu-ai-act"
    assert int(browser.find_element(By.ID, "pair-count").text) == expected
    positive = browser.execute_script(
        "const cells = new Set();"
        "for (const td of document.querySelectorAll('table.grid td[class^=\"c-\"]')) {"
        "  if (!td.classList.contains('c-no-relationship')) cells.add(td);"
        "} return cells.size;"
    )
    assert positive == expected
    gaps = browser.find_elements(By.CSS_SELECTOR, "table.grid tbody th.gap")
    coverage = httpx.get(f"{server}/api/coverage", params={"from": "rsp", "to": "eu-ai-act"})
    unmapped = next(s for s in coverage.json()["summary"] if s["scheme"] == "rsp")["unmapped"]
    assert len(gaps) == unmapped  # unmapped rows show as gaps


def test_a_query_runs_in_the_editor_and_shows_rows(browser: Any, server: str) -> None:
    from selenium.webdriver.common.by import By

    query = (
        "PREFIX asl: <https://w3id.org/aslgraph/ontology#>\n"
        "SELECT ?level ?rank WHERE { ?level asl:levelRank ?rank } ORDER BY ?rank"
    )
    expected = len(_sparql(server, query)["results"]["bindings"])
    assert expected > 0
    _visit(browser, server, "/sparql")
    _wait(browser, ".yasqe .CodeMirror")
    browser.execute_script(
        "document.querySelector('.yasqe .CodeMirror').CodeMirror.setValue(arguments[0]);", query
    )
    browser.find_element(By.CSS_SELECTOR, ".yasqe_queryButton").click()
    _wait(browser, ".yasr table tbody tr")
    rows = browser.find_elements(By.CSS_SELECTOR, ".yasr table tbody tr")
    assert len(rows) == expected
    assert "rsp:ASL-1" in rows[0].text  # IRIs shortened with our prefixes
    assert "#query=" in browser.current_url  # the view has its own address
    assert _outside(_requests(browser), server) == []
    assert _problems(browser) == []


def test_validating_an_invalid_example_shows_its_expected_findings(
    browser: Any, server: str
) -> None:
    from selenium.webdriver.common.by import By

    text = INVALID_EXAMPLE.read_text(encoding="utf-8")
    expected = header_expectations(INVALID_EXAMPLE, Graph().parse(data=text, format="turtle"))
    assert expected
    _visit(browser, server, "/validate")
    area = _wait(browser, "textarea#graph")
    browser.execute_script("arguments[0].value = arguments[1];", area, text)
    browser.find_element(By.ID, "validate").click()
    _wait(browser, "#report-h")
    found = set()
    for item in browser.find_elements(By.CSS_SELECTOR, "li.finding"):
        severity = item.find_element(By.CSS_SELECTOR, "strong").text
        path = item.get_attribute("data-path") or item.get_attribute("data-shape") or ""
        found.add(
            (
                severity,
                item.get_attribute("data-focus") or "",
                path,
                item.get_attribute("data-value") or None,
            )
        )
    missing, extra = matches(found, expected)
    assert missing == [] and extra == [], (missing, extra)
    assert "does not conform" in browser.find_element(By.ID, "conforms").text
    verdicts = set()  # and the posture verdicts its "# verdict:" lines list
    for row in browser.find_elements(By.CSS_SELECTOR, "#posture-h ~ * [data-verdict]"):
        if row.get_attribute("data-kind") not in (None, "", "obligation"):
            continue
        verdicts.add(
            (
                row.get_attribute("data-focus") or "",
                row.get_attribute("data-obligation") or "",
                row.get_attribute("data-verdict") or "",
                row.get_attribute("data-date") or None,
            )
        )
    graph = Graph().parse(data=text, format="turtle")
    missing, extra = verdicts_match(verdicts, verdict_expectations(INVALID_EXAMPLE, graph))
    assert missing == [] and extra == [], (missing, extra)
    assert _outside(_requests(browser), server) == []
    assert _problems(browser) == []


def test_the_keyboard_skips_to_the_content_and_reaches_every_cell(
    browser: Any, server: str
) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    _visit(browser, server, "/crosswalk")
    _wait(browser, "table.matrix")
    ActionChains(browser).send_keys(Keys.TAB).perform()
    skip = browser.switch_to.active_element
    assert skip.get_attribute("class") == "skip"
    assert browser.execute_script("return arguments[0].getBoundingClientRect().left", skip) >= 0
    skip.send_keys(Keys.ENTER)
    assert browser.execute_script("return document.activeElement.id") == "main"
    cells = browser.execute_script("return document.querySelectorAll('table.matrix td a').length")
    reached = set()
    for _ in range(400):  # Tab through the page; every cell link gets the focus in turn
        ActionChains(browser).send_keys(Keys.TAB).perform()
        href = browser.execute_script(
            "const a = document.activeElement;"
            "return a.closest('table.matrix td') ? a.getAttribute('href') : null;"
        )
        if href:
            reached.add(href)
        if len(reached) == cells:
            break
    assert cells > 0 and len(reached) == cells


def test_without_javascript_the_plain_query_form_posts_to_the_endpoint(
    browser: Any, server: str
) -> None:
    from selenium.webdriver.common.by import By

    browser.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": True})
    try:
        _visit(browser, server, "/sparql")
        area = _wait(browser, "textarea#query")
        assert area.is_displayed()
        assert not browser.find_elements(By.CSS_SELECTOR, ".yasqe")  # no editor started
        browser.find_element(By.ID, "run").click()
        _wait(browser, "body")
        answer = json.loads(browser.find_element(By.TAG_NAME, "body").text)
        assert answer["results"]["bindings"]  # the first example's rows, as SPARQL JSON
        assert _outside(_requests(browser), server) == []
    finally:
        browser.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": False})
