"""Faults of the server are told apart from faults of the request, on a real server.

A worker killed from outside (kill -9) or crashing (a segfault) while it answers is the
server's fault: the job is sent once more to a fresh worker, and if that one is stopped too the
client gets 503 with Retry-After and a problem saying so; the next requests are served. Only
the job's own doing (the memory cap, or a crash that repeats on a fresh worker) is a 4xx,
naming the cap and its setting.
"""

from __future__ import annotations

import concurrent.futures
import os
import signal
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import pytest

from processes import worker_pids

if TYPE_CHECKING:
    from tests.integration.conftest import RunningServer

ROOT = Path(__file__).resolve().parents[2]
TURTLE = {"Content-Type": "text/turtle"}
STARTUP = ROOT / "examples" / "valid" / "startup-assistant-on-third-party-model.ttl"
# about 1.3 s of counting in one worker: long enough to be killed in the middle
_KS = " ".join(str(i) for i in range(10))
MEDIUM = "SELECT (COUNT(*) AS ?n) { ?a a ?t . ?d a ?u . VALUES ?k { " + _KS + " } } # "
SPARQL = "aslgraph.sparql.worker"
VALIDATION = "aslgraph.org.worker"


def _ready(server: RunningServer, module: str, count: int) -> set[int]:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        found = worker_pids(server.pid, module)
        if len(found) == count:
            return found
        time.sleep(0.05)
    raise AssertionError(f"{count} {module} workers did not start")


POOL_OF = {SPARQL: "sparql", VALIDATION: "validation"}


class Killer:
    """Sends ``sig`` to the worker of ``module`` that is answering a job, as the server's
    readiness document names it (``busy``), ``rounds`` times: each time to a worker not yet
    signalled, so a job sent again is stopped again."""

    def __init__(
        self,
        server: RunningServer,
        module: str,
        sig: signal.Signals = signal.SIGKILL,
        *,
        rounds: int = 1,
        after: float = 0.1,
    ):
        self.server, self.pool, self.sig = server, POOL_OF[module], sig
        self.rounds, self.after = rounds, after
        self.signalled: list[int] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    @property
    def sent(self) -> int:
        return len(self.signalled)

    def _busy(self, http: httpx.Client) -> list[int]:
        found = http.get("/health/ready").json()[self.pool]
        return [pid for pid in (found or {}).get("busy", []) if pid not in self.signalled]

    def _run(self) -> None:
        with httpx.Client(base_url=self.server.url, timeout=30) as http:
            while len(self.signalled) < self.rounds and not self._stop.is_set():
                busy = self._busy(http)
                if not busy:
                    time.sleep(0.01)
                    continue
                if self._stop.wait(self.after):  # let it get into its work
                    return
                try:
                    os.kill(busy[0], self.sig)
                except ProcessLookupError:
                    continue
                self.signalled.append(busy[0])

    def __enter__(self) -> Killer:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()


@pytest.fixture(scope="module")
def faulty(server_factory: Callable[..., RunningServer]) -> RunningServer:
    """A server of its own: these tests kill its workers."""
    server = server_factory(
        {"ASLGRAPH_QUERY_WORKERS": "2", "ASLGRAPH_VALIDATION_WORKERS": "1",
         "ASLGRAPH_QUERY_TIMEOUT": "120", "ASLGRAPH_VALIDATION_TIMEOUT": "120"}
    )  # fmt: skip
    _ready(server, SPARQL, 2)
    _ready(server, VALIDATION, 1)
    return server


@pytest.fixture
def client(faulty: RunningServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=faulty.url, timeout=180) as http:
        yield http


def _medium_answer(client: httpx.Client) -> str:
    """What MEDIUM counts: the typed resources squared, times the VALUES rows."""
    typed = client.get("/sparql", params={"query": "SELECT (COUNT(*) AS ?n) { ?a a ?t }"})
    n = int(typed.json()["results"]["bindings"][0]["n"]["value"])
    return str(n * n * len(_KS.split()))


def _medium(client: httpx.Client) -> httpx.Response:
    return client.get("/sparql", params={"query": MEDIUM + str(uuid.uuid4())})


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGSEGV], ids=["kill-9", "segfault"])
def test_a_query_whose_worker_is_stopped_once_is_answered(
    client: httpx.Client, faulty: RunningServer, sig: signal.Signals
) -> None:
    _ready(faulty, SPARQL, 2)
    with Killer(faulty, SPARQL, sig) as killer:
        response = _medium(client)
    assert killer.sent >= 1
    assert response.status_code == 200, response.text
    assert response.json()["results"]["bindings"][0]["n"]["value"] == _medium_answer(client)


