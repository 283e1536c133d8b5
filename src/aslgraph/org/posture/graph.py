"""The uploaded organisation graph as the posture service reads it: its default graph in
dictionaries (never changed), and the sources in it that can speak to obligations (controls,
declared postures, evidence documents) with the documents backing them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import cached_property

import pyoxigraph as ox

from aslgraph.kg.index import P, parse_date
from aslgraph.namespaces import ASL
from aslgraph.org.posture.model import Entity, EvidenceDoc, RouteKind
from aslgraph.org.posture.tables import curie_key

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
PUBLISHER = "http://purl.org/dc/terms/publisher"


class OrgGraph:
    """The default graph of the uploaded store as the posture service reads it, subject by
    subject: a subject's statements are read from the store the first time it is asked about
    and kept (so a graph is never copied whole into Python: at 10^6 triples the copy was most of
    a validation's memory, and each forked share of the parties now reads only what it needs).

    The store must not change its default graph while the graph is in use (the service reads
    an upload, then writes its determinations: never both at once)."""

    def __init__(self, data: ox.Store):
        self._store = data
        self._props: dict[str, dict[str, list[Term]]] = {}
        # a predicate's name and a repeated object are kept once (a graph states the same few
        # predicates and many of the same objects again and again: a third of the memory)
        self._names: dict[str, str] = {}
        self._terms: dict[Term, Term] = {}
        self._links: dict[tuple[str, str], tuple[str, ...]] = {}
        self._entities: dict[str, Entity] = {}

    def _of(self, subject: str) -> dict[str, list[Term]]:
        """The statements of ``subject``, by predicate, in the store's order."""
        found = self._props.get(subject)
        if found is None:
            found = self._props[subject] = self._read(subject)
        return found

    def _read(self, subject: str) -> dict[str, list[Term]]:
        node = _term_of(subject)
        quads = (
            self._store.quads_for_pattern(node, None, None, _DEFAULT)
            if node is not None
            else (  # a quoted triple: found by its text, as it was keyed
                q
                for q in self._store.quads_for_pattern(None, None, None, _DEFAULT)
                if _key(q.subject) == subject
            )
        )
        props: dict[str, list[Term]] = {}
        names, terms = self._names, self._terms
        for quad in quads:
            name = quad.predicate.value
            name = names.setdefault(name, name)
            value = quad.object
            value = terms.setdefault(value, value)
            props.setdefault(name, []).append(value)
        return props

    def _subjects(self, predicate: str, value: Term | None = None) -> list[str]:
        return sorted(
            {
                _key(q.subject)
                for q in self._store.quads_for_pattern(
                    None, ox.NamedNode(predicate), value, _DEFAULT
                )
            }
        )

    def subjects_with(self, predicate: str) -> list[str]:
        """The subjects stating ``predicate``, sorted."""
        return self._subjects(predicate)

    def subjects_of_type(self, cls: str) -> list[str]:
        """The subjects typed ``cls`` (``rdf:type``), sorted."""
        return self._subjects(P.type, ox.NamedNode(cls))

    def links(self, subject: str, predicate: str) -> list[str]:
        """The nodes (IRIs, blank nodes as ``_:id``) ``subject`` links to by ``predicate``,
        each once, in CURIE order (a new list: the caller may change it)."""
        key = (subject, predicate)
        found = self._links.get(key)
        if found is None:
            seen: dict[str, None] = {}
            for value in self._of(subject).get(predicate, []):
                if isinstance(value, ox.NamedNode | ox.BlankNode):
                    seen.setdefault(_key(value), None)
            found = self._links[key] = tuple(sorted(seen, key=curie_key))
        return list(found)

    def subjects_linking(self, predicate: str, value: str) -> list[str]:
        """The subjects whose ``predicate`` links to ``value``."""
        node = _term_of(value)
        if node is None:
            return []
        return self._subjects(predicate, node)

    def text(self, subject: str, predicate: str) -> str | None:
        values = [v for v in self._of(subject).get(predicate, []) if isinstance(v, ox.Literal)]
        for value in values:
            if value.language in (None, "en"):
                return value.value
        return values[0].value if values else None

    def date(self, subject: str, predicate: str) -> date | None:
        return parse_date(self.text(subject, predicate))

    def types(self, subject: str) -> list[str]:
        return self.links(subject, P.type)

    def entity(self, subject: str) -> Entity:
        """The node with its label (one object per node: do not change it)."""
        found = self._entities.get(subject)
        if found is None:
            label = self.text(subject, P.label) or self.text(subject, P.title)
            found = self._entities[subject] = Entity(iri=subject, label=label)
        return found


_DEFAULT = ox.DefaultGraph()


def _term_of(key: str) -> ox.NamedNode | ox.BlankNode | None:
    """The node a key names (None for a quoted triple's text)."""
    if key.startswith("_:"):
        return ox.BlankNode(key[2:])
    try:
        return ox.NamedNode(key)
    except ValueError:
        return None


def _key(term: Term) -> str:
    if isinstance(term, ox.NamedNode):
        return term.value
    return str(term)


def evidence_doc(graph: OrgGraph, iri: str, as_of: date) -> EvidenceDoc:
    issued = graph.date(iri, P.issued)
    valid_until = graph.date(iri, str(ASL.validUntil))
    status: str = "current"
    if valid_until is not None and valid_until < as_of:
        status = "expired"
    elif issued is not None and issued > as_of:
        status = "not-yet-issued"
    publisher = graph.text(iri, PUBLISHER)
    if publisher is None:
        named = graph.links(iri, PUBLISHER)
        publisher = (graph.entity(named[0]).label or named[0]) if named else None
    return EvidenceDoc(
        iri=iri,
        title=graph.text(iri, P.title) or graph.text(iri, P.label),
        issued=issued,
        valid_until=valid_until,
        issuer=publisher,
        status=status,  # type: ignore[arg-type]
    )


@dataclass(frozen=True)
class Source:
    """Something in the uploaded graph that can speak to obligations: a control, a posture or an
    evidence document that addresses provisions, with the documents backing it."""

    kind: RouteKind
    node: str
    addresses: tuple[str, ...] = ()
    adheres: tuple[str, ...] = ()
    standards: tuple[str, ...] = ()
    framework: str | None = None
    docs: tuple[EvidenceDoc, ...] = ()
    declarer: str | None = None

    @cached_property
    def counts(self) -> bool:
        """Whether one of its documents is current (asked for each route: read once)."""
        return any(doc.status == "current" for doc in self.docs)


def evidence_sources(graph: OrgGraph, holders: Iterable[str], as_of: date) -> list[Source]:
    """One source per evidence document, attached to one of ``holders``, that addresses
    something itself."""
    sources: list[Source] = []
    seen: set[str] = set()
    for holder in holders:
        for evidence in graph.links(holder, str(ASL.evidencedBy)):
            addressed = graph.links(evidence, str(ASL.addresses))
            if evidence in seen or not addressed:
                continue
            seen.add(evidence)
            sources.append(
                Source(
                    kind="evidence",
                    node=evidence,
                    addresses=tuple(addressed),
                    docs=(evidence_doc(graph, evidence, as_of),),
                )
            )
    return sources


def posture_source(graph: OrgGraph, posture: str, declarer: str, as_of: date) -> Source:
    return Source(
        kind="posture",
        node=posture,
        addresses=tuple(graph.links(posture, str(ASL.addresses))),
        adheres=tuple(graph.links(posture, str(ASL.adheresTo))),
        standards=tuple(graph.links(posture, str(ASL.standardInForce))),
        framework=next(iter(graph.links(posture, str(ASL.frameworkVersion))), None),
        docs=tuple(
            evidence_doc(graph, e, as_of) for e in graph.links(posture, str(ASL.evidencedBy))
        ),
        declarer=declarer,
    )


def control_source(graph: OrgGraph, control: str, as_of: date) -> Source:
    compensating = str(ASL.CompensatingControl) in graph.types(control)
    return Source(
        kind="compensating-control" if compensating else "control",
        node=control,
        addresses=tuple(graph.links(control, str(ASL.addresses))),
        docs=tuple(
            evidence_doc(graph, e, as_of) for e in graph.links(control, str(ASL.evidencedBy))
        ),
    )
