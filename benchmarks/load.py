"""Benchmark: load the whole knowledge graph into pyoxigraph and into rdflib, and time a lookup.

Run: ``.venv/bin/python -m benchmarks.load [--repeat N]``. Prints one table; asserts nothing.
"""

from __future__ import annotations

import argparse
import statistics
import time
import tracemalloc
from collections.abc import Callable

from rdflib import Dataset, URIRef

from aslgraph.config import Settings
from aslgraph.kg.integrity import check
from aslgraph.namespaces import graph_iri
from aslgraph.store import OxigraphStore, discover, relative_name

LOOKUP = """
PREFIX asl: <https://w3id.org/aslgraph/ontology#>
SELECT ?m ?o ?rel WHERE {
  ?m asl:mappingSubject <https://w3id.org/aslgraph/id/rsp/ASL3-SS> ;
     asl:mappingObject ?o ; asl:relation ?rel }
"""


def _rdflib_load(settings: Settings) -> Dataset:
    dataset = Dataset(default_union=True)
    for path in discover(settings.kg_dirs):
        graph = dataset.graph(URIRef(graph_iri(relative_name(path, settings.root))))
        graph.parse(path, format="turtle")
    return dataset


def _timed(fn: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Median seconds and peak MiB of ``fn`` over ``repeat`` runs."""
    times = []
    peak = 0
    for _ in range(repeat):
        tracemalloc.start()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
        peak = max(peak, tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
    return statistics.median(times), peak / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    settings = Settings()

    store = OxigraphStore.from_paths(settings.kg_dirs, root=settings.root)
    dataset = _rdflib_load(settings)
    rows = [
        (
            "load KG, pyoxigraph",
            *_timed(
                lambda: OxigraphStore.from_paths(settings.kg_dirs, root=settings.root), args.repeat
            ),
        ),
        ("load KG, rdflib", *_timed(lambda: _rdflib_load(settings), args.repeat)),
        (
            "crosswalk lookup x100, pyoxigraph",
            *_timed(lambda: [list(store.query(LOOKUP)) for _ in range(100)], args.repeat),
        ),  # type: ignore[call-overload]
        (
            "crosswalk lookup x100, rdflib",
            *_timed(lambda: [list(dataset.query(LOOKUP)) for _ in range(100)], args.repeat),
        ),
        ("aslgraph check (shapes + QA)", *_timed(lambda: check(settings=settings), 1)),
    ]
    print(f"knowledge graph: {len(store.sources)} files, {len(store)} triples")
    print(f"{'what':40} {'median s':>10} {'peak MiB (Python heap)':>24}")
    for what, seconds, mib in rows:
        print(f"{what:40} {seconds:10.4f} {mib:24.1f}")


if __name__ == "__main__":
    main()
