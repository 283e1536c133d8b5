"""The whole knowledge graph as N-Quads or TriG: one named graph per source file.

Quads are written in a stable order (graph, subject, predicate, object, compared as N-Quads
terms), so two dumps of the same files differ only in blank node labels, which pyoxigraph
draws afresh at each load.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox

from aslgraph.namespaces import GRAPH, PREFIXES
from aslgraph.store import OxigraphStore

DUMP_FORMATS = {"nquads": ox.RdfFormat.N_QUADS, "trig": ox.RdfFormat.TRIG}


def _key(quad: ox.Quad) -> tuple[str, str, str, str]:
    return (str(quad.graph_name), str(quad.subject), str(quad.predicate), str(quad.object))


def ordered_quads(store: OxigraphStore) -> list[ox.Quad]:
    """Every quad of the store, graph by graph, in a stable order."""
    return sorted(store.quads(), key=_key)


def dump(store: OxigraphStore, name: str) -> bytes:
    """The store as ``nquads`` or ``trig`` (TriG with the project's prefixes and ``graph:``
    for the named graphs). Raises KeyError for another name."""
    rdf_format = DUMP_FORMATS[name]
    quads: Iterable[ox.Quad] = ordered_quads(store)
    prefixes = {**PREFIXES, "graph": str(GRAPH)} if rdf_format is ox.RdfFormat.TRIG else None
    data = ox.serialize(quads, format=rdf_format, prefixes=prefixes)
    if data is None:  # serialize without output returns bytes
        raise TypeError("pyoxigraph.serialize returned nothing")
    return _sorted_prefixes(data) if prefixes else data


def _sorted_prefixes(data: bytes) -> bytes:
    """The ``@prefix`` lines pyoxigraph writes first (in hash order), sorted by prefix."""
    lines = data.split(b"\n")
    head = 0
    while head < len(lines) and lines[head].startswith(b"@prefix "):
        head += 1
    return b"\n".join(sorted(lines[:head]) + lines[head:])
