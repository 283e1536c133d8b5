"""The SPARQL endpoint over HTTP, against the real server (uvicorn on 127.0.0.1).

The query cases of the W3C SPARQL 1.1 Protocol test suite
(https://w3c.github.io/rdf-tests/sparql/sparql11/protocol/) each have a test named after the
case id. The suite's own data graphs (kasei.us/.../data*.rdf) are replaced by graphs this store
holds, because the endpoint answers only over its own graphs. Its ``update_*`` cases expect an
update to succeed; this endpoint is read-only by design, so those tests check the refusal and
that nothing changed.
"""

from __future__ import annotations

import concurrent.futures
import json
import time
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING

import httpx
import pyoxigraph as ox
import pytest
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, TURTLE, XML, SPARQLWrapper

from aslgraph.namespaces import graph_iri
from aslgraph.store import OxigraphStore
from processes import worker_pids

if TYPE_CHECKING:
    from tests.integration.conftest import RunningServer

RESULTS_JSON = "application/sparql-results+json"
RESULT_TYPES = (
    RESULTS_JSON,
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
)
GRAPH_TYPES = ("text/turtle", "application/n-triples", "application/ld+json", "application/rdf+xml")
FORM = "application/x-www-form-urlencoded"
DIRECT = "application/sparql-query"

LEVELS = str(graph_iri("data/rsp/levels.ttl"))
ART55 = str(graph_iri("data/eu-ai-act/art55.ttl"))
THRESHOLDS = str(graph_iri("data/rsp/thresholds.ttl"))
ASL1 = "<https://w3id.org/aslgraph/id/rsp/ASL-1>"  # only in LEVELS
ART55_ARTICLE = "<https://w3id.org/aslgraph/id/eu-ai-act/art55>"  # only in ART55
CBRN3 = "<https://w3id.org/aslgraph/id/rsp/CT-CBRN-3>"  # only in THRESHOLDS
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.fixture(scope="module")
def limited(server_factory: Callable[..., RunningServer]) -> RunningServer:
    """A second server with a 1 s time budget and small caps."""
    return server_factory(
        {
            "ASLGRAPH_QUERY_TIMEOUT": "1",
            "ASLGRAPH_MAX_RESULT_ROWS": "100",
            "ASLGRAPH_MAX_RESPONSE_BYTES": "20000",
            "ASLGRAPH_MAX_BODY_BYTES": "50000",
        }
    )


def boolean(response: httpx.Response) -> bool:
    """The answer of an ASK query sent as SPARQL JSON."""
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == RESULTS_JSON
    value = response.json()["boolean"]
    assert isinstance(value, bool)
    return value


