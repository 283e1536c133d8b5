"""Fixtures that start the real service (uvicorn) on a free 127.0.0.1 port.

``server`` is one instance with the default settings for the whole session (its base URL).
``server_factory`` starts more instances with other settings (environment variables), e.g.
``server_factory({"ASLGRAPH_QUERY_TIMEOUT": "1"})``; each is stopped at the end of the session.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class RunningServer:
    """A uvicorn process serving the app: its base URL (no trailing slash) and process id."""

    url: str
    pid: int
    process: subprocess.Popen[bytes]
    log: Path

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(
    env: Mapping[str, str] | None = None, *, timeout: float = 60.0, args: Sequence[str] = ()
) -> RunningServer:
    """Start the shipped server (``aslgraph serve``: uvicorn with the guarded protocol), with
    ``args`` added to its command line, and wait until /health answers."""
    port = free_port()
    log = Path(tempfile.mkstemp(prefix="aslgraph-server-", suffix=".log")[1])
    environment = {**os.environ, "ASLGRAPH_ROOT": str(ROOT), **(env or {})}
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "aslgraph",
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                *args,
            ],
            env=environment,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    server = RunningServer(f"http://127.0.0.1:{port}", process.pid, process, log)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"{server.url}/health", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return server
        except OSError:
            time.sleep(0.05)
    server.stop()
    raise RuntimeError(f"the server did not answer /health within {timeout} s:\n{log.read_text()}")


@pytest.fixture(scope="session")
def server_factory() -> Iterator[Callable[..., RunningServer]]:
    """Start servers with extra environment variables; all are stopped at the session's end."""
    started: list[RunningServer] = []

    def start(env: Mapping[str, str] | None = None, args: Sequence[str] = ()) -> RunningServer:
        server = start_server(env, args=args)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture(scope="session")
def server(server_factory: Callable[..., RunningServer]) -> str:
    """The base URL (``http://127.0.0.1:<port>``) of a server with the default settings."""
    return server_factory().url


@pytest.fixture(scope="module")
def client(server: str) -> Iterator[httpx.Client]:
    """An HTTP client of :func:`server` (here it replaces the in-process ``client`` of
    tests/conftest.py: these tests talk to a real process)."""
    with httpx.Client(base_url=server, timeout=60) as client:
        yield client
