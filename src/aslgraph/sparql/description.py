"""The endpoint's SPARQL 1.1 Service Description (www.w3.org/TR/sparql11-service-description)."""

from __future__ import annotations

from collections.abc import Sequence

import pyoxigraph as ox

from aslgraph.media import GRAPH_OFFERS, RESULT_OFFERS, Offer

SD = "http://www.w3.org/ns/sparql-service-description#"
FORMATS = "http://www.w3.org/ns/formats/"
VOID = "http://rdfs.org/ns/void#"
XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
RDFS_COMMENT = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#comment")
DCT_TITLE = ox.NamedNode("http://purl.org/dc/terms/title")

FORMAT_IRIS: dict[str, str] = {
    "application/sparql-results+json": FORMATS + "SPARQL_Results_JSON",
    "application/sparql-results+xml": FORMATS + "SPARQL_Results_XML",
    "text/csv": FORMATS + "SPARQL_Results_CSV",
    "text/tab-separated-values": FORMATS + "SPARQL_Results_TSV",
    "text/turtle": FORMATS + "Turtle",
    "application/n-triples": FORMATS + "N-Triples",
    "application/ld+json": FORMATS + "JSON-LD",
    "application/rdf+xml": FORMATS + "RDF_XML",
    "application/n-quads": FORMATS + "N-Quads",
    "application/trig": FORMATS + "TriG",
}
"""The W3C format IRIs (https://www.w3.org/ns/formats/) of the media types served."""

PREFIXES = {
    "sd": SD,
    "formats": FORMATS,
    "void": VOID,
    "dct": "http://purl.org/dc/terms/",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
}


def _sd(name: str) -> ox.NamedNode:
    return ox.NamedNode(SD + name)


def service_description(
    endpoint: str,
    graphs: Sequence[tuple[str, int]],
    *,
    limits: str,
    offer: Offer,
) -> bytes:
    """The service description of the endpoint at ``endpoint``, written as ``offer``.

    ``graphs`` are the named graphs with their triple counts; the default graph is their union.
    ``limits`` is a sentence about the endpoint's limits, kept as ``rdfs:comment``.
    """
    service = ox.BlankNode()
    dataset = ox.BlankNode()
    default_graph = ox.BlankNode()
    triples = [
        ox.Triple(service, RDF_TYPE, _sd("Service")),
        ox.Triple(service, _sd("endpoint"), ox.NamedNode(endpoint)),
        ox.Triple(service, _sd("supportedLanguage"), _sd("SPARQL11Query")),
        ox.Triple(service, _sd("feature"), _sd("UnionDefaultGraph")),
        ox.Triple(service, DCT_TITLE, ox.Literal("aslgraph SPARQL endpoint", language="en")),
        ox.Triple(service, RDFS_COMMENT, ox.Literal(limits, language="en")),
        ox.Triple(service, _sd("defaultDataset"), dataset),
        ox.Triple(dataset, RDF_TYPE, _sd("Dataset")),
        ox.Triple(dataset, _sd("defaultGraph"), default_graph),
        ox.Triple(default_graph, RDF_TYPE, _sd("Graph")),
        ox.Triple(
            default_graph,
            ox.NamedNode(VOID + "triples"),
            ox.Literal(str(sum(n for _, n in graphs)), datatype=ox.NamedNode(XSD_INTEGER)),
        ),
    ]
    for media_type in dict.fromkeys(o.media_type for o in (*RESULT_OFFERS, *GRAPH_OFFERS)):
        if media_type in FORMAT_IRIS:
            triples.append(
                ox.Triple(service, _sd("resultFormat"), ox.NamedNode(FORMAT_IRIS[media_type]))
            )
    for iri, count in graphs:
        named = ox.BlankNode()
        graph = ox.BlankNode()
        triples += [
            ox.Triple(dataset, _sd("namedGraph"), named),
            ox.Triple(named, RDF_TYPE, _sd("NamedGraph")),
            ox.Triple(named, _sd("name"), ox.NamedNode(iri)),
            ox.Triple(named, _sd("graph"), graph),
            ox.Triple(graph, RDF_TYPE, _sd("Graph")),
            ox.Triple(
                graph,
                ox.NamedNode(VOID + "triples"),
                ox.Literal(str(count), datatype=ox.NamedNode(XSD_INTEGER)),
            ),
        ]
    data = ox.serialize(triples, format=getattr(ox.RdfFormat, offer.format), prefixes=PREFIXES)
    assert data is not None  # noqa: S101 - serialize without output returns bytes
    return data
