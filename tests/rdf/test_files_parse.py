"""Every shipped RDF file parses on its own, with its own prefixes."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

ROOT = Path(__file__).resolve().parents[2]
RDF_FILES = sorted(
    p
    for folder in ("ontology", "data", "shapes", "examples")
    for p in (ROOT / folder).rglob("*.ttl")
)


def test_there_are_files() -> None:
    assert len(RDF_FILES) > 20


@pytest.mark.parametrize("path", RDF_FILES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_parses_on_its_own(path: Path) -> None:
    graph = Graph().parse(path, format="turtle")
    assert len(graph) > 0


@pytest.mark.parametrize("path", [p for p in RDF_FILES if "data" in p.parts], ids=lambda p: p.name)
def test_prefix_lines_are_sorted(path: Path) -> None:
    prefixes = [
        line.split()[1]
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.startswith("@prefix")
    ]
    assert prefixes == sorted(prefixes)
