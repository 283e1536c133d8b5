"""The fast engine gives pyshacl's results, field for field, on every organisation graph we have
(examples/, tests/rdf/cases/org-*/) and, through the whole validation (determinations, then
the shapes), on generated graphs with every kind of defect."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import pytest
from benchmarks.orggen import DEFECTS, EX, generate, pair

from aslgraph.kg.catalog import Catalog
from aslgraph.org.upload import parse_upload
from aslgraph.org.validate import validate
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


def _validated(data: str, engine: FastEngine | PyshaclEngine, catalog: Catalog) -> ValidationReport:
    upload = parse_upload(data.encode(), "application/n-triples")
    return validate(upload, engine, catalog).report


@pytest.mark.large
@pytest.mark.parametrize("seed", [1, 2])
def test_same_results_on_generated_graph(
    seed: int, fast_engine: FastEngine, pyshacl_engine: PyshaclEngine, catalog: Catalog
) -> None:
    data, injected = generate(700, seed=seed, rate=1.0)
    assert sum(injected.values()) >= 3
    fast = _validated(data, fast_engine, catalog)
    reference = _validated(data, pyshacl_engine, catalog)
    assert len(reference.results) >= sum(injected.values())
    _assert_same(fast, reference)


def test_generator_injects_every_kind_of_defect() -> None:
    _data, injected = generate(40_000, seed=5, rate=1.0)
    assert set(injected) == set(DEFECTS)


def _results_of(report: ValidationReport, subsidiary: int) -> set[tuple[str, str, str, str]]:
    """The results about one subsidiary's nodes, with its IRIs made alike for comparison."""
    base = f"{EX}sub-{subsidiary}"
    found = set()
    for r in report.results:
        if r.focus == base or r.focus.startswith(base + "/"):
            found.add(
                (
                    r.severity,
                    r.focus.replace(base, "SUB"),
                    r.source_shape,
                    (r.value or "").replace(base, "SUB"),
                )
            )
    return found


@pytest.mark.large
@pytest.mark.parametrize("defect", DEFECTS)
def test_every_defect_kind_is_found(defect: str, fast_engine: FastEngine, catalog: Catalog) -> None:
    """Each kind of defect adds results about the subsidiary that has it, over those about an
    identical subsidiary without it."""
    report = _validated(pair(defect), fast_engine, catalog)
    clean, defective = _results_of(report, 0), _results_of(report, 1)
    assert defective - clean, f"{defect}: nothing reported beyond the clean subsidiary"


def test_report_graph_has_one_result_per_result(fast_engine: FastEngine, catalog: Catalog) -> None:
    report = _validated(pair("stale_evidence"), fast_engine, catalog)
    from rdflib.namespace import RDF, SH

    graph = report.to_graph()
    assert len(list(graph.subjects(RDF.type, SH.ValidationResult))) == len(report.results)
