"""The Graph Store's documents over a small store of two files that share a triple: the default
graph holds each distinct triple once, a named graph exactly its file's, quad syntaxes name the
graph, unknown and malformed IRIs are refused, and the cache keeps within its budget."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest

from aslgraph.kg.errors import InvalidRequestError, NotFoundError
from aslgraph.kg.graphs import GraphStore, used_prefixes
from aslgraph.media import N_QUADS, N_TRIPLES, TRIG, TURTLE
from aslgraph.namespaces import graph_iri
from aslgraph.store import OxigraphStore

ROOT = Path(__file__).resolve().parents[2]
EX = "https://example.org/"
A = f"""@prefix ex: <{EX}> .
ex:shared ex:p "in both" .
ex:a ex:p ex:b , [ ex:q 1 ] .
"""
B = f"""@prefix ex: <{EX}> .
ex:shared ex:p "in both" .
ex:c ex:p ex:d .
"""


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> OxigraphStore:
    folder = tmp_path_factory.mktemp("graphs")
    (folder / "a.ttl").write_text(A, encoding="utf-8")
    (folder / "b.ttl").write_text(B, encoding="utf-8")
    return OxigraphStore.from_paths([folder], root=folder)


@pytest.fixture
def graphs(store: OxigraphStore) -> GraphStore:
    return GraphStore(store, ROOT / "queries")


def _parse(body: bytes, fmt: ox.RdfFormat) -> list[ox.Quad]:
    return list(ox.parse(body, format=fmt))


def test_the_default_graph_holds_each_distinct_triple_once(graphs: GraphStore) -> None:
    document = graphs.document(None, N_TRIPLES)
    quads = _parse(document.body, ox.RdfFormat.N_TRIPLES)
    assert document.triples == len(quads) == 5  # 4 + 2 stated, the shared one once
    shared = ox.Triple(ox.NamedNode(EX + "shared"), ox.NamedNode(EX + "p"), ox.Literal("in both"))
    assert [q.triple for q in quads].count(shared) == 1


def test_a_named_graph_holds_its_files_triples(graphs: GraphStore) -> None:
    name = str(graph_iri("b.ttl"))
    assert graphs.graphs == (str(graph_iri("a.ttl")), name)
    quads = _parse(graphs.document(name, N_QUADS).body, ox.RdfFormat.N_QUADS)
    assert len(quads) == 2
    assert {q.graph_name for q in quads} == {ox.NamedNode(name)}
    trig = graphs.document(name, TRIG).body
    assert {q.graph_name for q in _parse(trig, ox.RdfFormat.TRIG)} == {ox.NamedNode(name)}
    default = _parse(graphs.document(None, TRIG).body, ox.RdfFormat.TRIG)
    assert {q.graph_name for q in default} == {ox.DefaultGraph()}


def test_turtle_declares_the_known_prefixes_it_uses(graphs: GraphStore) -> None:
    body = graphs.document(str(graph_iri("a.ttl")), TURTLE).body
    assert len(_parse(body, ox.RdfFormat.TURTLE)) == 4
    prefixes = used_prefixes(
        [
            ox.Triple(
                ox.NamedNode("https://w3id.org/aslgraph/id/rsp/ASL-3"),
                ox.NamedNode(EX),
                ox.Literal(1),
            )
        ]
    )
    assert prefixes == {"rsp": "https://w3id.org/aslgraph/id/rsp/"}


@pytest.mark.parametrize("iri", ["", "a.ttl", "https://example.org/a b", "<urn:x>"])
def test_a_malformed_iri_is_refused(graphs: GraphStore, iri: str) -> None:
    with pytest.raises(InvalidRequestError, match="absolute IRI"):
        graphs.document(iri, TURTLE)


def test_an_iri_the_store_does_not_hold_is_not_found(graphs: GraphStore) -> None:
    with pytest.raises(NotFoundError, match="holds no graph"):
        graphs.document(EX + "a.ttl", TURTLE)


def test_documents_are_kept_and_tagged(graphs: GraphStore) -> None:
    first = graphs.document(None, TURTLE)
    assert graphs.document(None, TURTLE) is first  # from the cache
    assert graphs.document(None, N_TRIPLES).etag != first.etag


def test_the_cache_keeps_within_its_budget(store: OxigraphStore) -> None:
    small = GraphStore(store, ROOT / "queries", max_bytes=600)
    first = small.document(None, N_TRIPLES)
    assert len(first.body) > 300  # more than half the budget: written, never kept
    again = small.document(None, N_TRIPLES)
    assert again is not first and again == first
    name = str(graph_iri("b.ttl"))
    kept = small.document(name, TURTLE)
    assert small.document(name, TURTLE) is kept


class _Versioned:
    """A store that says which version of the content it holds, as a remote store does."""

    def __init__(self, store: OxigraphStore, version: str):
        self.inner = store
        self.version = version
        self.sources = store.sources

    def query(self, sparql: str, *, substitutions: dict[str, ox.NamedNode] | None = None) -> Any:
        return self.inner.query(sparql, substitutions=substitutions)


def test_a_view_is_stale_once_its_store_is_replaced_or_reloaded(store: OxigraphStore) -> None:
    versioned = _Versioned(store, "v1")
    view = GraphStore(versioned, ROOT / "queries")
    assert view.serves(versioned)
    assert len(_parse(view.document(None, N_TRIPLES).body, ox.RdfFormat.N_TRIPLES)) == 5
    versioned.version = "v2"  # reloaded in place
    assert not view.serves(versioned)
    assert not view.serves(store)  # another store
    assert GraphStore(store, ROOT / "queries").serves(store)  # no version: identity alone
