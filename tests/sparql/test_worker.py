"""The worker's evaluator, in-process: formats, caps and errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest

from aslgraph.sparql.worker import CappedSink, Evaluator, LimitExceededError, QueryJob, QueryReply

ROOT = Path(__file__).resolve().parents[2]
EX = "http://example.org/"
G1, G2 = ox.NamedNode(EX + "g1"), ox.NamedNode(EX + "g2")


@pytest.fixture
def store() -> ox.Store:
    store = ox.Store()
    for i in range(5):
        graph = G1 if i % 2 else G2
        store.add(ox.Quad(ox.NamedNode(f"{EX}s{i}"), ox.NamedNode(EX + "p"), ox.Literal(i), graph))
    store.add(
        ox.Quad(ox.BlankNode("b"), ox.NamedNode(EX + "q"), ox.Literal("a\tb\nc", language="en"), G1)
    )
    return store


def evaluator(store: ox.Store, *, max_rows: int = 1000, max_bytes: int = 1_000_000) -> Evaluator:
    return Evaluator(store, max_rows=max_rows, max_bytes=max_bytes, prefixes={"ex": EX})


def job(query: str, **overrides: Any) -> QueryJob:
    fields: dict[str, Any] = {"results": "JSON", "graph": "TURTLE", **overrides}
    for name in ("default", "named"):
        if fields.get(name) is not None:
            fields[name] = tuple(fields[name])
    return QueryJob(query=query, **fields)


@pytest.mark.parametrize("fmt", ["JSON", "XML", "CSV", "TSV"])
def test_solutions_are_written_as_pyoxigraph_writes_them(store: ox.Store, fmt: str) -> None:
    query = "SELECT ?s ?o ?missing WHERE { ?s ?p ?o } ORDER BY ?o"
    header, body = evaluator(store).answer(job(query, results=fmt))
    assert header == QueryReply(ok=True, form="select", format=fmt, rows=6)
    direct = store.query(query, use_default_graph_as_union=True)
    assert isinstance(direct, ox.QuerySolutions)
    assert body == direct.serialize(format=getattr(ox.QueryResultsFormat, fmt))


@pytest.mark.parametrize("fmt", ["TURTLE", "N_TRIPLES", "JSON_LD", "RDF_XML", "N_QUADS", "TRIG"])
def test_graphs_are_written_in_each_format(store: ox.Store, fmt: str) -> None:
    query = "CONSTRUCT WHERE { ?s ?p ?o }"
    header, body = evaluator(store).answer(job(query, graph=fmt))
    assert header.ok and header.form == "construct" and header.rows == 6
    parsed = set(ox.parse(body, format=getattr(ox.RdfFormat, fmt)))
    assert len(parsed) == 6
    # a CONSTRUCT answer is one graph: in a quad syntax its triples are in the default graph
    assert {quad.graph_name for quad in parsed} == {ox.DefaultGraph()}
    if fmt in ("TURTLE", "TRIG"):
        assert b"@prefix ex: <http://example.org/>" in body


def test_ask_is_written_in_the_chosen_format(store: ox.Store) -> None:
    header, body = evaluator(store).answer(job("ASK { ?s ?p 3 }", results="XML"))
    assert header.form == "ask"
    assert b"<boolean>true</boolean>" in body


@pytest.mark.parametrize(
    ("max_rows", "ok"), [(6, True), (5, False)], ids=["at-the-cap", "past-the-cap"]
)
def test_row_cap(store: ox.Store, max_rows: int, ok: bool) -> None:
    header, _ = evaluator(store, max_rows=max_rows).answer(job("SELECT * { ?s ?p ?o }"))
    assert header.ok is ok
    if not ok:
        assert header.error == "rows"


def test_triple_cap(store: ox.Store) -> None:
    header, _ = evaluator(store, max_rows=5).answer(job("CONSTRUCT WHERE { ?s ?p ?o }"))
    assert header.error == "rows"


def test_byte_cap(store: ox.Store) -> None:
    header, body = evaluator(store, max_bytes=100).answer(job("SELECT * { ?s ?p ?o }"))
    assert (header.ok, header.error, body) == (False, "bytes", b"")


def test_syntax_errors_carry_the_position(store: ox.Store) -> None:
    header, _ = evaluator(store).answer(job("SELECT * WHERE { ?s ?p }"))
    assert header.error == "syntax"
    assert "1:" in header.message


def test_no_format_for_the_form_is_not_acceptable(store: ox.Store) -> None:
    header, _ = evaluator(store).answer(job("CONSTRUCT WHERE { ?s ?p ?o }", graph=None))
    assert (header.error, header.form) == ("not-acceptable", "construct")


def test_dataset_replaces_the_union(store: ox.Store) -> None:
    query = "SELECT ?s { ?s ?p ?o }"
    header, _ = evaluator(store).answer(
        job(query, union=False, default=[G1.value], named=[], results="TSV")
    )
    assert header.rows == 3
    header, _ = evaluator(store).answer(job(query, union=False, default=[], named=[G1.value]))
    assert header.rows == 0


def test_relative_iris_resolve_against_the_base(store: ox.Store) -> None:
    header, body = evaluator(store).answer(
        job("CONSTRUCT { <s> <p> 1 } WHERE {}", base="http://host/sparql", graph="N_TRIPLES")
    )
    assert header.ok
    assert body.startswith(b"<http://host/s> <http://host/p> ")


def test_capped_sink_counts_lines_and_bytes() -> None:
    sink = CappedSink(max_bytes=10, max_lines=2)
    sink.write(b"a\nb\n")
    with pytest.raises(LimitExceededError, match="rows"):
        sink.write(b"c\n")
    with pytest.raises(LimitExceededError, match="bytes"):
        CappedSink(max_bytes=3).write(b"abcd")


def test_job_and_reply_cross_the_pipe_unchanged(store: ox.Store) -> None:
    sent = job("ASK {}", union=False, default=[G1.value], named=[])
    assert QueryJob.decode(sent.encode()) == sent
    header, _ = evaluator(store).answer(sent)
    assert QueryReply.decode(header.encode()) == header
    assert json.loads(header.encode())["ok"] is True


def test_a_worker_process_imports_no_rdflib() -> None:
    """Each SPARQL worker is a process of its own, started with the server and after each kill:
    rdflib would add about 12 MiB and 0.1-0.2 s to every one of them."""
    loaded = subprocess.run(
        [sys.executable, "-c", "import sys, aslgraph.sparql.worker; print(sorted(sys.modules))"],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
    ).stdout
    assert "'rdflib" not in loaded
