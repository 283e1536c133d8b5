"""The SPARQL 1.1 Service Description."""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF

from aslgraph.media import JSON_LD, N_TRIPLES, RDF_XML, TURTLE, Offer
from aslgraph.sparql.description import FORMAT_IRIS, service_description

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
VOID = Namespace("http://rdfs.org/ns/void#")
GRAPHS = [
    ("https://w3id.org/aslgraph/graph/a.ttl", 3),
    ("https://w3id.org/aslgraph/graph/b.ttl", 4),
]
RDFLIB_FORMATS = {"TURTLE": "turtle", "N_TRIPLES": "nt", "JSON_LD": "json-ld", "RDF_XML": "xml"}


@pytest.mark.parametrize("offer", [TURTLE, N_TRIPLES, JSON_LD, RDF_XML], ids=lambda o: o.format)
# rdflib's JSON-LD parser builds a ConjunctiveGraph internally
@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
def test_description_says_what_the_endpoint_does(offer: Offer) -> None:
    data = service_description(
        "http://127.0.0.1:8000/sparql", GRAPHS, limits="limits here", offer=offer
    )
    graph = Graph().parse(data=data, format=RDFLIB_FORMATS[offer.format])
    (service,) = graph.subjects(RDF.type, SD.Service)
    assert graph.value(service, SD.endpoint) == URIRef("http://127.0.0.1:8000/sparql")
    assert graph.value(service, SD.supportedLanguage) == SD.SPARQL11Query
    assert (service, SD.feature, SD.UnionDefaultGraph) in graph
    assert set(graph.objects(service, SD.resultFormat)) == {URIRef(i) for i in FORMAT_IRIS.values()}
    dataset = graph.value(service, SD.defaultDataset)
    default = graph.value(dataset, SD.defaultGraph)
    assert graph.value(default, VOID.triples) == Literal(7)
    named = {
        str(graph.value(n, SD.name)): graph.value(graph.value(n, SD.graph), VOID.triples)
        for n in graph.objects(dataset, SD.namedGraph)
    }
    assert named == {iri: Literal(count) for iri, count in GRAPHS}
