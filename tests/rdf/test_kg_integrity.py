"""The shipped knowledge graph conforms to shapes/kg and every QA query returns no rows."""

from __future__ import annotations

from pathlib import Path

import pytest

from aslgraph.kg.integrity import IntegrityReport
from aslgraph.namespaces import curie
from aslgraph.queries import qa_queries

ROOT = Path(__file__).resolve().parents[2]
QA = qa_queries(ROOT / "queries")


def _lines(report: IntegrityReport, rule: str | None = None) -> list[str]:
    return [
        f"{', '.join(f.files)}: {curie(f.resource)} [{f.path or ''}] {f.message}"
        for f in report.findings
        if rule is None or f.rule == rule
    ]


def test_every_file_was_loaded(kg_report: IntegrityReport) -> None:
    assert any(name.startswith("data/mappings/") for name in kg_report.files)
    assert "ontology/aslgraph.ttl" in kg_report.files


def test_kg_conforms_to_shapes(kg_report: IntegrityReport) -> None:
    shape_findings = [f for f in kg_report.findings if not f.rule.startswith("queries/")]
    assert shape_findings == [], "\n".join(
        f"{', '.join(f.files)}: {curie(f.resource)} [{f.path}] {f.message}" for f in shape_findings
    )


@pytest.mark.parametrize("name", [q.name for q in QA])
def test_qa_query_returns_no_rows(kg_report: IntegrityReport, name: str) -> None:
    rows = _lines(kg_report, f"queries/{name}.rq")
    assert rows == [], "\n".join(rows)


def test_there_are_qa_queries() -> None:
    assert len(QA) >= 8
