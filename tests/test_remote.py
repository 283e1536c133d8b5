"""The parts of the remote store that need no store process (decision 0016): binding a named
query's parameters into its text, the dialect switch, the version marker, the canonical order
of the embedded store, and the client's errors. The store processes themselves are exercised in
tests/integration/test_remote_store.py."""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
import pytest

from aslgraph import __version__
from aslgraph.config import Settings
from aslgraph.namespaces import ID, STORE_MARKER
from aslgraph.queries import load_queries
from aslgraph.remote.client import (
    Endpoints,
    RemoteStoreError,
    StoreClient,
    StoreUnavailableError,
)
from aslgraph.remote.dialect import DIALECTS, detect
from aslgraph.remote.marker import LAYOUT, MarkerError, StoreMarker, check, content_hash
from aslgraph.remote.store import bind
from aslgraph.store import OxigraphStore, canonical

ROOT = Path(__file__).resolve().parents[1]
ONTOLOGY = "https://w3id.org/aslgraph/ontology#"


@pytest.fixture(scope="module")
def kg() -> OxigraphStore:
    settings = Settings(root=ROOT)
    return OxigraphStore.from_paths(settings.kg_dirs, root=ROOT)


def _rows(result: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples) -> list[str]:
    return sorted(str(row) for row in result)  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("name", "variable", "value"),
    [
        ("api/resources-of-class", "class", ONTOLOGY + "Provision"),
        ("api/resources-of-class", "class", ONTOLOGY + "SafetyLevel"),
        ("api/minted", "base", ID),
        ("api/describe", "resource", ID + "rsp/ASL-3"),
        ("api/included-levels", "level", ID + "rsp/ASL-4"),
        ("store/named-graph", "graph", "https://w3id.org/aslgraph/graph/data/rsp/instrument.ttl"),
    ],
)
def test_a_bound_query_answers_as_the_substitution_does(
    kg: OxigraphStore, name: str, variable: str, value: str
) -> None:
    text = load_queries(ROOT / "queries")[name].text
    substituted = kg.query(text, substitutions={variable: ox.NamedNode(value)})
    bound = bind(text, {variable: ox.NamedNode(value)})
    unbound = re.sub(r"AS \?\w+\)", "", bound).split("WHERE", 1)[1]
    assert f"?{variable}" not in unbound  # a constant wherever it was a variable to bind
    answer = _rows(kg.query(bound))
    assert answer == _rows(substituted)
    assert answer  # the case says something


def test_bind_keeps_a_projected_variable_in_the_answer(kg: OxigraphStore) -> None:
    text = "SELECT ?level ?lower WHERE { ?level <" + ONTOLOGY + "includesLevel> ?lower }"
    rows = list(kg.query(bind(text, {"level": ox.NamedNode(ID + "rsp/ASL-3")})))  # type: ignore[union-attr]
    assert rows
    assert {row["level"] for row in rows} == {ox.NamedNode(ID + "rsp/ASL-3")}


def test_bind_leaves_strings_iris_and_comments_alone() -> None:
    text = 'SELECT ?x WHERE { ?x <urn:?x> "?x" } # ?x'
    bound = bind(text, {"x": ox.NamedNode("urn:a")})
    assert bound == 'SELECT (<urn:a> AS ?x) WHERE { <urn:a> <urn:?x> "?x" } # ?x'


# ---------------------------------------------------------------- the dialect switch

VIRTUOSO_ASK = (
    b'{ "head": { "link": [], "vars": ["__ASK_RETVAL"] },\n  "results": { "distinct": false, '
    b'"ordered": true, "bindings": [\n    { "__ASK_RETVAL": { "type": "typed-literal", '
    b'"datatype": "http://www.w3.org/2001/XMLSchema#integer", "value": "%s" }} ] } }'
)
VIRTUOSO_ASK_NONE = (
    b'{ "head": { "link": [], "vars": ["__ASK_RETVAL"] },\n  "results": { "distinct": false, '
    b'"ordered": true, "bindings": [ ] } }'
)
VIRTUOSO_BNODE = (
    b'{ "head": { "link": [], "vars": ["s", "o"] }, "results": { "bindings": [ { "s": { "type": '
    b'"bnode", "value": "nodeID://b10001" }, "o": { "type": "literal", '
    b'"value": "nodeID://x" }} ] } }'
)


