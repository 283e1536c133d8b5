"""The limits of the shipped server (``aslgraph serve``: ``api/server.py``), over raw sockets:
an over-long URL is 414, oversized or too many headers 431, a malformed request 400, a client
that sends its headers or body too slowly 408, requests past the concurrency cap 503 with
Retry-After, every one a problem document; SIGTERM drains the requests in flight and exits 0,
even while a client holds an incomplete body."""

from __future__ import annotations

import concurrent.futures
import json
import signal
import socket
import time
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import httpx
import pytest

if TYPE_CHECKING:
    from tests.integration.conftest import RunningServer

_KS = " ".join(str(i) for i in range(10))
MEDIUM = "SELECT (COUNT(*) AS ?n) { ?a a ?t . ?d a ?u . VALUES ?k { " + _KS + " } } # "


@pytest.fixture(scope="module")
def limited(server_factory: Callable[..., RunningServer]) -> RunningServer:
    return server_factory({"ASLGRAPH_HEADER_TIMEOUT": "0.5", "ASLGRAPH_BODY_TIMEOUT": "0.5"})


def _address(server: RunningServer) -> tuple[str, int]:
    host, port = server.url.removeprefix("http://").split(":")
    return host, int(port)


def _exchange(server: RunningServer, *parts: bytes, wait: float = 30.0) -> bytes:
    """Send ``parts`` on a fresh connection and read until the server closes it."""
    with socket.create_connection(_address(server), timeout=wait) as sock:
        for part in parts:
            try:
                sock.sendall(part)
            except (BrokenPipeError, ConnectionResetError):
                break  # the server answered and closed before all was sent
        chunks = []
        while True:
            try:
                chunk = sock.recv(65536)
            except ConnectionResetError:
                break
            if not chunk:
                break
            chunks.append(chunk)
    return b"".join(chunks)


def _problem(raw: bytes, status: int) -> dict[str, Any]:
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    assert lines[0].startswith(f"HTTP/1.1 {status} "), lines[0]
    headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    assert headers["content-type"] == "application/problem+json"
    assert headers["x-content-type-options"] == "nosniff"
    found: dict[str, Any] = json.loads(body)
    assert found["status"] == status and found["detail"]
    found["_headers"] = headers
    return found


def test_an_over_long_url_is_414(limited: RunningServer) -> None:
    line = b"GET /sparql?query=ASK%7B" + b"%20" * 100_000 + b"%7D HTTP/1.1\r\nHost: x\r\n\r\n"
    found = _problem(_exchange(limited, line), 414)
    assert found["type"].endswith("uri-too-long") and "POST" in found["detail"]


def test_oversized_headers_are_431_and_others_are_served(limited: RunningServer) -> None:
    huge = b"GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 64 * 1_048_576 + b"\r\n\r\n"
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(lambda _: _exchange(limited, huge), range(4)))
    for raw in answers:
        assert _problem(raw, 431)["type"].endswith("headers-too-large")
    assert httpx.get(f"{limited.url}/health").status_code == 200


def test_too_many_header_fields_are_431(limited: RunningServer) -> None:
    many = b"".join(b"X-H%d: v\r\n" % i for i in range(150))
    raw = _exchange(limited, b"GET /health HTTP/1.1\r\nHost: x\r\n" + many + b"\r\n")
    assert "more than 100 header fields" in _problem(raw, 431)["detail"]


@pytest.mark.parametrize(
    "request_bytes",
    [b"GET /health HTTP/9.9\r\n\r\n", b"\x16\x03\x01\x00\xa5 TLS hello\r\n\r\n",
     b"GET /health HTTP/1.1\r\nBad Header Without Colon\r\n\r\n"],
    ids=["version", "tls-to-http", "header"],
)  # fmt: skip
def test_a_malformed_request_is_a_400_problem(limited: RunningServer, request_bytes: bytes) -> None:
    assert _problem(_exchange(limited, request_bytes), 400)["type"].endswith("malformed-request")


def test_headers_sent_too_slowly_are_408_and_the_connection_closed(limited: RunningServer) -> None:
    raw = _exchange(limited, b"GET /health HTTP/1.1\r\nHost: x\r\n")  # never ends the headers
    assert "did not arrive within 0.5 s" in _problem(raw, 408)["detail"]


def test_a_silent_connection_is_closed(limited: RunningServer) -> None:
    assert _problem(_exchange(limited), 408)["type"].endswith("request-timeout")


def test_a_body_that_stops_arriving_is_408(limited: RunningServer) -> None:
    head = (
        b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
        b"Content-Length: 100\r\n\r\nASK {"
    )
    raw = _exchange(limited, head)
    assert "body did not arrive" in _problem(raw, 408)["detail"]


