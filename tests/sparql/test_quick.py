"""The quick class (``sparql/quick.py``, decision 0020): which queries are answered in the server
process, that their bound holds over the store, and that they are answered exactly as a worker
answers them."""

from __future__ import annotations

import asyncio
import json
import random
import re
import string
from collections import Counter

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient

from aslgraph.config import Settings
from aslgraph.sparql import guard, quick
from aslgraph.sparql.engine import SparqlEngine
from aslgraph.sparql.protocol import Dataset
from aslgraph.store import OxigraphStore

ASL = "https://w3id.org/aslgraph/ontology#"
ID = "https://w3id.org/aslgraph/id/"
P = f"PREFIX asl: <{ASL}> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"


LOOKUP = P + (
    "SELECT ?m ?o ?r WHERE {{ ?m asl:mappingSubject <{}> ; asl:mappingObject ?o ;"
    " asl:relation ?r }}"
)


def _star(query: str) -> quick.Star | None:
    _analysis, tokens = guard.scan(query)
    return quick.read(tokens, len(query))


QUICK_SHAPES = [
    P + f"SELECT ?m ?o ?r WHERE {{ ?m asl:mappingSubject <{ID}rsp/ASL3-SS> ; asl:mappingObject ?o ;"
    " asl:relation ?r }",
    P + f"select distinct ?p where {{ <{ID}eu-ai-act/art55> ?p ?o }} limit 5 offset 1",
    P + f"SELECT * {{ <{ID}eu-ai-act/art55> ?p ?o . }}",
    P + "ASK { ?s a asl:Mapping }",
    P + "ASK WHERE { ?s a asl:Mapping ; rdfs:label 'x'@en , \"y\"^^<http://x/t> , 12 , true }",
    P + "SELECT $s { ?s a asl:Instrument ;; rdfs:label ?l }",
    f"DESCRIBE <{ID}eu-ai-act/art55> <{ID}rsp/ASL3-SS>",
    P + "DESCRIBE asl:Provision",
    "PREFIX : <https://w3id.org/aslgraph/ontology#> SELECT * { ?s a :Mapping } # a comment",
]
"""Queries the reader takes (whether their bound is small is another matter)."""

NOT_QUICK = [
    P + "SELECT * { ?s a asl:Mapping FILTER(true) }",
    P + "SELECT * { ?s a asl:Mapping OPTIONAL { ?s rdfs:label ?l } }",
    P + "SELECT * { { ?s a asl:Mapping } }",
    P + "SELECT * { ?s a asl:Mapping } ORDER BY ?s",
    P + "SELECT * { ?s asl:partOf+ ?o }",
    P + "SELECT * { ?s asl:p/asl:q ?o }",
    P + "SELECT * { ?s ^asl:p ?o }",
    P + "SELECT * { _:b asl:p ?o }",
    P + "SELECT * { ?s asl:p [] }",
    P + "SELECT * { ?s asl:p ?o . ?o asl:q ?x }",  # a chain, not a star
    P + "SELECT * { ?s asl:p ?o . <http://x/y> asl:q ?x }",
    P + "SELECT * { <relative> asl:p ?o }",  # resolved against the base
    P + "SELECT * { <http://x/\\u0041> asl:p ?o }",  # an escape in an IRI
    P + "SELECT * { ?s a asl:Mapping. }",  # the tokenizer keeps the dot in the name
    P + "SELECT * { ?s a nope:Mapping }",  # an undeclared prefix
    P + "SELECT * { ?s A asl:Mapping }",  # only a lowercase 'a' is rdf:type
    P + "SELECT (COUNT(*) AS ?n) { ?s a asl:Mapping }",
    P + "SELECT * FROM <https://w3id.org/aslgraph/graph/data/rsp/levels.ttl> { ?s ?p ?o }",  # noqa: S608
    P + "SELECT * { GRAPH ?g { ?s ?p ?o } }",
    P + "SELECT * { VALUES ?s { asl:x } ?s ?p ?o }",
    P + "SELECT * { BIND(1 AS ?x) ?s ?p ?o }",
    P + "SELECT * { ?s ?p ?o } LIMIT 1 LIMIT 2",
    P + "SELECT * { ?s ?p ?o } LIMIT x",
    P + "SELECT * { SELECT * { ?s ?p ?o } }",
    P + "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }",
    P + "SELECT * { ?s " + " ; ".join(f"asl:p{i} ?o{i}" for i in range(9)) + " }",
    "BASE <http://x/> SELECT * { ?s ?p ?o }",
    "PREFIX asl: <relative#> SELECT * { ?s a asl:Mapping }",
    "DESCRIBE ?s WHERE { ?s a <http://x/y> }",
    "DESCRIBE <http://[::1>",  # IRIs pyoxigraph does not take: its parser says why
    "DESCRIBE <http://[zz]/x>",
    "SELECT * { <http://x/%zz> ?p ?o }",
    "PREFIX x: <http://[::1> SELECT * { x:a ?p ?o }",
    "DESCRIBE",
    "SELECT * { ?s ?p ?o",
    "INSERT DATA { <http://x/a> <http://x/b> <http://x/c> }",
    "",
    P + "SELECT * { ?s a asl:Mapping }" + " " * quick.MAX_TEXT,
]


