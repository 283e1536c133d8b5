"""Shared fixtures: the settings, the knowledge graph and its integrity report, built once."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from aslgraph.config import Settings
from aslgraph.kg import integrity
from aslgraph.shacl.report import Validator
from aslgraph.store import OxigraphStore

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def settings() -> Settings:
    return Settings(root=ROOT)


@pytest.fixture(scope="session")
def kg(settings: Settings) -> OxigraphStore:
    return OxigraphStore.from_paths(settings.kg_dirs, root=settings.root)


@pytest.fixture(scope="session")
def kg_validator(settings: Settings) -> Validator:
    return Validator.from_paths([settings.shapes_dir / "kg"])


@pytest.fixture(scope="session")
def kg_report(settings: Settings, kg_validator: Validator) -> integrity.IntegrityReport:
    return integrity.check(settings=settings, validator=kg_validator)


class _Recorder(http.server.BaseHTTPRequestHandler):
    paths: list[str] = []  # noqa: RUF012 - shared by the handler instances of one test

    def do_GET(self) -> None:
        self.paths.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "application/ld+json")
        self.end_headers()
        self.wfile.write(b'{"@context": {"ex": "https://example.org/"}}')

    do_POST = do_GET  # noqa: N815 - the http.server API

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""


@pytest.fixture
def listener() -> Iterator[tuple[str, list[str]]]:
    """A real HTTP server on 127.0.0.1 that records every path requested of it: tests use it
    to prove that nothing is fetched on a client's behalf (its list must stay empty)."""
    _Recorder.paths = []
    server = http.server.HTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", _Recorder.paths
    server.shutdown()
    server.server_close()
