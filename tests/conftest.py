"""Shared fixtures: the settings, the knowledge graph and its integrity report, built once."""

from __future__ import annotations

from pathlib import Path

import pytest

from aslgraph.config import Settings
from aslgraph.services import integrity
from aslgraph.store import OxigraphStore
from aslgraph.validation import Validator

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
