""":class:`RemoteStore`: the knowledge graph read from a SPARQL store over HTTP.

It implements :class:`~aslgraph.store.KnowledgeGraph` (the SPARQL endpoint forwards client
queries to it, :mod:`aslgraph.sparql.remote`), and :meth:`RemoteStore.snapshot` copies its
knowledge graph into an embedded store in the canonical order, which is what the catalog, the
posture tables and the Graph Store routes read (decision 0016). Every query is sent with the
knowledge graph's graphs (the marker's ``dct:hasPart``) as its protocol dataset, as the default
graph and as the named graphs, which is what the embedded store's union default graph is; the
marker's and the shapes' graphs are never read by a query. Answers are parsed by pyoxigraph into
the same result types the embedded store returns.

Substitutions (the named queries' typed parameters) cannot cross the protocol, so
:func:`bind` writes each value in place of its variable. An inline ``VALUES`` block would say
the same, but Virtuoso refuses a transitive path (``rdfs:subClassOf*``) whose ends are bound
only by one, and Oxigraph server evaluates the path over the whole graph before joining. It is
applied only to the service's own named queries, never to a client's, and writes each value as
pyoxigraph serialises a validated IRI, so nothing a request sends becomes query text.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

import pyoxigraph as ox

from aslgraph.config import Settings
from aslgraph.namespaces import STORE_MARKER
from aslgraph.queries import load_queries
from aslgraph.remote import marker as markers
from aslgraph.remote.client import (
    RemoteStoreError,
    StoreClient,
    StoreRefusedError,
)
from aslgraph.remote.marker import StoreMarker
from aslgraph.store import OxigraphStore, SourceFile, canonical

RESULTS_JSON = "application/sparql-results+json"
N_TRIPLES = "application/n-triples"
ACCEPT = f"{RESULTS_JSON}, {N_TRIPLES};q=0.9"
"""What the store is asked to answer in: SPARQL JSON for SELECT and ASK, N-Triples for graphs."""

_LEXEME = re.compile(
    r"""\#[^\n\r]*
      | '{3}(?:[^'\\]|\\.|'(?!''))*'{3} | "{3}(?:[^"\\]|\\.|"(?!""))*"{3}
      | '(?:[^'\\\n\r]|\\.)*' | "(?:[^"\\\n\r]|\\.)*"
      | <[^<>"{}|^`\\\x00-\x20]*>
      | [?$][A-Za-z0-9_]+
      | [{}()*]
      | [A-Za-z]+
    """,
    re.VERBOSE,
)


class QueryFailedError(RemoteStoreError):
    """The store could not evaluate one of the service's own queries (a 4xx answer)."""


def bind(query: str, substitutions: dict[str, ox.NamedNode]) -> str:
    """``query`` with each variable of ``substitutions`` replaced by its value, as pyoxigraph's
    substitutions bind it before evaluation: in patterns, templates and expressions the
    variable becomes the IRI; in a SELECT's projection it becomes ``(<iri> AS ?var)``, so the
    answer still carries it, unless a subquery inside that SELECT projects it already.

    Meant for the service's named queries (an aggregate or ``VALUES`` over a bound variable is
    not rewritten sensibly). Values are written as pyoxigraph serialises a validated IRI.
    """
    if not substitutions:
        return query
    selects: list[_Select] = []
    open_selects: list[_Select] = []
    replacements: list[tuple[int, int, str]] = []
    depth = parens = 0
    previous = ""
    for match in _LEXEME.finditer(query):
        lexeme = match.group()
        word = lexeme.upper()
        current = open_selects[-1] if open_selects else None
        projecting = current is not None and current.group is None
        if word == "SELECT" and parens == 0:
            current = _Select(start=match.start())
            selects.append(current)
            open_selects.append(current)
        elif lexeme == "(":
            parens += 1
        elif lexeme == ")":
            parens -= 1
        elif lexeme == "{" and parens == 0:
            depth += 1
            if projecting and current is not None:
                current.group = depth
        elif lexeme == "}" and parens == 0:
            if current is not None and current.group == depth:
                current.end = match.end()
                open_selects.pop()
            depth -= 1
        elif lexeme[0] in "?$" and lexeme[1:] in substitutions and previous != "AS":
            value = str(substitutions[lexeme[1:]])
            if projecting and parens == 0 and current is not None:
                current.projected.append((match.start(), match.end(), lexeme[1:]))
            else:
                replacements.append((match.start(), match.end(), value))
        if not lexeme.startswith("#"):
            previous = word
    for select in selects:
        for start, end, name in select.projected:
            inner = any(
                other is not select
                and select.start < other.start < select.end
                and name in {n for _, _, n in other.projected}
                for other in selects
            )
            value = str(substitutions[name])
            replacements.append((start, end, f"?{name}" if inner else f"({value} AS ?{name})"))
    for start, end, text in sorted(replacements, reverse=True):
        query = query[:start] + text + query[end:]
    return query


@dataclass
class _Select:
    """A SELECT clause met by :func:`bind`: where it starts, the depth of its WHERE group
    (None while its projection is read), where that group ends and its projected variables."""

    start: int
    group: int | None = None
    end: int = 1 << 62
    projected: list[tuple[int, int, str]] = field(default_factory=list)


@dataclass(frozen=True)
class RemoteSource(SourceFile):
    """A file loaded into the remote store: ``path`` is its path in this checkout, which
    need not exist (the store holds what was loaded)."""


class RemoteStore:
    """The knowledge graph in a remote SPARQL store, as its marker describes it."""

    def __init__(
        self,
        client: StoreClient,
        marker: StoreMarker,
        *,
        settings: Settings,
        load_seconds: float = 0.0,
    ):
        self.client = client
        self.marker = marker
        self.settings = settings
        self.timeout = settings.query_timeout
        self.load_seconds = load_seconds
        self._sources = tuple(
            RemoteSource(
                path=settings.root / marker.relative(g), relative=marker.relative(g), graph=g
            )
            for g in marker.graphs
        )
        self._size: int | None = None

    @classmethod
    def open(cls, settings: Settings, *, url: str | None = None) -> RemoteStore:
        """Connect to the store at ``url`` (default ``settings.store_url``) and read its
        marker. Raises StoreUnavailableError when it cannot be reached and MarkerError when
        it holds no marker this code can serve."""
        started = time.perf_counter()
        client = StoreClient.from_settings(settings, url=url)
        marker = markers.check(read_marker(client, settings), where=client.endpoints.query)
        store = cls(client, marker, settings=settings)
        len(store)  # the size, read once
        store.load_seconds = time.perf_counter() - started
        return store

    def with_marker(self, marker: StoreMarker) -> RemoteStore:
        """The same store as another load (``marker``) left it."""
        return RemoteStore(self.client, marker, settings=self.settings)

    @property
    def url(self) -> str:
        return self.client.endpoints.query

    @property
    def version(self) -> str:
        """The content hash of the load this store object reads."""
        return self.marker.version

    @property
    def sources(self) -> Sequence[SourceFile]:
        return self._sources

    @property
    def graphs(self) -> tuple[str, ...]:
        """The knowledge graph's named graphs, the dataset of every query."""
        return self.marker.graphs

    def __len__(self) -> int:
        """Triples in the union default graph (counted once)."""
        if self._size is None:
            text = load_queries(self.settings.queries_dir)["remote/size"].text
            result = self.query(text)
            count = next(iter(result), None) if isinstance(result, ox.QuerySolutions) else None
            value = count["triples"] if count is not None else None
            self._size = int(value.value) if isinstance(value, ox.Literal) else 0
        return self._size

    def snapshot(self) -> StoreSnapshot:
        """Every quad of the knowledge graph's graphs, copied into an embedded store (one
        query). The catalog reads this copy: its answers then do not depend on the order in
        which an engine returns rows, and a REST lookup never waits for the network
        (decision 0016). Raises StoreUnavailableError and QueryFailedError."""
        started = time.perf_counter()
        text = load_queries(self.settings.queries_dir)["remote/quads"].text
        try:
            response = self.client.query(
                text,
                accept=RESULTS_JSON,
                default=self.graphs,
                named=self.graphs,
                timeout=self.timeout,
            )
        except StoreRefusedError as exc:
            raise QueryFailedError(str(exc)) from None
        result = parse_answer(response.body, response.content_type, self.client)
        copy = ox.Store()
        if isinstance(result, ox.QuerySolutions):
            copy.extend(_quads(result))
        copy = canonical(copy, self.graphs)  # the embedded store's order, whatever the engine's
        return StoreSnapshot(copy, self.sources, time.perf_counter() - started, origin=self)

    def query(
        self, sparql: str, *, substitutions: dict[str, ox.NamedNode] | None = None
    ) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
        """Run one of the service's queries on the store, over the knowledge graph's graphs.

        Raises StoreUnavailableError (the store is down, failing or too slow) and
        QueryFailedError (it refused the query)."""
        text = bind(sparql, substitutions or {})
        try:
            response = self.client.query(
                text,
                accept=ACCEPT,
                default=self.graphs,
                named=self.graphs,
                timeout=self.timeout,
            )
        except StoreRefusedError as exc:
            raise QueryFailedError(str(exc)) from None
        return parse_answer(response.body, response.content_type, self.client)


def parse_answer(
    body: bytes, content_type: str, client: StoreClient
) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
    """The store's answer as the embedded store's result types. Raises QueryFailedError for
    an answer that is neither SPARQL JSON nor N-Triples, or does not parse."""
    try:
        if content_type in (RESULTS_JSON, "application/json"):
            return ox.parse_query_results(
                client.dialect.results(body), format=ox.QueryResultsFormat.JSON
            )
        if content_type in (N_TRIPLES, "text/plain"):
            graph = ox.Store()
            graph.load(body, format=ox.RdfFormat.N_TRIPLES)
            return graph.query("CONSTRUCT WHERE { ?s ?p ?o }")
    except (SyntaxError, ValueError) as exc:
        raise QueryFailedError(f"the store's answer could not be read: {exc}") from None
    raise QueryFailedError(
        f"the store answered in {content_type or 'no media type'}; expected {ACCEPT}"
    )


def _quads(rows: ox.QuerySolutions) -> Iterator[ox.Quad]:
    for row in rows:
        s, p, o, g = row["s"], row["p"], row["o"], row["g"]
        if (
            isinstance(s, ox.NamedNode | ox.BlankNode)
            and isinstance(p, ox.NamedNode)
            and o is not None
            and isinstance(g, ox.NamedNode)
        ):
            yield ox.Quad(s, p, o, g)


def read_marker(client: StoreClient, settings: Settings) -> StoreMarker | None:
    """The store's marker, or None when it holds none. Raises StoreUnavailableError."""
    text = bind(
        load_queries(settings.queries_dir)["remote/marker"].text,
        {"marker": ox.NamedNode(str(STORE_MARKER))},
    )
    response = client.query(
        text,
        accept=RESULTS_JSON,
        default=(str(STORE_MARKER),),
        named=(str(STORE_MARKER),),
        timeout=settings.query_timeout,
    )
    result = parse_answer(response.body, response.content_type, client)
    rows: list[tuple[str, ox.NamedNode | ox.Literal]] = []
    if isinstance(result, ox.QuerySolutions):
        for row in result:
            prop, value = row["property"], row["value"]
            if isinstance(prop, ox.NamedNode) and isinstance(value, ox.NamedNode | ox.Literal):
                rows.append((prop.value, value))
    return StoreMarker.from_rows(rows)


class StoreSnapshot(OxigraphStore):
    """An embedded copy of a remote store's knowledge graph, as one load (``version``) left it:
    what the catalog reads (see :meth:`RemoteStore.snapshot`)."""

    def __init__(
        self,
        store: ox.Store,
        sources: Sequence[SourceFile],
        load_seconds: float,
        *,
        origin: RemoteStore,
    ):
        super().__init__(store, sources, load_seconds)
        self.origin = origin
        self.version = origin.version


def open_store(settings: Settings) -> OxigraphStore:
    """The knowledge graph the catalog reads: a snapshot of the remote store at
    ``settings.store_url``, or the embedded store loaded from the files. Raises the errors of
    :meth:`RemoteStore.open`, :meth:`RemoteStore.snapshot` and of
    :meth:`OxigraphStore.from_paths`."""
    if settings.store_url:
        return RemoteStore.open(settings).snapshot()
    return OxigraphStore.from_paths(
        settings.kg_dirs, root=settings.root, cache_dir=settings.store_cache
    )
