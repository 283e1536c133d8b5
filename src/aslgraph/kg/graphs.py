"""The knowledge graph's graphs as documents: what the Graph Store Protocol (``/store``) serves.

A graph is either one of the store's named graphs (one per source file, named
``namespaces.graph_iri(<relative path>)``) or the default graph, which is what ``/sparql``
queries without a dataset: the union of every named graph (each distinct triple once).
:class:`GraphStore` writes a graph in one of the graph offers of :mod:`aslgraph.media` and keeps
the bytes, with a strong entity tag, in a byte-bounded cache: the graph is read-only while the
service runs, so a document never changes. A graph IRI is only ever looked up among the store's
own graphs; nothing is fetched.

As N-Quads or TriG, a named graph's triples are written in that graph (the document says which
graph it is); the default graph's are written in the default graph, since that is what they
are. Every other offer writes the triples alone.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from aslgraph.bounded import BytesLRU
from aslgraph.kg.errors import InvalidRequestError, NotFoundError
from aslgraph.media import Offer
from aslgraph.namespaces import GRAPH, PREFIXES
from aslgraph.queries import load_queries
from aslgraph.store import KnowledgeGraph

CACHE_BYTES = 32 * 1_048_576
"""Most bytes of documents kept (the default graph is a few MB in each syntax)."""
QUAD_FORMATS = frozenset({"N_QUADS", "TRIG"})
"""The offers whose syntax can say which graph a triple is in."""

_NAMESPACES = sorted(PREFIXES.items(), key=lambda item: -len(item[1]))


@dataclass(frozen=True)
class GraphDocument:
    """A graph written in one syntax: the bytes, their Content-Type, a strong entity tag
    (quoted, as the ETag header carries it) and the number of triples."""

    body: bytes
    content_type: str
    etag: str
    triples: int


class GraphStore:
    """The store's graphs, each written on demand in the syntax a client asks for.

    ``queries_dir`` holds ``store/named-graph.rq`` and ``store/default-graph.rq`` (KeyError
    when either is missing). Safe to call from several threads.
    """

    def __init__(self, store: KnowledgeGraph, queries_dir: Path, *, max_bytes: int = CACHE_BYTES):
        queries = load_queries(queries_dir)
        self._named_query = queries["store/named-graph"].text
        self._default_query = queries["store/default-graph"].text
        self._store = store
        self._version = _version_of(store)
        self.graphs: tuple[str, ...] = tuple(source.graph for source in store.sources)
        """The named graphs, in load order."""
        self._graph_set = frozenset(self.graphs)
        # a document over half the budget is written each time, never kept
        self._cache: BytesLRU[tuple[str | None, str, str], GraphDocument] = BytesLRU(
            max_bytes, largest_share=2
        )

    def serves(self, store: KnowledgeGraph) -> bool:
        """Whether this is a view of ``store`` as it is now: the same store, and (for a store
        that has a ``version``, such as a remote one reloaded in place) the same version."""
        return store is self._store and _version_of(store) == self._version

    def resolve(self, graph: str) -> str:
        """``graph`` when it names one of the store's graphs.

        Raises InvalidRequestError when it is not an absolute IRI and NotFoundError when the
        store holds no graph of that name (it is never fetched).
        """
        try:
            ox.NamedNode(graph)
        except ValueError as exc:
            raise InvalidRequestError(
                f"graph must be an absolute IRI, such as {self._example()}; {graph[:200]!r} is "
                f"not one ({exc})",
                kind="invalid-iri",
            ) from None
        if graph not in self._graph_set:
            raise NotFoundError(
                f"this store holds no graph <{graph[:200]}>; it holds one graph per source file, "
                f"such as <{self._example()}>, listed in the service description at GET /sparql "
                "(nothing is fetched)",
                kind="unknown-graph",
            )
        return graph

    def document(self, graph: str | None, offer: Offer) -> GraphDocument:
        """The named graph ``graph`` (None: the default graph) written as ``offer``.

        Raises what :meth:`resolve` raises for a graph the store does not hold.
        """
        if graph is not None:
            self.resolve(graph)
        key = (graph, offer.format, offer.content_type)
        found = self._cache.get(key)
        if found is not None:
            return found
        made = self._write(graph, offer)
        self._cache.put(key, made, len(made.body))
        return made

    def triples(self, graph: str | None) -> list[ox.Triple]:
        """The distinct triples of the named graph ``graph`` (None: the default graph), in the
        store's order. Raises what :meth:`resolve` raises."""
        if graph is None:
            result = self._store.query(self._default_query)
        else:
            result = self._store.query(
                self._named_query, substitutions={"graph": ox.NamedNode(self.resolve(graph))}
            )
        if not isinstance(result, ox.QueryTriples):  # the queries are CONSTRUCTs
            raise TypeError("a store query for a graph's triples did not answer with triples")
        return list(dict.fromkeys(result))

    def _write(self, graph: str | None, offer: Offer) -> GraphDocument:
        triples = self.triples(graph)
        rdf_format = getattr(ox.RdfFormat, offer.format)
        prefixes = used_prefixes(triples)
        if graph is not None and offer.format in QUAD_FORMATS:
            name = ox.NamedNode(graph)
            quads = [ox.Quad(t.subject, t.predicate, t.object, name) for t in triples]
            body = ox.serialize(quads, format=rdf_format, prefixes=prefixes)
        else:
            body = ox.serialize(triples, format=rdf_format, prefixes=prefixes)
        body = body or b""
        digest = hashlib.sha256(offer.content_type.encode("utf-8") + b"\n" + body).hexdigest()
        return GraphDocument(body, offer.content_type, f'"{digest[:32]}"', len(triples))

    def _example(self) -> str:
        return self.graphs[0] if self.graphs else str(GRAPH) + "..."


def _version_of(store: KnowledgeGraph) -> object:
    """A store's content version, when it says one (a remote store's marker), else None."""
    return getattr(store, "version", None)


def used_prefixes(triples: Iterable[ox.Triple]) -> dict[str, str]:
    """The known prefixes (:data:`aslgraph.namespaces.PREFIXES`) whose namespace some IRI of
    ``triples`` lies in, sorted by prefix."""
    used: dict[str, str] = {}
    seen: set[str] = set()
    for triple in triples:
        for term in (triple.subject, triple.predicate, triple.object):
            if not isinstance(term, ox.NamedNode) or term.value in seen:
                continue
            seen.add(term.value)
            for prefix, namespace in _NAMESPACES:
                if term.value.startswith(namespace):
                    used[prefix] = namespace
                    break
    return dict(sorted(used.items()))
