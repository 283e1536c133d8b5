"""The posture service: for an uploaded organisation graph and a date, a verdict per obligation.

:func:`assess` reads the organisation graph (the default graph of a pyoxigraph store, never
changed), finds the organisation (the node with ``asl:assessmentDate``), its roles per regime,
its models and systems, the postures, controls and evidence, and judges every obligation of the
knowledge graph that binds one of its roles, and every obligation of the providers of the models
it relies on. The rules are in ``docs/decisions/0008-posture-verdicts.md``; in short:

* a route *counts* when at least one of its evidence documents is current on ``as_of``
  (``asl:validUntil`` not before it, ``dct:issued`` not after it);
* a control, posture or evidence that addresses the obligation (or a provision containing it,
  or one that ``asl:servesProvision`` it) covers it fully; one that addresses only a part of it,
  partly;
* Code of Practice adherence covers an obligation fully when a commitment of the chapter serves
  it, or serves the paragraph that contains it (the Code's own "legal text" lines);
* a safeguard standard in force covers it through mapping records, direct or derived through
  one intermediate (:mod:`aslgraph.kg.crosswalk`), a part of the standard counting as a
  subset of it: ``equal``/``superset-of`` fully, ``subset-of``/``intersects-with``/``supports``
  partly;
* met, partly met, unmet; not assessed where nothing lets us judge (a Code commitment under
  declared adherence with nothing specific, a supplier's duty the graph shows nothing about).

Everything legal comes from the knowledge graph through the :class:`Catalog`; what is computed
once per catalog (obligations, containment, scope statements) is kept in :class:`PostureTables`.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

import pyoxigraph as ox

from aslgraph.kg import obligations as obligation_service
from aslgraph.kg.catalog import Catalog
from aslgraph.kg.composition import EQUAL, INTERSECTS, SUBSET, SUPERSET, SUPPORTS, compose
from aslgraph.kg.errors import CatalogError
from aslgraph.kg.index import C, P, natural_key, parse_date, short
from aslgraph.kg.model import CrosswalkEntry, Ref, TransitionalNote
from aslgraph.namespaces import ASL, scheme_namespace
from aslgraph.org.errors import UnassessableError
from aslgraph.org.posture.model import (
    Entity,
    EvidenceDoc,
    Extent,
    LaterItem,
    ObligationVerdict,
    PostureReport,
    RoleHeld,
    Route,
    RouteKind,
    SupplierPosture,
    Verdict,
)
from aslgraph.queries import load_queries

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple

ENFORCEMENT_POWER = str(scheme_namespace("provision-kind")["enforcement-power"])
SAFETY_FRAMEWORK = str(ASL.SafetyFramework)
FULL_RELATIONS = frozenset({EQUAL, SUPERSET})
PARTIAL_RELATIONS = frozenset({SUBSET, INTERSECTS, SUPPORTS})
_RELATION_WORDS = {
    EQUAL: "is equal to",
    SUPERSET: "is a superset of",
    SUBSET: "is a subset of",
    INTERSECTS: "intersects with",
    SUPPORTS: "supports",
}


# ---------------------------------------------------------------- what is computed once


@dataclass(frozen=True)
class ObligationFacts:
    """An obligation of the knowledge graph, as the posture service needs it."""

    iri: str
    roles: tuple[str, ...]
    applies_from: date | None
    instrument: str | None
    owed_to: tuple[str, ...] = ()
    """Roles the duty is owed to (``asl:owedTo``): Art. 53(1)(b) to downstream providers."""


class PostureTables:
    """What the posture service reads from the knowledge graph, computed once per catalog.

    The containment walks (``dct:isPartOf``, versions of an instrument) are memoised as they are
    asked for; the graph is read-only, so the tables never go stale.
    """

    def __init__(self, catalog: Catalog):
        self.catalog = catalog
        index = catalog.index
        self.index = index
        self.views = catalog.views
        self._ancestors: dict[str, tuple[str, ...]] = {}
        self._descendants: dict[str, frozenset[str]] = {}
        self._served_within: dict[str, dict[str, tuple[str, ...]]] = {}
        obligations: list[ObligationFacts] = []
        powers: list[str] = []
        for iri in index.provisions():
            resource = index.require(iri)
            if index.of_type(iri, C.obligation):
                obligations.append(
                    ObligationFacts(
                        iri=iri,
                        roles=tuple(resource.links(P.binds_role)),
                        applies_from=resource.date(P.applies_from),
                        instrument=self.instrument_of(iri),
                        owed_to=tuple(resource.links(P.owed_to)),
                    )
                )
            elif resource.link(P.kind) == ENFORCEMENT_POWER and resource.date(P.applies_from):
                powers.append(iri)
        obligations.sort(key=lambda o: natural_key(short(o.iri)))
        self.obligations: tuple[ObligationFacts, ...] = tuple(obligations)
        self.enforcement_powers: tuple[str, ...] = tuple(sorted(powers, key=_curie_key))
        self.out_of_scope: dict[str, list[tuple[str, str, str | None]]] = {}
        query = load_queries(catalog.settings.queries_dir)["posture/out-of-scope-threats"]
        result = catalog.store.query(query.text)
        assert isinstance(result, ox.QuerySolutions)  # noqa: S101 - a SELECT gives solutions
        for row in result:
            statement, standard, actor = row["statement"], row["standard"], row["actor"]
            version = row["version"]
            if not all(isinstance(t, ox.NamedNode) for t in (statement, standard, actor)):
                continue
            assert isinstance(standard, ox.NamedNode)  # noqa: S101 - checked above
            self.out_of_scope.setdefault(standard.value, []).append(
                (
                    str(statement.value),
                    str(actor.value),
                    version.value if isinstance(version, ox.NamedNode) else None,
                )
            )

    def instrument_of(self, iri: str) -> str | None:
        """The instrument whose version holds ``iri`` (``asl:inVersion`` / ``asl:versionOf``)."""
        resource = self.index.get(iri)
        if resource is None:
            return None
        for version in resource.links(P.in_version):
            instruments = self.index.instruments_of_version(version)
            if instruments:
                return instruments[0]
        return None

    def ancestors(self, iri: str) -> tuple[str, ...]:
        """Everything ``iri`` is part of: ``dct:isPartOf`` upwards, then the instruments of the
        versions reached (nearest first)."""
        found = self._ancestors.get(iri)
        if found is not None:
            return found
        seen: dict[str, None] = {}
        todo = [iri]
        while todo:
            current = todo.pop(0)
            resource = self.index.get(current)
            if resource is None:
                continue
            parents = [*resource.links(P.part_of), *resource.links(P.version_of)]
            for parent in parents:
                if parent not in seen and parent != iri:
                    seen[parent] = None
                    todo.append(parent)
        found = self._ancestors[iri] = tuple(seen)
        return found

    def descendants(self, iri: str) -> frozenset[str]:
        """Every provision inside ``iri`` (through its versions when it is an instrument)."""
        found = self._descendants.get(iri)
        if found is not None:
            return found
        result: set[str] = set()
        todo = [*self.index.children.get(iri, []), *self.index.versions_of.get(iri, [])]
        while todo:
            current = todo.pop()
            if current in result or current == iri:
                continue
            result.add(current)
            todo.extend(self.index.children.get(current, []))
        found = self._descendants[iri] = frozenset(result)
        return found

    def serves(self, iri: str) -> list[str]:
        resource = self.index.get(iri)
        return resource.links(P.serves) if resource is not None else []

    def served_within(self, container: str) -> dict[str, tuple[str, ...]]:
        """For each provision served (``asl:servesProvision``) by ``container`` or a provision
        inside it, the serving provisions (by CURIE)."""
        found = self._served_within.get(container)
        if found is not None:
            return found
        targets: dict[str, list[str]] = {}
        for member in sorted({container, *self.descendants(container)}, key=_curie_key):
            for target in self.serves(member):
                targets.setdefault(target, []).append(member)
        found = self._served_within[container] = {k: tuple(v) for k, v in targets.items()}
        return found

    def crosswalk(self, iri: str, as_of: date) -> list[CrosswalkEntry]:
        """The crosswalk entries of ``iri`` on ``as_of`` (cached by the catalog); none for an
        IRI that is not a provision of the knowledge graph."""
        if not self.index.is_a(iri, C.provision):
            return []
        try:
            return self.catalog.crosswalk(iri, as_of=as_of).entries
        except CatalogError:
            return []

    def ref(self, iri: str) -> Ref:
        return self.views.ref(iri)

    def is_framework(self, instrument: str | None) -> bool:
        resource = self.index.get(instrument) if instrument else None
        return resource is not None and SAFETY_FRAMEWORK in resource.types


_TABLES: weakref.WeakKeyDictionary[Catalog, PostureTables] = weakref.WeakKeyDictionary()
_TABLES_LOCK = threading.Lock()


def tables(catalog: Catalog) -> PostureTables:
    """The posture tables of ``catalog``, built on first use (thread-safe)."""
    found = _TABLES.get(catalog)
    if found is None:
        with _TABLES_LOCK:
            found = _TABLES.get(catalog)
            if found is None:
                found = _TABLES[catalog] = PostureTables(catalog)
    return found


def _curie_key(iri: str) -> tuple[tuple[int, int | str], ...]:
    return natural_key(short(iri))


# ---------------------------------------------------------------- the uploaded graph


class OrgGraph:
    """The default graph of the uploaded store, read once into dictionaries (never changed)."""

    def __init__(self, data: ox.Store):
        self.props: dict[str, dict[str, list[Term]]] = {}
        for quad in data.quads_for_pattern(None, None, None, ox.DefaultGraph()):
            subject = _key(quad.subject)
            self.props.setdefault(subject, {}).setdefault(quad.predicate.value, []).append(
                quad.object
            )

    def subjects_with(self, predicate: str) -> list[str]:
        return sorted(s for s, props in self.props.items() if predicate in props)

    def links(self, subject: str, predicate: str) -> list[str]:
        seen: dict[str, None] = {}
        for value in self.props.get(subject, {}).get(predicate, []):
            if isinstance(value, ox.NamedNode | ox.BlankNode):
                seen.setdefault(_key(value), None)
        return sorted(seen, key=_curie_key)

    def text(self, subject: str, predicate: str) -> str | None:
        values = [
            v for v in self.props.get(subject, {}).get(predicate, []) if isinstance(v, ox.Literal)
        ]
        for value in values:
            if value.language in (None, "en"):
                return value.value
        return values[0].value if values else None

    def date(self, subject: str, predicate: str) -> date | None:
        return parse_date(self.text(subject, predicate))

    def types(self, subject: str) -> list[str]:
        return self.links(subject, P.type)

    def entity(self, subject: str) -> Entity:
        label = self.text(subject, P.label) or self.text(subject, P.title)
        return Entity(iri=subject, label=label)


def _key(term: Term) -> str:
    if isinstance(term, ox.NamedNode):
        return term.value
    return str(term)


def _doc(graph: OrgGraph, iri: str, as_of: date) -> EvidenceDoc:
    issued = graph.date(iri, P.issued)
    valid_until = graph.date(iri, str(ASL.validUntil))
    status: str = "current"
    if valid_until is not None and valid_until < as_of:
        status = "expired"
    elif issued is not None and issued > as_of:
        status = "not-yet-issued"
    return EvidenceDoc(
        iri=iri,
        title=graph.text(iri, P.title) or graph.text(iri, P.label),
        issued=issued,
        valid_until=valid_until,
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

    @property
    def counts(self) -> bool:
        return any(doc.status == "current" for doc in self.docs)


def _evidence_sources(graph: OrgGraph, holders: Iterable[str], as_of: date) -> list[Source]:
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
                    docs=(_doc(graph, evidence, as_of),),
                )
            )
    return sources


def _posture_source(graph: OrgGraph, posture: str, declarer: str, as_of: date) -> Source:
    return Source(
        kind="posture",
        node=posture,
        addresses=tuple(graph.links(posture, str(ASL.addresses))),
        adheres=tuple(graph.links(posture, str(ASL.adheresTo))),
        standards=tuple(graph.links(posture, str(ASL.standardInForce))),
        framework=next(iter(graph.links(posture, str(ASL.frameworkVersion))), None),
        docs=tuple(_doc(graph, e, as_of) for e in graph.links(posture, str(ASL.evidencedBy))),
        declarer=declarer,
    )


def _control_source(graph: OrgGraph, control: str, as_of: date) -> Source:
    compensating = str(ASL.CompensatingControl) in graph.types(control)
    return Source(
        kind="compensating-control" if compensating else "control",
        node=control,
        addresses=tuple(graph.links(control, str(ASL.addresses))),
        docs=tuple(_doc(graph, e, as_of) for e in graph.links(control, str(ASL.evidencedBy))),
    )


# ---------------------------------------------------------------- routes


class Judge:
    """Finds the routes from sources to an obligation and turns them into a verdict."""

    def __init__(self, t: PostureTables, graph: OrgGraph, as_of: date):
        self.t = t
        self.graph = graph
        self.as_of = as_of

    def _route(
        self,
        source: Source,
        extent: Extent,
        explanation: str,
        via: list[str],
        entry: CrosswalkEntry | None = None,
        relation: str | None = None,
        kind: RouteKind | None = None,
    ) -> Route:
        current = [d for d in source.docs if d.status == "current"]
        return Route(
            kind=kind or source.kind,
            extent=extent,
            source=self.graph.entity(source.node),
            via=[self.t.ref(v) for v in via],
            relation=self.t.views.concept(_relation_iri(relation)) if relation else None,
            mappings=[self.t.ref(link.mapping) for link in entry.path] if entry else [],
            confidence=entry.confidence if entry else None,
            evidence=current or list(source.docs),
            counts=source.counts,
            explanation=explanation,
        )

    def routes(self, source: Source, obligation: str) -> list[Route]:
        """Every route from ``source`` to ``obligation`` (at most one per addressed provision,
        adhered chapter and standard: the widest)."""
        found: list[Route] = []
        name = self._name(obligation)
        for addressed in source.addresses:
            route = self._addressed(source, addressed, obligation, name)
            if route is not None:
                found.append(route)
        for adhered in source.adheres:
            route = self._adhered(source, adhered, obligation, name)
            if route is not None:
                found.append(route)
        for standard in source.standards:
            route = self._standard(source, standard, obligation, name)
            if route is not None:
                found.append(route)
        return found

    def _name(self, iri: str) -> str:
        ref = self.t.ref(iri)
        return f"{ref.notation} ({ref.curie})" if ref.notation else ref.curie

    def _addressed(
        self, source: Source, addressed: str, obligation: str, name: str
    ) -> Route | None:
        t = self.t
        what = self._name(addressed)
        if addressed == obligation:
            return self._route(source, "full", f"Addresses {name} itself.", [addressed])
        if addressed in t.ancestors(obligation):
            return self._route(
                source, "full", f"Addresses {what}, which contains {name}.", [addressed]
            )
        if addressed in t.descendants(obligation):
            return self._route(
                source,
                "partial",
                f"Addresses only {what}, a part of {name}.",
                [addressed],
            )
        served = t.serves(addressed)
        if obligation in served:
            return self._route(
                source,
                "full",
                f"Addresses {what}, which serves {name} (asl:servesProvision).",
                [addressed],
            )
        inner = [s for s in served if s in t.descendants(obligation)]
        if inner:
            parts = ", ".join(self._name(s) for s in inner)
            return self._route(
                source,
                "partial",
                f"Addresses {what}, which serves only {parts}, a part of {name}.",
                [addressed, *inner],
            )
        return self._mapped(source, addressed, obligation, name, part_of=None)

    def _adhered(self, source: Source, adhered: str, obligation: str, name: str) -> Route | None:
        t = self.t
        if adhered == obligation or adhered in t.ancestors(obligation):
            return None  # adherence to what contains the obligation is what makes it bind
        served = t.served_within(adhered)
        if not served:
            return None
        what = self._name(adhered)
        containing = [s for s in (obligation, *t.ancestors(obligation)) if s in served]
        if containing:
            full = sorted({m for s in containing for m in served[s]}, key=_curie_key)
            return self._route(
                source,
                "full",
                f"Adheres to {what}: {_few([self._name(m) for m in full])} "
                f"serve{'s' if len(full) == 1 else ''} "
                f"{_listing([self._name(s) for s in containing])} (asl:servesProvision)"
                + ("." if containing == [obligation] else f", which contains {name}."),
                [adhered, *full, *containing],
                kind="code",
            )
        inside = t.descendants(obligation)
        parts = sorted((s for s in served if s in inside), key=_curie_key)
        if parts:
            partial = sorted({m for s in parts for m in served[s]}, key=_curie_key)
            return self._route(
                source,
                "partial",
                f"Adheres to {what}: {_few([self._name(m) for m in partial])} serve only "
                f"{_listing([self._name(s) for s in parts])}, a part of {name}.",
                [adhered, *partial, *parts],
                kind="code",
            )
        return None

    def _standard(self, source: Source, standard: str, obligation: str, name: str) -> Route | None:
        best = self._mapped(source, standard, obligation, name, part_of=None, kind="standard")
        if best is not None and best.extent == "full":
            return best
        for part in sorted(self.t.descendants(standard), key=_curie_key):
            route = self._mapped(source, part, obligation, name, part_of=standard, kind="standard")
            if route is not None and _better(route, best):
                best = route
        return best

    def _mapped(
        self,
        source: Source,
        start: str,
        obligation: str,
        name: str,
        *,
        part_of: str | None,
        kind: RouteKind | None = None,
    ) -> Route | None:
        """The widest route from ``start`` (a standard, a part of ``part_of``, or an addressed
        provision) to ``obligation`` through the crosswalk."""
        best: Route | None = None
        for entry in self.t.crosswalk(start, self.as_of):
            if entry.target.iri != obligation:
                continue
            relation: str | None = entry.relation.id
            if part_of is not None and relation is not None:
                relation = compose(SUPERSET, relation) if relation in _COMPOSABLE else None
            if relation in FULL_RELATIONS:
                extent: Extent = "full"
            elif relation in PARTIAL_RELATIONS:
                extent = "partial"
            else:
                continue
            assert relation is not None  # noqa: S101 - one of the sets above
            what = self._name(start)
            maps = ", ".join(short(link.mapping) for link in entry.path)
            how = (
                f"derived through {entry.via.curie} ({entry.rule})"
                if entry.derived and entry.via is not None
                else "mapped directly"
            )
            subject = (
                f"{self._name(part_of)}, through its part {what}," if part_of is not None else what
            )
            explanation = (
                f"{subject} {_RELATION_WORDS[relation]} {name} ({how}; {maps}; "
                f"confidence {_confidence(entry.confidence)})."
            )
            via = [part_of, start] if part_of is not None else [start]
            if entry.derived and entry.via is not None:
                via.append(entry.via.iri)
            route = self._route(source, extent, explanation, via, entry, relation, kind)
            if _better(route, best):
                best = route
        return best

    # ------------------------------------------------------------ verdicts

    def verdict(
        self,
        obligation: ObligationFacts,
        sources: list[Source],
        *,
        role: str,
        bound: str,
        model: str | None,
        supplier: bool,
        compensations: list[Source],
        recipient_roles: frozenset[str] = frozenset(),
    ) -> ObligationVerdict:
        """The verdict on ``obligation`` for ``bound``; ``recipient_roles`` are the roles the
        organisation holds for ``model`` (a duty owed to one of them and not shown met is
        unmet: the organisation would hold what it was given)."""
        t = self.t
        iri = obligation.iri
        name = self._name(iri)
        routes: list[Route] = []
        for source in sources:
            routes.extend(self.routes(source, iri))
        counting = [r for r in routes if r.counts]
        not_counted = [r for r in routes if not r.counts]
        full = [r for r in counting if r.extent == "full"]
        partial = [r for r in counting if r.extent == "partial"]
        notes: list[str] = []
        uncovered: str | None = None
        compensating: list[Source] = []
        if supplier:
            compensating = [c for c in compensations if self._compensates(c, iri)]
        declared = self._declared_adherence(sources, iri)
        verdict: Verdict
        if full:
            verdict = "met"
            summary = f"Met: {full[0].explanation}"
        elif partial:
            verdict = "partly_met"
            summary = f"Partly met: {partial[0].explanation}"
            uncovered = " ".join(_uncovered(r, name) for r in partial)
        elif not_counted:
            verdict = "unmet"
            summary = (
                f"Unmet: what speaks to {name} rests on evidence that is not current on "
                f"{self.as_of} ({_listing(_stale_docs(not_counted))})."
            )
        elif supplier and compensating:
            verdict = "unmet"
            summary = (
                f"Unmet: nothing in the graph shows the supplier meets {name} for this model; "
                f"the organisation compensates for the gap itself "
                f"({_listing([self.graph.entity(c.node).label or c.node for c in compensating])})."
            )
        elif supplier and (owed := [r for r in obligation.owed_to if r in recipient_roles]):
            verdict = "unmet"
            summary = (
                f"Unmet: {name} is owed to the organisation as "
                f"{t.views.concept(owed[0]).label} of a system built on this model, and the graph "
                f"holds nothing current from the supplier that meets it."
            )
        elif declared is not None:
            verdict = "not_assessed"
            summary = (
                f"Not assessed: adherence to {self._name(declared)} is declared, but nothing in "
                f"the graph addresses {name} or a part of it."
            )
        elif supplier:
            verdict = "not_assessed"
            summary = (
                f"Not assessed: nothing in the graph (the supplier's postures, the evidence held "
                f"on the model) speaks to {name}."
            )
        else:
            verdict = "unmet"
            summary = (
                f"Unmet: no control, posture, Code adherence or safeguard standard in the graph "
                f"addresses {name}."
            )
        counted = full or partial
        if counted and all(r.kind == "standard" for r in counted):
            notes.extend(self._framework_notes(counted, iri))
        for route in counted:
            note = self._scope_note(route, sources)
            if note is not None and note not in notes:
                notes.append(note)
                if verdict == "partly_met" and uncovered is not None:
                    uncovered += " " + note
        if compensating and verdict != "unmet":
            names = _listing([self.graph.entity(c.node).label or c.node for c in compensating])
            notes.append(
                f"The organisation runs a compensating control for a gap here ({names}): "
                f"check that the supplier's duty is met for this model in particular."
            )
        if not_counted and verdict in ("met", "partly_met"):
            notes.append(
                f"Not counted (evidence not current on {self.as_of}): "
                f"{_listing(_stale_docs(not_counted))}."
            )
        cites = _cites(t, iri, [*counting, *not_counted])
        return ObligationVerdict(
            **_verdict_head(t, self.graph, obligation, role, bound, model),
            verdict=verdict,
            summary=summary,
            routes=_ordered(counting),
            not_counted=_ordered(not_counted),
            uncovered=uncovered,
            compensations=[self.graph.entity(c.node) for c in compensating],
            notes=notes,
            cites=cites,
            deferred_by=t.views.deferred_by(iri),
        )

    def _declared_adherence(self, sources: list[Source], obligation: str) -> str | None:
        """The adhered instrument or chapter containing ``obligation``, from a posture whose
        evidence is current; None when there is none."""
        containers = set(self.t.ancestors(obligation))
        for source in sources:
            if not source.counts:
                continue
            for adhered in source.adheres:
                if adhered in containers:
                    return adhered
        return None

    def _compensates(self, control: Source, obligation: str) -> bool:
        t = self.t
        targets = self.graph.links(control.node, str(ASL.compensatesFor))
        related = {obligation, *t.ancestors(obligation), *t.descendants(obligation)}
        return any(g in related or related.intersection(t.serves(g)) for g in targets)

    def _framework_notes(self, routes: list[Route], obligation: str) -> list[str]:
        t = self.t
        notes: list[str] = []
        target = t.ref(t.instrument_of(obligation) or obligation)
        for route in routes:
            standard = route.via[0].iri if route.via else None
            instrument = t.instrument_of(standard) if standard else None
            if not t.is_framework(instrument):
                continue
            assert instrument is not None  # noqa: S101 - is_framework(None) is False
            ref = t.ref(instrument)
            note = (
                f"{ref.label or ref.curie} ({ref.curie}) is a voluntary safety framework, not "
                f"itself evidence of compliance with {target.label or target.curie}: this "
                f"verdict rests only on mapping records relating its standards to "
                f"{self._name(obligation)}."
            )
            if note not in notes:
                notes.append(note)
        return notes

    def _scope_note(self, route: Route, sources: list[Source]) -> str | None:
        """When the route rests on a standard that leaves threat actors out of its scope, what
        it leaves out and whether the graph evidences it separately."""
        if route.kind != "standard" or not route.via:
            return None
        t = self.t
        standard = route.via[0].iri
        statements = t.out_of_scope.get(standard)
        if not statements:
            return None
        source = next((s for s in sources if s.node == route.source.iri), None)
        framework = source.framework if source else None
        chosen = [s for s in statements if s[2] == framework] or statements
        actors = sorted({actor for _, actor, _ in chosen}, key=_curie_key)
        closers = {*actors, *(statement for statement, _, _ in chosen)}
        for entry in t.crosswalk(standard, self.as_of):
            if not entry.derived and entry.relation.id == INTERSECTS:
                closers.add(entry.target.iri)
        closed = self._closed_by(closers, sources)
        names = _listing([t.ref(a).label or t.ref(a).curie for a in actors])
        version = f" ({t.ref(framework).curie})" if framework else ""
        overlap = sorted(
            (c for c in closers if c not in actors and t.index.is_a(c, C.provision)),
            key=_curie_key,
        )
        overlap = [c for c in overlap if c not in {s for s, _, _ in chosen}]
        text = (
            f"{self._name(standard)}{version} leaves out of its scope: {names}; where the "
            f"knowledge graph relates it to {_listing([self._name(c) for c in overlap])} it "
            f"overlaps them only in part (intersects-with)."
        )
        if closed:
            return text + f" Evidenced separately by {closed}."
        return text + " Nothing in the graph evidences these threats separately."

    def _closed_by(self, closers: set[str], sources: list[Source]) -> str | None:
        t = self.t
        for source in sources:
            if not source.counts:
                continue
            targets = [*source.addresses]
            if source.kind == "compensating-control":
                targets.extend(self.graph.links(source.node, str(ASL.compensatesFor)))
            if any(target in closers for target in targets):
                return self.graph.entity(source.node).label or source.node
            for adhered in source.adheres:
                if closers & ({adhered} | t.descendants(adhered)):
                    return f"adherence to {self._name(adhered)}"
        return None


_COMPOSABLE = frozenset({EQUAL, SUBSET, SUPERSET, INTERSECTS, SUPPORTS, "is-supported-by"})


def _relation_iri(relation: str) -> str:
    return str(scheme_namespace("relation")[relation])


def _better(route: Route, best: Route | None) -> bool:
    if best is None:
        return True
    if route.extent != best.extent:
        return route.extent == "full"
    return (route.confidence or 0.0) > (best.confidence or 0.0)


def _confidence(value: float | None) -> str:
    return f"{value:.2f}" if value is not None else "unknown"


def _listing(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _few(items: list[str]) -> str:
    if len(items) <= 3:
        return _listing(items)
    return f"{len(items)} of its provisions ({items[0]} to {items[-1]})"


def _stale_docs(routes: list[Route]) -> list[str]:
    found: dict[str, None] = {}
    for route in routes:
        if not route.evidence:
            found.setdefault(f"{route.source.label or route.source.iri} has no evidence", None)
        for doc in route.evidence:
            if doc.status == "expired":
                found.setdefault(f"{doc.title or doc.iri} expired on {doc.valid_until}", None)
            elif doc.status == "not-yet-issued":
                found.setdefault(f"{doc.title or doc.iri} issued only on {doc.issued}", None)
    return list(found)


def _uncovered(route: Route, name: str) -> str:
    relation = route.relation.id if route.relation else None
    if relation == SUBSET:
        return f"What {name} requires beyond {route.via[0].curie} is not covered."
    if relation == INTERSECTS:
        return (
            f"{route.via[0].curie} overlaps {name} only in part: what lies outside the "
            f"overlap is not covered."
        )
    if relation == SUPPORTS:
        return f"{route.via[0].curie} helps achieve {name} but does not itself cover it."
    covered = _listing([r.curie for r in route.via[1:]] or [route.via[0].curie])
    return f"Only {covered} is covered; the rest of {name} is not."


def _ordered(routes: list[Route]) -> list[Route]:
    return sorted(routes, key=lambda r: (r.extent != "full", -(r.confidence or 0.0), r.kind))


def _verdict_head(
    t: PostureTables,
    graph: OrgGraph,
    obligation: ObligationFacts,
    role: str,
    bound: str,
    model: str | None,
) -> dict[str, Any]:
    """The fields every verdict on ``obligation`` starts with: what it is, whom it binds, in
    which role, for which model, from when, and its condition."""
    resource = t.index.get(obligation.iri)
    basis = resource.link(P.basis) if resource else None
    return {
        "obligation": t.ref(obligation.iri),
        "instrument": t.ref(obligation.instrument) if obligation.instrument else None,
        "role": t.views.concept(role),
        "bound": graph.entity(bound),
        "model": graph.entity(model) if model else None,
        "applies_from": obligation.applies_from,
        "basis": t.ref(basis) if basis else None,
        "condition": resource.text(P.condition) if resource else None,
    }


def _cites(t: PostureTables, obligation: str, routes: list[Route]) -> list[Ref]:
    found: dict[str, Ref] = {obligation: t.ref(obligation)}
    for route in routes:
        for ref in [*route.via, *route.mappings]:
            found.setdefault(ref.iri, ref)
    return list(found.values())


# ---------------------------------------------------------------- the assessment


def assess(data: ox.Store, catalog: Catalog, as_of: date | None = None) -> PostureReport:
    """The posture of the organisation described in ``data`` (its default graph) on ``as_of``.

    ``as_of`` defaults to the organisation's ``asl:assessmentDate``, else today. ``data`` is
    read, never changed. Raises UnassessableError when the graph names no organisation to
    assess (no ``asl:assessmentDate``, or none holding a role) or more than one.
    """
    t = tables(catalog)
    graph = OrgGraph(data)
    organisation = _organisation(graph)
    given = as_of
    dated = graph.date(organisation, str(ASL.assessmentDate))
    when = given or dated or date.today()
    source = "argument" if given else "assessment-date" if dated else "today"
    return _Assessment(t, graph, organisation, when).report(source)


def _organisation(graph: OrgGraph) -> str:
    candidates = graph.subjects_with(str(ASL.assessmentDate))
    if not candidates:
        candidates = graph.subjects_with(str(ASL.holdsRole))
    if len(candidates) != 1:
        what = "no organisation" if not candidates else f"{len(candidates)} organisations"
        raise UnassessableError(
            f"the graph names {what} to assess; mark exactly one asl:Organisation with "
            "asl:assessmentDate (or give it asl:holdsRole)",
            kind="no-organisation" if not candidates else "several-organisations",
        )
    return candidates[0]


@dataclass
class _Assignment:
    node: str
    role: str
    regime: str | None
    scope: list[str]
    considered: list[str]
    models: list[str]


class _Assessment:
    def __init__(self, t: PostureTables, graph: OrgGraph, organisation: str, as_of: date):
        self.t = t
        self.graph = graph
        self.org = organisation
        self.as_of = as_of
        self.judge = Judge(t, graph, as_of)
        self.systems = graph.links(organisation, str(ASL.hasAISystem))
        own_models = graph.links(organisation, str(ASL.hasAIModel))
        models = dict.fromkeys(own_models)
        for system in self.systems:
            models.update(dict.fromkeys(graph.links(system, str(ASL.integratesModel))))
        self.models = list(models)
        self.assignments = [
            self._assignment(a) for a in graph.links(organisation, str(ASL.holdsRole))
        ]
        regimes = dict.fromkeys(a.regime for a in self.assignments if a.regime)
        regimes.update(dict.fromkeys(graph.links(organisation, str(ASL.declaresRegime))))
        self.regimes = list(regimes)

    # ------------------------------------------------------------ reading

    def _supplier(self, model: str) -> str | None:
        return next(iter(self.graph.links(model, str(ASL.supplier))), None)

    def _systemic(self, model: str) -> bool:
        return (self.graph.text(model, str(ASL.systemicRisk)) or "").strip().lower() in (
            "true",
            "1",
        )

    def _models_in(self, scope: list[str]) -> list[str]:
        if not scope:
            return list(self.models)
        found: dict[str, None] = {}
        for item in scope:
            if item in self.systems or str(ASL.AISystem) in self.graph.types(item):
                found.update(dict.fromkeys(self.graph.links(item, str(ASL.integratesModel))))
            else:
                found[item] = None
        return list(found)

    def _assignment(self, node: str) -> _Assignment:
        graph = self.graph
        role = next(iter(graph.links(node, str(ASL.role))), "")
        regime = next(iter(graph.links(node, str(ASL.underRegime))), None)
        scope = graph.links(node, str(ASL.roleFor))
        models = self._models_in(scope)
        own = [m for m in models if self._supplier(m) in (None, self.org)]
        systemic = role == obligation_service.GPAI_PROVIDER and any(self._systemic(m) for m in own)
        considered = (
            obligation_service.roles_considered(self.t.index, role, systemic_risk=systemic)
            if role
            else []
        )
        return _Assignment(node, role, regime, scope, considered, models)

    def _postures(self, party: str, model: str | None) -> list[str]:
        """The postures ``party`` declares that cover ``model`` (or all, without a model)."""
        found = []
        for posture in self.graph.links(party, str(ASL.declaresPosture)):
            covers = self.graph.links(posture, str(ASL.postureFor))
            if model is None or not covers or model in covers:
                found.append(posture)
        return found

    def _own_sources(self) -> list[Source]:
        graph, org, as_of = self.graph, self.org, self.as_of
        postures = self._postures(org, None)
        controls = graph.links(org, str(ASL.runsControl))
        own_models = [m for m in self.models if self._supplier(m) in (None, org)]
        sources = [_control_source(graph, c, as_of) for c in controls]
        sources.extend(_posture_source(graph, p, org, as_of) for p in postures)
        sources.extend(_evidence_sources(graph, [*postures, *controls, *own_models, org], as_of))
        return sources

    # ------------------------------------------------------------ the report

    def report(self, as_of_source: str) -> PostureReport:
        t = self.t
        sources = self._own_sources()
        compensations = [s for s in sources if s.kind == "compensating-control"]
        verdicts: list[ObligationVerdict] = []
        not_applicable: list[ObligationVerdict] = []
        later: list[LaterItem] = []
        bound: dict[str, str] = {}
        for assignment in self.assignments:
            for obligation in t.obligations:
                role = next((r for r in assignment.considered if r in obligation.roles), None)
                if role is None or obligation.iri in bound:
                    continue
                if assignment.regime and obligation.instrument != assignment.regime:
                    continue
                bound[obligation.iri] = role
                reason = self._inapplicable(obligation, sources)
                if reason is not None:
                    not_applicable.append(self._not_applicable(obligation, role, self.org, reason))
                elif obligation.applies_from and obligation.applies_from > self.as_of:
                    later.append(self._later(obligation, role, self.org, None))
                else:
                    verdicts.append(
                        self.judge.verdict(
                            obligation,
                            sources,
                            role=role,
                            bound=self.org,
                            model=None,
                            supplier=False,
                            compensations=compensations,
                        )
                    )
        not_applicable.extend(self._other_roles(bound))
        later.extend(self._powers(bound))
        suppliers = [self._supplier_posture(m, compensations) for m in self._relied_on()]
        counts: dict[str, int] = {}
        for item in [*verdicts, *(v for s in suppliers for v in s.obligations)]:
            counts[item.verdict] = counts.get(item.verdict, 0) + 1
        return PostureReport(
            organisation=self.graph.entity(self.org),
            as_of=self.as_of,
            as_of_source=as_of_source,  # type: ignore[arg-type]
            roles=[self._role_held(a) for a in self.assignments],
            regimes=[t.ref(r) for r in self.regimes],
            obligations=verdicts,
            not_applicable=not_applicable,
            later=sorted(later, key=lambda i: (i.applies_from, _curie_key(i.provision.iri))),
            transitional=self._transitional(
                [*verdicts, *(v for s in suppliers for v in s.obligations)]
            ),
            suppliers=suppliers,
            verdicts=counts,
        )

    def _role_held(self, assignment: _Assignment) -> RoleHeld:
        views = self.t.views
        return RoleHeld(
            assignment=self.graph.entity(assignment.node),
            role=views.concept(assignment.role) if assignment.role else views.concept(""),
            regime=self.t.ref(assignment.regime) if assignment.regime else None,
            scope=[self.graph.entity(s) for s in assignment.scope],
            roles_considered=[views.concept(r) for r in assignment.considered],
        )

    def _inapplicable(self, obligation: ObligationFacts, sources: list[Source]) -> str | None:
        """Why an obligation binding one of the roles does not bind here, or None."""
        t = self.t
        replaced = obligation_service._superseded_by(t.index, obligation.iri, self.as_of)
        if replaced is not None:
            return (
                f"Superseded: {t.ref(replaced).curie}, issued by {self.as_of}, no longer "
                f"contains it."
            )
        instrument = obligation.instrument
        if instrument is None:
            return None
        adhered = [
            a
            for s in sources
            if s.kind == "posture"
            for a in s.adheres
            if a == instrument or instrument in t.ancestors(a)
        ]
        if not adhered:
            return None
        containers = {obligation.iri, *t.ancestors(obligation.iri)}
        if any(a in containers for a in adhered):
            return None
        names = _listing([self.judge._name(a) for a in sorted(set(adhered), key=_curie_key)])
        top = [a for a in t.ancestors(obligation.iri) if t.index.is_a(a, C.provision)]
        part = self.judge._name(top[-1]) if top else self.judge._name(obligation.iri)
        return (
            f"Binds only those who signed up to {part}; the organisation declares adherence "
            f"to {names} only."
        )

    def _not_applicable(
        self,
        obligation: ObligationFacts,
        role: str,
        bound: str,
        reason: str,
        model: str | None = None,
    ) -> ObligationVerdict:
        t = self.t
        return ObligationVerdict(
            **_verdict_head(t, self.graph, obligation, role, bound, model),
            verdict="not_applicable",
            summary=f"Not applicable: {reason}",
            cites=[t.ref(obligation.iri), *([t.ref(role)] if t.index.get(role) else [])],
        )

    def _later(
        self, obligation: ObligationFacts, role: str, bound: str, model: str | None
    ) -> LaterItem:
        t = self.t
        resource = t.index.get(obligation.iri)
        basis = resource.link(P.basis) if resource else None
        assert obligation.applies_from is not None  # noqa: S101 - callers check
        return LaterItem(
            provision=t.ref(obligation.iri),
            kind="obligation",
            role=t.views.concept(role),
            bound=self.graph.entity(bound),
            model=self.graph.entity(model) if model else None,
            applies_from=obligation.applies_from,
            basis=t.ref(basis) if basis else None,
            reason=(
                f"Binds {t.views.concept(role).label} from {obligation.applies_from}"
                + (f" ({t.ref(basis).notation or t.ref(basis).curie})." if basis else ".")
            ),
        )

    def _other_roles(self, bound: dict[str, str]) -> list[ObligationVerdict]:
        """Obligations of the organisation's regimes that bind roles it does not hold."""
        t = self.t
        held = {a.role for a in self.assignments}
        considered = {r for a in self.assignments for r in a.considered}
        found: list[ObligationVerdict] = []
        for obligation in t.obligations:
            if obligation.iri in bound or obligation.instrument not in self.regimes:
                continue
            if not obligation.roles:
                continue
            role = obligation.roles[0]
            names = _listing(sorted(t.views.concept(r).label for r in held if r)) or "no role"
            regime = t.ref(obligation.instrument) if obligation.instrument else None
            under = f" under {regime.curie}" if regime else ""
            if role == obligation_service.GPAI_SR_PROVIDER and (
                obligation_service.GPAI_PROVIDER in considered
            ):
                reason = (
                    f"binds {t.views.concept(role).label} (role:{t.views.concept(role).id}); "
                    f"no model the organisation provides is marked asl:systemicRisk true."
                )
            else:
                reason = (
                    f"binds {t.views.concept(role).label} (role:{t.views.concept(role).id}); "
                    f"the organisation holds {names}{under}."
                )
            found.append(self._not_applicable(obligation, role, self.org, reason))
        return found

    def _powers(self, bound: dict[str, str]) -> list[LaterItem]:
        """Enforcement powers, not yet applicable, over instruments the organisation has
        obligations under."""
        t = self.t
        instruments = {
            o.instrument for o in t.obligations if o.iri in bound and o.instrument is not None
        }
        found: list[LaterItem] = []
        for power in t.enforcement_powers:
            resource = t.index.require(power)
            starts = resource.date(P.applies_from)
            instrument = t.instrument_of(power)
            if starts is None or starts <= self.as_of or instrument not in instruments:
                continue
            basis = resource.link(P.basis)
            holder = resource.link(str(ASL.exercisedBy))
            who = t.views.concept(holder).label if holder else "an authority"
            found.append(
                LaterItem(
                    provision=t.ref(power),
                    kind="enforcement-power",
                    bound=self.graph.entity(self.org),
                    applies_from=starts,
                    basis=t.ref(basis) if basis else None,
                    reason=(
                        f"Enforcement power of {who} under {t.ref(instrument).curie}, which the "
                        f"organisation has obligations under; applies from {starts}."
                    ),
                )
            )
        return found

    def _transitional(self, verdicts: list[ObligationVerdict]) -> list[TransitionalNote]:
        t = self.t
        by_rule: dict[str, list[ObligationVerdict]] = {}
        for verdict in verdicts:
            for deferral in verdict.deferred_by:
                deadline = deferral.compliance_deadline
                if deadline is not None and deadline > self.as_of:
                    by_rule.setdefault(deferral.iri, []).append(verdict)
        notes: list[TransitionalNote] = []
        for rule, deferred in sorted(by_rule.items(), key=lambda item: _curie_key(item[0])):
            ref = t.views.transitional(rule)
            models = sorted({v.model.label or v.model.iri for v in deferred if v.model})
            whose = f" ({_listing(models)})" if models else ""
            obligations = sorted({v.obligation.iri for v in deferred}, key=_curie_key)
            notes.append(
                TransitionalNote(
                    **ref.model_dump(),
                    modifies=[t.ref(o) for o in obligations],
                    note=(
                        f"{ref.notation or ref.curie}: for a model placed on the market before "
                        f"{ref.placed_before}{whose}, its provider has until "
                        f"{ref.compliance_deadline} to comply with {len(obligations)} of the "
                        f"obligations judged here. The graph does not say when the models were "
                        f"placed on the market, so the verdicts are given as of {self.as_of}."
                    ),
                )
            )
        return notes

    # ------------------------------------------------------------ suppliers

    def _relied_on(self) -> list[str]:
        return [m for m in self.models if self._supplier(m) not in (None, self.org)]

    def _supplier_posture(self, model: str, compensations: list[Source]) -> SupplierPosture:
        t, graph, as_of = self.t, self.graph, self.as_of
        supplier = self._supplier(model)
        assert supplier is not None  # noqa: S101 - _relied_on keeps supplied models
        systemic = self._systemic(model)
        assignments = [a for a in self.assignments if model in a.models]
        regimes = {a.regime for a in assignments if a.regime} or set(self.regimes)
        postures = self._postures(supplier, model)
        sources = [_posture_source(graph, p, supplier, as_of) for p in postures]
        sources.extend(_evidence_sources(graph, [model, *postures], as_of))
        role = obligation_service.GPAI_PROVIDER
        considered = obligation_service.roles_considered(t.index, role, systemic_risk=systemic)
        verdicts: list[ObligationVerdict] = []
        not_applicable: list[ObligationVerdict] = []
        later: list[LaterItem] = []
        for obligation in t.obligations:
            if regimes and obligation.instrument not in regimes:
                continue
            binding = next((r for r in considered if r in obligation.roles), None)
            if binding is None:
                if obligation_service.GPAI_SR_PROVIDER in obligation.roles:
                    not_applicable.append(
                        self._not_applicable(
                            obligation,
                            obligation_service.GPAI_SR_PROVIDER,
                            supplier,
                            "the organisation does not rely on this model as one with systemic "
                            "risk (no asl:systemicRisk true on it).",
                            model,
                        )
                    )
                continue
            if obligation.applies_from and obligation.applies_from > as_of:
                later.append(self._later(obligation, binding, supplier, model))
                continue
            verdicts.append(
                self.judge.verdict(
                    obligation,
                    sources,
                    role=binding,
                    bound=supplier,
                    model=model,
                    supplier=True,
                    compensations=compensations,
                    recipient_roles=frozenset(a.role for a in assignments if a.role),
                )
            )
        standards = {s for src in sources for s in src.standards}
        adhered = {a for src in sources for a in src.adheres}
        relied = {a.role for a in assignments if a.role}
        return SupplierPosture(
            model=graph.entity(model),
            supplier=graph.entity(supplier),
            systemic_risk=systemic,
            relied_on_as=[t.views.concept(r) for r in sorted(relied)],
            postures=[graph.entity(p) for p in postures],
            standards_in_force=[t.ref(s) for s in sorted(standards, key=_curie_key)],
            adheres_to=[t.ref(a) for a in sorted(adhered, key=_curie_key)],
            obligations=verdicts,
            not_applicable=not_applicable,
            later=later,
        )
