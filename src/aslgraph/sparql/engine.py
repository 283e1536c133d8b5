"""The SPARQL engine: guards, negotiation, the answer cache and the worker pool, without HTTP.

:meth:`SparqlEngine.answer` takes a query as the protocol delivered it and returns the bytes to
send. In order: the lexical guard (updates, SERVICE, FROM / FROM NAMED, nesting depth), the
protocol dataset (only graphs the store holds), content negotiation (406 before any work), the
cache (a hit never reaches a worker), and last a worker process with a time budget. Client
queries never run in the server process: pyoxigraph cannot stop a query and some queries crash
it, so the workers take the risk and are killed and replaced when needed.

``aslgraph query`` takes the same path without the pool (:func:`evaluate_here`): the same guard
(:func:`prepare`), the same evaluator and caps (:class:`~aslgraph.sparql.worker.Evaluator`), the
same error messages (:func:`failure`); its process is what gets stopped past the budget.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import pyoxigraph as ox

from aslgraph.bounded import BytesLRU
from aslgraph.config import Settings
from aslgraph.media import GRAPH_OFFERS, RESULT_OFFERS, Offer, available, negotiate
from aslgraph.namespaces import PREFIXES
from aslgraph.remote.store import RemoteStore
from aslgraph.sparql import cost, guard, quick
from aslgraph.sparql.cache import CachedAnswer
from aslgraph.sparql.cost import CostHistory
from aslgraph.sparql.description import service_description
from aslgraph.sparql.errors import (
    EngineBusyError,
    EngineFaultError,
    EvaluationError,
    NotAcceptableError,
    QueryMemoryError,
    QuerySyntaxError,
    QueryTimeoutError,
    ResultTooLargeError,
    SparqlError,
    UnknownGraphError,
)
from aslgraph.sparql.protocol import Dataset
from aslgraph.sparql.remote import RemoteQueries
from aslgraph.sparql.worker import Evaluator, QueryJob, QueryReply
from aslgraph.store import OxigraphStore
from aslgraph.workers.pool import (
    JobTimeoutError,
    PoolBusyError,
    PoolStatus,
    WorkerCrashedError,
    WorkerPool,
    WorkerStartError,
)

log = logging.getLogger(__name__)

CACHE_ENTRIES = 1024
"""Most answers kept in the cache."""
CACHE_BYTES = 64 * 1_048_576
"""Most bytes (answers plus query texts) kept in the cache."""
SCAN_IN_THREAD = 64 * 1024
"""Queries longer than this are scanned off the event loop."""

_GRAPH_SIZES = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"


@dataclass(frozen=True)
class Answer:
    """The bytes to send and their Content-Type; ``cached`` tells where they came from."""

    body: bytes
    content_type: str
    cached: bool = False


@dataclass
class EngineStats:
    """Counters since start: answers from the cache, jobs run by workers, refused queries."""

    cache_hits: int = 0
    evaluated: int = 0
    here: int = 0
    """Of those evaluated, answered in the server process (the quick class)."""
    refused: int = 0


class SparqlEngine:
    """Answers SPARQL queries over the graphs of ``store`` in worker processes.

    Call :meth:`start` before :meth:`answer` and :meth:`stop` at the end (the app's lifespan
    does both).
    """

    def __init__(self, settings: Settings, store: OxigraphStore | RemoteStore):
        self.settings = settings
        self.store = store
        self.graphs: tuple[str, ...] = tuple(source.graph for source in store.sources)
        self._graph_set = frozenset(self.graphs)
        # a remote store answers the queries itself (decision 0016): no worker pool
        self._remote = RemoteQueries(store, settings) if isinstance(store, RemoteStore) else None
        self.version = store.version if isinstance(store, RemoteStore) else ""
        """The remote store's version marker (a reload changes it); part of every cache key."""
        # bodies plus query texts within CACHE_BYTES; an answer over an eighth of it not kept
        self.cache: BytesLRU[Hashable, CachedAnswer] = BytesLRU(
            CACHE_BYTES, max_entries=CACHE_ENTRIES
        )
        self.costs = CostHistory(settings.slow_query_seconds)
        self.stats = EngineStats()
        self._pool: WorkerPool | None = None
        self._starting: asyncio.Task[WorkerPool] | None = None
        self._descriptions: dict[tuple[str, str], bytes] = {}
        self._graph_sizes: list[tuple[str, int]] | None = None
        # queries that provably finish quickly are answered here, by the workers' evaluator
        # (sparql/quick.py, decision 0020)
        self._here = (
            evaluator_of(store, settings)
            if isinstance(store, OxigraphStore) and settings.quick_queries_here
            else None
        )
        self._statistics: quick.Statistics | None = None
        """The store's fan-out, read when the engine starts (None until then: nothing quick)."""
        self._reading: asyncio.Task[None] | None = None

    async def start(self, *, wait: bool = True) -> None:
        """Start the worker processes (each loads the dataset); raises WorkerStartError.

        With ``wait=False`` it returns at once and the workers start in the background (the
        app does this so that start-up does not wait for them): the first query waits until
        they are ready, and gets EngineBusyError (503) if they could not start.
        """
        if self._remote is not None:
            return
        if self._here is not None:  # read off the event loop; until then, nothing is quick
            self._reading = asyncio.get_running_loop().create_task(self._read_statistics())
        task = asyncio.get_running_loop().create_task(self._start_pool())
        self._starting = task
        if wait:
            await task
            if self._reading is not None:
                await self._reading
        else:
            task.add_done_callback(_log_start_failure)

    async def _read_statistics(self) -> None:
        assert self._here is not None  # noqa: S101 - only started with an evaluator here
        self._statistics = await asyncio.to_thread(quick.Statistics.of, self._here.store)

    async def _start_pool(self) -> WorkerPool:
        assert isinstance(self.store, OxigraphStore)  # noqa: S101 - a remote store has no pool
        pool = WorkerPool(
            self.settings.query_workers,
            dataset=self.store.dump_nquads(),
            config={
                "max_rows": self.settings.max_result_rows,
                "max_bytes": self.settings.max_response_bytes,
                "max_memory": self.settings.max_query_memory_bytes,
                "prefixes": PREFIXES,
            },
            reserved=self.settings.query_reserved_workers,
            nice=self.settings.worker_nice,
        )
        await pool.start()
        self._pool = pool
        return pool

    async def stop(self) -> None:
        """Stop the worker processes (and a start still under way)."""
        reading, self._reading = self._reading, None
        if reading is not None and not reading.done():
            reading.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await reading
        starting, self._starting = self._starting, None
        if starting is not None and not starting.done():
            starting.cancel()
            with contextlib.suppress(asyncio.CancelledError, WorkerStartError):
                await starting
        if self._pool is not None:
            await self._pool.stop()
            self._pool = None
        if self._remote is not None:
            self._remote.close()

    async def started(self) -> None:
        """Wait until the worker start begun by :meth:`start` has ended (well or not), and the
        store's statistics for the quick class are read."""
        if self._reading is not None:
            with contextlib.suppress(Exception):
                await asyncio.shield(self._reading)
        if self._starting is not None:
            with contextlib.suppress(Exception):
                await asyncio.shield(self._starting)

    def worker_pids(self) -> list[int]:
        """Process ids of the live worker processes."""
        return self._pool.pids() if self._pool is not None else []

    async def answer(
        self,
        query: str,
        *,
        dataset: Dataset | None = None,
        accept: str | None = None,
        base: str | None = None,
    ) -> Answer:
        """Answer ``query`` in the media type ``accept`` prefers.

        ``dataset`` comes from the protocol's graph parameters (None: the default graph is the
        union of all graphs, or what the query's FROM clauses say); ``base`` resolves relative
        IRIs in the query. Raises a :class:`~aslgraph.sparql.errors.SparqlError` subclass:
        UpdateRefusedError, QueryRefusedError (SERVICE, unknown graphs, too deep),
        NotAcceptableError, QuerySyntaxError, ResultTooLargeError, EvaluationError,
        QueryTimeoutError or EngineBusyError.
        """
        if len(query) > SCAN_IN_THREAD:
            analysis, query_shape, star = await asyncio.to_thread(inspect, query)
        else:
            analysis, query_shape, star = inspect_cached(query)
        results = negotiate(accept, "results")
        graph = negotiate(accept, "graph")
        try:
            job = prepare(
                query,
                analysis,
                settings=self.settings,
                graphs=self._graph_set,
                dataset=dataset,
                base=base,
                results=results,
                graph=graph,
                accept=accept,
            )
        except NotAcceptableError:
            raise
        except SparqlError:
            self.stats.refused += 1
            raise

        key = (
            query,
            results.media_type if results else None,
            graph.media_type if graph else None,
            dataset,
            base,
            self.version,
        )
        cached = self.cache.get(key)
        if cached is not None:
            self.stats.cache_hits += 1
            return Answer(cached.body, cached.content_type, cached=True)

        most = self._quick(star, job, analysis) if star is not None else None
        if most is not None:
            assert self._here is not None  # noqa: S101 - _quick says so
            self.stats.evaluated += 1
            self.stats.here += 1
            reply, body = self._here.answer(job, most_rows=most)
        else:
            reply, body = await self._evaluate(job, query_shape, analysis.form)
        if not reply.ok:
            raise failure(reply, accept, self.settings)
        offer = graph if reply.form == "construct" else results
        assert offer is not None  # noqa: S101 - the worker answers only in a chosen format
        if not analysis.nondeterministic:
            self.cache.put(
                key, CachedAnswer(body, offer.content_type), len(body) + len(query) + 256
            )
        return Answer(body, offer.content_type)

    def _quick(self, star: quick.Star, job: QueryJob, analysis: guard.QueryAnalysis) -> int | None:
        """The most rows of ``job``'s answer when it is to be answered here: a query of the
        quick class over the union default graph (no dataset, no FROM) whose bound is small
        over this store; None: a worker answers it."""
        if self._here is None or not job.union or job.default is not None:
            return None
        if job.named is not None or analysis.from_graphs or analysis.from_named_graphs:
            return None
        if self._statistics is None:
            return None
        return quick.most_rows(star, self._here.store, self._statistics)

    async def _evaluate(
        self, job: QueryJob, query_shape: cost.Shape, form: str | None = None
    ) -> tuple[QueryReply, bytes]:
        if self._remote is not None:
            self.stats.evaluated += 1
            return await self._remote.run(job, form)
        pool = self._pool if self._pool is not None else await self._pool_ready()
        timeout = self.settings.query_timeout
        self.stats.evaluated += 1
        cost_class = self.costs.classify(query_shape)
        try:
            # a query may be run twice: one whose worker was killed or crashed is sent again
            header, body = await pool.run(
                job.encode(), timeout=timeout, wait=timeout, retry=True, heavy=cost_class.heavy
            )
        except JobTimeoutError:
            self.costs.record(query_shape.fingerprint, timeout, stopped=True)
            raise QueryTimeoutError(
                f"the query ran longer than {timeout:g} s and was stopped; narrow it (a more "
                "selective pattern, LIMIT) or ask a smaller question"
            ) from None
        except PoolBusyError as exc:
            if exc.heavy_lane:
                raise EngineBusyError(
                    f"this query is expensive ({cost_class.reason}); expensive queries run on "
                    f"at most {pool.heavy_limit} of the {pool.size} query workers, so that "
                    f"short ones are always answered, and those stayed busy for {timeout:g} s; "
                    "try again later, or make the query selective (shared variables, a "
                    "constant subject or object, LIMIT)"
                ) from None
            raise EngineBusyError(
                f"every query worker stayed busy for {timeout:g} s; try again shortly"
            ) from None
        except WorkerCrashedError as exc:
            if exc.out_of_memory:
                cap = self.settings.max_query_memory_bytes
                raise QueryMemoryError(
                    f"the query needed more than the {cap / 1_048_576:g} MiB a query may use "
                    "(ASLGRAPH_MAX_QUERY_MEMORY_BYTES); narrow it (a more selective pattern, "
                    "LIMIT, no ORDER BY over everything) or ask a smaller question"
                ) from None
            how = exc.signal_name or f"exit status {exc.returncode}"
            if exc.job_at_fault:
                raise EvaluationError(
                    f"the query engine stopped ({how}) while evaluating this query, on two "
                    "workers in turn: the query takes the engine past what it can evaluate "
                    "(typically nesting or a chain of operators too deep); simplify it"
                ) from None
            raise EngineFaultError(
                f"the query worker was stopped ({how}) while answering, twice: a fault of the "
                "server, not of the query; try again shortly"
            ) from None
        reply = QueryReply.decode(header)
        self.costs.record(query_shape.fingerprint, reply.seconds)
        return reply, body

    def use(self, store: RemoteStore) -> None:
        """Answer from ``store`` from now on: the same remote store after a reload (a new
        version marker). Cached answers of the old version are dropped."""
        self.store = store
        self.graphs = tuple(source.graph for source in store.sources)
        self._graph_set = frozenset(self.graphs)
        self.version = store.version
        self._remote = RemoteQueries(store, self.settings) if self._remote is None else self._remote
        self._remote.store = store
        self.cache.clear()
        self._descriptions = {}
        self._graph_sizes = None

    @property
    def remote(self) -> bool:
        """True when a remote store answers the queries (there is no worker pool)."""
        return self._remote is not None

    def pool_status(self) -> PoolStatus | None:
        """The query workers' state now; None until they have started."""
        return self._pool.status() if self._pool is not None else None

    async def _pool_ready(self) -> WorkerPool:
        """The pool, once its workers have started (they may still be starting)."""
        if self._starting is None:
            raise RuntimeError("the SPARQL engine is not started")  # a programming error
        try:
            return await asyncio.shield(self._starting)
        except WorkerStartError:
            raise EngineBusyError(
                "the SPARQL workers could not be started; the server's log says why"
            ) from None

    def graph_sizes(self) -> list[tuple[str, int]]:
        """Each named graph with its number of triples, in load order (computed once)."""
        if self._graph_sizes is None:
            counts: dict[str, int] = {}
            result = self.store.query(_GRAPH_SIZES)
            if isinstance(result, ox.QuerySolutions):
                for row in result:
                    graph, count = row["g"], row["n"]
                    if isinstance(graph, ox.NamedNode) and isinstance(count, ox.Literal):
                        counts[graph.value] = int(count.value)
            self._graph_sizes = [(iri, counts.get(iri, 0)) for iri in self.graphs]
        return self._graph_sizes

    def description(self, endpoint: str, offer: Offer) -> bytes:
        """The service description for ``endpoint`` written as ``offer`` (built once each)."""
        key = (endpoint, offer.format)
        data = self._descriptions.get(key)
        if data is None:
            settings = self.settings
            limits = (
                "Read-only: queries only; SERVICE is refused and FROM, FROM NAMED and the "
                "dataset parameters may name only the graphs listed here. Each query may run "
                f"{settings.query_timeout:g} s, nest {settings.max_query_nesting} levels deep "
                f"and return {settings.max_result_rows} rows or triples and "
                f"{settings.max_response_bytes} bytes."
            )
            data = service_description(endpoint, self.graph_sizes(), limits=limits, offer=offer)
            if len(self._descriptions) < 64:
                self._descriptions[key] = data
        return data


