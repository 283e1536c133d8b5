"""Fixtures for comparing the set-at-a-time engine with the pyshacl reference."""

from __future__ import annotations

import pytest

from aslgraph.config import Settings
from aslgraph.shacl import FastEngine, PyshaclEngine, build_engine


@pytest.fixture(scope="session")
def fast_engine() -> FastEngine:
    engine = build_engine("fast", Settings())
    assert isinstance(engine, FastEngine)
    return engine


@pytest.fixture(scope="session")
def pyshacl_engine() -> PyshaclEngine:
    engine = build_engine("pyshacl", Settings())
    assert isinstance(engine, PyshaclEngine)
    return engine
