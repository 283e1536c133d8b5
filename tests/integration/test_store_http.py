"""``/store`` (read-only SPARQL 1.1 Graph Store Protocol) against the real server: rdflib reads
graphs straight from their Graph Store URLs in each syntax it asks for, and curl fetches, HEADs
and is refused a write; every answer holds the triples the store's named graph holds."""

from __future__ import annotations

import subprocess
from urllib.parse import quote

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph, URIRef
from rdflib.compare import isomorphic

from aslgraph.namespaces import graph_iri
from aslgraph.store import OxigraphStore

LEVELS = str(graph_iri("data/rsp/levels.ttl"))
ART55 = str(graph_iri("data/eu-ai-act/art55.ttl"))


def _held(kg: OxigraphStore, graph: str | None) -> Graph:
    """The store's named graph ``graph`` (None: the union of all), as an rdflib graph."""
    name = None if graph is None else ox.NamedNode(graph)
    triples = list(
        dict.fromkeys(q.triple for q in kg.raw.quads_for_pattern(None, None, None, name))
    )
    return Graph().parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), format="nt")


def _url(server: str, graph: str) -> str:
    return f"{server}/store?graph={quote(graph, safe='')}"


def _headers(head: str) -> dict[str, str]:
    """The header fields of a response head as curl prints it (names in lower case)."""
    lines = head.split("\r\n\r\n")[0].splitlines()[1:]
    return {
        name.strip().lower(): value.strip()
        for name, _, value in (line.partition(":") for line in lines if line.strip())
    }


def _curl(*args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        ["curl", "-sS", "--max-time", "60", *args], capture_output=True, timeout=90, check=True
    )


@pytest.mark.parametrize("rdflib_format", [None, "turtle", "xml", "nt", "json-ld"])
# rdflib's own JSON-LD parser (what it gets without a format, too) builds a ConjunctiveGraph
@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
def test_rdflib_reads_a_named_graph_from_its_store_url(
    server: str, kg: OxigraphStore, rdflib_format: str | None
) -> None:
    """rdflib fetches the URL with the Accept header of the syntax it wants (all it can read,
    without a format) and parses what comes back."""
    graph = Graph().parse(_url(server, LEVELS), format=rdflib_format)
    held = _held(kg, LEVELS)
    assert len(graph) == len(held) > 20
    assert isomorphic(graph, held)


def test_rdflib_reads_the_default_graph(server: str, kg: OxigraphStore) -> None:
    graph = Graph().parse(f"{server}/store?default", format="turtle")
    assert len(graph) == len({q.triple for q in kg.quads()}) > 10_000


# rdflib's Dataset.parse and TriG parser use its own deprecated ConjunctiveGraph API
@pytest.mark.filterwarnings("ignore:Dataset.default_context is deprecated:DeprecationWarning")
@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
def test_rdflib_reads_trig_with_the_graph_name(server: str, kg: OxigraphStore) -> None:
    """As TriG the graph comes back in its named graph: the document says which graph it is."""
    dataset = Dataset()
    dataset.parse(_url(server, ART55), format="trig")
    named = [g for g in dataset.graphs() if len(g)]
    assert [g.identifier for g in named] == [URIRef(ART55)]
    assert isomorphic(named[0], _held(kg, ART55))


def test_curl_fetches_heads_and_is_refused_a_write(server: str, kg: OxigraphStore) -> None:
    url = _url(server, LEVELS)
    body = _curl("-H", "Accept: application/n-quads", url).stdout
    quads = list(ox.parse(body, format=ox.RdfFormat.N_QUADS))
    assert len(quads) == len(list(kg.raw.quads_for_pattern(None, None, None, ox.NamedNode(LEVELS))))
    assert {q.graph_name for q in quads} == {ox.NamedNode(LEVELS)}

    head = _curl("-I", "-H", "Accept: application/n-quads", url).stdout.decode("latin-1")
    headers = _headers(head)
    assert head.startswith("HTTP/1.1 200")
    assert int(headers["content-length"]) == len(body)
    assert headers["content-type"] == "application/n-quads"
    assert headers["etag"].startswith('"')

    unchanged = _curl(
        "-o",
        "/dev/null",
        "-w",
        "%{http_code}",
        "-H",
        f"If-None-Match: {headers['etag']}",
        "-H",
        "Accept: application/n-quads",
        url,
    )
    assert unchanged.stdout == b"304"

    refused = _curl(
        "-i",
        "-X",
        "PUT",
        "-H",
        "Content-Type: text/turtle",
        "--data-binary",
        "<urn:a> <urn:b> <urn:c> .",
        url,
    ).stdout.decode("utf-8")
    assert refused.startswith("HTTP/1.1 405")
    assert _headers(refused)["allow"] == "GET, HEAD"
    assert '"status":405' in refused
    again = _curl("-H", "Accept: application/n-quads", url).stdout
    assert again == body


def test_curl_gets_a_problem_for_a_graph_the_store_does_not_hold(server: str) -> None:
    done = _curl("-w", "\n%{http_code}", _url(server, "https://example.org/not-held"))
    text, _, status = done.stdout.decode("utf-8").rpartition("\n")
    assert status == "404"
    assert "holds no graph" in text