@pytest.mark.parametrize("query", QUICK_SHAPES)
def test_the_reader_takes_short_stars_and_describes(query: str) -> None:
    assert _star(query) is not None


@pytest.mark.parametrize("query", NOT_QUICK)
def test_the_reader_takes_nothing_else(query: str) -> None:
    assert _star(query) is None


def test_prefixed_names_and_a_are_read_as_the_parser_reads_them() -> None:
    star = _star(P + f"SELECT * {{ <{ID}x> a asl:Mapping ; rdfs:label ?l ; asl:a.b ?c }}")
    assert star is not None
    assert star.subject == quick.Iri(f"{ID}x")
    assert star.arms[0] == (
        quick.Iri("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
        quick.Iri(ASL + "Mapping"),
    )
    assert star.arms[2] == (quick.Iri(ASL + "a.b"), quick.Var("c"))


def test_the_statistics_are_the_stores(kg: OxigraphStore) -> None:
    stats = quick.Statistics.of(kg.raw)
    quads = list(kg.raw.quads_for_pattern(None, None, None, None))
    assert stats.quads == len(quads)
    count = Counter(q.predicate.value for q in quads)
    assert stats.count == dict(count)
    pairs = Counter((q.subject, q.predicate.value) for q in quads)
    for predicate in count:
        assert stats.fan_out[predicate] == max(n for (_, p), n in pairs.items() if p == predicate)
    assert stats.widest == max(Counter(q.subject for q in quads).values())
    assert stats.copies == max(Counter((q.subject, q.predicate, q.object) for q in quads).values())


def _rows(store: ox.Store, query: str) -> int:
    result = store.query(query, use_default_graph_as_union=True)
    if isinstance(result, ox.QueryBoolean):
        return 1
    return len(list(result))


def test_what_is_bounded_stays_within_the_bound_over_the_store(kg: OxigraphStore) -> None:
    """Every lookup of every mapping subject, every DESCRIBE of a provision and every star of
    two arms over the store's predicates: when judged bounded, its answer is within the row
    bound; and the unselective ones are judged unbounded."""
    stats = quick.Statistics.of(kg.raw)
    store = kg.raw
    subjects = sorted(
        {
            q.object.value
            for q in store.quads_for_pattern(None, ox.NamedNode(ASL + "mappingSubject"), None)
        }
    )
    predicates = sorted(stats.count)
    queries = [
        P + f"SELECT * {{ ?m asl:mappingSubject <{s}> ; asl:mappingObject ?o ; asl:relation ?r }}"
        for s in subjects
    ]
    queries += [f"DESCRIBE <{s}>" for s in subjects]
    queries += [
        f"SELECT * {{ ?s <{p}> ?o ; <{q}> ?x }}" for p in predicates for q in predicates[:6]
    ]
    judged = 0
    for query in queries:
        star = _star(query)
        assert star is not None, query
        if quick.most_rows(star, store, stats) is not None:
            judged += 1
            assert _rows(store, query) <= quick.MAX_ROWS, query
    assert judged > len(subjects)  # the lookups are all quick
    for unselective in ("SELECT * { ?s ?p ?o }", "SELECT * { ?s ?p ?o ; ?q ?r }"):
        star = _star(unselective)
        assert star is not None and quick.most_rows(star, store, stats) is None


def test_a_big_star_or_description_is_not_bounded() -> None:
    store = ox.Store()
    hub = ox.NamedNode("http://x/hub")
    wide = ox.NamedNode("http://x/wide")
    for i in range(quick.MAX_ROWS + 1):
        store.add(ox.Quad(hub, ox.NamedNode("http://x/p"), ox.Literal(str(i))))
    bnode = ox.BlankNode()
    store.add(ox.Quad(wide, ox.NamedNode("http://x/q"), bnode))
    for i in range(quick.MAX_ROWS):
        store.add(ox.Quad(bnode, ox.NamedNode("http://x/r"), ox.Literal(str(i))))
    stats = quick.Statistics.of(store)
    for query, expected in (
        ("SELECT * { <http://x/hub> ?p ?o }", False),
        ("SELECT * { <http://x/wide> ?p ?o }", True),
        ("DESCRIBE <http://x/wide>", False),  # through the blank node: past the bound
        ("SELECT * { ?s <http://x/q> ?o }", True),
        ("SELECT * { ?s <http://x/p> ?o }", False),  # 2,001 rows
        # no subject has both, but the bound reads fan-outs (2,001 x 1), not the join
        ("SELECT * { ?s <http://x/p> ?o ; <http://x/q> ?z }", False),
        ("SELECT * { ?s <http://x/q> ?o ; <http://x/r> ?z }", True),  # 1 x 2,000
        ("SELECT * { ?s <http://x/p> ?o ; <http://x/p> ?z }", False),  # 2,001 x 2,001
    ):
        star = _star(query)
        assert star is not None
        assert (quick.most_rows(star, store, stats) is not None) is expected, query


# ---------------------------------------------------------------- the engine


ACCEPTS = [None, "application/sparql-results+xml", "text/csv", "text/tab-separated-values"]
GRAPH_ACCEPTS = [None, "application/n-triples", "application/ld+json", "application/rdf+xml"]


def _answers(
    kg: OxigraphStore, here: bool, requests: list[tuple[str, str | None, Dataset | None]]
) -> tuple[list[bytes | str], int]:
    async def main() -> tuple[list[bytes | str], int]:
        engine = SparqlEngine(Settings(query_workers=1, quick_queries_here=here), kg)
        await engine.start()
        found: list[bytes | str] = []
        try:
            for query, accept, dataset in requests:
                try:
                    answer = await engine.answer(query, accept=accept, dataset=dataset)
                    found.append(answer.content_type.encode() + b"\n" + answer.body)
                except Exception as exc:  # the error, as the client would see its message
                    found.append(f"{type(exc).__name__}: {exc}")
            return found, engine.stats.here
        finally:
            await engine.stop()

    return asyncio.run(main())


_GRAPHS = {
    b"text/turtle; charset=utf-8": ox.RdfFormat.TURTLE,
    b"application/n-triples": ox.RdfFormat.N_TRIPLES,
    b"application/ld+json": ox.RdfFormat.JSON_LD,
    b"application/rdf+xml": ox.RdfFormat.RDF_XML,
}


def _same(one: bytes | str, other: bytes | str) -> bool:
    """The same answer, byte for byte: the server's store and a worker's are filled from the
    same N-Quads in the same order, so rows and triples come in the same order. Only blank
    node labels may differ (each store names its own): an answer that has any is compared as
    a graph."""
    if one == other:
        return True
    if isinstance(one, str) or isinstance(other, str):
        return False
    kind, _, body = one.partition(b"\n")
    other_kind, _, other_body = other.partition(b"\n")
    if kind != other_kind or kind not in _GRAPHS or not _BLANK.search(body):
        return False
    from rdflib import Graph
    from rdflib.compare import isomorphic

    def graph(data: bytes) -> Graph:
        parsed = ox.parse(data, format=_GRAPHS[kind])
        triples = ox.serialize(parsed, format=ox.RdfFormat.N_TRIPLES)
        return Graph().parse(data=triples or b"", format="nt")

    return isomorphic(graph(body), graph(other_body))


_BLANK = re.compile(rb"_:|nodeID")


def test_quick_queries_are_answered_here_as_a_worker_answers_them(kg: OxigraphStore) -> None:
    subjects = sorted(
        {
            q.object.value
            for q in kg.raw.quads_for_pattern(None, ox.NamedNode(ASL + "mappingSubject"), None)
        }
    )[:12]
    requests: list[tuple[str, str | None, Dataset | None]] = []
    for s in subjects:
        lookup = LOOKUP.format(s)
        requests += [(lookup, accept, None) for accept in ACCEPTS]
        requests += [(f"DESCRIBE <{s}>", accept, None) for accept in GRAPH_ACCEPTS]
    requests += [(q, None, None) for q in QUICK_SHAPES]  # a LIMIT keeps the same rows too
    requests += [(P + "ASK { ?s a asl:Mapping }", "text/csv", None)]
    requests += [(P + "SELECT * { ?s a asl:Mapping }", "text/turtle", None)]  # 406 either way
    requests += [(P + "SELECT * { ?s a asl:Nothing }", None, None)]  # empty
    here, answered_here = _answers(kg, True, requests)
    there, none_here = _answers(kg, False, requests)
    assert none_here == 0
    assert answered_here >= 2 * len(subjects)  # the lookups and descriptions were quick
    for request, one, other in zip(requests, here, there, strict=True):
        assert _same(one, other), request


def test_a_dataset_or_from_goes_to_the_workers(kg: OxigraphStore) -> None:
    graph = "https://w3id.org/aslgraph/graph/data/rsp/levels.ttl"
    requests: list[tuple[str, str | None, Dataset | None]] = [
        (P + "ASK { ?s a asl:Mapping }", None, Dataset(default=(graph,), named=())),
        (P + f"ASK FROM <{graph}> {{ ?s a asl:Mapping }}", None, None),
    ]
    found, here = _answers(kg, True, requests)
    assert here == 0
    assert all(isinstance(f, bytes) for f in found)
    assert json.loads(found[0].partition(b"\n")[2])["boolean"] is False  # no mapping there


@pytest.mark.parametrize(
    "query",
    [
        "DESCRIBE <http://[::1>",
        "SELECT * { <http://x/%zz> ?p ?o }",
        "PREFIX x: <http://[::1> SELECT * { x:a ?p ?o }",
    ],
)
def test_an_iri_the_engine_refuses_is_a_400_not_a_500(client: TestClient, query: str) -> None:
    response = client.get("/sparql", params={"query": query})
    assert response.status_code == 400, response.text
    assert response.json()["type"].endswith("query-syntax")


def test_odd_iris_in_quick_shapes_are_never_a_server_error(client: TestClient) -> None:
    """Queries of the quick class's shapes with made-up IRIs (any character, seeded): each is
    answered, here or by a worker, or refused with a 4xx; none is a 5xx."""
    chars = string.ascii_letters + string.digits + "%[]:/@!$&'()*+,;=.-_~#?é\\^`{}|<> \"\t"
    shapes = [
        "DESCRIBE <{}>",
        "SELECT * {{ <{}> ?p ?o }}",
        "ASK {{ ?s <http://x/p> <{}> }}",
        "PREFIX x: <{}> SELECT * {{ x:a ?p ?o }}",
        "SELECT * {{ ?s a <http://{}> }}",
    ]
    chooser = random.Random(7)  # noqa: S311 - a seeded test corpus, not a secret
    for _ in range(200):
        iri = "".join(chooser.choice(chars) for _ in range(chooser.randint(1, 14)))
        query = chooser.choice(shapes).format(iri)
        response = client.get("/sparql", params={"query": query})
        assert response.status_code < 500, (query, response.text)
