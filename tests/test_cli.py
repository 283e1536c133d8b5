"""The command line, run as a real process: exit statuses, messages, no tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "aslgraph.cli", *args],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        cwd=ROOT,
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
    assert "invalid SPARQL query" in done.stderr
    assert "1:" in done.stderr
    assert "Traceback" not in done.stderr


def test_update_is_refused() -> None:
    done = run("query", "DELETE WHERE { ?s ?p ?o }")
    assert done.returncode == 2
    assert "invalid SPARQL query" in done.stderr


def test_bad_usage_exits_2() -> None:
    assert run().returncode == 2
    assert run("frobnicate").returncode == 2


@pytest.mark.parametrize("command", ["check", "query"])
def test_help(command: str) -> None:
    done = run(command, "--help")
    assert done.returncode == 0
    assert "usage: aslgraph" in done.stdout