def problem(response: httpx.Response, status: int) -> str:
    """Check a problem document with ``status``; return its detail."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status
    assert isinstance(body["detail"], str) and body["detail"]
    return str(body["detail"])


def triple_count(client: httpx.Client) -> int:
    """Triples in all graphs, counted by a worker (a fresh query text each time: no cache)."""
    query = f"SELECT (COUNT(*) AS ?n) {{ GRAPH ?g {{ ?s ?p ?o }} }} # {uuid.uuid4()}"
    response = client.get("/sparql", params={"query": query})
    assert response.status_code == 200
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


# --- W3C SPARQL 1.1 Protocol: query cases --------------------------------------------------


def test_query_get(client: httpx.Client) -> None:
    response = client.get("/sparql", params={"query": "ASK {}", "default-graph-uri": LEVELS})
    assert boolean(response) is True


def test_query_post_form(client: httpx.Client) -> None:
    response = client.post(
        "/sparql",
        params={"default-graph-uri": LEVELS},
        content=b"query=ASK%20%7B%7D",
        headers={"Content-Type": FORM},
    )
    assert boolean(response) is True


def test_query_post_direct(client: httpx.Client) -> None:
    response = client.post("/sparql", content=b"ASK {}", headers={"Content-Type": DIRECT})
    assert boolean(response) is True


BOTH_DEFAULT = f"ASK {{ {ASL1} a ?type1 . {ART55_ARTICLE} a ?type2 . }}"


def test_query_dataset_default_graphs_get(client: httpx.Client) -> None:
    both = client.get(
        "/sparql",
        params=[
            ("query", BOTH_DEFAULT),
            ("default-graph-uri", LEVELS),
            ("default-graph-uri", ART55),
        ],
    )
    assert boolean(both) is True
    one = client.get("/sparql", params=[("query", BOTH_DEFAULT), ("default-graph-uri", LEVELS)])
    assert boolean(one) is False  # the default graph really is the merge of the given graphs


def test_query_dataset_default_graphs_post(client: httpx.Client) -> None:
    response = client.post(
        "/sparql",
        params=[("default-graph-uri", LEVELS), ("default-graph-uri", ART55)],
        content=BOTH_DEFAULT.encode(),
        headers={"Content-Type": DIRECT},
    )
    assert boolean(response) is True


BOTH_NAMED = f"ASK {{ GRAPH ?g1 {{ {ASL1} a ?type1 }} GRAPH ?g2 {{ {ART55_ARTICLE} a ?type2 }} }}"


def test_query_dataset_named_graphs_post(client: httpx.Client) -> None:
    response = client.post(
        "/sparql",
        params=[("named-graph-uri", LEVELS), ("named-graph-uri", ART55)],
        content=BOTH_NAMED.encode(),
        headers={"Content-Type": DIRECT},
    )
    assert boolean(response) is True


def test_query_dataset_named_graphs_get(client: httpx.Client) -> None:
    response = client.get(
        "/sparql",
        params=[("query", BOTH_NAMED), ("named-graph-uri", LEVELS), ("named-graph-uri", ART55)],
    )
    assert boolean(response) is True
    graphs = client.get(
        "/sparql",
        params=[
            ("query", "SELECT DISTINCT ?g { GRAPH ?g { ?s ?p ?o } }"),
            ("named-graph-uri", LEVELS),
            ("named-graph-uri", ART55),
        ],
    )
    assert {b["g"]["value"] for b in graphs.json()["results"]["bindings"]} == {LEVELS, ART55}


def test_query_dataset_full(client: httpx.Client) -> None:
    query = (
        f"ASK {{ {CBRN3} a ?type0 "
        f"GRAPH ?g1 {{ {ASL1} a ?type1 }} GRAPH ?g2 {{ {ART55_ARTICLE} a ?type2 }} }}"
    )
    response = client.post(
        "/sparql",
        params=[
            ("default-graph-uri", THRESHOLDS),
            ("named-graph-uri", LEVELS),
            ("named-graph-uri", ART55),
        ],
        content=query.encode(),
        headers={"Content-Type": DIRECT},
    )
    assert boolean(response) is True


def test_query_multiple_dataset(client: httpx.Client) -> None:
    # The protocol's dataset replaces the one the query names with FROM.
    named = [("named-graph-uri", LEVELS), ("named-graph-uri", ART55)]
    query = (
        f"ASK FROM <{THRESHOLDS}> "
        f"{{ GRAPH ?g1 {{ {ASL1} a ?t1 }} GRAPH ?g2 {{ {ART55_ARTICLE} a ?t2 }} }}"
    )
    response = client.post(
        "/sparql", params=named, content=query.encode(), headers={"Content-Type": DIRECT}
    )
    assert boolean(response) is True
    from_ignored = client.post(
        "/sparql",
        params=named,
        content=f"ASK FROM <{THRESHOLDS}> {{ {CBRN3} a ?t }}".encode(),
        headers={"Content-Type": DIRECT},
    )
    assert boolean(from_ignored) is False
    without_protocol_dataset = client.get(
        "/sparql", params={"query": f"ASK FROM <{THRESHOLDS}> {{ {CBRN3} a ?t }}"}
    )
    assert boolean(without_protocol_dataset) is True


def test_query_content_type_select(client: httpx.Client) -> None:
    response = client.post(
        "/sparql", content=b"SELECT (1 AS ?value) {}", headers={"Content-Type": DIRECT}
    )
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] in RESULT_TYPES
    assert response.json()["results"]["bindings"][0]["value"]["value"] == "1"


def test_query_content_type_ask(client: httpx.Client) -> None:
    response = client.post("/sparql", content=b"ASK {}", headers={"Content-Type": DIRECT})
    assert response.headers["content-type"].split(";")[0] in RESULT_TYPES[:2]
    assert boolean(response) is True


def test_query_content_type_describe(client: httpx.Client) -> None:
    response = client.post(
        "/sparql", content=b"DESCRIBE <http://example.org/>", headers={"Content-Type": DIRECT}
    )
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] in GRAPH_TYPES
    assert len(Graph().parse(data=response.text, format="turtle")) == 0
    described = client.post(
        "/sparql", content=f"DESCRIBE {ASL1}".encode(), headers={"Content-Type": DIRECT}
    )
    graph = Graph().parse(data=described.text, format="turtle")
    assert (URIRef(ASL1[1:-1]), None, None) in graph


def test_query_content_type_construct(client: httpx.Client, server: str) -> None:
    response = client.post(
        "/sparql", content=b"CONSTRUCT { <s> <p> 1 } WHERE {}", headers={"Content-Type": DIRECT}
    )
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/turtle; charset=utf-8"
    graph = Graph().parse(data=response.text, format="turtle")
    # relative IRIs resolve against the endpoint's URL (the protocol allows any base)
    assert set(graph) == {(URIRef(f"{server}/s"), URIRef(f"{server}/p"), Literal(1))}


def test_bad_query_method(client: httpx.Client) -> None:
    response = client.put(
        "/sparql",
        params={"query": "ASK {}", "default-graph-uri": LEVELS},
        headers={"Content-Type": FORM},
    )
    assert problem(response, 405).startswith("PUT is not allowed on /sparql")
    assert response.headers["allow"] == "GET, POST"


def test_bad_multiple_queries(client: httpx.Client) -> None:
    response = client.get("/sparql", params=[("query", "ASK {}"), ("query", "SELECT * {}")])
    assert "exactly one query" in problem(response, 400)


def test_bad_query_wrong_media_type(client: httpx.Client) -> None:
    response = client.post("/sparql", content=b"ASK {}", headers={"Content-Type": "text/plain"})
    assert "text/plain" in problem(response, 415)


def test_bad_query_missing_form_type(client: httpx.Client) -> None:
    response = client.post("/sparql", content=b"query=ASK%20%7B%7D")
    assert "no Content-Type" in problem(response, 415)


def test_bad_query_missing_direct_type(client: httpx.Client) -> None:
    response = client.post("/sparql", content=b"ASK {}")
    assert "no Content-Type" in problem(response, 415)


def test_bad_query_non_utf8(client: httpx.Client) -> None:
    response = client.post(
        "/sparql",
        content="ASK {}".encode("utf-16"),
        headers={"Content-Type": "application/sparql-query; charset=UTF-16"},
    )
    assert "UTF-8" in problem(response, 415)


def test_bad_query_syntax(client: httpx.Client) -> None:
    detail = problem(client.get("/sparql", params={"query": "ASK {"}), 400)
    assert detail.startswith("the query is not valid SPARQL: error at 1:6")


# --- W3C SPARQL 1.1 Protocol: update cases (refused: the endpoint is read-only) ------------


def test_bad_update_get(client: httpx.Client) -> None:
    assert "queries only" in problem(client.get("/sparql", params={"update": "CLEAR ALL"}), 400)


def test_bad_multiple_updates(client: httpx.Client) -> None:
    response = client.post(
        "/sparql",
        content=b"update=CLEAR%20NAMED&update=CLEAR%20DEFAULT",
        headers={"Content-Type": FORM},
    )
    assert "queries only" in problem(response, 400)


def test_bad_update_wrong_media_type(client: httpx.Client) -> None:
    response = client.post(
        "/sparql", content=b"CLEAR NAMED", headers={"Content-Type": "text/plain"}
    )
    problem(response, 415)


def test_bad_update_missing_form_type(client: httpx.Client) -> None:
    problem(client.post("/sparql", content=b"update=CLEAR%20NAMED"), 415)


def test_bad_update_non_utf8(client: httpx.Client) -> None:
    response = client.post(
        "/sparql",
        content="CLEAR NAMED".encode("utf-16"),
        headers={"Content-Type": "application/sparql-update; charset=UTF-16"},
    )
    problem(response, 415)


def test_bad_update_syntax(client: httpx.Client) -> None:
    response = client.post("/sparql", content=b"update=CLEAR%20XYZ", headers={"Content-Type": FORM})
    problem(response, 400)


def test_bad_update_dataset_conflict(client: httpx.Client) -> None:
    update = (
        "PREFIX foaf: <http://xmlns.com/foaf/0.1/> WITH <http://example/addresses> "
        "DELETE { ?person foaf:givenName 'Bill' } INSERT { ?person foaf:givenName 'William' } "
        "WHERE { ?person foaf:givenName 'Bill' }"
    )
    response = client.post(
        "/sparql",
        params={"using-named-graph-uri": "http://example/people"},
        content=update.encode(),
        headers={"Content-Type": "application/sparql-update"},
    )
    problem(response, 415)


W3C_UPDATES = {
    "update_dataset_default_graph": (
        {"using-graph-uri": LEVELS},
        "CLEAR ALL ; INSERT DATA { GRAPH <http://example.org/g> { <http://a> <http://b> 1 } }",
    ),
    "update_dataset_default_graphs": (
        {"using-graph-uri": LEVELS},
        "DROP ALL ; INSERT { GRAPH <http://example.org/g> { ?s a ?t } } WHERE { ?s a ?t }",
    ),
    "update_dataset_named_graphs": (
        {"using-named-graph-uri": LEVELS},
        "DROP ALL ; INSERT { GRAPH <http://example.org/g> { ?s a ?t } } "
        "WHERE { GRAPH ?g { ?s a ?t } }",
    ),
    "update_dataset_full": (
        {"using-graph-uri": LEVELS, "using-named-graph-uri": ART55},
        "DROP ALL ; INSERT DATA { GRAPH <http://example.org/g> { <http://a> <http://b> 1 } }",
    ),
    "update_post_direct": ({}, "CLEAR ALL"),
    "update_base_uri": (
        {},
        "CLEAR GRAPH <http://example.org/protocol-base-test/> ; INSERT DATA { GRAPH "
        "<http://example.org/protocol-base-test/> { <http://example.org/s> "
        "<http://example.org/p> <test> } }",
    ),
}


@pytest.mark.parametrize("case", sorted(W3C_UPDATES))
def test_update_cases_are_refused_and_change_nothing(client: httpx.Client, case: str) -> None:
    params, update = W3C_UPDATES[case]
    before = triple_count(client)
    response = client.post(
        "/sparql",
        params=params,
        content=update.encode(),
        headers={"Content-Type": "application/sparql-update"},
    )
    assert "queries only" in problem(response, 415)
    assert triple_count(client) == before


def test_update_post_form(client: httpx.Client) -> None:
    before = triple_count(client)
    response = client.post("/sparql", content=b"update=CLEAR+ALL", headers={"Content-Type": FORM})
    assert "queries only" in problem(response, 400)
    assert triple_count(client) == before


# --- Clients used unmodified --------------------------------------------------------------

LEVEL_RANKS = (
    "PREFIX asl: <https://w3id.org/aslgraph/ontology#> "
    "SELECT ?level ?rank WHERE { ?level asl:levelRank ?rank } ORDER BY ?rank"
)


def _wrapper(server: str, query: str, fmt: str, method: str = "GET") -> SPARQLWrapper:
    wrapper = SPARQLWrapper(f"{server}/sparql")
    wrapper.setQuery(query)
    wrapper.setReturnFormat(fmt)
    wrapper.setMethod(method)
    return wrapper


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_sparqlwrapper_json(server: str, method: str) -> None:
    result = _wrapper(server, LEVEL_RANKS, JSON, method).queryAndConvert()
    assert isinstance(result, dict)
    ranks = [int(b["rank"]["value"]) for b in result["results"]["bindings"]]
    assert ranks == [1, 2, 3, 4]


def test_sparqlwrapper_xml(server: str) -> None:
    document = _wrapper(server, LEVEL_RANKS, XML).queryAndConvert()
    literals = document.getElementsByTagName("literal")  # type: ignore[union-attr]
    assert [node.firstChild.data for node in literals] == ["1", "2", "3", "4"]


def test_sparqlwrapper_csv(server: str) -> None:
    data = _wrapper(server, LEVEL_RANKS, CSV).queryAndConvert()
    assert isinstance(data, bytes)
    lines = data.decode().splitlines()
    assert lines[0] == "level,rank"
    assert lines[1] == "https://w3id.org/aslgraph/id/rsp/ASL-1,1"


# SPARQLWrapper parses RDF/XML into a ConjunctiveGraph
@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
def test_sparqlwrapper_construct(server: str) -> None:
    query = f"CONSTRUCT {{ {ASL1} ?p ?o }} WHERE {{ {ASL1} ?p ?o }}"
    turtle = _wrapper(server, query, TURTLE).queryAndConvert()
    assert isinstance(turtle, bytes)
    graph = Graph().parse(data=turtle, format="turtle")
    rdfxml = _wrapper(server, query, XML).queryAndConvert()  # RDF/XML, parsed by SPARQLWrapper
    assert isinstance(rdfxml, Graph)
    assert len(graph) > 5
    assert isomorphic(graph, rdfxml)


def test_sparqlwrapper_ask(server: str) -> None:
    result = _wrapper(server, f"ASK {{ {ASL1} ?p ?o }}", JSON).queryAndConvert()
    assert result == {"head": {}, "boolean": True}


def test_rdflib_sparqlstore(client: httpx.Client, server: str) -> None:
    store = SPARQLStore(query_endpoint=f"{server}/sparql")
    graph = Graph(store=store)
    rows = list(graph.query(LEVEL_RANKS))
    assert [int(row.rank) for row in rows] == [1, 2, 3, 4]  # type: ignore[union-attr]
    ask = graph.query(f"ASK {{ {ASL1} ?p ?o }}")
    assert ask.askAnswer is True
    constructed = graph.query(f"CONSTRUCT {{ {ASL1} ?p ?o }} WHERE {{ {ASL1} ?p ?o }}")
    assert constructed.graph is not None and len(constructed.graph) > 5
    assert len(graph) == triple_count(client)
    levels = Graph(store=store, identifier=URIRef(LEVELS))  # sent as default-graph-uri
    level_count = client.get(
        "/sparql",
        params={"query": "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }", "default-graph-uri": LEVELS},
    ).json()["results"]["bindings"][0]["n"]["value"]
    assert len(levels) == int(level_count) > 10
    assert (URIRef(ASL1[1:-1]), RDF.type, None) in levels


# --- Content negotiation ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("accept", "content_type", "start"),
    [
        (None, RESULTS_JSON, b'{"head"'),
        ("*/*", RESULTS_JSON, b'{"head"'),
        ("application/json", "application/json", b'{"head"'),
        ("application/sparql-results+xml", "application/sparql-results+xml", b"<?xml"),
        ("text/csv", "text/csv; charset=utf-8", b"level,rank\r\n"),
        (
            "text/tab-separated-values",
            "text/tab-separated-values; charset=utf-8",
            b"?level\t?rank\n",
        ),
        (
            "text/csv;q=0.5, application/sparql-results+xml;q=0.9",
            "application/sparql-results+xml",
            b"<?xml",
        ),
        ("text/*", "text/csv; charset=utf-8", b"level,rank"),
    ],
)
def test_select_negotiation(
    client: httpx.Client, accept: str | None, content_type: str, start: bytes
) -> None:
    headers = {"Accept": accept} if accept else {}
    response = client.get("/sparql", params={"query": LEVEL_RANKS}, headers=headers)
    assert response.status_code == 200
    assert response.headers["content-type"] == content_type
    assert response.headers["vary"] == "Accept"
    assert response.content.startswith(start)


@pytest.mark.parametrize(
    ("accept", "rdflib_format"),
    [
        (None, "turtle"),
        ("text/turtle", "turtle"),
        ("application/n-triples", "nt"),
        ("text/plain", "nt"),
        ("application/ld+json", "json-ld"),
        ("application/rdf+xml", "xml"),
    ],
)
@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
def test_construct_negotiation(
    client: httpx.Client, kg: OxigraphStore, accept: str | None, rdflib_format: str
) -> None:
    """Every syntax carries the graph the store itself constructs (isomorphic, blank nodes and
    all)."""
    query = (
        f"CONSTRUCT {{ {ASL1} ?p ?o . ?o ?q [ ?q ?o ] }} "
        f"WHERE {{ {ASL1} ?p ?o OPTIONAL {{ ?o ?q ?r }} }}"
    )
    headers = {"Accept": accept} if accept else {}
    response = client.get("/sparql", params={"query": query}, headers=headers)
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == (accept or "text/turtle")
    graph = Graph().parse(data=response.content, format=rdflib_format)
    result = kg.query(query)
    assert isinstance(result, ox.QueryTriples)
    expected = Graph().parse(data=result.serialize(format=ox.RdfFormat.N_TRIPLES), format="nt")
    assert len(expected) > 5
    assert any(isinstance(o, BNode) for o in expected.objects())
    assert isomorphic(graph, expected)


@pytest.mark.parametrize(
    ("accept", "fmt"),
    [("application/n-quads", ox.RdfFormat.N_QUADS), ("application/trig", ox.RdfFormat.TRIG)],
)
def test_construct_in_a_quad_syntax_is_the_default_graph(
    client: httpx.Client, kg: OxigraphStore, accept: str, fmt: ox.RdfFormat
) -> None:
    """A CONSTRUCT answer is one graph: as N-Quads or TriG it is the default graph's triples,
    the same graph the store constructs."""
    query = f"CONSTRUCT {{ {ASL1} ?p ?o . ?o ?q [ ?q ?o ] }} WHERE {{ {ASL1} ?p ?o }}"
    response = client.get("/sparql", params={"query": query}, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"] == accept
    quads = list(ox.parse(response.content, format=fmt))
    assert {quad.graph_name for quad in quads} == {ox.DefaultGraph()}
    got = Graph().parse(
        data=ox.serialize([q.triple for q in quads], format=ox.RdfFormat.N_TRIPLES), format="nt"
    )
    result = kg.query(query)
    assert isinstance(result, ox.QueryTriples)
    expected = Graph().parse(data=result.serialize(format=ox.RdfFormat.N_TRIPLES), format="nt")
    assert len(expected) > 5
    assert isomorphic(got, expected)


def test_not_acceptable_names_what_is_available(client: httpx.Client) -> None:
    response = client.get("/sparql", params={"query": LEVEL_RANKS}, headers={"Accept": "image/png"})
    detail = problem(response, 406)
    assert "SELECT query" in detail
    assert response.json()["available"] == [*RESULT_TYPES, "application/json"]
    graph = client.get(
        "/sparql", params={"query": "CONSTRUCT WHERE { ?s ?p ?o }"}, headers={"Accept": "text/csv"}
    )
    assert "text/turtle" in problem(graph, 406)


# --- Service description and query page ------------------------------------------------------


def test_service_description_lists_the_graphs(client: httpx.Client, server: str) -> None:
    response = client.get("/sparql")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/turtle; charset=utf-8"
    graph = Graph().parse(data=response.text, format="turtle")
    (service,) = graph.subjects(RDF.type, SD.Service)
    assert graph.value(service, SD.endpoint) == URIRef(f"{server}/sparql")
    assert graph.value(service, SD.supportedLanguage) == SD.SPARQL11Query
    assert len(set(graph.objects(service, SD.resultFormat))) == 10  # N-Quads, TriG too
    dataset = graph.value(service, SD.defaultDataset)
    names = {str(graph.value(n, SD.name)) for n in graph.objects(dataset, SD.namedGraph)}
    assert {LEVELS, ART55, THRESHOLDS} <= names
    assert len(names) == client.get("/health").json()["files"]


@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
def test_service_description_in_json_ld(client: httpx.Client) -> None:
    response = client.get("/sparql", headers={"Accept": "application/ld+json"})
    assert response.headers["content-type"] == "application/ld+json"
    graph = Graph().parse(data=response.content, format="json-ld")
    assert len(list(graph.subjects(RDF.type, SD.Service))) == 1


def test_no_query_and_no_description_type_is_a_missing_query(client: httpx.Client) -> None:
    response = client.get("/sparql", headers={"Accept": RESULTS_JSON})
    assert "no query" in problem(response, 400)


BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def test_browsers_get_the_query_page(client: httpx.Client) -> None:
    response = client.get("/sparql", headers={"Accept": BROWSER})
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert "default-src 'none'" in response.headers["content-security-policy"]
    page = response.text
    assert "<textarea" in page
    assert "The AI Safety Levels, with their ranks" in page
    for asset, content_type in (("sparql.js", "text/javascript"), ("sparql.css", "text/css")):
        assert f'"sparql/static/{asset}"' in page
        served = client.get(f"/sparql/static/{asset}")
        assert served.status_code == 200
        assert served.headers["content-type"].startswith(content_type)
    problem(client.get("/sparql/static/../../config.py"), 404)
    problem(client.get("/sparql/static/nothing.js"), 404)


def test_the_page_examples_answer_as_the_page_asks(client: httpx.Client) -> None:
    page = client.get("/sparql", headers={"Accept": BROWSER}).text
    start = page.index('id="example-data">') + len('id="example-data">')
    examples = json.loads(page[start : page.index("</script>", start)])
    assert len(examples) >= 4
    for example in examples:
        response = client.post(
            "/sparql",
            data={"query": example["text"]},
            headers={"Accept": "application/sparql-results+json, text/turtle;q=0.9"},
        )
        assert response.status_code == 200, (example["name"], response.text)
        if response.headers["content-type"] == RESULTS_JSON:
            assert response.json()["results"]["bindings"], example["name"]
        else:
            assert len(Graph().parse(data=response.text, format="turtle")) > 0


def test_openapi_documents_the_endpoint(client: httpx.Client) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    names = {p["name"] for p in paths["/sparql"]["get"]["parameters"]}
    assert names == {"query", "default-graph-uri", "named-graph-uri"}
    assert set(paths["/sparql"]["post"]["requestBody"]["content"]) == {FORM, DIRECT}


# --- Safe by default -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "kwargs"),
    [
        ("GET", {"params": {"query": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"}}),
        ("POST", {"data": {"query": "DELETE WHERE { ?s ?p ?o }"}}),
        ("POST", {"content": b"DROP ALL", "headers": {"Content-Type": DIRECT}}),
        (
            "POST",
            {"content": b"LOAD <http://example.org/x.ttl>", "headers": {"Content-Type": DIRECT}},
        ),
    ],
    ids=["get-insert", "form-delete", "direct-drop", "direct-load"],
)
def test_updates_sent_as_queries_change_nothing(
    client: httpx.Client, method: str, kwargs: dict[str, object]
) -> None:
    before = triple_count(client)
    health_before = client.get("/health").json()["triples"]
    response = client.request(method, "/sparql", **kwargs)  # type: ignore[arg-type]
    assert "queries only" in problem(response, 400)
    assert triple_count(client) == before
    assert client.get("/health").json()["triples"] == health_before


def test_service_is_refused_and_nothing_is_fetched(
    client: httpx.Client, listener: tuple[str, list[str]]
) -> None:
    url, paths = listener
    for query in (
        f"SELECT * {{ SERVICE <{url}/sparql> {{ ?s ?p ?o }} }}",
        f"SELECT * {{ ?x ?y ?z . SERVICE SILENT <{url}/sparql> {{ ?s ?p ?o }} }}",
        f"PREFIX remote: <{url}/> SELECT * {{ SERVICE remote:sparql {{ ?s ?p ?o }} }}",
    ):
        assert "SERVICE is not allowed" in problem(
            client.get("/sparql", params={"query": query}), 400
        )
    for query in (
        f"SELECT * FROM <{url}/data.ttl> {{ ?s ?p ?o }}",  # noqa: S608 - SPARQL, not SQL
        f"SELECT * FROM NAMED <{url}/data.ttl> {{ GRAPH ?g {{ ?s ?p ?o }} }}",  # noqa: S608
        "SELECT * FROM <file:///etc/passwd> { ?s ?p ?o }",
    ):
        assert "holds no graph" in problem(client.get("/sparql", params={"query": query}), 400)
    response = client.get(
        "/sparql", params={"query": "ASK {}", "default-graph-uri": f"{url}/data.ttl"}
    )
    assert "holds no graph" in problem(response, 400)
    assert paths == []


def test_service_in_strings_and_iris_is_just_text(client: httpx.Client) -> None:
    query = (
        'SELECT ?x WHERE { VALUES ?x { "SERVICE <http://example.org/> { }" '
        "<http://example.org/service> } }"
    )
    response = client.get("/sparql", params={"query": query})
    assert response.status_code == 200
    assert len(response.json()["results"]["bindings"]) == 2


def test_from_a_held_graph_is_answered_locally(client: httpx.Client) -> None:
    query = f"SELECT (COUNT(*) AS ?n) FROM <{LEVELS}> WHERE {{ ?s ?p ?o }}"  # noqa: S608
    response = client.get("/sparql", params={"query": query})
    assert response.status_code == 200
    count = int(response.json()["results"]["bindings"][0]["n"]["value"])
    assert 10 < count < triple_count(client)


def test_deep_nesting_is_refused_and_the_server_keeps_answering(client: httpx.Client) -> None:
    deep = "SELECT * WHERE " + "{" * 5000 + "}" * 5000  # pyoxigraph dies at about 3,000
    response = client.post("/sparql", content=deep.encode(), headers={"Content-Type": DIRECT})
    assert "5000 deep; the limit is 64" in problem(response, 400)
    assert client.get("/health").status_code == 200
    assert boolean(client.get("/sparql", params={"query": f"ASK {{ {ASL1} ?p ?o }}"}))


def test_a_query_that_kills_the_engine_is_refused_and_the_server_keeps_answering(
    client: httpx.Client,
) -> None:
    crash = "ASK { FILTER(" + "!" * 50_000 + "true) }"  # shallow, yet it kills pyoxigraph
    response = client.post("/sparql", content=crash.encode(), headers={"Content-Type": DIRECT})
    assert "engine stopped" in problem(response, 400)
    for _ in range(3):
        assert boolean(
            client.get("/sparql", params={"query": f"ASK {{ {ASL1} ?p ?o }} # {uuid.uuid4()}"})
        )


JUNK: list[tuple[str, dict[str, object], int]] = [
    ("GET", {"params": {"query": ""}}, 400),
    ("GET", {"params": {"query": "# only a comment"}}, 400),
    ("GET", {"params": {"query": "\x00\x01\x02\x7f"}}, 400),
    ("GET", {"params": {"query": "SELECT ??? {{{ ]]] ((("}}, 400),
    ("GET", {"params": {"query": "SELECT * { ?s ?p '''never ends"}}, 400),
    ("GET", {"params": {"query": "ASK {}", "default-graph-uri": "not an iri"}}, 400),
    ("GET", {"params": {"query": "ASK {}", "named-graph-uri": ""}}, 400),
    ("GET", {"params": {"query": "ASK {}"}, "headers": {"Accept": "???, ;q=x"}}, 200),
    ("GET", {"params": {"query": "ASK {}"}, "headers": {"Accept": "text/turtle"}}, 406),
    ("GET", {"params": {"query": "ASK {" + " " * 60_000 + "}"}}, 200),
    ("POST", {"content": b"\xff\xfe\x00\x01garbage", "headers": {"Content-Type": DIRECT}}, 400),
    (
        "POST",
        {"content": b"ASK { ?s ?p ?o } \x00", "headers": {"Content-Type": DIRECT}},
        400,
    ),
    ("POST", {"content": b"query=%E0%A4%A", "headers": {"Content-Type": FORM}}, 400),
    ("POST", {"content": b"query=ASK%20%7B%7D&query=", "headers": {"Content-Type": FORM}}, 400),
    ("POST", {"content": b"", "headers": {"Content-Type": DIRECT}}, 400),
    ("POST", {"content": b"", "headers": {"Content-Type": FORM}}, 400),
    ("POST", {"content": b"ASK {}", "headers": {"Content-Type": "application/octet-stream"}}, 415),
    ("POST", {"content": b"ASK {}", "headers": {"Content-Type": "garbage"}}, 415),
    ("POST", {"content": b"ASK {}", "headers": {"Content-Type": "multipart/form-data"}}, 415),
    ("POST", {"content": b"x" * (1_048_576 + 1), "headers": {"Content-Type": DIRECT}}, 413),
    (
        "POST",
        {
            "content": ("SELECT * { <http://example.org/" + "a" * 500_000 + "> ?p ?o }").encode(),
            "headers": {"Content-Type": DIRECT},
        },
        200,
    ),
    (
        "POST",
        {
            "content": ("SELECT " + "?v " * 100_000 + "{}").encode(),
            "headers": {"Content-Type": DIRECT},
        },
        400,  # the same variable twice
    ),
    (
        "POST",
        {
            # 5,000 take 0.1 s, 50,000 take 6 s: two orders of magnitude inside the budget, so
            # the answer does not depend on the machine's speed
            "content": ("SELECT " + " ".join(f"?v{i}" for i in range(5_000)) + " {}").encode(),
            "headers": {"Content-Type": DIRECT},
        },
        200,
    ),
    ("DELETE", {"params": {"query": "ASK {}"}}, 405),
    ("PATCH", {"content": b"ASK {}"}, 405),
]


JUNK_IDS = [
    "empty-query",
    "comment-only",
    "control-characters",
    "brace-soup",
    "unterminated-long-string",
    "default-graph-not-an-iri",
    "empty-named-graph",
    "garbage-accept",
    "ask-as-turtle",
    "long-get",
    "binary-body",
    "nul-in-query",
    "broken-percent-encoding",
    "two-queries-in-a-form",
    "empty-direct-body",
    "empty-form",
    "octet-stream",
    "garbage-content-type",
    "multipart",
    "body-over-the-cap",
    "half-megabyte-iri",
    "duplicate-variables",
    "five-thousand-variables",
    "delete-method",
    "patch-method",
]


@pytest.mark.parametrize(("method", "kwargs", "status"), JUNK, ids=JUNK_IDS)
def test_junk_never_yields_a_server_error(
    client: httpx.Client, method: str, kwargs: dict[str, object], status: int
) -> None:
    response = client.request(method, "/sparql", **kwargs)  # type: ignore[arg-type]
    assert response.status_code == status, response.text[:500]
    if status >= 400:
        problem(response, status)
    assert client.get("/health").status_code == 200


# --- Time budget and caps (a second server: 1 s, 100 rows, 20,000 bytes, 50,000-byte requests) --


def _children(pid: int) -> set[int]:
    """The SPARQL worker processes of the server ``pid`` (not its validation workers)."""
    return worker_pids(pid, "aslgraph.sparql.worker")


def test_a_slow_query_is_stopped_while_others_are_served(limited: RunningServer) -> None:
    # the workers start in the background; a query waits for them
    assert boolean(
        httpx.get(f"{limited.url}/sparql", params={"query": f"ASK {{}} # {uuid.uuid4()}"})
    )
    workers_before = _children(limited.pid)
    assert len(workers_before) == 2

    def slow() -> httpx.Response:
        return httpx.get(f"{limited.url}/sparql", params={"query": SLOW}, timeout=30)

    with httpx.Client(base_url=limited.url, timeout=30) as client:
        with concurrent.futures.ThreadPoolExecutor(1) as pool:
            running = pool.submit(slow)
            time.sleep(0.2)  # the slow query now holds one worker
            answered = 0
            while not running.done():
                query = f"ASK {{ {ASL1} ?p ?o }} # {uuid.uuid4()}"  # never cached
                assert boolean(client.get("/sparql", params={"query": query}))
                answered += 1
            response = running.result()
        # SLOW counts 10^12 rows: only the budget ends it
        assert "longer than 1 s and was stopped" in problem(response, 503)
        assert answered >= 1  # others were answered while it ran

        # the slow query's worker was killed (its work really stopped) and replaced
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            workers_after = _children(limited.pid)
            if len(workers_after) == 2 and workers_after != workers_before:
                break
            time.sleep(0.05)
        assert len(workers_after & workers_before) == 1
        assert boolean(client.get("/sparql", params={"query": f"ASK {{}} # {uuid.uuid4()}"}))


def test_cached_answers_are_served_while_every_worker_is_busy(limited: RunningServer) -> None:
    with httpx.Client(base_url=limited.url, timeout=30) as client:
        cached = client.get("/sparql", params={"query": LEVEL_RANKS})
        assert cached.status_code == 200
        with concurrent.futures.ThreadPoolExecutor(2) as pool:
            slow = [
                pool.submit(
                    httpx.get,
                    f"{limited.url}/sparql",
                    params={"query": f"{SLOW} # {i}"},
                    timeout=30,
                )
                for i in range(2)
            ]
            time.sleep(0.3)  # both workers are busy now
            again = client.get("/sparql", params={"query": LEVEL_RANKS})
            assert not any(f.done() for f in slow)  # answered while both still ran
            assert again.content == cached.content
            for future in slow:
                problem(future.result(), 503)
        assert boolean(client.get("/sparql", params={"query": f"ASK {{}} # {uuid.uuid4()}"}))


def test_result_caps(limited: RunningServer) -> None:
    with httpx.Client(base_url=limited.url, timeout=30) as client:
        rows = client.get("/sparql", params={"query": "SELECT * { ?s ?p ?o }"})
        assert "more than 100 rows" in problem(rows, 400)
        assert "LIMIT" in rows.json()["detail"]
        triples = client.get("/sparql", params={"query": "CONSTRUCT WHERE { ?s ?p ?o }"})
        assert "more than 100 rows or triples" in problem(triples, 400)
        big = client.get(
            "/sparql",
            params={
                "query": "SELECT (GROUP_CONCAT(?o) AS ?all) "
                "{ ?s <https://w3id.org/aslgraph/ontology#paraphrase> ?o }"
            },
        )
        assert "larger than 20000 bytes" in problem(big, 400)
        fits = client.get("/sparql", params={"query": "SELECT ?p { ?s ?p ?o } LIMIT 100"})
        assert len(fits.json()["results"]["bindings"]) == 100


def test_a_query_too_long_for_a_url_is_refused(limited: RunningServer) -> None:
    query = "ASK {" + " " * 60_000 + "}"  # the limited server reads at most 50,000 bytes
    response = httpx.get(f"{limited.url}/sparql", params={"query": query})
    assert "send it with POST" in problem(response, 414)
    posted = httpx.post(
        f"{limited.url}/sparql", content=query.encode(), headers={"Content-Type": DIRECT}
    )
    problem(posted, 413)
