"""Every "no rows expected" quality query finds what it is for.

Each query of ``queries/qa/`` has a folder under ``qa/`` named after it, holding a small graph
that breaks the rule (loaded over the ontology, with graph names relative to that folder) and
``# expect: CURIE`` lines naming exactly the resources the query must report.
"""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
import pytest

from aslgraph.namespaces import curie, expand
from aslgraph.queries import qa_queries
from aslgraph.store import OxigraphStore

ROOT = Path(__file__).resolve().parents[2]
CASES = Path(__file__).resolve().parent / "qa"
QA = {q.name.removeprefix("qa/"): q for q in qa_queries(ROOT / "queries")}
EXPECT = re.compile(r"^#\s*expect:\s*(\S+)\s*$", re.MULTILINE)


def test_every_qa_query_has_a_case() -> None:
    assert sorted(p.name for p in CASES.iterdir() if p.is_dir()) == sorted(QA)


@pytest.mark.parametrize("name", sorted(QA))
def test_qa_query_reports_exactly_what_breaks_its_rule(name: str) -> None:
    folder = CASES / name
    files = sorted(folder.rglob("*.ttl"))
    expected = {expand(m) for f in files for m in EXPECT.findall(f.read_text(encoding="utf-8"))}
    assert expected, f"{name}: the case names no expected resource"
    store = OxigraphStore.from_paths([ROOT / "ontology", *files], root=folder)
    result = store.query(QA[name].text)
    assert isinstance(result, ox.QuerySolutions)
    rows = [(row["resource"], row["message"]) for row in result]
    found = {r.value for r, _ in rows if r is not None}
    assert sorted(map(curie, found)) == sorted(map(curie, expected))
    assert all(isinstance(m, ox.Literal) and m.value for _, m in rows)  # each row says why
