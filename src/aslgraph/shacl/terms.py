"""Terms between pyoxigraph and rdflib, and their text as results show it.

Results must read exactly as pyshacl's over the same graph parsed by rdflib, so a literal's text
is rdflib's (which normalises the lexical form of a well-typed literal, ``"01"^^xsd:integer``
reads ``1``), and a blank node keeps its id both ways.
"""

from __future__ import annotations

from functools import lru_cache

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH, XSD
from rdflib.term import Node

OxTerm = ox.NamedNode | ox.BlankNode | ox.Literal
_XSD_STRING = str(XSD.string)
SEVERITY_NAMES = {SH.Violation: "violation", SH.Warning: "warning", SH.Info: "info"}


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
        if term.language is not None or term.datatype.value == _XSD_STRING:
            return term.value  # rdflib keeps a string's lexical form as it is
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


def node_text(node: Node | None) -> str | None:
    """An IRI or literal as its text, a blank node as ``_:id``."""
    if node is None:
        return None
    if isinstance(node, BNode):
        return f"_:{node}"
    return str(node)


def path_text(graph: Graph, node: Node | None) -> str | None:
    """Render a SHACL path: an IRI as itself, ``^p`` for an inverse path, ``a / b`` for a
    sequence, ``a | b`` for alternatives, ``p*``, ``p+``, ``p?``."""
    if node is None or isinstance(node, URIRef):
        return None if node is None else str(node)
    if not isinstance(node, BNode):
        return str(node)
    if graph.value(node, RDF.first) is not None:
        return " / ".join(str(path_text(graph, step)) for step in Collection(graph, node))
    inverse = graph.value(node, SH.inversePath)
    if inverse is not None:
        return "^" + str(path_text(graph, inverse))
    alternatives = graph.value(node, SH.alternativePath)
    if alternatives is not None:
        return " | ".join(str(path_text(graph, step)) for step in Collection(graph, alternatives))
    for predicate, mark in (
        (SH.zeroOrMorePath, "*"),
        (SH.oneOrMorePath, "+"),
        (SH.zeroOrOnePath, "?"),
    ):
        inner = graph.value(node, predicate)
        if inner is not None:
            return f"({path_text(graph, inner)}){mark}"
    return f"_:{node}"


def severity_name(node: Node | None) -> str:
    return SEVERITY_NAMES.get(node, str(node)) if isinstance(node, URIRef) else str(node)
