"""Reading SHACL shapes: one shapes graph from Turtle files, with stable blank-node ids, and
the provisions each shape rests on (``asl:restsOn``)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

from rdflib import Graph
from rdflib.namespace import SH
from rdflib.term import BNode, Node, URIRef

from aslgraph.namespaces import ASL


def load_shapes(paths: Iterable[Path]) -> Graph:
    """Parse every Turtle file under ``paths`` into one shapes graph.

    Blank nodes get ids derived from their content and where they hang, so a blank-node shape
    has the same id in every process (results name it as their source shape).
    """
    shapes = Graph()
    for path in paths:
        files = sorted(path.rglob("*.ttl")) if path.is_dir() else [path]
        for file in files:
            shapes.parse(file, format="turtle")
    return _stable_blank_nodes(shapes)


def _stable_blank_nodes(graph: Graph) -> Graph:
    """A copy of ``graph`` whose blank nodes are named by a hash of their content and parent."""
    incoming: dict[BNode, list[tuple[Node, Node]]] = {}
    for s, p, o in graph:
        if isinstance(o, BNode):
            incoming.setdefault(o, []).append((s, p))
    content: dict[BNode, str] = {}
    names: dict[BNode, str] = {}

    def content_of(node: BNode, seen: frozenset[BNode]) -> str:
        if node in content:
            return content[node]
        parts = []
        for p, o in graph.predicate_objects(node):
            if isinstance(o, BNode):
                text = "[cycle]" if o in seen else "[" + content_of(o, seen | {node}) + "]"
            else:
                text = o.n3()
            parts.append(f"{p.n3()} {text}")
        content[node] = " ; ".join(sorted(parts))
        return content[node]

    def name_of(node: BNode, seen: frozenset[BNode]) -> str:
        if node in names:
            return names[node]
        parents = incoming.get(node, [])
        if len(parents) == 1 and parents[0][0] not in seen:
            parent, predicate = parents[0]
            where = name_of(parent, seen | {node}) if isinstance(parent, BNode) else parent.n3()
            where += " " + predicate.n3()
        else:
            where = "|".join(
                sorted(f"{s.n3() if not isinstance(s, BNode) else ''} {p.n3()}" for s, p in parents)
            )
        digest = hashlib.sha256((where + "\n" + content_of(node, frozenset())).encode("utf-8"))
        names[node] = "s" + digest.hexdigest()[:16]
        return names[node]

    def rename(node: Node) -> Node:
        return BNode(name_of(node, frozenset())) if isinstance(node, BNode) else node

    stable = Graph()
    for prefix, namespace in graph.namespaces():
        stable.bind(prefix, namespace)
    for s, p, o in graph:
        stable.add((rename(s), p, rename(o)))
    return stable


def rests_on_map(shapes: Graph) -> dict[str, tuple[str, ...]]:
    """For each shape (as :class:`ValidationResult` names it): the sorted ``asl:restsOn`` IRIs
    of the shape, or for a property shape of the node shapes that hold it."""
    own: dict[str, set[str]] = {}
    for shape, provision in shapes.subject_objects(URIRef(ASL.restsOn)):
        own.setdefault(str(shape), set()).add(str(provision))
    found = {key: set(iris) for key, iris in own.items()}
    for holder, prop in shapes.subject_objects(SH.property):
        if str(prop) not in own and str(holder) in own:
            found.setdefault(str(prop), set()).update(own[str(holder)])
    return {key: tuple(sorted(iris)) for key, iris in found.items()}
