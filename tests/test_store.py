"""The store: one named graph per file, a union default graph, read-only."""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
import pytest

from aslgraph.namespaces import graph_iri
from aslgraph.store import OxigraphStore, ParseError, SourceNotFoundError, from_nquads


def test_one_named_graph_per_file(kg: OxigraphStore) -> None:
    result = kg.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert isinstance(result, ox.QuerySolutions)
    graphs = {row["g"].value for row in result}  # type: ignore[union-attr]
    assert graphs == {s.graph for s in kg.sources}
    assert str(graph_iri("ontology/aslgraph.ttl")) in graphs


def test_default_graph_is_the_union(kg: OxigraphStore) -> None:
    ask = kg.query(
        "ASK { <https://w3id.org/aslgraph/ontology#Mapping> a ?t . "
        "?m a <https://w3id.org/aslgraph/ontology#Mapping> }"
    )
    assert bool(ask)


def test_updates_are_refused(kg: OxigraphStore) -> None:
    before = len(kg)
    with pytest.raises(SyntaxError):  # the store itself parses queries only
        kg.query("INSERT DATA { <urn:a> <urn:b> <urn:c> }")
    assert len(kg) == before
    assert not hasattr(kg, "update")


def test_parse_error_names_file_line_and_column(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix a: <urn:a#> .\na:b a:c\na:d a:e .\n", encoding="utf-8")
    with pytest.raises(ParseError) as info:
        OxigraphStore.from_paths([bad], root=tmp_path)
    assert (info.value.path, info.value.line) == (bad, 3)
    assert info.value.column is not None
    assert str(info.value).startswith(f"{bad}:3:")


def test_missing_path(tmp_path: Path) -> None:
    with pytest.raises(SourceNotFoundError, match="no such file or folder"):
        OxigraphStore.from_paths([tmp_path / "nope"], root=tmp_path)


# ---------------------------------------------------------------- the store kept between runs


def _quads(store: OxigraphStore) -> list[tuple[str, ...]]:
    """The store's quads in its order, each blank node written ``_:`` (every parse names them
    afresh, so two stores of the same files differ only there)."""

    def text(term: object) -> str:
        return "_:" if isinstance(term, ox.BlankNode) else str(term)

    return [
        (text(q.subject), text(q.predicate), text(q.object), text(q.graph_name))
        for q in store.quads()
    ]


@pytest.fixture
def sources(tmp_path: Path) -> Path:
    folder = tmp_path / "kg"
    folder.mkdir()
    (folder / "a.ttl").write_text(
        "@prefix e: <urn:e#> .\ne:z e:p e:a , e:b .\ne:y e:p [ e:q 1 ] .\n", encoding="utf-8"
    )
    (folder / "b.ttl").write_text('@prefix e: <urn:e#> .\ne:x e:p "b"@en .\n', encoding="utf-8")
    return folder


def test_a_kept_store_is_read_back_in_the_same_order(
    sources: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import aslgraph.store as store_module

    cache = tmp_path / "cache"
    uncached = OxigraphStore.from_paths([sources], root=tmp_path)
    built = OxigraphStore.from_paths([sources], root=tmp_path, cache_dir=cache)
    assert len(list(cache.glob("store-*.nq"))) == 1
    ordered: list[int] = []
    real = store_module.canonical_order
    monkeypatch.setattr(store_module, "canonical_order", lambda *a: ordered.append(1) or real(*a))
    again = OxigraphStore.from_paths([sources], root=tmp_path, cache_dir=cache)
    assert ordered == []  # read back, not parsed and ordered again
    assert _quads(again) == _quads(built) == _quads(uncached)
    assert [s.graph for s in again.sources] == [s.graph for s in uncached.sources]


def test_a_store_filled_from_its_dump_answers_in_the_same_order(
    kg: OxigraphStore, sources: Path, tmp_path: Path
) -> None:
    """What the SPARQL workers are filled from: with or without a cache file, and for the
    shipped graph, a store filled from ``dump_nquads`` gives the same rows and triples in the
    same order as the store itself (pyoxigraph's own dump does not)."""
    small = OxigraphStore.from_paths([sources], root=tmp_path)
    cached = OxigraphStore.from_paths([sources], root=tmp_path, cache_dir=tmp_path / "c")
    select = "SELECT * WHERE { ?s ?p ?o }"
    describe = "DESCRIBE <https://w3id.org/aslgraph/id/eu-ai-act/art55>"
    for store in (small, cached, kg):
        copy = from_nquads(store.dump_nquads())
        for query in (select, describe):
            assert _answer(copy, query) == _answer(store.raw, query), query
    own_dump = from_nquads(kg.raw.dump(format=ox.RdfFormat.N_QUADS) or b"")
    assert _answer(own_dump, describe) != _answer(kg.raw, describe)  # why the order is kept


def _answer(store: ox.Store, query: str) -> bytes:
    """The answer in its order, each blank node written ``_:`` (a load names them afresh)."""
    result = store.query(query, use_default_graph_as_union=True)
    if isinstance(result, ox.QuerySolutions):
        body = result.serialize(format=ox.QueryResultsFormat.TSV) or b""
    else:
        assert isinstance(result, ox.QueryTriples)
        body = ox.serialize(result, format=ox.RdfFormat.N_TRIPLES) or b""
    return re.sub(rb"_:[A-Za-z0-9]+", b"_:", body)


def test_a_changed_file_is_never_served_from_an_old_copy(sources: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    OxigraphStore.from_paths([sources], root=tmp_path, cache_dir=cache)
    (sources / "b.ttl").write_text('@prefix e: <urn:e#> .\ne:x e:p "changed"@en .\n', "utf-8")
    changed = OxigraphStore.from_paths([sources], root=tmp_path, cache_dir=cache)
    assert ox.Literal("changed", language="en") in {q.object for q in changed.quads()}
    assert len(list(cache.glob("store-*.nq"))) == 2


def test_a_damaged_copy_is_rebuilt_and_an_unwritable_cache_is_no_error(
    sources: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    expected = _quads(OxigraphStore.from_paths([sources], root=tmp_path, cache_dir=cache))
    (kept,) = cache.glob("store-*.nq")
    kept.write_bytes(kept.read_bytes().replace(b"urn:e#a", b"urn:e#Z"))
    assert _quads(OxigraphStore.from_paths([sources], root=tmp_path, cache_dir=cache)) == expected
    assert b"urn:e#Z" not in kept.read_bytes()  # written again, whole
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder would be", encoding="utf-8")
    store = OxigraphStore.from_paths([sources], root=tmp_path, cache_dir=blocked / "cache")
    assert _quads(store) == expected


def test_a_file_that_does_not_parse_is_reported_with_a_cache_too(
    sources: Path, tmp_path: Path
) -> None:
    (sources / "b.ttl").write_text("@prefix e: <urn:e#> .\ne:x e:p\n", encoding="utf-8")
    with pytest.raises(ParseError):
        OxigraphStore.from_paths([sources], root=tmp_path, cache_dir=tmp_path / "cache")
    assert not list((tmp_path / "cache").glob("store-*.nq"))
