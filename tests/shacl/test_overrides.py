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


@pytest.mark.parametrize("override", OVERRIDES, ids=lambda p: p.stem)
def test_override_gives_the_same_rows(override: Path, fast_engine: FastEngine) -> None:
    compiler = Compiler(fast_engine.shapes)
    shape = URIRef(SHORG + override.stem)
    select = str(fast_engine.shapes.value(fast_engine.shapes.value(shape, SH.sparql), SH.select))
    constraint = fast_engine.shapes.value(shape, SH.sparql)
    prefixes = compiler._prefixes(constraint)
    original = prefixes + re.sub(r"\$this\b", "?this", select)
    rewritten = prefixes + override.read_text(encoding="utf-8")
    for name, data, fmt in _inputs():
        store = ox.Store()
        store.load(data, format=fmt, base_iri="https://example.org/")
        store.extend(fast_engine.ontology)
        rows: list[tuple[list[str], list[tuple[str, ...]]]] = []
        for query in (original, rewritten):
            result = store.query(query)
            assert isinstance(result, ox.QuerySolutions)
            names = [v.value for v in result.variables]
            rows.append((names, sorted(tuple(str(r[v]) for v in names) for r in result)))
        assert rows[0] == rows[1], name


def test_stale_override_is_ignored(tmp_path: Path) -> None:
    (tmp_path / "InsiderThreatScopeShape.rq").write_text(
        "# replaces: sha256:0000\nSELECT ?this WHERE { ?this ?p ?o }\n", encoding="utf-8"
    )
    settings = Settings()
    engine = FastEngine.from_paths(settings.shapes_dir / "org", settings.ontology_dir, tmp_path)
    assert engine.overridden == ()
