"""POST /api/validate and /api/posture against the real server (uvicorn on 127.0.0.1): every
example behaves as labelled, every syntax is read, and bad input gets a clear 4xx while other
clients stay served."""

from __future__ import annotations

import concurrent.futures
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
import pytest
from rdflib import Graph
from rdflib.namespace import RDF, SH

from aslgraph.org.posture.model import PostureReport
from org_expect import (
    header_expectations,
    matches,
    org_results,
    posture_verdicts,
    run_dates,
    verdict_expectations,
    verdicts_match,
)

if TYPE_CHECKING:
    from tests.integration.conftest import RunningServer

ROOT = Path(__file__).resolve().parents[2]
VALID = sorted((ROOT / "examples" / "valid").glob("*.ttl"))
INVALID = sorted((ROOT / "examples" / "invalid").glob("*.ttl"))
EXAMPLES = VALID + INVALID
TURTLE = {"Content-Type": "text/turtle"}
GAPS = ROOT / "examples" / "invalid" / "gpai-sr-provider-with-gaps.ttl"
STALE = ROOT / "examples" / "invalid" / "stale-supplier-evidence.ttl"
STARTUP = ROOT / "examples" / "valid" / "startup-assistant-on-third-party-model.ttl"


def problem(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert body["detail"]
    return body


def report_of(response: httpx.Response) -> Graph:
    assert response.status_code == 200, response.text
    return Graph().parse(data=response.content, format="turtle")


RUNS = [(path, when) for path in EXAMPLES for when in run_dates(path)]


def _run_id(run: tuple[Path, str | None]) -> str:
    path, when = run
    return f"{path.parent.name}/{path.name}" + (f"@{when}" if when else "")


@pytest.mark.parametrize("run", RUNS, ids=_run_id)
def test_each_example_behaves_as_labelled(
    client: httpx.Client, run: tuple[Path, str | None]
) -> None:
    path, when = run
    params = {"format": "turtle", **({"as_of": when} if when else {})}
    response = client.post(
        "/api/validate", content=path.read_bytes(), headers=TURTLE, params=params
    )
    assert response.headers["content-type"].startswith("text/turtle")
    report = report_of(response)
    expected = header_expectations(path, Graph().parse(path, format="turtle"), when)
    assert matches(org_results(report), expected) == ([], [])
    if when is None:
        (node,) = report.subjects(RDF.type, SH.ValidationReport)
        assert report.value(node, SH.conforms).toPython() is (path in VALID)  # type: ignore[union-attr]


@pytest.fixture(scope="module")
def reference_client(server_factory: Callable[..., RunningServer]) -> Iterator[httpx.Client]:
    """A second server validating with pyshacl, the reference engine."""
    server = server_factory({"ASLGRAPH_VALIDATION_ENGINE": "pyshacl"})
    with httpx.Client(base_url=server.url, timeout=120) as http:
        answer = http.post("/api/validate", content=STALE.read_bytes(), headers=TURTLE)
        assert answer.json()["engine"] == "pyshacl"
        yield http


@pytest.mark.large
@pytest.mark.parametrize("run", RUNS, ids=_run_id)
def test_each_example_behaves_as_labelled_on_the_reference_engine(
    reference_client: httpx.Client, run: tuple[Path, str | None]
) -> None:
    test_each_example_behaves_as_labelled(reference_client, run)


@pytest.mark.parametrize("run", RUNS, ids=_run_id)
def test_each_example_posture_is_as_labelled(
    client: httpx.Client, run: tuple[Path, str | None]
) -> None:
    path, when = run
    response = client.post(
        "/api/posture", content=path.read_bytes(), headers=TURTLE,
        params={"as_of": when} if when else {},
    )  # fmt: skip
    expected = verdict_expectations(path, Graph().parse(path, format="turtle"), when)
    if response.status_code == 422:  # no single organisation to assess: no verdict lines
        assert expected == []
        return
    assert response.status_code == 200, response.text
    got = posture_verdicts(PostureReport.model_validate(response.json()))
    assert verdicts_match(got, expected) == ([], [])


def test_the_json_report_groups_findings_by_the_provision_they_rest_on(
    client: httpx.Client,
) -> None:
    response = client.post("/api/validate", content=GAPS.read_bytes(), headers=TURTLE)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    report = response.json()
    assert report["conforms"] is False
    assert report["engine"] in ("fast", "pyshacl")
    assert report["counts"]["violation"] >= 1
    assert report["triples"] > 0
    cited = [g["provision"]["curie"] for g in report["groups"] if g["provision"] is not None]
    assert "aia:art55-1-c" in cited
    group = next(
        g for g in report["groups"] if (g["provision"] or {}).get("curie") == "aia:art55-1-c"
    )
    assert group["provision"]["notation"] == "Art. 55(1)(c)"
    for result in group["results"]:
        assert result["severity"] in ("violation", "warning", "info")
        assert "aia:art55-1-c" in [r["curie"] for r in result["rests_on"]]
        assert result["message"]


# rdflib's JSON-LD parser builds a ConjunctiveGraph internally (deprecated in rdflib 7).
@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
def test_json_ld_report_on_request(client: httpx.Client) -> None:
    response = client.post(
        "/api/validate",
        content=GAPS.read_bytes(),
        headers={**TURTLE, "Accept": "application/ld+json"},
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/ld+json")
    report = Graph().parse(data=response.content, format="json-ld")
    assert list(report.subjects(RDF.type, SH.ValidationReport))
    assert list(report.subjects(RDF.type, SH.ValidationResult))


@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
@pytest.mark.parametrize(
    ("media", "rdflib_format"),
    [
        ("application/n-triples", "nt"),
        ("application/ld+json", "json-ld"),
        ("application/rdf+xml", "xml"),
    ],
)
def test_every_syntax_gives_the_same_findings(
    client: httpx.Client, media: str, rdflib_format: str
) -> None:
    graph = Graph().parse(GAPS, format="turtle")
    body = graph.serialize(format=rdflib_format, encoding="utf-8")
    as_turtle = client.post(
        "/api/validate", content=GAPS.read_bytes(), headers=TURTLE, params={"format": "turtle"}
    )
    other = client.post(
        "/api/validate", content=body, headers={"Content-Type": media}, params={"format": "turtle"}
    )
    assert org_results(report_of(other)) == org_results(report_of(as_turtle))


def test_as_of_judges_evidence_on_that_date(client: httpx.Client) -> None:
    body = STALE.read_bytes()
    stale = client.post("/api/validate", content=body, headers=TURTLE)
    fresh = client.post(
        "/api/validate", content=body, headers=TURTLE, params={"as_of": "2026-01-15"}
    )
    assert stale.json()["as_of"] == "2026-11-30"
    assert stale.json()["conforms"] is False
    assert fresh.json()["as_of"] == "2026-01-15"
    assert fresh.json()["conforms"] is True
    bad = client.post("/api/validate", content=body, headers=TURTLE, params={"as_of": "soon"})
    assert "as_of" in problem(bad, 400)["detail"]


# ---------------------------------------------------------------------------- bad input


def test_malformed_rdf_is_400_with_line_and_column(client: httpx.Client) -> None:
    body = b'@prefix a: <urn:a#> .\n\na:b a:c "unterminated .\n'
    found = problem(client.post("/api/validate", content=body, headers=TURTLE), 400)
    assert (found["line"], found["column"]) == (3, 9)
    assert "line 3, column 9" in found["detail"]


@pytest.mark.parametrize("content_type", ["text/html", "application/json", "application/pdf"])
def test_unknown_content_type_is_415(client: httpx.Client, content_type: str) -> None:
    response = client.post(
        "/api/validate", content=STARTUP.read_bytes(), headers={"Content-Type": content_type}
    )
    assert "text/turtle" in problem(response, 415)["detail"]


def test_empty_body_is_400(client: httpx.Client) -> None:
    for path in ("/api/validate", "/api/posture"):
        assert "empty" in problem(client.post(path, content=b"", headers=TURTLE), 400)["detail"]


def test_an_upload_stating_computed_determinations_is_400(client: httpx.Client) -> None:
    """Determinations are what validate computes; a graph that states one could pass itself off
    as decided, so it is refused and told what to remove."""
    body = (
        b"@prefix asl: <https://w3id.org/aslgraph/ontology#> .\n"
        b"<https://example.org/m> asl:determinedSystemicRisk false .\n"
    )
    found = problem(client.post("/api/validate", content=body, headers=TURTLE), 400)
    assert found["type"].endswith("reserved-term")
    assert "determinedSystemicRisk" in found["detail"] and "remove it" in found["detail"]


def test_rdf_xml_with_a_doctype_is_400(client: httpx.Client) -> None:
    body = (
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
        b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>'
    )
    response = client.post(
        "/api/validate", content=body, headers={"Content-Type": "application/rdf+xml"}
    )
    assert problem(response, 400)["type"].endswith("doctype-refused")


def test_remote_context_and_url_bodies_fetch_nothing(
    client: httpx.Client, listener: tuple[str, list[str]]
) -> None:
    url, paths = listener
    remote = f'{{"@context": "{url}/ctx.jsonld", "@id": "https://example.org/a"}}'.encode()
    response = client.post(
        "/api/validate", content=remote, headers={"Content-Type": "application/ld+json"}
    )
    assert "nothing is fetched" in problem(response, 400)["detail"]
    for media in ("text/turtle", "application/rdf+xml", "application/n-triples"):
        response = client.post(
            "/api/validate", content=f"{url}/org.ttl".encode(), headers={"Content-Type": media}
        )
        problem(response, 400)
    response = client.post("/api/validate", content=str(STARTUP).encode(), headers=TURTLE)
    problem(response, 400)
    assert paths == []


def test_shapes_inside_the_upload_are_data_never_run(client: httpx.Client) -> None:
    hostile = b"""
@prefix sh:    <http://www.w3.org/ns/shacl#> .
@prefix asl:   <https://w3id.org/aslgraph/ontology#> .
@prefix rdfs:  <http://www.w3.org/2000/01/rdf-schema#> .
@prefix shorg: <https://w3id.org/aslgraph/shapes/org#> .

shorg:Art55EvidenceShape sh:deactivated true .
<https://example.org/evil#Shape> a sh:NodeShape ;
    sh:targetClass asl:Organisation ;
    sh:property [ sh:path rdfs:label ; sh:minCount 99 ] .
"""
    plain = client.post(
        "/api/validate", content=GAPS.read_bytes(), headers=TURTLE, params={"format": "turtle"}
    )
    mixed = client.post(
        "/api/validate",
        content=GAPS.read_bytes() + hostile,
        headers=TURTLE,
        params={"format": "turtle"},
    )
    assert org_results(report_of(mixed)) == org_results(report_of(plain))


def test_openapi_documents_the_uploads(client: httpx.Client) -> None:
    spec = client.get("/openapi.json").json()
    for path in ("/api/validate", "/api/posture"):
        post = spec["paths"][path]["post"]
        content = post["requestBody"]["content"]
        assert {
            "text/turtle",
            "application/n-triples",
            "application/ld+json",
            "application/rdf+xml",
        } <= set(content)
        assert content["text/turtle"]["examples"]
        assert {"400", "413", "415", "503"} <= set(post["responses"])
    assert "as_of" in [p["name"] for p in spec["paths"]["/api/validate"]["post"]["parameters"]]


def test_over_the_upload_cap_is_413(server_factory: Callable[..., RunningServer]) -> None:
    capped = server_factory({"ASLGRAPH_MAX_UPLOAD_BYTES": "1000"})
    with httpx.Client(base_url=capped.url, timeout=60) as client:
        response = client.post("/api/validate", content=GAPS.read_bytes(), headers=TURTLE)
        assert "limit of 1000 bytes" in problem(response, 413)["detail"]
        small = b"<https://example.org/a> <https://example.org/b> <https://example.org/c> ."
        assert client.post("/api/validate", content=small, headers=TURTLE).status_code == 200


def _large_graph(systems: int) -> bytes:
    """An organisation with many AI systems: big enough to outlast a tiny time budget."""
    head = STARTUP.read_text(encoding="utf-8")
    lines = [head, "@prefix big: <https://example.org/big/> ."]
    for n in range(systems):
        lines.append(
            f"big:system-{n} a <https://w3id.org/aslgraph/ontology#AISystem> ; "
            f'<http://www.w3.org/2000/01/rdf-schema#label> "System {n}" .'
        )
    return "\n".join(lines).encode()


def test_a_validation_past_its_budget_is_stopped_and_others_are_served(
    server_factory: Callable[..., RunningServer],
) -> None:
    # margins no machine's speed closes: the small graph validates in about 0.07 s here (15x
    # under the budget), the large one needs about 15 s (15x over it)
    limited = server_factory({"ASLGRAPH_VALIDATION_TIMEOUT": "1"})
    big = _large_graph(300_000)
    with httpx.Client(base_url=limited.url, timeout=60) as client:
        # wait until the validation worker is up, so the budget measures the validation
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            warm = client.post("/api/validate", content=STARTUP.read_bytes(), headers=TURTLE)
            if warm.status_code == 200:
                break
            time.sleep(0.2)
        with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
            slow = pool.submit(client.post, "/api/validate", content=big, headers=TURTLE)
            served = []
            while not slow.done():
                started = time.perf_counter()
                assert client.get("/health").status_code == 200
                assert client.get("/api/tiers/ASL-3").status_code == 200
                served.append(time.perf_counter() - started)
                time.sleep(0.02)
            response = slow.result()
        found = problem(response, 503)
        assert found["type"].endswith("validation-timeout")
        assert "longer than 1 s" in found["detail"]
        assert served  # answered while the validation ran
        again = client.post("/api/validate", content=STARTUP.read_bytes(), headers=TURTLE)
        assert again.status_code == 200, again.text


# ---------------------------------------------------------------------------- posture


def _verdicts(report: dict[str, Any]) -> dict[str, str]:
    found = {v["obligation"]["curie"]: v["verdict"] for v in report["obligations"]}
    for supplier in report["suppliers"]:
        for verdict in supplier["obligations"]:
            found.setdefault(verdict["obligation"]["curie"], verdict["verdict"])
    return found


def test_posture_gives_a_verdict_per_obligation_citing_iris(client: httpx.Client) -> None:
    response = client.post("/api/posture", content=GAPS.read_bytes(), headers=TURTLE)
    assert response.status_code == 200, response.text
    report = response.json()
    assert report["as_of"] == "2026-11-30"
    verdicts = _verdicts(report)
    assert verdicts["aia:art55-1-c"] == "unmet"
    assert verdicts["aia:art55-1-d"] == "unmet"
    for verdict in report["obligations"]:
        assert verdict["obligation"]["iri"].startswith("https://w3id.org/aslgraph/id/")
        assert verdict["cites"]


def test_posture_as_of_before_chapter_v_lists_obligations_as_later(client: httpx.Client) -> None:
    adhering = ROOT / "examples" / "valid" / "gpai-sr-provider-adhering-to-code.ttl"
    response = client.post(
        "/api/posture",
        content=adhering.read_bytes(),
        headers=TURTLE,
        params={"as_of": "2025-06-01"},
    )
    assert response.status_code == 200, response.text
    later = {item["provision"]["curie"]: item["applies_from"] for item in response.json()["later"]}
    assert later["aia:art55-1-a"] == "2025-08-02"
    assert "aia:art55-1-a" not in _verdicts(response.json())


def test_posture_of_a_graph_without_an_organisation_is_422(client: httpx.Client) -> None:
    body = b"<https://example.org/a> <https://example.org/b> <https://example.org/c> ."
    found = problem(client.post("/api/posture", content=body, headers=TURTLE), 422)
    assert "organisation" in found["detail"]
