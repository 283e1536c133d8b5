"""Fixtures for validating organisation graphs against shapes/org with pyshacl (the reference),
over the ontology and without the knowledge graph's data, as the validation service does."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from rdflib import Graph

from aslgraph.shacl import PyshaclEngine
from aslgraph.shacl.reference import Validator
from aslgraph.shacl.report import ValidationReport
from org_expect import OrgResult, org_results

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def org_validator(pyshacl_engine: PyshaclEngine) -> Validator:
    return pyshacl_engine.validator


@pytest.fixture(scope="session")
def org_ontology() -> Graph:
    graph = Graph()
    for path in sorted((ROOT / "ontology").rglob("*.ttl")):
        graph.parse(path, format="turtle")
    return graph


@pytest.fixture(scope="session")
def org_report(
    reference_report: Callable[[Path], ValidationReport],
) -> Callable[[Path], ValidationReport]:
    """The pyshacl report of an organisation graph file (once per session per file)."""
    return reference_report


@pytest.fixture(scope="session")
def validate_org(
    org_report: Callable[[Path], ValidationReport],
) -> Callable[[Path], set[OrgResult]]:
    """Validate an organisation graph file and return its results; checks that it conforms
    exactly when no result is a violation."""

    def run(path: Path) -> set[OrgResult]:
        report = org_report(path)
        results = org_results(report.to_graph())
        assert report.conforms is not any(r[0] == "violation" for r in results)
        return results

    return run
