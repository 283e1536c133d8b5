"""Each shapes/kg family has a conforming and a violating case (tests/rdf/cases/<shape>/).

The violating case must fail exactly at the focus nodes and paths its manifest lists.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph

from aslgraph.cli.main import main
from aslgraph.namespaces import curie
from aslgraph.shacl.reference import Validator

ROOT = Path(__file__).resolve().parents[2]
CASES_DIR = Path(__file__).parent / "cases"
SHAPE_FILES = sorted((ROOT / "shapes" / "kg").glob("*.ttl"))


def _cases() -> list[tuple[str, dict[str, Any]]]:
    found = []
    for manifest in sorted(CASES_DIR.glob("*/manifest.toml")):
        if manifest.parent.name.startswith("org-"):
            continue  # shapes/org cases: test_org_shape_cases.py
        for case in tomllib.loads(manifest.read_text(encoding="utf-8"))["case"]:
            found.append((manifest.parent.name, case))
    return found


CASES = _cases()


def test_every_shape_family_has_both_cases() -> None:
    families = {shape.stem for shape in SHAPE_FILES}
    covered: dict[str, set[bool]] = {}
    for family, case in CASES:
        covered.setdefault(family, set()).add(bool(case["conforms"]))
    assert {f for f, kinds in covered.items() if kinds == {True, False}} == families


@pytest.fixture(scope="module")
def ontology() -> Graph:
    graph = Graph()
    for path in sorted((ROOT / "ontology").rglob("*.ttl")):
        graph.parse(path, format="turtle")
    return graph


@pytest.mark.parametrize(("family", "case"), CASES, ids=[f"{f}/{c['file']}" for f, c in CASES])
def test_case_results(
    family: str, case: dict[str, Any], ontology: Graph, kg_validator: Validator
) -> None:
    data = Graph().parse(CASES_DIR / family / case["file"], format="turtle")
    report = kg_validator.validate(data + ontology)
    got = {
        (curie(r.focus), " / ".join(curie(p) for p in (r.path or "").split(" / ")))
        for r in report.violations
    }
    expected = {(r["focus"], r["path"]) for r in case.get("results", [])}
    assert report.conforms is case["conforms"]
    assert got == expected


@pytest.mark.parametrize(("family", "case"), CASES, ids=[f"{f}/{c['file']}" for f, c in CASES])
def test_check_command_exit_status(
    family: str, case: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    """``aslgraph check CASE`` exits 1 exactly when the case violates a shape (run in-process:
    tests/cli runs the command as a real process)."""
    status = main(["check", str(CASES_DIR / family / case["file"])])
    out = capsys.readouterr()
    assert status == (0 if case["conforms"] else 1), out.out + out.err
    assert "Traceback" not in out.err
