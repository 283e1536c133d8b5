"""The HTTP server ``aslgraph serve`` runs: uvicorn (httptools), with the limits it lacks.

uvicorn reads headers without bound, never times out a client that sends its headers or body
slowly, answers a malformed request, an over-long URL and an exceeded concurrency limit in plain
text, and (re-raising the signal it caught) exits 143 after SIGTERM. :class:`GuardedProtocol`,
a subclass of its httptools protocol, adds per connection:

- a cap on the request line (414), on the header block's size and on the number of header
  fields (431);
- a time limit on receiving the request line and headers, and on each pause while the body
  arrives (408), so that a slowloris connection is closed;
- a cap on requests being answered at once (503 with Retry-After);
- RFC 9457 problem documents for every error the HTTP layer itself produces.

:func:`run` starts uvicorn with these, a graceful-shutdown timeout, and exits 0 after a SIGTERM
or SIGINT once the requests in flight are done.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import signal
import sys
from http import HTTPStatus
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from aslgraph.api.accesslog import access_log
from aslgraph.api.problems import PROBLEM_BASE, PROBLEM_JSON
from aslgraph.config import Settings

_STATUS_LINES = {
    status: f"HTTP/1.1 {status} {HTTPStatus(status).phrase}\r\n".encode("ascii")
    for status in (400, 408, 414, 431, 503)
}


def problem_bytes(status: int, detail: str, kind: str, *, retry_after: int | None = None) -> bytes:
    """A whole HTTP/1.1 response carrying a problem document, closing the connection."""
    body = json.dumps(
        {
            "type": PROBLEM_BASE + kind,
            "title": HTTPStatus(status).phrase,
            "status": status,
            "detail": detail,
        }
    ).encode("utf-8")
    head = [
        _STATUS_LINES[status],
        f"content-type: {PROBLEM_JSON}\r\n".encode("ascii"),
        f"content-length: {len(body)}\r\n".encode("ascii"),
        b"x-content-type-options: nosniff\r\n",
        b"connection: close\r\n",
    ]
    if retry_after is not None:
        head.append(f"retry-after: {retry_after}\r\n".encode("ascii"))
    return b"".join(head) + b"\r\n" + body


class _RefusedError(Exception):
    """Raised inside a parser callback to stop reading a request that broke a limit."""


class OneWrite:
    """A transport that sends a response's head together with its body (decision 0020).

    uvicorn writes the status line and headers, then the body, in two calls: two system calls
    and two TCP segments per response. Here a write is held until the next one (sent together,
    without copying the body: ``writelines``) or the end of the event loop's turn, so the order
    and the bytes are unchanged. Everything else is the wrapped transport's.
    """

    __slots__ = ("_held", "_loop", "_transport")

    def __init__(self, transport: asyncio.Transport, loop: asyncio.AbstractEventLoop):
        self._transport = transport
        self._loop = loop
        self._held: bytes | None = None

    def write(self, data: bytes | bytearray | memoryview) -> None:
        if self._held is None:
            self._held = bytes(data)
            self._loop.call_soon(self.flush)
            return
        held, self._held = self._held, None
        self._transport.writelines((held, data))

    def flush(self) -> None:
        """Send what is held (nothing once the connection is closing)."""
        held, self._held = self._held, None
        if held is not None and not self._transport.is_closing():
            self._transport.write(held)

    def writelines(self, chunks: Any) -> None:
        self.flush()
        self._transport.writelines(chunks)

    def write_eof(self) -> None:
        self.flush()
        self._transport.write_eof()

    def close(self) -> None:
        self.flush()
        self._transport.close()

    def abort(self) -> None:
        self._held = None
        self._transport.abort()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._transport, name)


class GuardedProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol with header, URL, time and concurrency limits (set on a
    subclass by :func:`protocol_for`)."""

    max_url_bytes = 16_384
    max_header_bytes = 32_768
    max_header_count = 100
    header_timeout = 10.0
    body_timeout = 30.0
    max_concurrent = 256

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_concurrency = None  # ours, answered with a problem document
        if self.access_log:  # the same lines, written without logging's machinery (0020)
            self.access_logger = access_log(self.access_logger)
        self._timer: asyncio.TimerHandle | None = None
        self._refusal: bytes | None = None
        self._url_bytes = 0
        self._header_bytes = 0
        self._header_count = 0
        self._in_body = False
        self._line_done = False
        self._head_bytes = 0
        """Bytes received since the request began and before its headers ended: the parser
        keeps a header value it has not seen the end of, so the cap must hold here."""

    # ------------------------------------------------------------ timers

    def _arm(self, seconds: float, what: str) -> None:
        self._disarm()
        self._timer = self.loop.call_later(seconds, self._timed_out, what)

    def _disarm(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _timed_out(self, what: str) -> None:
        self._timer = None
        if self.transport.is_closing():
            return
        started = self.cycle is not None and self.cycle.response_started
        if not started:
            seconds = self.header_timeout if what == "headers" else self.body_timeout
            self.transport.write(
                problem_bytes(
                    408,
                    f"the request's {what} did not arrive within {seconds:g} s; send the whole "
                    "request without pausing",
                    "request-timeout",
                )
            )
        if self.cycle is not None:
            self.cycle.disconnected = True
            self.cycle.message_event.set()
        self.transport.close()

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(OneWrite(transport, self.loop))  # type: ignore[arg-type]
        self._arm(self.header_timeout, "headers")  # a connection that sends nothing is closed

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def on_response_complete(self) -> None:
        self._disarm()
        super().on_response_complete()

    # ------------------------------------------------------------ the parser's callbacks

    def data_received(self, data: bytes) -> None:
        if not self._in_body:
            if not self._line_done:
                end = data.find(b"\n")
                self._line_done = end >= 0
                line = self._head_bytes + (end if end >= 0 else len(data))
                if line > self.max_url_bytes:
                    self._refusal = _uri_too_long(self.max_url_bytes)
                    self.send_400_response("")
                    return
            self._head_bytes += len(data)
            if self._head_bytes > self.max_url_bytes + self.max_header_bytes:
                self._refusal = problem_bytes(
                    431,
                    f"the request's line and headers are larger than "
                    f"{self.max_url_bytes + self.max_header_bytes} bytes",
                    "headers-too-large",
                )
                self.send_400_response("")
                return
        super().data_received(data)

    def send_400_response(self, msg: str) -> None:
        """Every request the parser refuses: ours (a limit) or the parser's (malformed)."""
        self._disarm()
        refusal = self._refusal or problem_bytes(
            400,
            "the request is not valid HTTP/1.1 (the request line or a header is malformed)",
            "malformed-request",
        )
        self.transport.write(refusal)
        self.transport.close()

    def _refuse(self, status: int, detail: str, kind: str) -> None:
        self._refusal = problem_bytes(status, detail, kind)
        raise _RefusedError(detail)

    def on_message_begin(self) -> None:
        self._url_bytes = self._header_bytes = self._header_count = 0
        self._in_body = False
        self._arm(self.header_timeout, "headers")
        super().on_message_begin()

    def on_url(self, url: bytes) -> None:
        self._url_bytes += len(url)
        if self._url_bytes > self.max_url_bytes:
            self._refusal = _uri_too_long(self.max_url_bytes)
            raise _RefusedError("the URL is too long")
        super().on_url(url)

    def on_header(self, name: bytes, value: bytes) -> None:
        self._header_bytes += len(name) + len(value) + 4
        self._header_count += 1
        if self._header_bytes > self.max_header_bytes:
            self._refuse(
                431,
                f"the request's headers are larger than {self.max_header_bytes} bytes",
                "headers-too-large",
            )
        if self._header_count > self.max_header_count:
            self._refuse(
                431,
                f"the request has more than {self.max_header_count} header fields",
                "headers-too-large",
            )
        super().on_header(name, value)

    def on_headers_complete(self) -> None:
        self._disarm()
        busy = len(self.tasks) >= self.max_concurrent
        app = self.app
        if busy:
            self.app = _busy_app(self.max_concurrent)
        try:
            super().on_headers_complete()
        finally:
            self.app = app
        self._in_body = True
        self._arm(self.body_timeout, "body")

    def on_body(self, body: bytes) -> None:
        self._arm(self.body_timeout, "body")  # a pause, not the whole body, is timed
        super().on_body(body)

    def on_message_complete(self) -> None:
        self._in_body = False
        self._head_bytes = 0
        self._line_done = False
        self._disarm()
        super().on_message_complete()


def _uri_too_long(limit: int) -> bytes:
    return problem_bytes(
        414,
        f"the URL is longer than {limit} bytes; send a long SPARQL query in a POST body "
        "(application/sparql-query) instead",
        "uri-too-long",
    )


def _busy_app(limit: int) -> Any:
    body = problem_bytes(
        503,
        f"the server is answering {limit} requests already; try again shortly",
        "server-busy",
        retry_after=1,
    ).split(b"\r\n\r\n", 1)[1]

    async def app(scope: Any, receive: Any, send: Any) -> None:
        await send(
            {
                "type": "http.response.start",
                "status": 503,
                "headers": [
                    (b"content-type", PROBLEM_JSON.encode("ascii")),
                    (b"retry-after", b"1"),
                    (b"x-content-type-options", b"nosniff"),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})

    return app


def protocol_for(settings: Settings) -> type[GuardedProtocol]:
    """:class:`GuardedProtocol` with the limits of ``settings``."""
    return type(
        "AslgraphHttpProtocol",
        (GuardedProtocol,),
        {
            "max_url_bytes": settings.max_url_bytes,
            "max_header_bytes": settings.max_header_bytes,
            "max_header_count": settings.max_header_count,
            "header_timeout": settings.header_timeout,
            "body_timeout": settings.body_timeout,
            "max_concurrent": settings.max_concurrent_requests,
        },
    )


def run(settings: Settings, *, host: str, port: int, workers: int) -> None:
    """Serve the app until SIGTERM or SIGINT, then drain (at most ``shutdown_timeout`` s) and
    return, so that the process exits 0.

    With one server process, the worker processes are started first, before the app (and
    FastAPI) is imported: they import their own modules meanwhile (decision 0020)."""
    import uvicorn

    # uvicorn restores the handlers it found and re-raises the signal it caught; a handler
    # of our own that does nothing makes that re-raise return instead of ending the process
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda _sig, _frame: None)
    options: dict[str, Any] = {
        "factory": True,
        "host": host,
        "port": port,
        "workers": workers,
        "http": protocol_for(settings),
        "timeout_keep_alive": int(settings.keep_alive_timeout),
        "timeout_graceful_shutdown": int(settings.shutdown_timeout),
        "access_log": settings.access_log,
    }
    if workers > 1:  # uvicorn's own supervisor; each process starts its workers itself
        # its processes are spawned: they import the protocol by name, made from their own
        # environment's settings (a class made here cannot be pickled to them)
        uvicorn.run(APP, **{**options, "http": f"{__name__}:EnvironmentProtocol"})
        return
    config = uvicorn.Config(APP, **options)
    server = uvicorn.Server(config)

    async def serve() -> None:
        from aslgraph.workers import pool

        try:
            if not settings.store_url:  # a remote store answers the queries: no SPARQL pool
                await pool.prespawn(
                    SPARQL_WORKER, settings.query_workers, nice=settings.worker_nice
                )
            await pool.prespawn(
                VALIDATION_WORKER, settings.validation_workers, nice=settings.worker_nice
            )
            await server.serve()
        finally:
            await pool.end_prespawned()

    with (
        contextlib.suppress(KeyboardInterrupt),
        asyncio.Runner(loop_factory=config.get_loop_factory()) as runner,
    ):
        runner.run(serve())
    if not server.started:
        sys.exit(STARTUP_FAILURE)


APP = "aslgraph.api.app:create_app"
SPARQL_WORKER = "aslgraph.sparql.worker"
VALIDATION_WORKER = "aslgraph.org.worker"
STARTUP_FAILURE = 3
"""uvicorn's exit status when the server did not start."""


def __getattr__(name: str) -> Any:
    """``EnvironmentProtocol``: :func:`protocol_for` the settings of this process's
    environment (what ``serve --workers N`` names to uvicorn's worker processes)."""
    if name == "EnvironmentProtocol":
        return protocol_for(Settings())
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
