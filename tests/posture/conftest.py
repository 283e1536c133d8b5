"""Fixtures of the posture tests: the catalog over the shipped knowledge graph, warm once."""

from __future__ import annotations

import pytest

from aslgraph.config import Settings
from aslgraph.kg.catalog import Catalog
from aslgraph.store import OxigraphStore


@pytest.fixture(scope="session")
def catalog(kg: OxigraphStore, settings: Settings) -> Catalog:
    return Catalog(kg, settings)