Inspection = tuple[guard.QueryAnalysis, cost.Shape, quick.Star | None]
"""What the guard, the cost reader and the quick class's reader see in a query."""


def inspect(query: str) -> Inspection:
    """What the guard, the cost reader and the quick reader see in ``query``, from one scan."""
    analysis, tokens = guard.scan(query)
    return analysis, cost.shape_of(tokens), quick.read(tokens, len(query))


@lru_cache(maxsize=1024)
def _inspect_memo(query: str) -> Inspection:
    return inspect(query)


def inspect_cached(query: str) -> Inspection:
    """:func:`inspect`, memoised for texts up to 16 KiB (so that a repeated query, answered
    from the cache, costs a dictionary lookup here)."""
    return _inspect_memo(query) if len(query) <= 16_384 else inspect(query)


def _log_start_failure(task: asyncio.Task[WorkerPool]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.error("the SPARQL workers did not start: %s", task.exception())


def _shorten(message: str, limit: int = 400) -> str:
    """pyoxigraph lists every token it expected; keep the position and the start of the list."""
    return message if len(message) <= limit else message[:limit].rstrip() + " …"


def _not_acceptable(accept: str | None, form: str, offers: Sequence[Offer]) -> NotAcceptableError:
    types = available(offers)
    return NotAcceptableError(
        f"none of the media types in Accept ({accept}) can carry the answer of a "
        f"{form.upper()} query; available: {', '.join(types)}",
        types,
    )


def prepare(
    query: str,
    analysis: guard.QueryAnalysis,
    *,
    settings: Settings,
    graphs: frozenset[str],
    dataset: Dataset | None = None,
    base: str | None = None,
    results: Offer | None,
    graph: Offer | None,
    accept: str | None = None,
) -> QueryJob:
    """The job for ``query``, after the checks every query passes wherever it runs.

    Raises UpdateRefusedError or QueryRefusedError (SERVICE, a FROM, FROM NAMED or dataset
    graph the store does not hold, nesting past the cap) before any parser runs, and
    NotAcceptableError when the query's form has no acceptable format (``results`` for SELECT
    and ASK, ``graph`` for CONSTRUCT and DESCRIBE; an unrecognised form is left to the parser,
    whose message says what is wrong; ``accept`` is quoted in its message).
    """
    guard.enforce(analysis, max_depth=settings.max_query_nesting, graphs=graphs)
    if dataset is not None:
        unknown = [iri for iri in (*dataset.default, *dataset.named) if iri not in graphs]
        if unknown:
            raise UnknownGraphError(
                "this store holds no graph "
                + ", ".join(f"<{iri}>" for iri in unknown)
                + "; default-graph-uri and named-graph-uri may only name its graphs (nothing "
                "is fetched), listed in the service description at GET /sparql"
            )
    if analysis.form in ("construct", "describe"):
        if graph is None:
            raise _not_acceptable(accept, analysis.form, GRAPH_OFFERS)
    elif analysis.form is not None and results is None:
        raise _not_acceptable(accept, analysis.form, RESULT_OFFERS)
    if dataset is not None:
        # The protocol's dataset replaces the query's own (SPARQL 1.1 Protocol 2.1.4).
        return QueryJob(
            query=query,
            base=base,
            union=False,
            default=dataset.default,
            named=dataset.named,
            results=results.format if results else None,
            graph=graph.format if graph else None,
        )
    return QueryJob(
        query=query,
        base=base,
        union=not analysis.has_dataset_clause,  # else pyoxigraph reads FROM / FROM NAMED
        results=results.format if results else None,
        graph=graph.format if graph else None,
    )


def failure(reply: QueryReply, accept: str | None, settings: Settings) -> SparqlError:
    """The error a failed reply stands for, with a message that says what to do."""
    kind, message = reply.error, reply.message
    if kind == "syntax":
        return QuerySyntaxError(f"the query is not valid SPARQL: {_shorten(message)}")
    if kind == "rows":
        return ResultTooLargeError(
            f"the answer has more than {settings.max_result_rows} rows or triples, the most "
            "this endpoint sends; add LIMIT (with OFFSET to page) or narrow the query"
        )
    if kind == "bytes":
        return ResultTooLargeError(
            f"the answer is larger than {settings.max_response_bytes} bytes, the most this "
            "endpoint sends; add LIMIT (with OFFSET to page) or select fewer variables"
        )
    form = reply.form or "select"
    offers = GRAPH_OFFERS if form == "construct" else RESULT_OFFERS
    if kind == "not-acceptable":
        return _not_acceptable(accept, form, offers)
    if kind == "unwritable":
        return NotAcceptableError(f"{message}; ask for another media type", available(offers))
    return EvaluationError(f"the query could not be evaluated: {message}")


def evaluator_of(store: OxigraphStore, settings: Settings) -> Evaluator:
    """The workers' evaluator over ``store``, with the caps of ``settings``: what a query
    answered in this process (``aslgraph query``, the quick class) is answered by."""
    return Evaluator(
        store.raw,
        max_rows=settings.max_result_rows,
        max_bytes=settings.max_response_bytes,
        prefixes=PREFIXES,
    )


def evaluate_here(
    store: OxigraphStore,
    query: str,
    *,
    settings: Settings,
    results: Offer,
    graph: Offer,
) -> tuple[QueryReply, bytes]:
    """Answer ``query`` in this process, as a worker would (``aslgraph query``): the same
    checks, evaluator, caps and errors as the endpoint, over ``store``'s union default graph.

    The caller bounds the time (a query cannot be stopped within its process). Raises the
    errors of :func:`prepare` and :func:`failure`.
    """
    graphs = frozenset(source.graph for source in store.sources)
    job = prepare(
        query, guard.analyse(query), settings=settings, graphs=graphs, results=results, graph=graph
    )
    reply, body = evaluator_of(store, settings).answer(job)
    if not reply.ok:
        raise failure(reply, None, settings)
    return reply, body
