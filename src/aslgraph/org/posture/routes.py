"""Routes: the ways something in an organisation graph speaks to an obligation.

A control, posture or evidence document addresses the obligation (or a provision containing it,
or one that serves it: full; a part of it: partly); Code adherence covers it through the
commitments of the chapter that serve it; a safeguard standard in force covers it through
mapping records, direct or derived through one intermediate (:mod:`aslgraph.kg.crosswalk`), a
part of the standard counting as a subset of it: ``equal``/``superset-of`` fully,
``subset-of``/``intersects-with``/``supports`` partly.
"""

from __future__ import annotations

from datetime import date

from aslgraph.kg.composition import EQUAL, INTERSECTS, SUBSET, SUPERSET, SUPPORTS, compose
from aslgraph.kg.index import short
from aslgraph.kg.model import CrosswalkEntry
from aslgraph.namespaces import scheme_namespace
from aslgraph.org.posture.graph import OrgGraph, Source
from aslgraph.org.posture.model import Extent, Route, RouteKind
from aslgraph.org.posture.tables import PostureTables, curie_key
from aslgraph.org.posture.wording import RELATION_WORDS, few, listing

FULL_RELATIONS = frozenset({EQUAL, SUPERSET})
PARTIAL_RELATIONS = frozenset({SUBSET, INTERSECTS, SUPPORTS})
_COMPOSABLE = frozenset({EQUAL, SUBSET, SUPERSET, INTERSECTS, SUPPORTS, "is-supported-by"})


class RouteFinder:
    """Finds the routes from the sources in an organisation graph to an obligation."""

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
            full = sorted({m for s in containing for m in served[s]}, key=curie_key)
            return self._route(
                source,
                "full",
                f"Adheres to {what}: {few([self._name(m) for m in full])} "
                f"serve{'s' if len(full) == 1 else ''} "
                f"{listing([self._name(s) for s in containing])} (asl:servesProvision)"
                + ("." if containing == [obligation] else f", which contains {name}."),
                [adhered, *full, *containing],
                kind="code",
            )
        inside = t.descendants(obligation)
        parts = sorted((s for s in served if s in inside), key=curie_key)
        if parts:
            partial = sorted({m for s in parts for m in served[s]}, key=curie_key)
            return self._route(
                source,
                "partial",
                f"Adheres to {what}: {few([self._name(m) for m in partial])} serve only "
                f"{listing([self._name(s) for s in parts])}, a part of {name}.",
                [adhered, *partial, *parts],
                kind="code",
            )
        return None

    def _standard(self, source: Source, standard: str, obligation: str, name: str) -> Route | None:
        best = self._mapped(source, standard, obligation, name, part_of=None, kind="standard")
        if best is not None and best.extent == "full":
            return best
        for part in sorted(self.t.descendants(standard), key=curie_key):
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
                f"{subject} {RELATION_WORDS[relation]} {name} ({how}; {maps}; "
                f"confidence {_confidence(entry.confidence)})."
            )
            via = [part_of, start] if part_of is not None else [start]
            if entry.derived and entry.via is not None:
                via.append(entry.via.iri)
            route = self._route(source, extent, explanation, via, entry, relation, kind)
            if _better(route, best):
                best = route
        return best


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
