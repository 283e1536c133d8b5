"""The command line, run as a real process: exit statuses, messages, no tracebacks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.server  # each test runs the command line as a whole process


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "aslgraph.cli.main", *args],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        cwd=ROOT,
        env=None if env is None else {**os.environ, **env},
    )


def test_check_passes_on_shipped_data() -> None:
    done = run("check")
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr
    assert "0 violation(s)" in done.stdout


def test_check_broken_turtle_names_file_line_column(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    bad = tmp_path / "data" / "broken.ttl"
    bad.write_text('@prefix a: <urn:a#> .\n\na:b a:c "unterminated .\n', encoding="utf-8")
    done = run("check", str(tmp_path / "data"))
    assert done.returncode == 1
    assert done.stderr.startswith(f"aslgraph: not valid RDF: {bad}:3:")
    assert "Traceback" not in done.stderr


def test_check_missing_folder_is_usage_error(tmp_path: Path) -> None:
    done = run("check", str(tmp_path / "missing"))
    assert done.returncode == 2
    assert done.stderr.strip().count("\n") == 0
    assert "no such file or folder" in done.stderr


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_check_unreadable_file_is_usage_error(tmp_path: Path) -> None:
    locked = tmp_path / "locked.ttl"
    locked.write_text("<urn:a> <urn:b> <urn:c> .\n", encoding="utf-8")
    locked.chmod(0)
    try:
        with locked.open("rb"):
            pytest.skip("running as a user that can read any file")
    except PermissionError:
        pass
    done = run("check", str(locked))
    assert done.returncode == 2
    assert "cannot read" in done.stderr


def test_query_table() -> None:
    done = run(
        "query",
        "SELECT ?l WHERE { ?l a <https://w3id.org/aslgraph/ontology#SafetyLevel> } ORDER BY ?l",
    )
    assert done.returncode == 0, done.stderr
    assert "rsp:ASL-1" in done.stdout
    assert done.stdout.rstrip().endswith("(4 rows)")


def test_query_json_is_sparql_results_json(tmp_path: Path) -> None:
    query = tmp_path / "q.rq"
    query.write_text(
        "SELECT ?l WHERE { ?l a <https://w3id.org/aslgraph/ontology#SafetyLevel> }",
        encoding="utf-8",
    )
    done = run("query", "-f", str(query), "--format", "json")
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    assert answer["head"]["vars"] == ["l"]
    assert len(answer["results"]["bindings"]) == 4


def test_query_csv() -> None:
    done = run("query", "--format", "csv", "SELECT ?x WHERE { VALUES ?x { 1 2 } }")
    assert done.returncode == 0
    assert done.stdout.splitlines() == ["x", "1", "2"]


def test_query_ask_and_construct() -> None:
    assert run("query", "ASK { ?s ?p ?o }").stdout == "true\n"
    done = run(
        "query",
        "CONSTRUCT { ?l <urn:rank> ?r } WHERE "
        "{ ?l <https://w3id.org/aslgraph/ontology#levelRank> ?r }",
    )
    assert done.returncode == 0
    assert "<urn:rank>" in done.stdout


def test_malformed_query_is_usage_error_with_position() -> None:
    done = run("query", "SELECT * WHERE { ?s ?p }")
    assert done.returncode == 2
    assert "not valid SPARQL" in done.stderr
    assert "1:" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("command", [("check",), ("serve",), ("validate", "missing.ttl")])
def test_a_bad_environment_value_is_a_usage_error(command: tuple[str, ...]) -> None:
    done = run(*command, env={"ASLGRAPH_QUERY_TIMEOUT": "ten seconds"})
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith(
        "aslgraph: cannot use the environment: ASLGRAPH_QUERY_TIMEOUT='ten seconds': "
    ), done.stderr
    assert "Traceback" not in done.stderr


def test_update_is_refused() -> None:
    done = run("query", "DELETE WHERE { ?s ?p ?o }")
    assert done.returncode == 2
    assert "queries only" in done.stderr
    assert "DELETE" in done.stderr


def test_query_applies_the_endpoint_guard() -> None:
    service = run("query", "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }")
    assert service.returncode == 2
    assert "SERVICE is not allowed" in service.stderr
    remote = run("query", "SELECT * FROM <http://127.0.0.1:9/x.ttl> WHERE { ?s ?p ?o }")
    assert remote.returncode == 2
    assert "holds no graph <http://127.0.0.1:9/x.ttl>" in remote.stderr
    deep = run("query", "SELECT * WHERE " + "{" * 200 + "}" * 200)
    assert deep.returncode == 2
    assert "200 deep" in deep.stderr


def test_crosswalk_text_lists_direct_mappings_with_relation_and_record() -> None:
    done = run("crosswalk", "aia:art55-1-b", "--to", "rsp")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "aia:art55-1-b (Art. 55(1)(b))"
    assert lines[1].startswith("direct: ")
    assert any(
        "superset-of" in line and "rsp:ASL3-DS " in line and "[map:rsp__eu-ai-act-005]" in line
        for line in lines
    )
    targets = [line.split()[1] for line in lines if line.startswith("  ")]
    assert targets and all(t.startswith("rsp:") for t in targets)


def test_crosswalk_json_matches_the_rest_model() -> None:
    done = run("crosswalk", "https://w3id.org/aslgraph/id/eu-ai-act/art55-1-b", "--format", "json")
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    assert answer["provision"]["curie"] == "aia:art55-1-b"
    relations = {(e["target"]["curie"], e["relation"]["id"]) for e in answer["entries"]}
    assert ("rsp:ASL3-DS", "superset-of") in relations
    derived = run("crosswalk", "aia:art55-1-d", "--format", "json")
    assert derived.returncode == 0, derived.stderr
    entries = json.loads(derived.stdout)["entries"]
    via = [e for e in entries if e["derived"] and e["target"]["curie"] == "aia:rct-115"]
    assert via and via[0]["via"]["curie"] == "rsp:ASL3-SS"
    assert via[0]["rule"] == "superset-of \u2218 supports = supports"
    assert len(via[0]["path"]) == 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("aia:nope",), "no provision aia:nope"),
        (("aia:art55-1-b", "--to", "zzz"), "unknown target scheme 'zzz'"),
        (("aia:art55-1-b", "--min-confidence", "2"), "min_confidence must be between 0 and 1"),
        (("aia:art55-1-b", "--as-of", "yesterday"), "not a date"),
    ],
)
def test_crosswalk_bad_input_is_usage_error(args: tuple[str, ...], message: str) -> None:
    done = run("crosswalk", *args)
    assert done.returncode == 2
    assert message in done.stderr
    assert "Traceback" not in done.stderr


def test_bad_usage_exits_2() -> None:
    assert run().returncode == 2
    assert run("frobnicate").returncode == 2


@pytest.mark.parametrize("command", ["check", "query", "crosswalk", "serve", "validate", "posture"])
def test_help(command: str) -> None:
    done = run(command, "--help")
    assert done.returncode == 0
    assert "usage: aslgraph" in done.stdout


# ---------------------------------------------------------------------------- validate

EXAMPLES = ROOT / "examples"
VALID_EXAMPLES = sorted((EXAMPLES / "valid").glob("*.ttl"))
INVALID_EXAMPLES = sorted((EXAMPLES / "invalid").glob("*.ttl"))


@pytest.mark.large  # a process per example: the quick loop has tests/rdf/test_examples.py
@pytest.mark.parametrize("engine", ["fast", "pyshacl"])
@pytest.mark.parametrize(
    "path", VALID_EXAMPLES + INVALID_EXAMPLES, ids=lambda p: f"{p.parent.name}/{p.name}"
)
def test_validate_each_example_behaves_as_labelled(path: Path, engine: str) -> None:
    from rdflib import Graph

    from org_expect import header_expectations, matches, org_results

    done = run("validate", str(path), "--format", "turtle", "--engine", engine)
    assert done.returncode == (0 if path in VALID_EXAMPLES else 1), done.stderr
    report = Graph().parse(data=done.stdout, format="turtle")
    expected = header_expectations(path, Graph().parse(path, format="turtle"))
    assert matches(org_results(report), expected) == ([], [])


@pytest.mark.large  # a process per example: the quick loop has tests/rdf/test_examples.py
@pytest.mark.parametrize(
    "path", VALID_EXAMPLES + INVALID_EXAMPLES, ids=lambda p: f"{p.parent.name}/{p.name}"
)
def test_posture_of_each_example_is_as_labelled(path: Path) -> None:
    from rdflib import Graph

    from aslgraph.org.posture.model import PostureReport
    from org_expect import posture_verdicts, verdict_expectations, verdicts_match

    done = run("posture", str(path), "--format", "json")
    expected = verdict_expectations(path, Graph().parse(path, format="turtle"))
    if done.returncode == 2 and "to assess" in done.stderr:  # no single organisation
        assert expected == []
        return
    assert done.returncode == 0, done.stderr
    got = posture_verdicts(PostureReport.model_validate_json(done.stdout))
    assert verdicts_match(got, expected) == ([], [])


def test_validate_text_report_is_grouped_by_obligation() -> None:
    done = run("validate", str(EXAMPLES / "invalid" / "gpai-sr-provider-with-gaps.ttl"))
    assert done.returncode == 1
    out = done.stdout
    assert "[aia:art55-1-c]" in out
    section = out[out.index("[aia:art55-1-c]") :]
    assert section.splitlines()[1].lstrip().startswith("violation: ")
    assert "violation: ex:vireo" in out  # the file's own prefixes
    assert out.rstrip().endswith("warning(s)")
    assert "does not conform" in out


def test_validate_json_and_as_of() -> None:
    stale = str(EXAMPLES / "invalid" / "stale-supplier-evidence.ttl")
    late = run("validate", stale, "--format", "json")
    early = run("validate", stale, "--format", "json", "--as-of", "2026-01-15")
    assert (late.returncode, early.returncode) == (1, 0)
    assert json.loads(late.stdout)["as_of"] == "2026-11-30"
    assert json.loads(early.stdout)["conforms"] is True


def test_validate_progress_display(tmp_path: Path) -> None:
    done = run("validate", str(VALID_EXAMPLES[0]), "--progress")
    assert done.returncode == 0
    assert "parsed " in done.stderr
    assert "validating: " in done.stderr


@pytest.mark.parametrize(
    ("name", "body", "message"),
    [
        ("broken.ttl", b'@prefix a: <urn:a#> .\n\na:b a:c "x .\n', "(line 3, column 9)"),
        ("org.pdf", b"%PDF-1.7", "cannot tell the syntax"),
        ("empty.ttl", b"", "empty"),
        ("laughs.rdf", b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "a">]><x/>', "document type"),
    ],
)
def test_validate_bad_input_is_usage_error(
    tmp_path: Path, name: str, body: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(body)
    done = run("validate", str(path))
    assert done.returncode == 2
    assert message in done.stderr
    assert "Traceback" not in done.stderr


def test_validate_missing_file_is_usage_error(tmp_path: Path) -> None:
    done = run("validate", str(tmp_path / "missing.ttl"))
    assert done.returncode == 2
    assert "cannot read" in done.stderr


# ---------------------------------------------------------------------------- posture


def test_posture_text_gives_verdicts_per_obligation_and_model() -> None:
    done = run("posture", str(EXAMPLES / "invalid" / "downstream-provider-without-annex-xii.ttl"))
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "posture of Pixel & Quill SAS as of 2026-11-30" in out
    larkspur = out[out.index("Model Larkspur-8B") :].split("\n\n")[0]
    b_line = "Art. 53(1)(b) — information for downstream providers [aia:art53-1-b]"
    assert f"UNMET          {b_line}" in larkspur
    tern = out[out.index("Model Tern-2") :].split("\n\n")[0]
    assert f"met            {b_line}" in tern
    # why it applies, what decided it, and the evidence relied on (title, date, issuer)
    assert "applies because: " in tern and "decided by: " in tern
    assert "evidence: " in tern and "issued 20" in tern


def test_posture_text_says_what_to_state_when_a_duty_cannot_be_decided() -> None:
    done = run("posture", str(EXAMPLES / "invalid" / "contradictory-facts.ttl"))
    assert done.returncode == 0, done.stderr
    undecided = [line for line in done.stdout.splitlines() if line.startswith("  UNDECIDED")]
    assert undecided
    block = done.stdout[done.stdout.index(undecided[0]) :].split("\n  ", 2)
    assert "Cannot be decided" in block[1]
    assert "to decide, state: " in done.stdout


def test_posture_text_tells_same_notations_apart() -> None:
    done = run("posture", str(EXAMPLES / "valid" / "gpai-sr-provider-adhering-to-code.ttl"))
    assert done.returncode == 0, done.stderr
    assert "Commitment 1 — Copyright policy [cop:C-C1]" in done.stdout
    assert "Commitment 1 — Safety and Security Framework [cop:SS-C1]" in done.stdout


def test_posture_json_as_of_lists_later_obligations() -> None:
    adhering = str(EXAMPLES / "valid" / "gpai-sr-provider-adhering-to-code.ttl")
    done = run("posture", adhering, "--format", "json", "--as-of", "2025-06-01")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    later = {item["provision"]["curie"]: item["applies_from"] for item in report["later"]}
    assert later["aia:art55-1-a"] == "2025-08-02"
    assert later["aia:art101"] == "2026-08-02"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b'@prefix a: <urn:a#> .\na:b a:c "x .\n', "(line 2, column 9)"),
        (
            b"<https://example.org/a> <https://example.org/b> <https://example.org/c> .",
            "organisation",
        ),
    ],
)
def test_posture_bad_input_is_usage_error(tmp_path: Path, body: bytes, message: str) -> None:
    path = tmp_path / "org.ttl"
    path.write_bytes(body)
    done = run("posture", str(path))
    assert done.returncode == 2
    assert message in done.stderr
    assert "Traceback" not in done.stderr


# ---------------------------------------------------------------- the same budget and caps


def test_query_past_its_budget_is_stopped_with_exit_3() -> None:
    # 10^12 rows: only the budget ends it
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    done = run("query", "--timeout", "0.5", slow)
    assert done.returncode == 3
    assert "longer than 0.5 s and was stopped" in done.stderr
    assert "--timeout" in done.stderr
    assert done.stdout == ""


def test_query_rows_are_capped_as_on_the_endpoint() -> None:
    done = run("query", "--max-rows", "3", "SELECT * WHERE { ?s ?p ?o }")
    assert done.returncode == 2
    assert "more than 3 rows" in done.stderr
    assert run("query", "--max-rows", "3", "SELECT * WHERE { ?s ?p ?o } LIMIT 3").returncode == 0


def test_query_output_into_a_closed_pipe_ends_quietly() -> None:
    reader = subprocess.Popen(["head", "-n", "1"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    done = subprocess.run(
        [sys.executable, "-m", "aslgraph.cli.main", "query", "SELECT * WHERE { ?s ?p ?o }"],
        stdout=reader.stdin,
        stderr=subprocess.PIPE,
        text=True,
        timeout=120,
        check=False,
        cwd=ROOT,
    )
    assert reader.stdin is not None and reader.stdout is not None
    reader.stdin.close()
    first = reader.stdout.read()
    reader.stdout.close()
    reader.wait(timeout=30)
    assert first.count(b"\n") == 1
    assert done.returncode == 0
    assert "Traceback" not in done.stderr


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full here")
def test_output_that_cannot_be_written_is_an_error_not_a_traceback() -> None:
    """A full disk (/dev/full) under a report being streamed: a message and exit 2."""
    graph = ROOT / "examples" / "invalid" / "gpai-sr-provider-with-gaps.ttl"
    with open("/dev/full", "wb") as full:
        done = subprocess.run(
            [sys.executable, "-m", "aslgraph.cli.main", "validate", "--format", "json",
             str(graph)],
            stdout=full, stderr=subprocess.PIPE, text=True, timeout=120, check=False,
            cwd=ROOT,
        )  # fmt: skip
    assert done.returncode == 2
    assert "cannot write the output: No space left on device" in done.stderr
    assert "Traceback" not in done.stderr


def test_validation_past_its_budget_is_stopped_with_exit_3(tmp_path: Path) -> None:
    from benchmarks.orggen import generate

    data, _ = generate(200_000, seed=3, rate=1.0)
    big = tmp_path / "big.nt"
    big.write_text(data, encoding="utf-8")
    done = run("validate", str(big), "--timeout", "0.2")
    assert done.returncode == 3
    assert "validation of" in done.stderr and "longer than 0.2 s" in done.stderr


def test_upload_cap_applies_to_files_as_to_uploads() -> None:
    done = run("validate", str(VALID_EXAMPLES[0]), "--max-bytes", "100")
    assert done.returncode == 2
    assert "the limit is 100 bytes" in done.stderr


def test_obligations_decides_each_duty_for_the_facts_given() -> None:
    done = run(
        "obligations", "gpai-provider", "--as-of", "2026-11-30", "--established-in", "US",
        "--open-source", "false", "--placed-on-market", "2025-03-01",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "Apply later (6)" in out and "Art. 111(3) gives its provider until 2027-08-02" in out
    assert "Cannot be decided" in out and "give training_flop or systemic_risk" in out
    as_json = run("obligations", "gpai-provider", "--systemic-risk", "true", "--format", "json")
    assert as_json.returncode == 0, as_json.stderr
    assert json.loads(as_json.stdout)["facts"] == {"systemic_risk": "true"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["king"], "unknown role 'king'"),
        (["gpai-provider", "--open-source", "maybe"], "not true or false"),
        (["gpai-provider", "--established-in", "XX"], "unknown jurisdiction"),
    ],
)
def test_obligations_refuses_bad_facts(args: list[str], message: str) -> None:
    done = run("obligations", *args)
    assert done.returncode == 2
    assert message in done.stderr and "Traceback" not in done.stderr


def test_validate_refuses_a_graph_stating_computed_terms(tmp_path: Path) -> None:
    graph = tmp_path / "decided.ttl"
    graph.write_text(
        "@prefix asl: <https://w3id.org/aslgraph/ontology#> .\n"
        "<https://example.org/m> asl:determinedSystemicRisk false .\n",
        encoding="utf-8",
    )
    done = run("validate", str(graph))
    assert done.returncode == 2
    assert "aslgraph computes" in done.stderr and "remove it" in done.stderr


def test_report_writes_the_document_the_rest_api_sends(client: TestClient, tmp_path: Path) -> None:
    health = "examples/invalid/health-agents-short-of-their-policy.ttl"
    out = tmp_path / "report.html"
    done = run("report", health, "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"wrote {out}"
    rest = client.post(
        "/api/posture",
        params={"format": "html"},
        content=(ROOT / health).read_bytes(),
        headers={"Content-Type": "text/turtle"},
    )
    assert out.read_text(encoding="utf-8") == rest.text
    bad = run("report", health, "-o", str(tmp_path / "no" / "such" / "dir.html"))
    assert bad.returncode == 2 and "cannot write" in bad.stderr


def test_plan_text_and_json_match_the_rest_answer(client: TestClient) -> None:
    health = "examples/invalid/health-agents-short-of-their-policy.ttl"
    text = run("plan", health)
    assert text.returncode == 0, text.stderr
    lines = text.stdout.splitlines()
    assert lines[0] == "Vitalis Health GmbH, as of 2026-11-30: 6 shortfall(s), 5 action(s)"
    assert lines[2].startswith("1. [switch-supplier] Build Prescription Drafting Agent")
    assert (
        "   would also cover (weakest confidence 0.60): rsp:ASL2-DS-2: intersects-with, 0.6"
        in lines
    )
    done = run("plan", health, "--format", "json")
    assert done.returncode == 0, done.stderr
    rest = client.post(
        "/api/plan", content=(ROOT / health).read_bytes(), headers={"Content-Type": "text/turtle"}
    )
    assert json.loads(done.stdout) == rest.json()


def test_suppliers_text_and_json_match_the_rest_answer(client: TestClient) -> None:
    health = "examples/invalid/health-agents-short-of-their-policy.ttl"
    text = run("suppliers", health)
    assert text.returncode == 0, text.stderr
    lines = text.stdout.splitlines()
    assert lines[0] == "Vitalis Health GmbH, as of 2026-11-30: which model would do for each system"
    assert "Triage Assistant, at H2: agents that read patient records" in lines
    assert "  satisfied by: Boreal-2" in lines
    assert "  1. Boreal-2 from Boreal AI SAS: satisfies" in lines
    assert "  no model considered satisfies it" in lines
    done = run("suppliers", health, "--format", "json")
    assert done.returncode == 0, done.stderr
    rest = client.post(
        "/api/suppliers",
        content=(ROOT / health).read_bytes(),
        headers={"Content-Type": "text/turtle"},
    )
    assert json.loads(done.stdout) == rest.json()
    nothing = run("suppliers", "examples/invalid/gpai-sr-provider-with-gaps.ttl")
    assert nothing.returncode == 2
    assert "no AI system of the organisation has a model to compare" in nothing.stderr


THREE_REGIMES = "examples/valid/us-large-frontier-developer-three-regimes.ttl"


def test_regimes_of_a_framework_file_match_the_uploaded_answer(client: TestClient) -> None:
    text = run("regimes", THREE_REGIMES)
    assert text.returncode == 0, text.stderr
    lines = text.stdout.splitlines()
    assert lines[0].startswith("hff:HFF against eu-ai-act, gpai-cop, ca-sb53, ny-raise: ")
    assert "    hff:s2: equal (through sb53:22757.12-a-2), confidence 0.90" in lines
    assert "  hff:s8 (72 hours): sb53:22757.13-c-1 15 days; raise:1422-3-a 72 hours" in lines
    done = run("regimes", THREE_REGIMES, "--regime", "ca-sb53", "--format", "json")
    assert done.returncode == 0, done.stderr
    rest = client.post(
        "/api/frameworks/regimes",
        params={"regime": "ca-sb53"},
        content=(ROOT / THREE_REGIMES).read_bytes(),
        headers={"Content-Type": "text/turtle"},
    )
    assert rest.status_code == 200, rest.text
    assert json.loads(done.stdout) == rest.json()


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("examples/valid/startup-assistant-on-third-party-model.ttl",), "no framework of its own"),
        (("no/such/file.ttl",), "cannot read no/such/file.ttl"),
        ((THREE_REGIMES, "--framework", "hff:Nope"), "is not an instrument of the uploaded graph"),
        (("rsp", "--framework", "hff:HFF"), "--framework names an instrument of a FILE"),
        ((THREE_REGIMES, "--regime", "nope"), "unknown regime 'nope'"),
    ],
    ids=["no-framework", "missing-file", "unknown-instrument", "scheme-with-iri", "bad-regime"],
)
def test_regimes_of_a_file_that_cannot_be_compared_exit_2(args: tuple[str, ...], says: str) -> None:
    done = run("regimes", *args)
    assert done.returncode == 2
    assert says in done.stderr


def test_regimes_text_and_json_match_the_rest_answer(client: TestClient) -> None:
    text = run("regimes", "rsp", "--regime", "ca-sb53", "--regime", "ny-raise")
    assert text.returncode == 0, text.stderr
    lines = text.stdout.splitlines()
    assert lines[0].startswith("rsp against ca-sb53, ny-raise: ")
    assert "ca-sb53" in lines and "ny-raise" in lines
    assert any("(through sb53:22757.12-a-2)" in line for line in lines)
    assert any("[15 days]" in line for line in lines)
    done = run("regimes", "rsp", "--regime", "ca-sb53", "--format", "json")
    assert done.returncode == 0, done.stderr
    rest = client.get("/api/frameworks/rsp/regimes", params={"regime": "ca-sb53"})
    assert rest.status_code == 200
    assert json.loads(done.stdout) == rest.json()
    bad = run("regimes", "rsp", "--regime", "rsp")
    assert bad.returncode == 2 and "is the framework" in bad.stderr