def test_a_query_whose_workers_keep_being_killed_is_a_503_server_fault(
    client: httpx.Client, faulty: RunningServer
) -> None:
    _ready(faulty, SPARQL, 2)
    with Killer(faulty, SPARQL, rounds=2) as killer:
        response = _medium(client)
    assert killer.sent == 2
    assert response.status_code == 503, response.text
    assert response.headers["retry-after"]
    found = response.json()
    assert found["type"].endswith("engine-fault")
    assert "fault of the server, not of the query" in found["detail"]
    assert "SIGKILL" in found["detail"]
    _ready(faulty, SPARQL, 2)
    assert _medium(client).status_code == 200  # and the next is served


def test_a_validation_whose_worker_is_killed_once_is_answered(
    client: httpx.Client, faulty: RunningServer
) -> None:
    _ready(faulty, VALIDATION, 1)
    with Killer(faulty, VALIDATION) as killer:
        response = client.post("/api/validate", content=_big_graph(), headers=TURTLE)
    assert killer.sent == 1
    assert response.status_code == 200, response.text


def test_a_validation_whose_workers_keep_being_killed_is_a_503_server_fault(
    client: httpx.Client, faulty: RunningServer
) -> None:
    _ready(faulty, VALIDATION, 1)
    with Killer(faulty, VALIDATION, rounds=2) as killer:
        response = client.post("/api/validate", content=_big_graph(), headers=TURTLE)
    assert killer.sent == 2
    assert response.status_code == 503, response.text
    assert response.headers["retry-after"]
    found = response.json()
    assert found["type"].endswith("validation-fault")
    assert "not of the graph" in found["detail"]
    _ready(faulty, VALIDATION, 1)
    again = client.post("/api/validate", content=STARTUP.read_bytes(), headers=TURTLE)
    assert again.status_code == 200, again.text


def test_while_a_worker_is_killed_other_requests_are_served(
    client: httpx.Client, faulty: RunningServer
) -> None:
    _ready(faulty, SPARQL, 2)
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        with Killer(faulty, SPARQL, rounds=2):
            slow = pool.submit(_medium, client)
            served = 0
            while not slow.done():
                assert client.get("/api/tiers/ASL-3").status_code == 200
                assert client.get("/health").status_code == 200
                served += 1
                time.sleep(0.02)
        assert slow.result().status_code in (200, 503)
    assert served >= 1


def test_a_query_past_the_memory_cap_is_a_400_naming_the_cap(
    server_factory: Callable[..., RunningServer],
) -> None:
    capped = server_factory({"ASLGRAPH_MAX_QUERY_MEMORY_BYTES": str(128 * 1_048_576)})
    _ready(capped, SPARQL, len(worker_pids(capped.pid, SPARQL)) or 1)
    hungry = "SELECT * { ?a ?b ?c . ?d ?e ?f } ORDER BY ?a ?f"
    response = httpx.get(f"{capped.url}/sparql", params={"query": hungry}, timeout=60)
    assert response.status_code == 400, response.text
    found = response.json()
    assert found["type"].endswith("query-memory")
    assert "128 MiB" in found["detail"] and "ASLGRAPH_MAX_QUERY_MEMORY_BYTES" in found["detail"]


def test_a_validation_past_the_memory_cap_is_a_400_naming_the_cap(
    server_factory: Callable[..., RunningServer],
) -> None:
    capped = server_factory({"ASLGRAPH_MAX_VALIDATION_MEMORY_BYTES": str(48 * 1_048_576)})
    _ready(capped, VALIDATION, 1)
    response = httpx.post(
        f"{capped.url}/api/validate", content=_big_graph(), headers=TURTLE, timeout=60
    )
    assert response.status_code == 400, response.text
    found = response.json()
    assert found["type"].endswith("too-large-to-validate")
    assert "48 MiB" in found["detail"]
    assert "ASLGRAPH_MAX_VALIDATION_MEMORY_BYTES" in found["detail"]
    small = httpx.post(
        f"{capped.url}/api/validate", content=b"@prefix ex: <https://e.org/> .", headers=TURTLE
    )
    assert small.status_code == 200, small.text  # the next (small) one is served


_BIG: bytes | None = None


def _big_graph() -> bytes:
    """An organisation graph of about 200,000 triples (a second or so to validate)."""
    global _BIG
    if _BIG is None:
        from benchmarks.orggen import generate

        data, _ = generate(200_000, seed=3, rate=0.2)
        _BIG = _as_turtle(data)
    return _BIG


def _as_turtle(ntriples: str) -> bytes:
    return ntriples.encode()  # N-Triples is Turtle


# ---------------------------------------------------------------------------- readiness


