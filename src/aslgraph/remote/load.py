"""``aslgraph load --store``: push the knowledge graph's files and the shapes into a store.

Each file goes into its own named graph (``namespaces.graph_iri(<relative path>)``, the name the
embedded store gives it) with a Graph Store Protocol PUT, which creates or replaces the graph,
so a reload replaces what an earlier load put there. A store whose Graph Store URL is not known
(the ``generic`` dialect without ``ASLGRAPH_STORE_GSP_URL``) is loaded with SPARQL Update
instead: ``DROP SILENT GRAPH`` and ``INSERT DATA`` of the file's triples as pyoxigraph writes
them in N-Triples, one request per file (its blank nodes stay one request's). Graphs an
earlier load made for files that no longer exist are deleted. The version marker is written
last: until then the store keeps the marker of the load before, and a load that breaks off
leaves no marker claiming files it did not push.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from aslgraph.config import Settings
from aslgraph.namespaces import STORE_MARKER, graph_iri
from aslgraph.remote import marker as markers
from aslgraph.remote.client import StoreClient
from aslgraph.remote.marker import StoreMarker
from aslgraph.remote.store import read_marker
from aslgraph.store import RDF_SUFFIXES, discover, relative_name

MEDIA_TYPES = {".ttl": "text/turtle", ".nt": "application/n-triples"}
N_TRIPLES = "application/n-triples"
LOAD_TIMEOUT = 120.0
"""Seconds one PUT may take (a large file on a busy store)."""


@dataclass(frozen=True)
class LoadReport:
    """What a load did: the marker written, the graphs removed and how long it took."""

    marker: StoreMarker
    files: int
    removed: tuple[str, ...]
    seconds: float


def load(
    settings: Settings,
    client: StoreClient,
    *,
    kg_dirs: Iterable[Path] | None = None,
    shapes_dir: Path | None = None,
    progress: Callable[[str], None] | None = None,
) -> LoadReport:
    """Push ``kg_dirs`` (default: ontology/ and data/) and ``shapes_dir`` (default: shapes/)
    into the store, then the marker. Raises SourceNotFoundError for a missing folder and the
    client's errors (StoreUnavailableError, StoreRefusedError: e.g. no update rights)."""
    started = time.perf_counter()
    root = settings.root
    kg = [(relative_name(p, root), p) for p in discover(kg_dirs or settings.kg_dirs)]
    shapes = [(relative_name(p, root), p) for p in discover([shapes_dir or settings.shapes_dir])]
    before = read_marker(client, settings)
    for relative, path in [*kg, *shapes]:
        _replace(client, str(graph_iri(relative)), path)
        if progress is not None:
            progress(relative)
    marker = StoreMarker(
        version=markers.content_hash([*kg, *shapes]),
        graphs=tuple(str(graph_iri(relative)) for relative, _ in kg),
        shapes=tuple(str(graph_iri(relative)) for relative, _ in shapes),
        loaded=markers.now(),
    )
    removed: list[str] = []
    if before is not None:
        kept = {*marker.graphs, *marker.shapes}
        for graph in (*before.graphs, *before.shapes):
            if graph not in kept and _remove(client, graph):
                removed.append(graph)
    _replace(client, str(STORE_MARKER), marker.turtle())
    return LoadReport(
        marker=marker,
        files=len(kg) + len(shapes),
        removed=tuple(removed),
        seconds=time.perf_counter() - started,
    )


def _replace(client: StoreClient, graph: str, source: Path | bytes) -> None:
    """Make ``graph`` hold the triples of ``source`` (a file, or N-Triples bytes)."""
    if client.endpoints.gsp:
        if isinstance(source, bytes):
            data, content_type = source, N_TRIPLES
        else:
            data, content_type = source.read_bytes(), MEDIA_TYPES.get(source.suffix, "text/turtle")
        client.put_graph(graph, data, content_type=content_type, timeout=LOAD_TIMEOUT)
        return
    if isinstance(source, bytes):
        triples = [q.triple for q in ox.parse(source, format=ox.RdfFormat.N_TRIPLES)]
    else:
        fmt = RDF_SUFFIXES.get(source.suffix, ox.RdfFormat.TURTLE)
        triples = [q.triple for q in ox.parse(path=source, format=fmt)]
    data = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
    name = ox.NamedNode(graph)
    client.update(
        f"DROP SILENT GRAPH {name} ;\nINSERT DATA {{ GRAPH {name} {{\n{data.decode()}}} }}",
        timeout=LOAD_TIMEOUT,
    )


def _remove(client: StoreClient, graph: str) -> bool:
    """Remove ``graph``; False when the store did not hold it (SPARQL Update cannot tell)."""
    if client.endpoints.gsp:
        return client.delete_graph(graph, timeout=LOAD_TIMEOUT)
    client.update(f"DROP SILENT GRAPH {ox.NamedNode(graph)}", timeout=LOAD_TIMEOUT)
    return True
