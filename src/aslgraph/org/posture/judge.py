"""Judging one obligation: its routes, the verdict rule that applies, and the verdict's text.

:class:`Judge` finds every route from the organisation graph's sources to an obligation
(:mod:`aslgraph.org.posture.routes`), turns what they show into :class:`~aslgraph.org.posture.
rules.Findings`, lets the rules decide (:func:`aslgraph.org.posture.rules.decide`) and words the
verdict (:mod:`aslgraph.org.posture.wording`), with the notes an analyst needs: what a framework
route is worth, what a standard leaves out of scope, what was not counted and why.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from aslgraph.kg.composition import INTERSECTS
from aslgraph.kg.index import C, P, short
from aslgraph.kg.model import Ref
from aslgraph.namespaces import ASL
from aslgraph.org.posture import wording
from aslgraph.org.posture.graph import OrgGraph, Source, evidence_doc
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
        if obligation.shown_by is not None:
            return self._act_verdict(
                obligation, role=role, bound=bound, model=model, supplier=supplier
            )
        routes: list[Route] = []
        for source in sources:
            routes.extend(self.routes(source, iri))
        routes, unreported = self._reporting(obligation, routes)
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
                responsive=obligation.arises_on is not None,
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
                arises_on=obligation.arises_on,
            ),
        )
        if verdict == "partly_met":
            uncovered = " ".join(wording.uncovered(r, name) for r in partial)
        counted = full or partial
        framework_only = False
        if counted and all(r.kind == "standard" for r in counted):
            framework = self._framework_notes(counted, iri)
            framework_only = bool(framework)
            notes.extend(framework)
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
        if unreported:
            required = t.reports_to(iri)
            elsewhere = {a for r in unreported for v in r.via for a in t.reports_to(v.iri)}
            notes.append(
                wording.unreported_note(
                    [self._name(r.via[0].iri) for r in unreported if r.via],
                    name,
                    listing([t.views.concept(a).label for a in sorted(required)]),
                    [t.views.concept(a).label or a for a in sorted(elsewhere - required)],
                )
            )
        cites = _cites(t, iri, [*counting, *not_counted])
        if any(r.kind == "code" for r in counting) and t.code_guidance:
            notes.append(wording.code_note([self._labelled(g) for g in t.code_guidance]))
            cites.extend(t.ref(g) for g in t.code_guidance if g not in {c.iri for c in cites})
        return ObligationVerdict(
            **verdict_head(t, self.graph, obligation, role, bound, model),
            binding=obligation.binding,
            verdict=verdict,
            summary=wording.regime(summary, obligation.binding, self._instrument_name(obligation)),
            framework_only=framework_only,
            routes=_ordered(counting),
            not_counted=_ordered(not_counted),
            uncovered=uncovered,
            compensations=[self.graph.entity(c.node) for c in compensating],
            notes=notes,
            cites=cites,
            deferred_by=t.deferred_by(iri),
        )

    def _labelled(self, iri: str) -> str:
        """A provision by its label (a notation may repeat: every guideline item of §5.1)."""
        ref = self.t.ref(iri)
        return f"{ref.label.rstrip('.')} ({ref.curie})" if ref.label else self._name(iri)

    def _instrument_name(self, obligation: ObligationFacts) -> str:
        if obligation.instrument is None:
            return "a voluntary regime"
        ref = self.t.ref(obligation.instrument)
        return ref.label or ref.curie

    def _reporting(
        self, obligation: ObligationFacts, routes: list[Route]
    ) -> tuple[list[Route], list[Route]]:
        """For a reporting duty, the routes that count and those set aside: a route through
        another instrument's provisions (a mapping, Code adherence) meets it only if one of those
        provisions reports to the same addressee (``asl:reportsTo``); the organisation's own
        statement that a control addresses the duty stands."""
        t = self.t
        addressees = t.reports_to(obligation.iri)
        if not addressees:
            return routes, []
        own_chain = {obligation.iri, *t.ancestors(obligation.iri)}
        kept: list[Route] = []
        dropped: list[Route] = []
        for route in routes:
            if not route.mappings and route.kind != "code":
                kept.append(route)
                continue
            reporting = [
                v for v in route.via if v.iri not in own_chain and t.reports_to(v.iri) & addressees
            ]
            (kept if reporting else dropped).append(route)
        return kept, dropped

    def _act_verdict(
        self,
        obligation: ObligationFacts,
        *,
        role: str,
        bound: str,
        model: str | None,
        supplier: bool,
    ) -> ObligationVerdict:
        """A duty that is an act (``asl:shownBy``): met when the graph states the act, on time
        where the duty has a number of days (``asl:dueWithinDays`` from the compute estimate).
        A supplier's act the graph does not mention is not assessed: the organisation is not
        the one it is done towards, so its silence says nothing (a late act it states is
        unmet)."""
        t, graph = self.t, self.graph
        name = self._name(obligation.iri)
        prop = obligation.shown_by or ""
        acts = self._acts(prop, bound, model)
        due: date | None = None
        if obligation.due_within_days is not None and model is not None:
            known = _compute_date(graph, model)
            if known is not None:
                due = known + timedelta(days=obligation.due_within_days)
        what = t.ref(prop).label or short(prop)
        routes: list[Route] = []
        late: list[str] = []
        for act in acts:
            when = graph.date(act, str(DATE))
            on_time = due is None or (when is not None and when <= due)
            doc = evidence_doc(graph, act, self.as_of)
            explanation = (
                f"The graph states {what} {graph.entity(act).label or act}"
                + (f" of {when}" if when else "")
                + (f", within the deadline of {due}" if due and on_time else "")
                + "."
            )
            if not on_time:
                late.append(f"{graph.entity(act).label or act} of {when}")
                continue
            routes.append(
                Route(
                    kind="fact",
                    extent="full",
                    source=graph.entity(act),
                    via=[t.ref(obligation.iri)],
                    evidence=[doc],
                    counts=True,
                    explanation=explanation,
                )
            )
        if routes:
            verdict, summary = "met", f"Met: {routes[0].explanation}"
        elif late:
            verdict = "unmet"
            summary = (
                f"Unmet: {name} was due by {due}; the graph states only {listing(late)}, after "
                f"the deadline."
            )
        elif supplier:
            verdict = "not_assessed"
            summary = (
                f"Not assessed: {name} is done towards the authorities, not the organisation; "
                f"the graph does not say whether {graph.entity(bound).label or bound} has done "
                f"it. Ask the supplier, and state it in the graph ({short(prop)}) if it has."
            )
        else:
            verdict = "unmet"
            summary = (
                f"Unmet: the graph states no {what} for "
                f"{graph.entity(model).label if model else graph.entity(bound).label}, which "
                f"{name} requires" + (f" (due by {due})" if due else "") + "."
            )
        return ObligationVerdict(
            **verdict_head(t, graph, obligation, role, bound, model),
            binding=obligation.binding,
            verdict=verdict,  # type: ignore[arg-type]
            summary=wording.regime(summary, obligation.binding, self._instrument_name(obligation)),
            routes=routes,
            cites=[t.ref(obligation.iri)],
            deferred_by=t.deferred_by(obligation.iri),
        )

    def _acts(self, prop: str, bound: str, model: str | None) -> list[str]:
        """The acts ``prop`` stated for the model, or by the bound party for it (an act naming
        models with ``asl:mandateFor`` covers only those)."""
        graph = self.graph
        found = graph.links(model, prop) if model else []
        for act in graph.links(bound, prop):
            scope = graph.links(act, str(ASL.mandateFor))
            if model is None or not scope or model in scope:
                found.append(act)
        return list(dict.fromkeys(found))

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


DATE = "http://purl.org/dc/terms/date"


def _compute_date(graph: OrgGraph, model: str) -> date | None:
    """When the model's compute estimate was made or became known (the earliest stated)."""
    dates = [
        d
        for estimate in graph.links(model, str(ASL.trainingCompute))
        if (d := graph.date(estimate, DATE)) is not None
    ]
    return min(dates) if dates else None
