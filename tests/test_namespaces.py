"""The namespace module and the ontology name the same terms; the header matches the package."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import OWL

import aslgraph
from aslgraph.namespaces import ASL, ONTOLOGY_IRI, PREFIXES, curie, expand

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ROOT / "ontology" / "aslgraph.ttl", format="turtle")


def _declared(ontology: Graph) -> set[str]:
    ns = str(ASL._NS)
    return {str(s) for s in ontology.subjects() if str(s).startswith(ns)}


def test_every_namespace_term_is_in_the_ontology(ontology: Graph) -> None:
    named = {str(ASL._NS) + name for name in ASL.__annotations__}
    assert named - _declared(ontology) == set()


def test_every_ontology_term_is_in_the_namespace(ontology: Graph) -> None:
    named = {str(ASL._NS) + name for name in ASL.__annotations__}
    assert _declared(ontology) - named == set()


def test_version_info_is_the_package_version(ontology: Graph) -> None:
    assert str(ontology.value(URIRef(ONTOLOGY_IRI), OWL.versionInfo)) == aslgraph.__version__
    version_iri = ontology.value(URIRef(ONTOLOGY_IRI), OWL.versionIRI)
    assert version_iri == URIRef(f"{ONTOLOGY_IRI}/{aslgraph.__version__}")


@pytest.mark.parametrize(
    ("text", "iri"),
    [
        ("aia:art55-1-d", "https://w3id.org/aslgraph/id/eu-ai-act/art55-1-d"),
        ("rsp:v2.2", "https://w3id.org/aslgraph/id/rsp/v2.2"),
        ("dsit-cs:P7", "https://w3id.org/aslgraph/id/uk-cs/P7"),
        ("https://example.org/x", "https://example.org/x"),
    ],
)
def test_expand_and_curie_round_trip(text: str, iri: str) -> None:
    assert expand(text) == iri
    if not text.startswith("https://"):
        assert curie(iri) == text


def test_expand_refuses_unknown_prefix() -> None:
    with pytest.raises(ValueError, match="known prefix"):
        expand("nope:thing")


def test_prefixes_match_data_files() -> None:
    """Every @prefix a data file declares for our IRIs agrees with namespaces.PREFIXES."""
    for path in (ROOT / "data").rglob("*.ttl"):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("@prefix") and "w3id.org/aslgraph" in line:
                _, prefix, iri, _dot = line.split()
                assert PREFIXES[prefix.rstrip(":")] == iri.strip("<>"), (path, line)


def test_terms_are_plain_iris_and_undeclared_ones_fail() -> None:
    """A term is its IRI as a str (no rdflib in the service); a term the ontology does not
    declare is an error, not a made-up IRI."""
    assert ASL.holdsRole == "https://w3id.org/aslgraph/ontology#holdsRole"
    assert type(ASL.holdsRole) is str
    with pytest.raises(AttributeError):
        ASL.holdsRoel  # type: ignore[attr-defined]  # noqa: B018
    from aslgraph.namespaces import GRAPH, RDF, scheme_namespace

    assert RDF["type"] == "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
    assert scheme_namespace("role")["deployer"] == "https://w3id.org/aslgraph/id/role/deployer"
    assert GRAPH["data/x.ttl"] == "https://w3id.org/aslgraph/graph/data/x.ttl"
    with pytest.raises(TypeError, match="local name"):
        GRAPH[0]
