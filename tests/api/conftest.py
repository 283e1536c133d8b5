"""Fixtures of the REST API tests: the app in-process (lifespan run), the catalog service, and
the same two over a small made-up graph (``kg/crosswalk-cases.ttl``) whose crosswalk answers
are known exactly."""

from __future__ import annotations

import shutil
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

from aslgraph.api.app import create_app
from aslgraph.config import Settings
from aslgraph.kg.catalog import Catalog
from aslgraph.store import OxigraphStore

with warnings.catch_warnings():
    # starlette asks for httpx2 instead of httpx; the TestClient works the same with either.
    warnings.filterwarnings(
        "ignore", message="Using `httpx` with `starlette.testclient` is deprecated"
    )
    from fastapi.testclient import TestClient

ROOT = Path(__file__).resolve().parents[2]
CASES = Path(__file__).resolve().parent / "kg"


@pytest.fixture(scope="session")
def client(settings: Settings) -> Iterator[TestClient]:
    """The app over the shipped knowledge graph, started (lifespan) once per session."""
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        yield client


@pytest.fixture(scope="session")
def catalog(kg: OxigraphStore, settings: Settings) -> Catalog:
    return Catalog(kg, settings)


@pytest.fixture(scope="session")
def case_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Settings whose data folder holds only the made-up crosswalk cases."""
    root = tmp_path_factory.mktemp("cases-root")
    (root / "ontology").symlink_to(ROOT / "ontology", target_is_directory=True)
    (root / "queries").symlink_to(ROOT / "queries", target_is_directory=True)
    (root / "shapes").symlink_to(ROOT / "shapes", target_is_directory=True)
    (root / "data").mkdir()
    shutil.copy(CASES / "crosswalk-cases.ttl", root / "data" / "crosswalk-cases.ttl")
    return Settings(root=root)


@pytest.fixture(scope="session")
def case_catalog(case_settings: Settings) -> Catalog:
    store = OxigraphStore.from_paths(case_settings.kg_dirs, root=case_settings.root)
    return Catalog(store, case_settings)


@pytest.fixture(scope="session")
def case_client(case_settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(case_settings), raise_server_exceptions=False) as client:
        yield client
