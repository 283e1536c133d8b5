"""Fixtures for validating organisation graphs against shapes/org.

An organisation graph is validated with the ontology (ontology/: TBox, SKOS schemes and
alignments) mixed in and without the knowledge graph's data, as the validation service does.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from rdflib import Graph

from aslgraph.shacl.report import ValidationReport, Validator
from org_expect import OrgResult, org_results

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def org_validator() -> Validator:
    return Validator.from_paths([ROOT / "shapes" / "org"])


@pytest.fixture(scope="session")
def org_ontology() -> Graph:
    graph = Graph()
    for path in sorted((ROOT / "ontology").rglob("*.ttl")):
        graph.parse(path, format="turtle")
    return graph


@pytest.fixture(scope="session")
def org_report(org_validator: Validator, org_ontology: Graph) -> Callable[[Path], ValidationReport]:
    """Validate the organisation graph in a Turtle file (once per session per file)."""
    cache: dict[Path, ValidationReport] = {}

    def run(path: Path) -> ValidationReport:
        if path not in cache:
            data = Graph().parse(path, format="turtle")
            cache[path] = org_validator.validate(data + org_ontology)
        return cache[path]

    return run


@pytest.fixture(scope="session")
def validate_org(
    org_report: Callable[[Path], ValidationReport],
) -> Callable[[Path], set[OrgResult]]:
    """Validate an organisation graph file and return its results; checks that it conforms
    exactly when no result is a violation."""

    def run(path: Path) -> set[OrgResult]:
        report = org_report(path)
        results = org_results(report.report_graph)
        assert report.conforms is not any(r[0] == "violation" for r in results)
        return results

    return run
