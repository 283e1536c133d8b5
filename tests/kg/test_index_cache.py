"""The catalog's index kept on disk beside the store's cache (``kg.index.IndexCache``): a kept
copy gives the index, and the answers, that querying the store gives; a damaged, stale or
unwritable copy is a miss, never an error."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest

from aslgraph.config import Settings
from aslgraph.kg.catalog import Catalog
from aslgraph.kg.index import GraphIndex, IndexCache
from aslgraph.org.jobs import OrgJob, OrgServices, run, serialise
from aslgraph.store import OxigraphStore

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "invalid" / "health-agents-short-of-their-policy.ttl"
PROVISIONS = ("rsp:ASL3-SS", "aia:art55-1-a", "cop:SS-M5.1")


def _snapshot(index: GraphIndex) -> tuple[Any, ...]:
    """Everything the index holds, in its order."""
    return (
        [(iri, list(r.props.items())) for iri, r in index.resources.items()],
        index.by_class,
        index.minted,
        dict(index.children),
        dict(index.served_by),
        {k: [(e.mapping.iri, e.forward) for e in v] for k, v in index.mapping_ends.items()},
        dict(index.versions_of),
        dict(index.modified_by),
        dict(index.claims_about),
    )


def _store(root: Path, cache: Path | None, dirs: tuple[Path, ...]) -> OxigraphStore:
    return OxigraphStore.from_paths(dirs, root=root, cache_dir=cache)


class _Counting:
    """Counts the queries a store answers."""

    def __init__(self, store: OxigraphStore, monkeypatch: pytest.MonkeyPatch):
        self.calls = 0
        query = store.query

        def counted(*args: Any, **kwargs: Any) -> Any:
            self.calls += 1
            return query(*args, **kwargs)

        monkeypatch.setattr(store, "query", counted)


def _kept(cache: Path) -> list[Path]:
    return sorted(cache.glob("index-*.json"))


def test_a_kept_index_is_the_index_the_store_gives(
    settings: Settings, catalog: Catalog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    missed = GraphIndex.load(_store(settings.root, cache, settings.kg_dirs), settings.queries_dir)
    assert len(_kept(cache)) == 1
    again = _store(settings.root, cache, settings.kg_dirs)
    counting = _Counting(again, monkeypatch)
    hit = GraphIndex.load(again, settings.queries_dir)
    assert counting.calls == 0  # read from the copy, not from the store
    assert _snapshot(hit) == _snapshot(missed) == _snapshot(catalog.index)


def test_answers_from_a_kept_index_are_the_same(
    settings: Settings, catalog: Catalog, tmp_path: Path
) -> None:
    kept = settings.model_copy(update={"cache_dir": str(tmp_path / "cache")})
    answers = []
    for _ in range(2):  # a miss that writes the copy, then a hit
        fresh = Catalog(_store(kept.root, kept.store_cache, kept.kg_dirs), kept)
        answers.append(
            [fresh.crosswalk(p).model_dump() for p in PROVISIONS]
            + [fresh.tier("ASL-3").model_dump(), [i.model_dump() for i in fresh.instruments()]]
        )
    assert len(_kept(tmp_path / "cache")) == 1
    expected = [catalog.crosswalk(p).model_dump() for p in PROVISIONS] + [
        catalog.tier("ASL-3").model_dump(),
        [i.model_dump() for i in catalog.instruments()],
    ]
    assert answers[0] == answers[1] == expected


def test_a_validation_with_a_kept_index_is_the_same(settings: Settings, tmp_path: Path) -> None:
    body = EXAMPLE.read_bytes()
    job = OrgJob(op="validate", media_type="text/turtle")
    reports = []
    for _ in range(2):  # a miss that writes the copy, then a hit
        services = OrgServices(settings.model_copy(update={"cache_dir": str(tmp_path / "c")}))
        reports.append(serialise(run(job, body, services), "json", services))
    assert len(_kept(tmp_path / "c")) == 1
    assert reports[0] == reports[1]


@pytest.fixture
def small(tmp_path: Path) -> tuple[Path, tuple[Path, ...]]:
    """A small knowledge graph: two provisions, one mapping, in two files."""
    folder = tmp_path / "kg"
    folder.mkdir()
    head = (
        "@prefix asl: <https://w3id.org/aslgraph/ontology#> .\n"
        "@prefix rsp: <https://w3id.org/aslgraph/id/rsp/> .\n"
        "@prefix dct: <http://purl.org/dc/terms/> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
    )
    (folder / "a.ttl").write_text(
        head + 'rsp:P-1 a asl:Provision ; rdfs:label "one"@en , "un"@fr ; asl:x 1.50 .\n'
        'rsp:P-1-a a asl:Provision ; dct:isPartOf rsp:P-1 ; rdfs:label "one (a)" .\n',
        encoding="utf-8",
    )
    (folder / "b.ttl").write_text(
        head + "rsp:m1 a asl:Mapping ; asl:mappingSubject rsp:P-1 ; asl:mappingObject rsp:P-1-a "
        ".\n",
        encoding="utf-8",
    )
    return tmp_path, (folder,)


def test_a_damaged_copy_is_a_miss_and_is_written_again(
    settings: Settings, small: tuple[Path, tuple[Path, ...]], monkeypatch: pytest.MonkeyPatch
) -> None:
    root, dirs = small
    cache = root / "cache"
    expected = _snapshot(GraphIndex.load(_store(root, cache, dirs), settings.queries_dir))
    (kept,) = _kept(cache)
    good = kept.read_bytes()
    head, _, body = good.partition(b"\n")
    for damaged in (
        good[:-20],  # cut short
        good.replace(b"one (a)", b"one (b)"),  # a changed value under the old digest
        b"not a cache\n",
        # well formed and correctly hashed, but not what the index wrote: each is a miss
        *(
            b"# sha256 " + hashlib.sha256(text).hexdigest().encode() + b"\n" + text
            for text in (
                b"[]",
                b'{"resources": [[1, []]], "classes": [], "minted": []}',
                b'{"resources": [], "classes": [["c", ["urn:nobody"]]], "minted": []}',
                b'{"resources": [["urn:a", [["urn:p", [["x", "@not a tag"]]]]]], '
                b'"classes": [], "minted": []}',
            )
        ),
    ):
        kept.write_bytes(damaged)
        store = _store(root, cache, dirs)
        counting = _Counting(store, monkeypatch)
        assert _snapshot(GraphIndex.load(store, settings.queries_dir)) == expected
        assert counting.calls > 0  # read from the store
        assert kept.read_bytes() == good  # and kept again
    assert head.startswith(b"# sha256 ") and body


def test_a_changed_file_or_query_is_never_served_from_an_old_copy(
    settings: Settings, small: tuple[Path, tuple[Path, ...]], tmp_path: Path
) -> None:
    root, dirs = small
    cache = root / "cache"
    GraphIndex.load(_store(root, cache, dirs), settings.queries_dir)
    (dirs[0] / "a.ttl").write_text(
        (dirs[0] / "a.ttl").read_text(encoding="utf-8").replace('"one (a)"', '"one, a"'),
        encoding="utf-8",
    )
    changed = GraphIndex.load(_store(root, cache, dirs), settings.queries_dir)
    assert changed.label("https://w3id.org/aslgraph/id/rsp/P-1-a") == "one, a"
    assert len(_kept(cache)) == 2
    queries = tmp_path / "queries"
    (queries / "api").mkdir(parents=True)
    for name in GraphIndex.QUERIES:
        text = (settings.queries_dir / f"{name}.rq").read_text(encoding="utf-8")
        (queries / f"{name}.rq").write_text(text + "\n# changed\n", encoding="utf-8")
    GraphIndex.load(_store(root, cache, dirs), queries)
    assert len(_kept(cache)) == 3  # other query texts: another copy


def test_an_unwritable_cache_is_no_error(
    settings: Settings, small: tuple[Path, tuple[Path, ...]]
) -> None:
    root, dirs = small
    expected = _snapshot(GraphIndex.load(_store(root, None, dirs), settings.queries_dir))
    store = _store(root, root / "cache", dirs)
    blocked = root / "blocked"
    blocked.write_text("a file where the cache folder would be", encoding="utf-8")
    assert store.cache is not None
    store.cache.directory = blocked / "cache"
    assert IndexCache.beside(store, GraphIndex.load(store, settings.queries_dir).queries)
    assert _snapshot(GraphIndex.load(store, settings.queries_dir)) == expected
    assert not _kept(root / "cache")


def test_an_index_holding_a_blank_node_is_not_kept(
    settings: Settings, small: tuple[Path, tuple[Path, ...]]
) -> None:
    root, dirs = small
    with (dirs[0] / "a.ttl").open("a", encoding="utf-8") as out:
        out.write('rsp:P-2 a asl:Provision ; asl:source [ rdfs:label "somewhere" ] .\n')
    cache = root / "cache"
    first = GraphIndex.load(_store(root, cache, dirs), settings.queries_dir)
    assert not _kept(cache)  # a blank node's name differs between two parses: not kept
    second = GraphIndex.load(_store(root, cache, dirs), settings.queries_dir)
    assert [list(r.props) for r in second.resources.values()] == [
        list(r.props) for r in first.resources.values()
    ]


def test_no_cache_folder_no_copy(settings: Settings, small: tuple[Path, tuple[Path, ...]]) -> None:
    root, dirs = small
    store = _store(root, None, dirs)
    assert IndexCache.beside(store, GraphIndex.load(store, settings.queries_dir).queries) is None
