"""The hand-written set-at-a-time forms in queries/shacl/ give the rows of the shape queries
they replace, and each still replaces the current text of its shape's query."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pyoxigraph as ox
import pytest
from benchmarks.orggen import generate
from rdflib import URIRef
from rdflib.namespace import SH

from aslgraph.config import Settings
from aslgraph.kg.catalog import Catalog
from aslgraph.org import determinations
from aslgraph.org import validate as validation
from aslgraph.shacl import FastEngine
from aslgraph.shacl.compiler import Compiler

ROOT = Path(__file__).resolve().parents[2]

OVERRIDES = sorted((ROOT / "queries" / "shacl").glob("*.rq"))
SHORG = "https://w3id.org/aslgraph/shapes/org#"


def test_every_override_is_used(fast_engine: FastEngine) -> None:
    assert sorted(fast_engine.overridden) == sorted(SHORG + p.stem for p in OVERRIDES)


@cache
def _inputs() -> list[tuple[str, bytes, ox.RdfFormat]]:
    found = [
        (p.name, p.read_bytes(), ox.RdfFormat.TURTLE)
        for p in sorted((ROOT / "examples").rglob("*.ttl"))
        + sorted((ROOT / "tests" / "rdf" / "cases").glob("org-*/*.ttl"))
    ]
    for seed in (1, 2, 3):
        data, _ = generate(5_000, seed=seed, rate=1.0)
        found.append((f"generated-{seed}", data.encode(), ox.RdfFormat.N_TRIPLES))
    return found


def _store(data: bytes, fmt: ox.RdfFormat, engine: FastEngine, catalog: Catalog) -> ox.Store:
    """The graph as the shapes see it: with its determinations written (what the obligation
    shapes read) and the ontology added."""
    store = ox.Store()
    store.load(data, format=fmt, base_iri="https://example.org/")
    decided = validation.decide(store, catalog, validation.apply_as_of(store, None))
    determinations.write(store, decided.found, decided.systemic)
    store.extend(engine.ontology)
    return store


@pytest.fixture(scope="module")
def stores(fast_engine: FastEngine, catalog: Catalog) -> list[tuple[str, ox.Store]]:
    return [(name, _store(data, fmt, fast_engine, catalog)) for name, data, fmt in _inputs()]


@pytest.mark.parametrize("override", OVERRIDES, ids=lambda p: p.stem)
def test_override_gives_the_same_rows(
    override: Path, fast_engine: FastEngine, stores: list[tuple[str, ox.Store]]
) -> None:
    compiler = Compiler(fast_engine.shapes)
    shape = URIRef(SHORG + override.stem)
    select = str(fast_engine.shapes.value(fast_engine.shapes.value(shape, SH.sparql), SH.select))
    constraint = fast_engine.shapes.value(shape, SH.sparql)
    prefixes = compiler._prefixes(constraint)
    original = prefixes + re.sub(r"\$this\b", "?this", select)
    rewritten = prefixes + override.read_text(encoding="utf-8")
    found = 0
    for name, store in stores:
        rows: list[tuple[list[str], list[tuple[str, ...]]]] = []
        for query in (original, rewritten):
            result = store.query(query)
            assert isinstance(result, ox.QuerySolutions)
            names = [v.value for v in result.variables]
            rows.append((names, sorted(tuple(str(r[v]) for v in names) for r in result)))
        assert rows[0] == rows[1], name
        found += len(rows[0][1])
    assert found > 0  # the inputs give the rule rows to compare, not only empty answers


def test_stale_override_is_ignored(tmp_path: Path) -> None:
    (tmp_path / "InsiderThreatScopeShape.rq").write_text(
        "# replaces: sha256:0000\nSELECT ?this WHERE { ?this ?p ?o }\n", encoding="utf-8"
    )
    settings = Settings()
    engine = FastEngine.from_paths(settings.shapes_dir / "org", settings.ontology_dir, tmp_path)
    assert engine.overridden == ()
