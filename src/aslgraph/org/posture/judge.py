"""Judging one obligation: its routes, the verdict rule that applies, and the verdict's text.

:class:`Judge` finds every route from the organisation graph's sources to an obligation
(:mod:`aslgraph.org.posture.routes`), turns what they show into :class:`~aslgraph.org.posture.
rules.Findings`, lets the rules decide (:func:`aslgraph.org.posture.rules.decide`) and words the
verdict (:mod:`aslgraph.org.posture.wording`), with the notes an analyst needs: what a framework
route is worth, what a standard leaves out of scope, what was not counted and why.
"""

from __future__ import annotations

from typing import Any

from aslgraph.kg.composition import INTERSECTS
from aslgraph.kg.index import C, P
from aslgraph.kg.model import Ref
from aslgraph.namespaces import ASL
from aslgraph.org.posture import wording
from aslgraph.org.posture.graph import OrgGraph, Source
from aslgraph.org.posture.model import ObligationVerdict, Route
from aslgraph.org.posture.routes import RouteFinder
from aslgraph.org.posture.rules import Findings, decide
from aslgraph.org.posture.tables import ObligationFacts, PostureTables, curie_key
from aslgraph.org.posture.wording import listing


class Judge(RouteFinder):
    """Finds the routes from sources to an obligation and turns them into a verdict."""

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
        owed = [r for r in obligation.owed_to if r in recipient_roles] if supplier else []
        rule = decide(
            Findings(
                full=bool(full),
                partial=bool(partial),
                stale=bool(not_counted),
                supplier=supplier,
                compensated=bool(compensating),
                owed=bool(owed),
                declared=declared is not None,
            )
        )
        verdict = rule.verdict
        compensation_names = [self.graph.entity(c.node).label or c.node for c in compensating]
        summary = wording.summary(
            rule.reason,
            wording.Context(
                name=name,
                as_of=self.as_of,
                full=full,
                partial=partial,
                not_counted=not_counted,
                compensations=compensation_names,
                owed_to=t.views.concept(owed[0]).label if owed else None,
                declared=self._name(declared) if declared is not None else None,
            ),
        )
        if verdict == "partly_met":
            uncovered = " ".join(wording.uncovered(r, name) for r in partial)
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
            notes.append(wording.compensation_note(compensation_names))
        if not_counted and verdict in ("met", "partly_met"):
            notes.append(wording.not_counted_note(self.as_of, not_counted))
        cites = _cites(t, iri, [*counting, *not_counted])
        return ObligationVerdict(
            **verdict_head(t, self.graph, obligation, role, bound, model),
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
            note = wording.framework_note(
                f"{ref.label or ref.curie} ({ref.curie})",
                target.label or target.curie,
                self._name(obligation),
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
        actors = sorted({actor for _, actor, _ in chosen}, key=curie_key)
        closers = {*actors, *(statement for statement, _, _ in chosen)}
        for entry in t.crosswalk(standard, self.as_of):
            if not entry.derived and entry.relation.id == INTERSECTS:
                closers.add(entry.target.iri)
        closed = self._closed_by(closers, sources)
        names = listing([t.ref(a).label or t.ref(a).curie for a in actors])
        version = f" ({t.ref(framework).curie})" if framework else ""
        overlap = sorted(
            (c for c in closers if c not in actors and t.index.is_a(c, C.provision)),
            key=curie_key,
        )
        overlap = [c for c in overlap if c not in {s for s, _, _ in chosen}]
        return wording.scope_note(
            f"{self._name(standard)}{version}",
            names,
            [self._name(c) for c in overlap],
            closed,
        )

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


def _ordered(routes: list[Route]) -> list[Route]:
    return sorted(routes, key=lambda r: (r.extent != "full", -(r.confidence or 0.0), r.kind))


def verdict_head(
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
