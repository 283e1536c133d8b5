"""Shared fixtures, each built once per session: the settings, the knowledge graph and its
integrity report, the catalog and the in-process app, the SHACL engines and the reference
(pyshacl) report of every organisation graph file; and the test markers.

Markers: ``server`` for tests that start real processes of their own (uvicorn, a pool of
SPARQL or validation workers, the command line as a whole process; the in-process app of the
session fixtures below is shared and stays quick), ``large`` for tests over generated large
graphs. Every other test is ``quick``: ``pytest -m quick`` is the loop to run while working.
"""

from __future__ import annotations

import http.server
import shutil
import threading
import warnings
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pyoxigraph as ox
import pytest

from aslgraph.api.app import create_app
from aslgraph.config import Settings
from aslgraph.kg import integrity
from aslgraph.kg.catalog import Catalog
from aslgraph.org.errors import UnassessableError
from aslgraph.org.posture.assess import assess
from aslgraph.org.posture.model import PostureReport
from aslgraph.org.upload import parse_upload
from aslgraph.org.validate import validate
from aslgraph.shacl import FastEngine, build_engine
from aslgraph.shacl.reference import PyshaclEngine, Validator
from aslgraph.shacl.report import ValidationReport
from aslgraph.store import OxigraphStore
from org_expect import Judged

with warnings.catch_warnings():
    # starlette asks for httpx2 instead of httpx; the TestClient works the same with either.
    warnings.filterwarnings(
        "ignore", message="Using `httpx` with `starlette.testclient` is deprecated"
    )
    from fastapi.testclient import TestClient

ROOT = Path(__file__).resolve().parents[1]
CASES = Path(__file__).resolve().parent / "kg" / "crosswalk-cases.ttl"


INTEGRATION = Path(__file__).resolve().parent / "integration"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the tests of ``integration/`` (each starts real servers) as ``server``, and every
    test that is neither ``server`` nor ``large`` as ``quick``."""
    for item in items:
        if item.path.is_relative_to(INTEGRATION):
            item.add_marker(pytest.mark.server)
        if item.get_closest_marker("server") is None and item.get_closest_marker("large") is None:
            item.add_marker(pytest.mark.quick)


# ---------------------------------------------------------------- the knowledge graph


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


@pytest.fixture(scope="session")
def catalog(kg: OxigraphStore, settings: Settings) -> Catalog:
    return Catalog(kg, settings)


@pytest.fixture(scope="session")
def client(settings: Settings) -> Iterator[TestClient]:
    """The app over the shipped knowledge graph, in-process, started (lifespan) once."""
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        yield client


@pytest.fixture(scope="session")
def case_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Settings whose data folder holds only the made-up crosswalk cases
    (``kg/crosswalk-cases.ttl``, whose crosswalk answers are known exactly)."""
    root = tmp_path_factory.mktemp("cases-root")
    for folder in ("ontology", "queries", "shapes"):
        (root / folder).symlink_to(ROOT / folder, target_is_directory=True)
    (root / "data").mkdir()
    shutil.copy(CASES, root / "data" / CASES.name)
    return Settings(root=root)


@pytest.fixture(scope="session")
def case_catalog(case_settings: Settings) -> Catalog:
    store = OxigraphStore.from_paths(case_settings.kg_dirs, root=case_settings.root)
    return Catalog(store, case_settings)


@pytest.fixture(scope="session")
def case_client(case_settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(case_settings), raise_server_exceptions=False) as client:
        yield client


# ---------------------------------------------------------------- organisation graphs


@pytest.fixture(scope="session")
def fast_engine(settings: Settings) -> FastEngine:
    engine = build_engine("fast", settings)
    assert isinstance(engine, FastEngine)
    return engine


@pytest.fixture(scope="session")
def pyshacl_engine(settings: Settings) -> PyshaclEngine:
    engine = build_engine("pyshacl", settings)
    assert isinstance(engine, PyshaclEngine)
    return engine


def load_turtle(path: Path) -> ox.Store:
    """An organisation graph file in a store of its own, as an upload is parsed."""
    store = ox.Store()
    store.load(path.read_bytes(), format=ox.RdfFormat.TURTLE, base_iri="https://example.org/")
    return store


@pytest.fixture(scope="session")
def reference_report(pyshacl_engine: PyshaclEngine) -> Callable[[Path], ValidationReport]:
    """The pyshacl report of an organisation graph file, computed once per file per session
    (pyshacl takes seconds; the examples, shape cases and differential tests all need it)."""
    cache: dict[Path, ValidationReport] = {}

    def run(path: Path) -> ValidationReport:
        if path not in cache:
            cache[path] = pyshacl_engine.validate(load_turtle(path))
        return cache[path]

    return run


@pytest.fixture(scope="session")
def judge_file(
    fast_engine: FastEngine, pyshacl_engine: PyshaclEngine, catalog: Catalog
) -> Callable[..., Judged]:
    """``judge_file(path, engine="fast", as_of=None)``: the file validated through the whole
    pipeline (determinations, then the shapes on ``engine``) and assessed by the posture
    service, as of ``as_of`` (an ISO date; None: the file's own date); cached."""
    engines = {"fast": fast_engine, "pyshacl": pyshacl_engine}
    cache: dict[tuple[Path, str, str | None], Judged] = {}

    def run(path: Path, engine: str = "fast", as_of: str | None = None) -> Judged:
        key = (path, engine, as_of)
        if key not in cache:
            when = date.fromisoformat(as_of) if as_of else None
            upload = parse_upload(path.read_bytes(), "text/turtle")
            validation = validate(upload, engines[engine], catalog, as_of=when)
            try:
                posture: PostureReport | None = assess(load_turtle(path), catalog, when)
            except UnassessableError:
                posture = None
            cache[key] = Judged(validation, posture)
        return cache[key]

    return run


# ---------------------------------------------------------------- nothing is fetched


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
