"""The knowledge-graph store: Turtle files in, a read-only SPARQL dataset out.

Each source file is loaded into its own named graph (``namespaces.graph_iri(<relative path>)``);
the default graph of a query is the union of all of them. The store is filled once at start-up
and only queried afterwards. :class:`KnowledgeGraph` is the interface the rest of the code uses,
which a remote SPARQL store implements too (:mod:`aslgraph.remote`, decision 0016);
:class:`OxigraphStore` is the embedded implementation on pyoxigraph, built in the
:func:`canonical` order that a remote store's snapshot shares.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import pyoxigraph as ox

from aslgraph.namespaces import graph_iri

RDF_SUFFIXES = {".ttl": ox.RdfFormat.TURTLE, ".nt": ox.RdfFormat.N_TRIPLES}


class StoreError(Exception):
    """Base class of the errors raised while building a store."""


class SourceNotFoundError(StoreError):
    """A path given as a source does not exist or cannot be read."""


@dataclass(frozen=True)
class ParseError(StoreError):
    """A source file is not valid RDF; ``line`` and ``column`` are 1-based when known."""

    path: Path
    line: int | None
    column: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.path}"
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class SourceFile:
    """A file loaded into the store and the named graph that holds it."""

    path: Path
    relative: str
    graph: str


def discover(paths: Iterable[Path]) -> list[Path]:
    """Return the RDF files under ``paths`` (files are taken as given), sorted per folder.

    Raises SourceNotFoundError for a path that does not exist or a file that cannot be read.
    """
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.suffix in RDF_SUFFIXES))
        elif path.is_file():
            found.append(path)
        else:
            raise SourceNotFoundError(f"no such file or folder: {path}")
    for path in found:
        try:
            with path.open("rb") as handle:
                handle.read(1)
        except OSError as exc:
            raise SourceNotFoundError(f"cannot read {path}: {exc.strerror}") from exc
    return found


def relative_name(path: Path, root: Path) -> str:
    """Name ``path`` relative to ``root`` when it lies below it, else by its absolute path."""
    resolved = path.resolve()
    try:
        return resolved.relative_to(root.resolve()).as_posix()
    except ValueError:
        return resolved.as_posix().lstrip("/")


class KnowledgeGraph(Protocol):
    """What the services need from a store: read-only SPARQL over named graphs."""

    @property
    def sources(self) -> Sequence[SourceFile]:
        """The files loaded, each with its named graph."""
        ...

    def query(
        self, sparql: str, *, substitutions: dict[str, ox.NamedNode] | None = None
    ) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
        """Run a SPARQL query over the union default graph."""
        ...


class OxigraphStore:
    """An embedded, in-memory pyoxigraph store filled once from Turtle files."""

    def __init__(
        self,
        store: ox.Store,
        sources: Sequence[SourceFile],
        load_seconds: float,
        *,
        cache: StoreCache | None = None,
    ):
        self._store = store
        self._sources = tuple(sources)
        self.load_seconds = load_seconds
        self.cache = cache
        """Where this store is kept between runs (None: nowhere); what is derived from exactly
        this store (the catalog's index) is kept beside it, under its :attr:`StoreCache.key`."""

    @classmethod
    def from_paths(
        cls, paths: Iterable[Path], *, root: Path, cache_dir: Path | None = None
    ) -> OxigraphStore:
        """Load every RDF file under ``paths`` into its own named graph.

        With ``cache_dir``, the store built from files with exactly these names and contents is
        kept there (:class:`StoreCache`) and read back instead of parsing them again.

        Raises SourceNotFoundError for a missing or unreadable path and ParseError (with file,
        line and column) for a file that is not valid RDF.
        """
        start = time.perf_counter()
        sources = [_source(path, root) for path in discover(paths)]
        contents = [_read(source.path) for source in sources]  # read once: key and parse
        cache = StoreCache(cache_dir, sources, contents) if cache_dir is not None else None
        kept = cache.read() if cache is not None else None
        if kept is not None:
            return cls(kept, sources, time.perf_counter() - start, cache=cache)
        store = ox.Store()
        for source, content in zip(sources, contents, strict=True):
            try:
                store.bulk_load(
                    content,
                    format=RDF_SUFFIXES.get(source.path.suffix, ox.RdfFormat.TURTLE),
                    to_graph=ox.NamedNode(source.graph),
                )
            except SyntaxError as exc:
                raise _parse_error(source.path, exc) from None
        body = _nquads(canonical_order(store, [source.graph for source in sources]))
        store = from_nquads(body)  # as a copy read back from the cache is, and as a worker's is
        if cache is not None:
            cache.write(body)
        return cls(store, sources, time.perf_counter() - start, cache=cache)

    @property
    def sources(self) -> Sequence[SourceFile]:
        return self._sources

    @property
    def raw(self) -> ox.Store:
        """The pyoxigraph store itself (read it, never change it)."""
        return self._store

    def __len__(self) -> int:
        return len(self._store)

    def query(
        self, sparql: str, *, substitutions: dict[str, ox.NamedNode] | None = None
    ) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
        """Run a read-only SPARQL query; the default graph is the union of all named graphs."""
        subs: dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple] = {
            ox.Variable(k): v for k, v in (substitutions or {}).items()
        }
        return self._store.query(sparql, use_default_graph_as_union=True, substitutions=subs)

    def quads(self) -> Iterator[ox.Quad]:
        """Every quad in the store."""
        return iter(self._store.quads_for_pattern(None, None, None, None))

    def dump_nquads(self) -> bytes:
        """The whole dataset as N-Quads, in :func:`canonical_order`: for a store
        :meth:`from_paths` made, the very N-Quads it was filled from, so that a store filled
        from them (a SPARQL worker's) answers every query as this one does, rows and triples
        in the same order. (pyoxigraph's own dump is in another order, and a store filled from
        it answers in yet another.) Read back from the store's cache file when there is one
        (not kept in memory: most processes never ask), else written afresh."""
        kept = self.cache.body() if self.cache is not None else None
        if kept is not None:
            return kept
        return _nquads(canonical_order(self._store, [s.graph for s in self.sources]))


