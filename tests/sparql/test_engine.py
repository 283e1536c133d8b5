"""The engine with real worker processes: guards before work, cache, time budget, caps."""

from __future__ import annotations

import asyncio
import http.server
import json
import os
import threading
import time
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import TypeVar

import pyoxigraph as ox
import pytest

from aslgraph.config import Settings
from aslgraph.namespaces import graph_iri
from aslgraph.sparql.cost import shape
from aslgraph.sparql.engine import SparqlEngine
from aslgraph.sparql.errors import (
    EngineBusyError,
    EvaluationError,
    NotAcceptableError,
    QueryMemoryError,
    QueryTimeoutError,
    ResultTooLargeError,
    ServiceRefusedError,
    SparqlError,
    TooDeepError,
    UnknownGraphError,
    UpdateRefusedError,
)
from aslgraph.sparql.protocol import Dataset
from aslgraph.sparql.worker import QueryJob
from aslgraph.store import OxigraphStore
from aslgraph.workers import pool as pool_module
from aslgraph.workers.pool import PoolBusyError, WorkerPool

T = TypeVar("T")
pytestmark = pytest.mark.server  # each test starts a pool of worker processes
ASL = "https://w3id.org/aslgraph/ontology#"
LEVELS = "PREFIX asl: <" + ASL + "> SELECT ?l ?r { ?l asl:levelRank ?r } ORDER BY ?r"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
LEVELS_GRAPH = str(graph_iri("data/rsp/levels.ttl"))
ART55_GRAPH = str(graph_iri("data/eu-ai-act/art55.ttl"))


def run_engine(
    settings: Settings, kg: OxigraphStore, scenario: Callable[[SparqlEngine], Awaitable[T]]
) -> T:
    """Start an engine with ``settings``, run ``scenario`` on it, stop it."""

    async def main() -> T:
        engine = SparqlEngine(settings, kg)
        await engine.start()
        try:
            return await scenario(engine)
        finally:
            await engine.stop()

    return asyncio.run(main())