def _parse(body: bytes) -> ox.QuerySolutions | ox.QueryBoolean:
    return ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)


@pytest.mark.parametrize(
    ("body", "expected"),
    [(VIRTUOSO_ASK % b"1", True), (VIRTUOSO_ASK % b"0", False), (VIRTUOSO_ASK_NONE, False)],
)
def test_virtuosos_ask_table_becomes_a_boolean(body: bytes, expected: bool) -> None:
    result = _parse(DIALECTS["virtuoso"].results(body))
    assert isinstance(result, ox.QueryBoolean)
    assert bool(result) is expected
    assert isinstance(_parse(DIALECTS["oxigraph"].results(body)), ox.QuerySolutions)


def test_virtuosos_blank_nodes_become_blank_node_labels_and_literals_stay() -> None:
    with pytest.raises(SyntaxError):
        list(_parse(VIRTUOSO_BNODE))  # type: ignore[call-overload]
    row = next(iter(_parse(DIALECTS["virtuoso"].results(VIRTUOSO_BNODE))))  # type: ignore[call-overload]
    assert row["s"] == ox.BlankNode("b10001")
    assert row["o"] == ox.Literal("nodeID://x")


@pytest.mark.parametrize(
    ("server", "name", "update", "gsp"),
    [
        ("Oxigraph/0.5.13", "oxigraph", "http://h:1/update", "http://h:1/store"),
        (
            "Virtuoso/07.20.3229 (Linux) x86_64-pc-linux-gnu",
            "virtuoso",
            "http://h:1/sparql-auth",
            "http://h:1/sparql-graph-crud-auth",
        ),
        ("nginx", "generic", None, None),
        (None, "generic", None, None),
    ],
)
def test_the_dialect_is_told_from_the_server_header(
    server: str | None, name: str, update: str | None, gsp: str | None
) -> None:
    dialect = detect(server)
    assert dialect.name == name
    assert dialect.update_url("http://h:1/query?x=1") == update
    assert dialect.gsp_url("http://h:1/query") == gsp


# ---------------------------------------------------------------- the marker


def test_the_marker_reads_back_as_written(tmp_path: Path) -> None:
    files = [("ontology/a.ttl", tmp_path / "a.ttl"), ("data/b.ttl", tmp_path / "b.ttl")]
    files[0][1].write_text("<urn:a> <urn:p> 1 .", encoding="utf-8")
    files[1][1].write_text("<urn:b> <urn:p> 2 .", encoding="utf-8")
    marker = StoreMarker(
        version=content_hash(files),
        graphs=("urn:g:ontology/z", "urn:g:data/a"),  # load order, not IRI order
        shapes=("urn:g:shapes/s",),
        loaded="2026-12-03T06:00:00Z",
    )
    store = ox.Store()
    store.load(marker.turtle(), format=ox.RdfFormat.N_TRIPLES)
    rows = [(q.predicate.value, q.object) for q in store]
    assert StoreMarker.from_rows(rows) == marker  # type: ignore[arg-type]
    assert check(marker, where="http://s/q") == marker
    files[1][1].write_text("<urn:b> <urn:p> 3 .", encoding="utf-8")
    assert content_hash(files) != marker.version


def test_serve_refuses_a_missing_or_foreign_marker() -> None:
    with pytest.raises(MarkerError, match="holds no aslgraph version marker"):
        check(None, where="http://s/q")
    foreign = StoreMarker(version="sha256:0", graphs=("urn:g",), software="0.0.1")
    with pytest.raises(
        MarkerError, match=f"loaded by aslgraph 0.0.1 .* this is aslgraph {__version__}"
    ):
        check(foreign, where="http://s/q")
    other_layout = StoreMarker(version="sha256:0", graphs=("urn:g",), layout=LAYOUT + "0")
    with pytest.raises(MarkerError, match="store layout"):
        check(other_layout, where="http://s/q")
    assert StoreMarker.from_rows([]) is None
    assert str(STORE_MARKER).endswith("/graph/store-marker")


# ---------------------------------------------------------------- the canonical order