def test_past_the_concurrency_cap_requests_are_503_with_retry_after(
    server_factory: Callable[..., RunningServer],
) -> None:
    """Three requests held open by bodies still arriving fill the cap of three; a fourth is
    refused at once, and served again once they are done."""
    capped = server_factory(
        {"ASLGRAPH_MAX_CONCURRENT_REQUESTS": "3", "ASLGRAPH_BODY_TIMEOUT": "600"}
    )
    held = []
    head = (
        b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
        b"Content-Length: 6\r\n\r\nASK"
    )
    try:
        for _ in range(3):
            sock = socket.create_connection(_address(capped), timeout=30)
            sock.sendall(head)
            held.append(sock)
        refused = httpx.get(f"{capped.url}/api/tiers/ASL-3")
        assert refused.status_code == 503, refused.text
        assert refused.headers["retry-after"] == "1"
        assert refused.json()["type"].endswith("server-busy")
    finally:
        for sock in held:
            sock.close()
    for _ in range(200):  # the held requests end as their connections close
        answer = httpx.get(f"{capped.url}/api/tiers/ASL-3")
        if answer.status_code == 200:
            break
    assert answer.status_code == 200


def test_sigterm_drains_in_flight_requests_and_exits_0(
    server_factory: Callable[..., RunningServer],
) -> None:
    # budgets far beyond what the query needs even on a loaded machine: the test is about
    # draining, not speed
    stopping = server_factory({"ASLGRAPH_SHUTDOWN_TIMEOUT": "120", "ASLGRAPH_QUERY_TIMEOUT": "120"})
    with (
        concurrent.futures.ThreadPoolExecutor(1) as pool,
        httpx.Client(base_url=stopping.url, timeout=180) as client,
    ):
        assert client.get("/health").status_code == 200
        running = pool.submit(client.get, "/sparql", params={"query": MEDIUM + str(uuid.uuid4())})
        deadline_ok = _wait_until_busy(client)
        stopping.process.send_signal(signal.SIGTERM)
        response = running.result()
    assert deadline_ok
    assert response.status_code == 200, response.text
    assert stopping.process.wait(timeout=30) == 0


def test_sigterm_with_an_incomplete_body_held_exits_0_after_the_timeout(
    server_factory: Callable[..., RunningServer],
) -> None:
    stopping = server_factory({"ASLGRAPH_SHUTDOWN_TIMEOUT": "1", "ASLGRAPH_BODY_TIMEOUT": "600"})
    with socket.create_connection(_address(stopping), timeout=30) as sock:
        sock.sendall(
            b"POST /api/validate HTTP/1.1\r\nHost: x\r\nContent-Type: text/turtle\r\n"
            b"Content-Length: 1000000\r\n\r\n@prefix"
        )
        assert httpx.get(f"{stopping.url}/health").status_code == 200
        stopping.process.send_signal(signal.SIGTERM)
        assert stopping.process.wait(timeout=30) == 0


def _wait_until_busy(client: httpx.Client, patience: float = 60.0) -> bool:
    """Whether a SPARQL worker became busy (on a loaded machine dispatch can take a while)."""
    deadline = time.monotonic() + patience
    while time.monotonic() < deadline:
        pools = client.get("/health/ready").json()
        if pools["sparql"] and pools["sparql"]["busy"]:
            return True
        time.sleep(0.005)
    return False


def test_serve_with_several_processes_answers_with_its_limits(
    server_factory: Callable[..., RunningServer],
) -> None:
    """``aslgraph serve --workers 2``: uvicorn's own supervisor spawns the processes, which
    import the guarded protocol by name (a class made at run time could not be pickled to
    them: this failed before); each answers, with the protocol's limits."""
    # a limit from the environment: each process makes its protocol from its own settings
    server = server_factory({"ASLGRAPH_MAX_URL_BYTES": "2048"}, args=["--workers", "2"])
    deadline = time.monotonic() + 60
    ready = httpx.get(f"{server.url}/health/ready", timeout=10)
    while ready.status_code != 200 and time.monotonic() < deadline:
        time.sleep(0.1)
        ready = httpx.get(f"{server.url}/health/ready", timeout=10)
    assert ready.status_code == 200, ready.text
    crosswalk = httpx.get(f"{server.url}/api/crosswalk", params={"from": "rsp:ASL3-SS"})
    assert crosswalk.status_code == 200 and crosswalk.json()["items"]
    refused = httpx.get(f"{server.url}/api/provisions?q=" + "x" * 3_000, timeout=10)
    assert refused.status_code == 414, refused.text
    assert refused.headers["content-type"].startswith("application/problem+json")