def alive(pid: int) -> bool:
    """True while ``pid`` runs (a zombie waiting to be reaped counts as ended)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_cache_hits_never_reach_a_worker(settings: Settings, kg: OxigraphStore) -> None:
    async def scenario(engine: SparqlEngine) -> None:
        first = await engine.answer(LEVELS)
        assert not first.cached
        assert engine.stats.evaluated == 1
        await engine.stop()  # no worker left: only the cache can answer now
        second = await engine.answer(LEVELS)
        assert second.cached
        assert second.body == first.body
        assert engine.stats.evaluated == 1
        assert engine.stats.cache_hits == 1
        with pytest.raises(RuntimeError, match="not started"):
            await engine.answer(LEVELS + " LIMIT 2")

    run_engine(settings, kg, scenario)


def test_the_cache_key_holds_media_type_and_dataset(settings: Settings, kg: OxigraphStore) -> None:
    async def scenario(engine: SparqlEngine) -> None:
        json_answer = await engine.answer(LEVELS)
        csv_answer = await engine.answer(LEVELS, accept="text/csv")
        narrowed = await engine.answer(LEVELS, dataset=Dataset(default=(ART55_GRAPH,), named=()))
        assert json_answer.content_type == "application/sparql-results+json"
        assert csv_answer.content_type == "text/csv; charset=utf-8"
        assert b"ASL-1" in json_answer.body and b"ASL-1" not in narrowed.body
        assert engine.stats.evaluated == 3

    run_engine(settings, kg, scenario)


def test_nondeterministic_answers_are_not_cached(settings: Settings, kg: OxigraphStore) -> None:
    async def scenario(engine: SparqlEngine) -> None:
        first = await engine.answer("SELECT (STRUUID() AS ?id) {}")
        second = await engine.answer("SELECT (STRUUID() AS ?id) {}")
        assert first.body != second.body
        assert engine.stats.evaluated == 2

    run_engine(settings, kg, scenario)


@pytest.mark.parametrize(
    ("query", "error"),
    [
        ("SELECT * { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }", ServiceRefusedError),
        ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", UpdateRefusedError),
        ("LOAD <file:///etc/passwd>", UpdateRefusedError),
        ("SELECT * FROM <file:///etc/passwd> { ?s ?p ?o }", UnknownGraphError),
        ("SELECT * WHERE " + "{" * 5000 + "}" * 5000, TooDeepError),
    ],
    ids=["service", "insert", "load", "from-file", "deep"],
)
def test_refused_queries_never_reach_a_worker(
    settings: Settings, kg: OxigraphStore, query: str, error: type[SparqlError]
) -> None:
    async def scenario(engine: SparqlEngine) -> None:
        with pytest.raises(error):
            await engine.answer(query)
        assert engine.stats.evaluated == 0
        assert engine.stats.refused == 1

    run_engine(settings, kg, scenario)


class _Recorder(http.server.BaseHTTPRequestHandler):
    requests: list[str] = []  # noqa: RUF012 - shared by the handler instances of one test

    def do_GET(self) -> None:
        self.requests.append(self.path)
        self.send_response(500)
        self.end_headers()

    do_POST = do_GET  # noqa: N815 - the http.server API

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""


@pytest.fixture
def listener() -> Iterator[tuple[str, list[str]]]:
    """A local HTTP server that records the paths it is asked for."""
    _Recorder.requests = []
    server = http.server.HTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/sparql", _Recorder.requests
    server.shutdown()
    server.server_close()


def test_pyoxigraph_would_call_a_service_but_the_engine_refuses_it(
    settings: Settings, kg: OxigraphStore, listener: tuple[str, list[str]]
) -> None:
    url, requests = listener
    query = f"SELECT * {{ SERVICE <{url}> {{ ?s ?p ?o }} }}"
    plain = ox.Store()
    with pytest.raises(OSError, match="500"):
        list(plain.query(query))  # type: ignore[call-overload]
    assert requests == ["/sparql"]  # left alone, pyoxigraph fetched the URL

    async def scenario(engine: SparqlEngine) -> None:
        with pytest.raises(ServiceRefusedError):
            await engine.answer(query)

    run_engine(settings, kg, scenario)
    assert requests == ["/sparql"]  # the engine did not


def test_past_the_time_budget_the_worker_is_killed_and_replaced(kg: OxigraphStore) -> None:
    settings = Settings(query_timeout=0.5, query_workers=1)

    async def scenario(engine: SparqlEngine) -> None:
        (old,) = engine.worker_pids()
        with pytest.raises(QueryTimeoutError, match=r"longer than 0\.5 s and was stopped"):
            await engine.answer(SLOW)  # 10^12 rows: only the budget ends it
        for _ in range(100):  # the kill is immediate; reaping takes a moment
            if not alive(old):
                break
            await asyncio.sleep(0.05)
        assert not alive(old)
        for _ in range(1200):  # the fresh worker loads the graph (slowly on a loaded machine)
            status = engine.pool_status()
            if status is not None and status.live == 1:
                break
            await asyncio.sleep(0.05)
        answer = await engine.answer("ASK { ?s ?p ?o }")
        assert answer.body.endswith(b"true}")
        assert engine.worker_pids() != [old]

    run_engine(settings, kg, scenario)


def test_a_query_that_crashes_the_engine_is_refused_and_the_pool_recovers(
    settings: Settings, kg: OxigraphStore
) -> None:
    crash = "ASK { FILTER(" + "!" * 50_000 + "true) }"  # one level deep, but kills pyoxigraph

    async def scenario(engine: SparqlEngine) -> None:
        with pytest.raises(EvaluationError, match="engine stopped"):
            await engine.answer(crash)
        assert (await engine.answer("ASK {}")).body.endswith(b"true}")

    run_engine(settings, kg, scenario)


def test_a_query_past_the_memory_cap_is_stopped(kg: OxigraphStore) -> None:
    settings = Settings(max_query_memory_bytes=256 * 1_048_576, query_timeout=30)
    hungry = "SELECT * { ?a ?b ?c . ?d ?e ?f } ORDER BY ?a ?f"  # sorts 131 million rows

    async def scenario(engine: SparqlEngine) -> None:
        with pytest.raises(QueryMemoryError, match="ASLGRAPH_MAX_QUERY_MEMORY_BYTES"):  # the cap
            await engine.answer(hungry)
        assert (await engine.answer("SELECT * { ?s ?p ?o } ORDER BY ?o", accept="text/csv")).body

    run_engine(settings, kg, scenario)


def test_result_caps(kg: OxigraphStore) -> None:
    settings = Settings(max_result_rows=10, max_response_bytes=5000)

    async def scenario(engine: SparqlEngine) -> None:
        with pytest.raises(ResultTooLargeError, match="more than 10 rows or triples"):
            await engine.answer("SELECT * { ?s ?p ?o }")
        with pytest.raises(ResultTooLargeError, match="more than 10 rows or triples"):
            await engine.answer("CONSTRUCT WHERE { ?s ?p ?o }")
        with pytest.raises(ResultTooLargeError, match="larger than 5000 bytes"):
            await engine.answer(
                "SELECT (GROUP_CONCAT(?o) AS ?all) "
                "{ ?s <https://w3id.org/aslgraph/ontology#paraphrase> ?o }"
            )
        answer = await engine.answer("SELECT * { ?s ?p ?o } LIMIT 10", accept="text/csv")
        assert answer.body.count(b"\r\n") == 11

    run_engine(settings, kg, scenario)


def test_not_acceptable_is_decided_before_any_work(settings: Settings, kg: OxigraphStore) -> None:
    async def scenario(engine: SparqlEngine) -> None:
        with pytest.raises(NotAcceptableError, match="available: text/turtle") as caught:
            await engine.answer("CONSTRUCT WHERE { ?s ?p ?o }", accept="text/csv")
        assert "application/rdf+xml" in caught.value.available
        with pytest.raises(NotAcceptableError, match="SELECT query"):
            await engine.answer("SELECT * {}", accept="text/turtle")
        assert engine.stats.evaluated == 0

    run_engine(settings, kg, scenario)


def test_query_dataset_clauses_and_protocol_dataset(settings: Settings, kg: OxigraphStore) -> None:
    level = "<https://w3id.org/aslgraph/id/rsp/ASL-1>"
    art55 = "<https://w3id.org/aslgraph/id/eu-ai-act/art55>"

    async def ask(engine: SparqlEngine, query: str, dataset: Dataset | None = None) -> bool:
        answer = await engine.answer(query, dataset=dataset)
        return answer.body.endswith(b"true}")

    async def scenario(engine: SparqlEngine) -> None:
        assert await ask(engine, f"ASK {{ {level} ?p ?o . {art55} ?q ?r }}")  # union
        assert not await ask(engine, f"ASK FROM <{ART55_GRAPH}> {{ {level} ?p ?o }}")
        assert await ask(engine, f"ASK FROM <{LEVELS_GRAPH}> {{ {level} ?p ?o }}")
        assert await ask(
            engine, f"ASK FROM NAMED <{LEVELS_GRAPH}> {{ GRAPH ?g {{ {level} ?p ?o }} }}"
        )
        assert not await ask(engine, f"ASK FROM <{LEVELS_GRAPH}> {{ GRAPH ?g {{ ?s ?p ?o }} }}")
        only_art55 = Dataset(default=(ART55_GRAPH,), named=())
        assert not await ask(engine, f"ASK FROM <{LEVELS_GRAPH}> {{ {level} ?p ?o }}", only_art55)
        with pytest.raises(UnknownGraphError, match=r"<http://example\.org/g>"):
            await engine.answer("ASK {}", dataset=Dataset(("http://example.org/g",), ()))

    run_engine(settings, kg, scenario)


def test_a_busy_pool_says_so(kg: OxigraphStore) -> None:
    async def scenario() -> None:
        pool = WorkerPool(
            1,
            dataset=kg.dump_nquads(),
            config={"max_rows": 10, "max_bytes": 10_000, "prefixes": {}},
        )
        await pool.start()
        job = QueryJob(query=SLOW, results="JSON")
        slow = asyncio.create_task(pool.run(job.encode(), timeout=10, wait=1))
        await asyncio.sleep(0.2)
        with pytest.raises(PoolBusyError, match=r"busy for 0\.2 s"):
            await pool.run(QueryJob(query="ASK {}").encode(), timeout=10, wait=0.2)
        slow.cancel()
        with pytest.raises(asyncio.CancelledError):
            await slow
        await pool.stop()
        assert pool.pids() == []

    asyncio.run(scenario())


def test_heavy_jobs_leave_the_reserved_worker_to_light_ones(kg: OxigraphStore) -> None:
    async def scenario() -> None:
        pool = WorkerPool(
            2,
            dataset=kg.dump_nquads(),
            config={"max_rows": 10, "max_bytes": 10_000, "prefixes": {}},
            reserved=1,
        )
        await pool.start()
        heavy = QueryJob(query=SLOW, results="JSON").encode()
        running = asyncio.create_task(pool.run(heavy, timeout=30, wait=30, heavy=True))
        while pool.status().heavy == 0:
            await asyncio.sleep(0.01)
        with pytest.raises(PoolBusyError) as busy:  # the lane is full, a worker is idle
            await pool.run(heavy, timeout=30, wait=0.2, heavy=True)
        assert busy.value.heavy_lane
        header, _ = await pool.run(
            QueryJob(query="ASK {}", results="JSON").encode(), timeout=30, wait=0.2
        )
        assert b'"ok": true' in header
        status = pool.status()
        assert (status.heavy, status.heavy_limit, len(status.busy)) == (1, 1, 1)
        assert not running.done()
        running.cancel()
        with pytest.raises(asyncio.CancelledError):
            await running
        await pool.stop()

    asyncio.run(scenario())


def test_with_one_worker_heavy_jobs_still_run(kg: OxigraphStore) -> None:
    async def scenario() -> None:
        pool = WorkerPool(
            1, dataset=kg.dump_nquads(), config={"max_rows": 10, "max_bytes": 10, "prefixes": {}},
            reserved=1,
        )  # fmt: skip
        await pool.start()
        assert pool.heavy_limit == 1
        job = QueryJob(query="ASK {}", results="JSON").encode()
        header, _ = await pool.run(job, timeout=30, wait=30, heavy=True)
        assert b'"ok": true' in header
        await pool.stop()

    asyncio.run(scenario())


def test_cartesian_queries_queue_in_their_lane_while_light_ones_are_answered(
    kg: OxigraphStore,
) -> None:
    settings = Settings(query_timeout=30, query_workers=2, query_reserved_workers=1)

    async def scenario(engine: SparqlEngine) -> None:
        heavy = [asyncio.create_task(engine.answer(SLOW + f" # {n}")) for n in range(3)]
        status = engine.pool_status()
        while status is None or status.heavy == 0 or status.waiting < 2:
            await asyncio.sleep(0.01)
            status = engine.pool_status()
        for n in range(5):  # each fresh, each answered by the reserved worker
            answer = await engine.answer(LEVELS + f" # {n}")
            assert b"ASL-1" in answer.body or b"ASL1" in answer.body
        status = engine.pool_status()
        assert status is not None and (status.heavy, status.waiting) == (1, 2)
        assert not any(task.done() for task in heavy)
        for task in heavy:
            task.cancel()
        await asyncio.gather(*heavy, return_exceptions=True)

    run_engine(settings, kg, scenario)


def test_a_heavy_query_refused_for_its_lane_says_why(kg: OxigraphStore) -> None:
    settings = Settings(query_timeout=0.5, query_workers=2, query_reserved_workers=1)

    async def scenario(engine: SparqlEngine) -> None:
        results = await asyncio.gather(
            engine.answer(SLOW + " # 1"),
            engine.answer(SLOW + " # 2"),
            engine.answer(SLOW + " # 3"),
            return_exceptions=True,
        )
        busy = [r for r in results if isinstance(r, EngineBusyError)]
        assert all(isinstance(r, EngineBusyError | QueryTimeoutError) for r in results)
        assert busy, results  # three 0.5 s runs cannot fit in one lane's 0.5 s wait
        assert "Cartesian product" in str(busy[0])
        assert "at most 1 of the 2 query workers" in str(busy[0])

    run_engine(settings, kg, scenario)


def test_a_shape_that_ran_slowly_is_heavy_next_time(kg: OxigraphStore) -> None:
    settings = Settings(query_workers=2, slow_query_seconds=0.0)  # every run counts as slow

    async def scenario(engine: SparqlEngine) -> None:
        # a FILTER takes it out of the quick class: it runs on a worker, which times it
        query = "SELECT ?o WHERE { <https://w3id.org/aslgraph/id/rsp/ASL3> ?p ?o FILTER(true) }"
        assert not engine.costs.classify(shape(query)).heavy
        await engine.answer(query)
        again = query.replace("ASL3", "ASL2")
        cost = engine.costs.classify(shape(again))
        assert cost.heavy and "same shape" in (cost.reason or "")
        await engine.answer(again)  # runs in the heavy lane, still answered

    run_engine(settings, kg, scenario)


def test_workers_run_nicer_than_the_server(kg: OxigraphStore) -> None:
    settings = Settings(query_workers=2, worker_nice=7)
    own = os.getpriority(os.PRIO_PROCESS, 0)

    async def scenario(engine: SparqlEngine) -> list[int]:
        return [os.getpriority(os.PRIO_PROCESS, pid) for pid in engine.worker_pids()]

    assert run_engine(settings, kg, scenario) == [min(own + 7, 19)] * 2


def test_workers_end_with_the_engine(settings: Settings, kg: OxigraphStore) -> None:
    async def scenario(engine: SparqlEngine) -> list[int]:
        return engine.worker_pids()

    pids = run_engine(settings, kg, scenario)
    assert len(pids) == settings.query_workers
    assert not any(alive(pid) for pid in pids)
    assert os.getpid() not in pids


def test_started_in_the_background_the_first_query_waits_for_the_workers(
    settings: Settings, kg: OxigraphStore
) -> None:
    async def main() -> tuple[list[int], bytes, list[int]]:
        engine = SparqlEngine(settings, kg)
        await engine.start(wait=False)
        try:
            before = engine.worker_pids()  # returned at once: no worker is ready yet
            answer = await engine.answer("ASK { ?s ?p ?o }")
            return before, answer.body, engine.worker_pids()
        finally:
            await engine.stop()

    before, body, after = asyncio.run(main())
    assert before == []
    assert body.endswith(b"true}")
    assert len(after) == settings.query_workers
    assert not any(alive(pid) for pid in after)


class _UnloadableStore(OxigraphStore):
    """A store whose dataset the workers cannot load (so they do not start)."""

    def dump_nquads(self) -> bytes:
        return b"<not> <n-quads"


def test_workers_that_cannot_start_in_the_background_make_queries_503(
    settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    store = _UnloadableStore(ox.Store(), [], 0.0)

    async def main() -> None:
        engine = SparqlEngine(settings, store)
        await engine.start(wait=False)
        try:
            for _ in range(2):  # a FILTER: not of the quick class, so it needs a worker
                with pytest.raises(EngineBusyError, match="could not be started"):
                    await engine.answer("ASK { ?s ?p ?o FILTER(true) }")
            await engine.started()
            # a query of the quick class needs no worker: still answered
            assert (await engine.answer("ASK { ?s ?p ?o }")).body.endswith(b"false}")
        finally:
            await engine.stop()

    asyncio.run(main())
    assert "the SPARQL workers did not start" in caplog.text


def test_stopping_during_a_background_start_leaves_no_worker(
    settings: Settings, kg: OxigraphStore
) -> None:
    others = _worker_children()  # of engines other tests keep running (session fixtures)

    async def main() -> None:
        engine = SparqlEngine(settings, kg)
        await engine.start(wait=False)
        await asyncio.sleep(0.05)  # the start is under way: the processes exist
        await engine.stop()
        assert engine.worker_pids() == []

    asyncio.run(main())
    _assert_no_workers_but(others)


def test_a_start_cancelled_part_way_ends_the_workers_already_up(kg: OxigraphStore) -> None:
    """The server stopping while one worker is ready and another still starting: the ready
    one is ended too (a cancelled gather loses its results; its process used to live on,
    found by the garbage collector long after its event loop had closed)."""
    others = _worker_children()

    async def main() -> None:
        pool = WorkerPool(
            2,
            dataset=kg.dump_nquads(),
            config={"max_rows": 10, "max_bytes": 10_000, "prefixes": {}},
        )
        real_spawn = pool._spawn
        first_up = asyncio.Event()
        calls = 0

        async def one_ready_one_never() -> pool_module.Worker:
            nonlocal calls
            calls += 1
            if calls > 1:
                await asyncio.Event().wait()  # a worker that never gets ready
            worker = await real_spawn()
            first_up.set()
            return worker

        pool._spawn = one_ready_one_never  # type: ignore[method-assign]
        start = asyncio.ensure_future(pool.start())
        ready = asyncio.ensure_future(first_up.wait())
        await asyncio.wait([start, ready], timeout=60, return_when=asyncio.FIRST_COMPLETED)
        assert first_up.is_set(), start.exception() if start.done() else "no worker started"
        assert len(_worker_children() - others) == 1
        start.cancel()
        with pytest.raises(asyncio.CancelledError):
            await start
        assert pool.pids() == []

    asyncio.run(main())
    _assert_no_workers_but(others)


def _assert_no_workers_but(others: set[int]) -> None:
    """Every SPARQL worker process this process started, but ``others``, has ended."""
    for _ in range(100):  # reaping takes a moment
        if not _worker_children() - others:
            break
        time.sleep(0.05)
    assert _worker_children() - others == set()


def _worker_children() -> set[int]:
    """Live SPARQL worker processes started by this process."""
    found = set()
    for task in Path(f"/proc/{os.getpid()}/task").iterdir():
        try:
            children = (task / "children").read_text().split()
        except OSError:  # the thread ended since the listing
            continue
        for child in children:
            try:
                command = Path(f"/proc/{child}/cmdline").read_bytes()
                state = Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()[0]
            except OSError:
                continue
            if b"aslgraph.sparql.worker" in command and state != "Z":
                found.add(int(child))
    return found


# ---------------------------------------------------------------- the same path in-process


def test_evaluate_here_takes_the_endpoints_checks_and_caps(kg: OxigraphStore) -> None:
    from aslgraph.media import SPARQL_TSV, TURTLE
    from aslgraph.sparql.engine import evaluate_here

    settings = Settings(max_result_rows=3)
    before = len(kg)
    with pytest.raises(UpdateRefusedError, match="queries only; INSERT"):
        evaluate_here(
            kg,
            "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
            settings=settings,
            results=SPARQL_TSV,
            graph=TURTLE,
        )
    assert len(kg) == before
    with pytest.raises(ResultTooLargeError, match="more than 3 rows"):
        evaluate_here(
            kg, "SELECT * WHERE { ?s ?p ?o }", settings=settings, results=SPARQL_TSV, graph=TURTLE
        )
    reply, body = evaluate_here(
        kg,
        "SELECT * WHERE { ?s ?p ?o } LIMIT 2",
        settings=settings,
        results=SPARQL_TSV,
        graph=TURTLE,
    )
    assert (reply.ok, reply.form, reply.rows) == (True, "select", 2)
    assert body.count(b"\n") == 3


def test_a_pool_takes_the_processes_started_ahead_of_it_and_the_rest_are_ended() -> None:
    """``aslgraph serve`` starts the worker processes before it imports the app
    (``pool.prespawn``, decision 0020): the pool's workers are those processes, they answer as
    any worker does, and those no pool took are ended."""

    async def scenario() -> None:
        await pool_module.prespawn("aslgraph.sparql.worker", 3, nice=2)
        early = sorted(p.pid for p in pool_module._WAITING[("aslgraph.sparql.worker", 2)])
        pool = WorkerPool(
            2, dataset=b"", config={"max_rows": 10, "max_bytes": 10_000, "prefixes": {}}, nice=2
        )
        await pool.start()
        try:
            taken = pool.pids()
            assert set(taken) < set(early)  # two of the three started ahead
            job = QueryJob(query="ASK {}", results="JSON").encode()
            header, body = await pool.run(job, timeout=10, wait=10)
            assert json.loads(header)["ok"] and body
            left = [pid for pid in early if pid not in taken]
            await pool_module.end_prespawned()
            assert not any(alive(pid) for pid in left)
            assert pool_module._WAITING == {}
        finally:
            await pool.stop()

    asyncio.run(scenario())
