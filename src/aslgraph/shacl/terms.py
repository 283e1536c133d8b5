"""Terms between pyoxigraph and rdflib, and their text as results show it.

Results must read exactly as pyshacl's over the same graph parsed by rdflib, so a literal's text
is rdflib's (which normalises the lexical form of a well-typed literal, ``"01"^^xsd:integer``
reads ``1``), and a blank node keeps its id both ways.
"""

from __future__ import annotations

from functools import lru_cache

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

OxTerm = ox.NamedNode | ox.BlankNode | ox.Literal
_XSD_STRING = str(XSD.string)


@lru_cache(maxsize=65_536)
def _literal(value: str, datatype: str, language: str | None) -> Literal:
    if language:
        return Literal(value, lang=language)
    if datatype == _XSD_STRING:
        return Literal(value)
    return Literal(value, datatype=URIRef(datatype))


def to_rdflib(term: OxTerm) -> Node:
    """The rdflib term for a pyoxigraph term (blank nodes keep their id)."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        return _literal(term.value, term.datatype.value, term.language)
    raise TypeError(f"not an RDF term of a graph: {term!r}")


def to_ox(node: Node) -> OxTerm:
    """The pyoxigraph term for an rdflib term."""
    if isinstance(node, URIRef):
        return ox.NamedNode(str(node))
    if isinstance(node, BNode):
        return ox.BlankNode(str(node))
    if isinstance(node, Literal):
        if node.language:
            return ox.Literal(str(node), language=node.language)
        return ox.Literal(str(node), datatype=ox.NamedNode(str(node.datatype or XSD.string)))
    raise TypeError(f"not an RDF term of a graph: {node!r}")


def text(term: OxTerm) -> str:
    """A term as ``str()`` of its rdflib term: IRI, blank node id, literal lexical form."""
    if isinstance(term, ox.Literal):
        return str(to_rdflib(term))
    return term.value


def value_text(term: OxTerm | None) -> str | None:
    """A result's value as :class:`aslgraph.shacl.report.ValidationResult` shows it."""
    if term is None:
        return None
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return text(term)


def sparql_term(node: Node) -> str:
    """An rdflib IRI or literal written as a SPARQL constant."""
    if isinstance(node, URIRef | Literal):
        return node.n3()
    raise ValueError(f"a blank node cannot be a constant in a compiled query: {node!r}")
