"""Routes: the ways something in an organisation graph speaks to an obligation.

A control, posture or evidence document addresses the obligation (or a provision containing it,
or one that serves it: full; a part of it: partly); Code adherence covers it through the
commitments of the chapter that serve it; a safeguard standard in force covers it through
mapping records, direct or derived through one intermediate (:mod:`aslgraph.kg.crosswalk`), a
part of the standard counting as a subset of it: ``equal``/``superset-of`` fully,
``subset-of``/``intersects-with``/``supports`` partly.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from aslgraph.kg.composition import EQUAL, INTERSECTS, SUBSET, SUPERSET, SUPPORTS, compose
from aslgraph.kg.index import short
from aslgraph.kg.model import CrosswalkEntry
from aslgraph.namespaces import scheme_namespace
from aslgraph.org.posture.graph import OrgGraph, Source
from aslgraph.org.posture.model import Extent, Route, RouteKind
from aslgraph.org.posture.tables import DATED_KEPT, PostureTables, curie_key
from aslgraph.org.posture.wording import RELATION_WORDS, few, listing

FULL_RELATIONS = frozenset({EQUAL, SUPERSET})
PARTIAL_RELATIONS = frozenset({SUBSET, INTERSECTS, SUPPORTS})
_COMPOSABLE = frozenset({EQUAL, SUBSET, SUPERSET, INTERSECTS, SUPPORTS, "is-supported-by"})


@dataclass(frozen=True)
class _Plan:
    """A route as the knowledge graph draws it, before a source of the graph takes it: the same
    for every source that addresses, adheres to or holds the same thing, so planned once."""

    extent: Extent
    explanation: str
    via: tuple[str, ...]
    entry: CrosswalkEntry | None = None
    relation: str | None = None
    kind: RouteKind | None = None

    @property
    def confidence(self) -> float | None:
        return self.entry.confidence if self.entry else None


_NONE = object()
SourcePlans = dict[
    tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], str, str], tuple[_Plan, ...]
]
"""The plans of the routes from sources alike (what they address, adhere to and hold) to an
obligation on a date: kept for one uploaded graph (an upload names what it likes, so they are
not kept for the catalog)."""


class RouteFinder:
    """Finds the routes from the sources in an organisation graph to an obligation.

    What the knowledge graph contributes to a route (:class:`_Plan`) depends only on what the
    source addresses, adheres to or holds, the obligation and the date: it is planned once per
    catalog (``PostureTables.route_plans``) and then given each source's evidence.
    """

    def __init__(
        self,
        t: PostureTables,
        graph: OrgGraph,
        as_of: date,
        source_plans: SourcePlans | None = None,
    ):
        self.t = t
        self.graph = graph
        self.as_of = as_of
        self._plans = t.route_plans
        self._day = as_of.isoformat()
        self._source_plans: SourcePlans = {} if source_plans is None else source_plans

    def _route(self, source: Source, plan: _Plan) -> Route:
        t = self.t
        current = [d for d in source.docs if d.status == "current"]
        entry, relation = plan.entry, plan.relation
        return Route(
            kind=plan.kind or source.kind,
            extent=plan.extent,
            source=self.graph.entity(source.node),
            via=[t.ref(v) for v in plan.via],
            relation=t.views.concept(_relation_iri(relation)) if relation else None,
            mappings=[t.ref(link.mapping) for link in entry.path] if entry else [],
            confidence=plan.confidence,
            evidence=current or list(source.docs),
            counts=source.counts,
            explanation=plan.explanation,
        )

    def _planned(self, key: tuple[str, str, str], make: Callable[[], _Plan | None]) -> _Plan | None:
        full_key = (*key, self._day)
        found = self._plans.get(full_key, _NONE)
        if found is _NONE:
            found = make()
            if self.t.known(key[1]):  # an upload's own IRIs are not kept for the catalog
                if len(self._plans) >= DATED_KEPT:
                    self._plans.clear()
                self._plans[full_key] = found
        assert found is None or isinstance(found, _Plan)  # noqa: S101 - only plans are stored
        return found

    def routes(self, source: Source, obligation: str) -> list[Route]:
        """Every route from ``source`` to ``obligation`` (at most one per addressed provision,
        adhered chapter and standard: the widest)."""
        key = (source.addresses, source.adheres, source.standards, obligation, self._day)
        plans = self._source_plans.get(key)
        if plans is None:
            plans = self._source_plans[key] = self._plans_of(source, obligation)
        return [self._route(source, plan) for plan in plans]

    def _plans_of(self, source: Source, obligation: str) -> tuple[_Plan, ...]:
        """The plans of :meth:`routes`: they depend on what the source addresses, adheres to and
        holds, not on the source (so sources alike in those share them)."""
        found: list[_Plan] = []
        for kind, targets, plan in (
            ("addressed", source.addresses, self._addressed),
            ("adhered", source.adheres, self._adhered),
            ("standard", source.standards, self._standard),
        ):
            for target in targets:
                planned = self._planned(
                    (kind, target, obligation),
                    lambda plan=plan, target=target: plan(
                        target, obligation, self._name(obligation)
                    ),  # type: ignore[misc]
                )
                if planned is not None:
                    found.append(planned)
        return tuple(found)

    def _name(self, iri: str) -> str:
        ref = self.t.ref(iri)
        return f"{ref.notation} ({ref.curie})" if ref.notation else ref.curie

    def _addressed(self, addressed: str, obligation: str, name: str) -> _Plan | None:
        t = self.t
        what = self._name(addressed)
        if addressed == obligation:
            return _plan("full", f"Addresses {name} itself.", [addressed])
        if addressed in t.ancestors(obligation):
            return _plan("full", f"Addresses {what}, which contains {name}.", [addressed])
        if addressed in t.descendants(obligation):
            return _plan(
                "partial",
                f"Addresses only {what}, a part of {name}.",
                [addressed],
            )
        served = t.serves(addressed)
        if obligation in served:
            return _plan(
                "full",
                f"Addresses {what}, which serves {name} (asl:servesProvision).",
                [addressed],
            )
        inner = [s for s in served if s in t.descendants(obligation)]
        if inner:
            parts = ", ".join(self._name(s) for s in inner)
            return _plan(
                "partial",
                f"Addresses {what}, which serves only {parts}, a part of {name}.",
                [addressed, *inner],
            )
        return self._mapped(addressed, obligation, name, part_of=None)

    def _adhered(self, adhered: str, obligation: str, name: str) -> _Plan | None:
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
            return _plan(
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
            return _plan(
                "partial",
                f"Adheres to {what}: {few([self._name(m) for m in partial])} serve only "
                f"{listing([self._name(s) for s in parts])}, a part of {name}.",
                [adhered, *partial, *parts],
                kind="code",
            )
        return None

    def _standard(self, standard: str, obligation: str, name: str) -> _Plan | None:
        best = self._mapped(standard, obligation, name, part_of=None, kind="standard")
        if best is not None and best.extent == "full":
            return best
        for part in sorted(self.t.descendants(standard), key=curie_key):
            route = self._mapped(part, obligation, name, part_of=standard, kind="standard")
            if route is not None and _better(route, best):
                best = route
        return best

    def _mapped(
        self,
        start: str,
        obligation: str,
        name: str,
        *,
        part_of: str | None,
        kind: RouteKind | None = None,
    ) -> _Plan | None:
        """The widest route from ``start`` (a standard, a part of ``part_of``, or an addressed
        provision) to ``obligation`` through the crosswalk."""
        best: _Plan | None = None
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
            route = _Plan(extent, explanation, tuple(via), entry, relation, kind)
            if _better(route, best):
                best = route
        return best


def _plan(
    extent: Extent, explanation: str, via: list[str], *, kind: RouteKind | None = None
) -> _Plan:
    return _Plan(extent, explanation, tuple(via), kind=kind)


def _relation_iri(relation: str) -> str:
    return str(scheme_namespace("relation")[relation])


def _better(route: _Plan, best: _Plan | None) -> bool:
    if best is None:
        return True
    if route.extent != best.extent:
        return route.extent == "full"
    return (route.confidence or 0.0) > (best.confidence or 0.0)


def _confidence(value: float | None) -> str:
    return f"{value:.2f}" if value is not None else "unknown"