def canonical(store: ox.Store, graphs: Sequence[str]) -> ox.Store:
    """A copy of ``store`` with its quads inserted in one canonical order
    (:func:`canonical_order`).

    pyoxigraph's in-memory store gives rows in an order that follows the order their quads
    were inserted, and the answers of the catalog and of applicability follow that order (the
    first reason found, the order of a list of sources). A remote store returns rows in an order
    of its own, so both the embedded store and the snapshot of a remote one (decision 0016) are
    built in this order, and give the same answers.
    """
    ordered = ox.Store()
    ordered.bulk_extend(canonical_order(store, graphs))
    return ordered


def canonical_order(store: ox.Store, graphs: Sequence[str]) -> list[ox.Quad]:
    """Every quad of ``store`` by graph (in the order of ``graphs``), then subject, predicate
    and object as N-Triples text."""
    position = {graph: index for index, graph in enumerate(graphs)}
    last = len(position)

    def key(quad: ox.Quad) -> tuple[int, str, str, str]:
        graph = quad.graph_name
        where = position.get(graph.value, last) if isinstance(graph, ox.NamedNode) else last
        return (where, str(quad.subject), str(quad.predicate), str(quad.object))

    return sorted(store.quads_for_pattern(None, None, None, None), key=key)


class StoreCache:
    """The store built from some files, kept on disk as N-Quads in :func:`canonical_order`.

    Read back in that order (``Store.load`` inserts in document order), it is the same store,
    and gives the same answers in the same order, for a third of the time of parsing the files
    and ordering their quads. The file is named by a digest of what the store depends on: this
    layout, the pyoxigraph version, and each source's name and SHA-256 of its bytes; so a changed
    file is never served from an old copy. The copy's own SHA-256 heads it and is checked on
    every read: a damaged copy is rebuilt, never read. Nothing here is ever an error: a cache
    that cannot be read or written is a cache miss.
    """

    LAYOUT = "aslgraph-store-cache/1"
    KEEP = 8
    """Copies kept (the most recently written), for several checkouts or data directories."""

    def __init__(self, directory: Path, sources: Sequence[SourceFile], contents: Sequence[bytes]):
        self.directory = directory
        digest = hashlib.sha256(f"{self.LAYOUT}\n{ox.__version__}\n".encode())
        for source, content in zip(sources, contents, strict=True):
            digest.update(f"{source.relative}\n{source.graph}\n".encode())
            digest.update(hashlib.sha256(content).digest())
        self.key = digest.hexdigest()
        """The digest of everything the store depends on (what names its file)."""
        self.path = directory / f"store-{self.key[:32]}.nq"

    def read(self) -> ox.Store | None:
        """The kept store, or None when there is none (or it is damaged)."""
        body = self.body()
        if body is None:
            return None
        try:
            return from_nquads(body)
        except (SyntaxError, ValueError):
            return None

    def body(self) -> bytes | None:
        """The kept N-Quads, or None when there are none (or they are damaged)."""
        return read_checked(self.path)

    def write(self, body: bytes) -> None:
        """Keep the N-Quads ``body`` (in its order), atomically; drop the oldest copies beyond
        KEEP."""
        write_checked(self.path, body, keep=self.KEEP, kind="store-*.nq")


def _nquads(quads: Sequence[ox.Quad]) -> bytes:
    return ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b""


def from_nquads(body: bytes) -> ox.Store:
    """A store filled from the N-Quads ``body`` in document order (``Store.load``): two stores
    filled from the same bytes answer every query alike, rows and triples in the same order."""
    store = ox.Store()
    store.load(body, format=ox.RdfFormat.N_QUADS)
    return store


def read_checked(path: Path) -> bytes | None:
    """The body of a file :func:`write_checked` wrote, or None when there is none, it cannot be
    read, or its body does not match the SHA-256 that heads it (a damaged copy)."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    head, _, body = data.partition(b"\n")
    if head != b"# sha256 " + hashlib.sha256(body).hexdigest().encode():
        return None
    return body


def write_checked(path: Path, body: bytes, *, keep: int, kind: str) -> None:
    """Write ``body`` to ``path`` headed by its SHA-256, atomically (a reader sees the old copy
    or the new one, never a part); then keep only the ``keep`` newest files of the folder that
    match the glob ``kind``. A folder that cannot be made or written is no error: nothing is
    kept."""
    data = b"# sha256 " + hashlib.sha256(body).hexdigest().encode() + b"\n" + body
    directory = path.parent
    try:
        directory.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(dir=directory, prefix=".cache-", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            os.replace(name, path)
        finally:
            Path(name).unlink(missing_ok=True)  # gone after the replace; a partial copy
        kept = sorted(directory.glob(kind), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in kept[keep:]:
            old.unlink(missing_ok=True)
    except OSError:
        return


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise SourceNotFoundError(f"cannot read {path}: {exc.strerror}") from exc


def _source(path: Path, root: Path) -> SourceFile:
    relative = relative_name(path, root)
    return SourceFile(path=path, relative=relative, graph=str(graph_iri(relative)))


def _parse_error(path: Path, exc: SyntaxError) -> ParseError:
    message = str(exc.msg) if exc.msg else str(exc)
    message = message.removeprefix("Parser error ")
    return ParseError(path=path, line=exc.lineno, column=exc.offset, message=message)