def test_the_same_quads_in_any_insertion_order_are_read_in_one_order() -> None:
    quads = [
        ox.Quad(ox.NamedNode(f"urn:s{i % 7}"), ox.NamedNode(f"urn:p{i % 3}"), ox.Literal(str(i)), g)
        for i in range(60)
        for g in (ox.NamedNode("urn:g2"), ox.NamedNode("urn:g1"))
    ]
    one, other = ox.Store(), ox.Store()
    one.extend(quads)
    other.extend(reversed(quads))
    before = [str(q) for q in one], [str(q) for q in other]
    assert before[0] != before[1]  # pyoxigraph reads them back in insertion order
    graphs = ["urn:g2", "urn:g1"]
    first = [str(q) for q in canonical(one, graphs)]
    assert first == [str(q) for q in canonical(other, graphs)]


# ---------------------------------------------------------------- the client


def test_a_store_that_is_not_there_is_unavailable() -> None:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    client = StoreClient(
        Endpoints(f"http://127.0.0.1:{port}/q", None, None), dialect=DIALECTS["generic"]
    )
    with pytest.raises(StoreUnavailableError, match="cannot be reached"):
        client.query("ASK {}", accept="application/sparql-results+json", timeout=2)
    with pytest.raises(RemoteStoreError, match="ASLGRAPH_STORE_GSP_URL"):
        client.put_graph("urn:g", b"", content_type="text/turtle", timeout=2)


def test_only_http_store_urls_are_accepted() -> None:
    with pytest.raises(RemoteStoreError, match="http:// or https://"):
        StoreClient.from_settings(Settings(store_url="file:///etc/passwd"))


# ---------------------------------------------------------------- what a store must not see


@pytest.mark.parametrize(
    ("dialect", "query", "refused"),
    [
        ("virtuoso", 'SELECT (bif:length("x") AS ?n) WHERE {}', "bif:length"),
        ("virtuoso", 'SELECT (<sql:x>("x") AS ?n) WHERE {}', "<sql:x>"),
        ("virtuoso", "PREFIX b: <bif:> SELECT (b:length(1) AS ?n) WHERE {}", "<bif:>"),
        ("virtuoso", "SELECT ?n WHERE { ?n <urn:p> \\u0062if:x }", "escapes"),
        ("virtuoso", 'SELECT ?s WHERE { ?s <urn:p> "bif:x" } # bif:y', None),
        ("oxigraph", 'SELECT (bif:length("x") AS ?n) WHERE {}', None),
    ],
)
def test_an_engines_own_functions_are_refused(
    dialect: str, query: str, refused: str | None
) -> None:
    from aslgraph.remote.store import RemoteStore
    from aslgraph.sparql import guard
    from aslgraph.sparql.errors import QueryRefusedError
    from aslgraph.sparql.remote import RemoteQueries

    client = StoreClient(Endpoints("http://127.0.0.1:1/q", None, None), dialect=DIALECTS[dialect])  # type: ignore[index]
    store = RemoteStore(client, StoreMarker(version="v", graphs=("urn:g",)), settings=Settings())
    queries = RemoteQueries(store, Settings())
    try:
        form = guard.analyse(query).form
        if refused is None:
            queries.check(query, form)
        else:
            with pytest.raises(QueryRefusedError, match=refused):
                queries.check(query, form)
    finally:
        queries.close()


def test_a_text_that_is_not_a_query_is_never_forwarded() -> None:
    from aslgraph.remote.store import RemoteStore
    from aslgraph.sparql import guard
    from aslgraph.sparql.errors import QuerySyntaxError
    from aslgraph.sparql.remote import RemoteQueries

    client = StoreClient(Endpoints("http://127.0.0.1:1/q", None, None), dialect=DIALECTS["generic"])
    store = RemoteStore(client, StoreMarker(version="v", graphs=("urn:g",)), settings=Settings())
    queries = RemoteQueries(store, Settings())
    query = 'define input:grab-all "yes" SELECT * WHERE { ?s ?p ?o }'
    try:
        with pytest.raises(QuerySyntaxError, match="must start with"):
            queries.check(query, guard.analyse(query).form)
    finally:
        queries.close()


def test_a_command_reading_an_unreachable_store_says_so(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import socket

    from aslgraph.cli.main import main

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monkeypatch.setenv("ASLGRAPH_STORE_URL", f"http://127.0.0.1:{port}/query")
    assert main(["crosswalk", "rsp:ASL3-SS"]) == 2
    assert "cannot be reached" in capsys.readouterr().err
    assert main(["load"]) == 2
    assert "the load did not finish" in capsys.readouterr().err
