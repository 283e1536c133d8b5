"""The knowledge-graph store: Turtle files in, a read-only SPARQL dataset out.

Each source file is loaded into its own named graph (``namespaces.graph_iri(<relative path>)``);
the default graph of a query is the union of all of them. The store is filled once at start-up
and only queried afterwards. :class:`KnowledgeGraph` is the interface the rest of the code uses,
which a remote SPARQL store implements too (:mod:`aslgraph.remote`, decision 0016);
:class:`OxigraphStore` is the embedded implementation on pyoxigraph, built in the
:func:`canonical` order that a remote store's snapshot shares.
"""

from __future__ import annotations

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

    def __init__(self, store: ox.Store, sources: Sequence[SourceFile], load_seconds: float):
        self._store = store
        self._sources = tuple(sources)
        self.load_seconds = load_seconds

    @classmethod
    def from_paths(cls, paths: Iterable[Path], *, root: Path) -> OxigraphStore:
        """Load every RDF file under ``paths`` into its own named graph.

        Raises SourceNotFoundError for a missing or unreadable path and ParseError (with file,
        line and column) for a file that is not valid RDF.
        """
        start = time.perf_counter()
        store = ox.Store()
        sources: list[SourceFile] = []
        for path in discover(paths):
            relative = relative_name(path, root)
            graph = str(graph_iri(relative))
            try:
                store.bulk_load(
                    path=str(path),
                    format=RDF_SUFFIXES.get(path.suffix, ox.RdfFormat.TURTLE),
                    to_graph=ox.NamedNode(graph),
                )
            except SyntaxError as exc:
                raise _parse_error(path, exc) from None
            sources.append(SourceFile(path=path, relative=relative, graph=graph))
        store = canonical(store, [source.graph for source in sources])
        return cls(store, sources, time.perf_counter() - start)

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
        """The whole dataset as N-Quads."""
        data = self._store.dump(format=ox.RdfFormat.N_QUADS)
        assert data is not None  # noqa: S101 - dump without output returns bytes
        return data


def canonical(store: ox.Store, graphs: Sequence[str]) -> ox.Store:
    """A copy of ``store`` with its quads inserted in one canonical order: by graph (in the
    order of ``graphs``), then subject, predicate and object as N-Triples text.

    pyoxigraph's in-memory store gives rows in the order their quads were inserted, and the
    answers of the catalog and of applicability follow that order (the first reason found, the
    order of a list of sources). A remote store returns rows in an order of its own, so both the
    embedded store and the snapshot of a remote one (decision 0016) are built in this order,
    and give the same answers.
    """
    position = {graph: index for index, graph in enumerate(graphs)}
    last = len(position)

    def key(quad: ox.Quad) -> tuple[int, str, str, str]:
        graph = quad.graph_name
        where = position.get(graph.value, last) if isinstance(graph, ox.NamedNode) else last
        return (where, str(quad.subject), str(quad.predicate), str(quad.object))

    ordered = ox.Store()
    ordered.bulk_extend(sorted(store.quads_for_pattern(None, None, None, None), key=key))
    return ordered


def _parse_error(path: Path, exc: SyntaxError) -> ParseError:
    message = str(exc.msg) if exc.msg else str(exc)
    message = message.removeprefix("Parser error ")
    return ParseError(path=path, line=exc.lineno, column=exc.offset, message=message)