def test_ready_names_the_pools_and_validation_works(client: httpx.Client) -> None:
    deadline = time.monotonic() + 60  # a worker replaced by an earlier test may be starting
    response = client.get("/health/ready")
    while response.status_code != 200 and time.monotonic() < deadline:
        time.sleep(0.1)
        response = client.get("/health/ready")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["ready"] is True and body["reasons"] == []
    assert body["catalog"] is True and body["validation_works"] is True
    assert body["sparql"]["size"] == 2 and body["sparql"]["live"] == 2
    assert body["validation"]["live"] == 1


def test_ready_as_soon_as_the_workers_are_up(
    server_factory: Callable[..., RunningServer],
) -> None:
    """A probe made before the validation workers started does not keep the service "not
    ready" once they are up (it was reused for 15 s: ready took 16 s instead of 2)."""
    fresh = server_factory()
    seen = []
    with httpx.Client(base_url=fresh.url, timeout=60) as http:
        deadline = time.monotonic() + 60
        response = http.get("/health/ready")
        while response.status_code != 200 and time.monotonic() < deadline:
            seen.append(response.json())
            time.sleep(0.05)
            response = http.get("/health/ready")
    assert response.status_code == 200, response.text
    for body in seen:  # once the pool reports a live worker, no probe says it has not started
        if body["validation"] and body["validation"]["live"]:
            assert not any("have not started" in r for r in body["reasons"]), body


def test_not_ready_when_validation_cannot_work(
    server_factory: Callable[..., RunningServer],
) -> None:
    broken = server_factory({"ASLGRAPH_MAX_VALIDATION_MEMORY_BYTES": "1"})
    with httpx.Client(base_url=broken.url, timeout=60) as http:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            body = http.get("/health/ready").json()
            if body["validation"] and body["validation"]["live"]:
                break
            time.sleep(0.1)
        response = http.get("/health/ready")
        assert response.status_code == 503
        assert response.headers["retry-after"]
        body = response.json()
        assert body["ready"] is False and body["validation_works"] is False
        assert any("validation does not work" in r for r in body["reasons"])
        assert http.get("/health").status_code == 200  # liveness is not readiness


# ---------------------------------------------------------------------------- bounded uploads

RDF_NS = 'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:e="http://e/"'
DEEP = {
    "application/ld+json": b'{"@id":"http://e/x","http://e/p":' * 20_000 + b"1" + b"}" * 20_000,
    "application/rdf+xml": f"<rdf:RDF {RDF_NS}>".encode() + b"<rdf:Description><e:p>" * 10_000
    + b"x" + b"</e:p></rdf:Description>" * 10_000 + b"</rdf:RDF>",
    "text/turtle": b"<http://e/s> <http://e/p> " + b"( " * 20_000 + b"1" + b" )" * 20_000 + b" .",
}  # fmt: skip


@pytest.mark.parametrize("media", sorted(DEEP))
def test_a_deep_upload_is_a_400_naming_the_limit_and_nothing_else_waits(
    client: httpx.Client, faulty: RunningServer, media: str
) -> None:
    _ready(faulty, VALIDATION, 1)
    before = worker_pids(faulty.pid, VALIDATION)
    response = client.post("/api/validate", content=DEEP[media], headers={"Content-Type": media})
    assert response.status_code == 400, response.text
    found = response.json()
    assert found["type"].endswith("too-deep")
    assert "ASLGRAPH_MAX_UPLOAD_DEPTH" in found["detail"]
    assert worker_pids(faulty.pid, VALIDATION) == before  # refused, not crashed
    small = client.post("/api/validate", content=STARTUP.read_bytes(), headers=TURTLE)
    assert small.status_code == 200


def test_a_worker_that_grew_past_the_threshold_is_recycled_after_its_job(
    server_factory: Callable[..., RunningServer],
) -> None:
    recycling = server_factory({"ASLGRAPH_VALIDATION_WORKER_RECYCLE_BYTES": "1"})
    first = _ready(recycling, VALIDATION, 1)
    with httpx.Client(base_url=recycling.url, timeout=60) as http:
        response = http.post("/api/validate", content=STARTUP.read_bytes(), headers=TURTLE)
        assert response.status_code == 200, response.text
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            status = http.get("/health/ready").json()["validation"]
            if status["recycled"] >= 1 and status["live"] == 1:
                break
            time.sleep(0.1)
        assert status["recycled"] >= 1 and status["crashed"] == 0
        assert worker_pids(recycling.pid, VALIDATION).isdisjoint(first)
        again = http.post("/api/validate", content=STARTUP.read_bytes(), headers=TURTLE)
        assert again.status_code == 200, again.text
