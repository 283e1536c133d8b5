"""The fast engine gives pyshacl's results, field for field, on every organisation graph we have
(examples/, tests/rdf/cases/org-*/) and on generated graphs with every kind of defect."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import pytest
from benchmarks.orggen import DEFECTS, generate

from aslgraph.shacl import FastEngine, PyshaclEngine
from aslgraph.shacl.report import ValidationReport

ROOT = Path(__file__).resolve().parents[2]

GRAPHS = sorted((ROOT / "examples").rglob("*.ttl")) + sorted(
    (ROOT / "tests" / "rdf" / "cases").glob("org-*/*.ttl")
)


def _store(data: bytes, fmt: ox.RdfFormat) -> ox.Store:
    store = ox.Store()
    store.load(data, format=fmt, base_iri="https://example.org/")
    return store


def _assert_same(fast: ValidationReport, reference: ValidationReport) -> None:
    assert fast.conforms == reference.conforms
    missing = [r for r in reference.results if r not in fast.results]
    extra = [r for r in fast.results if r not in reference.results]
    assert (missing, extra) == ([], [])
    assert fast.results == reference.results


@pytest.mark.parametrize("path", GRAPHS, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_same_results_as_pyshacl(
    path: Path, fast_engine: FastEngine, reference_report: Callable[[Path], ValidationReport]
) -> None:
    fast = fast_engine.validate(_store(path.read_bytes(), ox.RdfFormat.TURTLE))
    _assert_same(fast, reference_report(path))


@pytest.mark.large
@pytest.mark.parametrize("seed", [1, 2])
def test_same_results_on_generated_graph(
    seed: int, fast_engine: FastEngine, pyshacl_engine: PyshaclEngine
) -> None:
    data, injected = generate(700, seed=seed, rate=1.0)
    assert sum(injected.values()) >= 3
    fast = fast_engine.validate(_store(data.encode(), ox.RdfFormat.N_TRIPLES))
    reference = pyshacl_engine.validate(_store(data.encode(), ox.RdfFormat.N_TRIPLES))
    assert len(reference.results) >= sum(injected.values())
    _assert_same(fast, reference)


def test_generator_injects_every_kind_of_defect() -> None:
    _data, injected = generate(20_000, seed=5, rate=1.0)
    assert set(injected) == set(DEFECTS)


@pytest.mark.large
def test_every_defect_kind_is_found(fast_engine: FastEngine) -> None:
    """At 10^4 triples every defect kind yields results of the fast engine; its report graph is
    a SHACL report with one sh:result per result."""
    data, injected = generate(20_000, seed=5, rate=1.0)
    report = fast_engine.validate(_store(data.encode(), ox.RdfFormat.N_TRIPLES))
    assert not report.conforms
    assert len(report.results) >= sum(injected.values())
    from rdflib.namespace import RDF, SH

    graph = report.to_graph()
    assert len(list(graph.subjects(RDF.type, SH.ValidationResult))) == len(report.results)
