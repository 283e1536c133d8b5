"""The store: one named graph per file, a union default graph, read-only."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from aslgraph.namespaces import graph_iri
from aslgraph.store import OxigraphStore, ParseError, SourceNotFoundError


def test_one_named_graph_per_file(kg: OxigraphStore) -> None:
    result = kg.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert isinstance(result, ox.QuerySolutions)
    graphs = {row["g"].value for row in result}  # type: ignore[union-attr]
    assert graphs == {s.graph for s in kg.sources}
    assert str(graph_iri("ontology/aslgraph.ttl")) in graphs


def test_default_graph_is_the_union(kg: OxigraphStore) -> None:
    ask = kg.query(
        "ASK { <https://w3id.org/aslgraph/ontology#Mapping> a ?t . "
        "?m a <https://w3id.org/aslgraph/ontology#Mapping> }"
    )
    assert bool(ask)


def test_updates_are_refused(kg: OxigraphStore) -> None:
    before = len(kg)
    with pytest.raises(SyntaxError):  # the store itself parses queries only
        kg.query("INSERT DATA { <urn:a> <urn:b> <urn:c> }")
    assert len(kg) == before
    assert not hasattr(kg, "update")


def test_parse_error_names_file_line_and_column(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix a: <urn:a#> .\na:b a:c\na:d a:e .\n", encoding="utf-8")
    with pytest.raises(ParseError) as info:
        OxigraphStore.from_paths([bad], root=tmp_path)
    assert (info.value.path, info.value.line) == (bad, 3)
    assert info.value.column is not None
    assert str(info.value).startswith(f"{bad}:3:")


def test_missing_path(tmp_path: Path) -> None:
    with pytest.raises(SourceNotFoundError, match="no such file or folder"):
        OxigraphStore.from_paths([tmp_path / "nope"], root=tmp_path)
