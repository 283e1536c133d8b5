"""The posture service: for an uploaded organisation graph and a date, a verdict per obligation.

:func:`assess` reads the organisation graph (the default graph of a pyoxigraph store, never
changed; :mod:`aslgraph.org.posture.graph`), finds the organisation (the node with
``asl:assessmentDate``), its roles per regime, its models and systems, the postures, controls
and evidence, and judges (:mod:`aslgraph.org.posture.judge`) every obligation of the knowledge
graph that binds one of its roles, and every obligation of the providers of the models it
relies on. The rules are in :mod:`aslgraph.org.posture.rules` and explained in
``docs/decisions/0008-posture-verdicts.md``; in short: a route *counts* when at least one of its
evidence documents is current on ``as_of``; a route covering the obligation makes it met, one
covering a part of it partly met; nothing that counts makes it unmet, or not assessed where
nothing lets us judge (a Code commitment under declared adherence with nothing specific, a
supplier's duty the graph shows nothing about).

Everything legal comes from the knowledge graph through the catalog; what is computed once per
catalog is kept in :class:`~aslgraph.org.posture.tables.PostureTables`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pyoxigraph as ox

from aslgraph.kg import obligations as obligation_service
from aslgraph.kg.catalog import Catalog
from aslgraph.kg.index import C, P
from aslgraph.kg.model import TransitionalNote
from aslgraph.namespaces import ASL
from aslgraph.org.errors import UnassessableError
from aslgraph.org.posture.graph import (
    OrgGraph,
    Source,
    control_source,
    evidence_sources,
    posture_source,
)
from aslgraph.org.posture.judge import Judge, verdict_head
from aslgraph.org.posture.model import (
    LaterItem,
    ObligationVerdict,
    PostureReport,
    RoleHeld,
    SupplierPosture,
)
from aslgraph.org.posture.tables import ObligationFacts, PostureTables, curie_key, tables
from aslgraph.org.posture.wording import listing


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
        sources = [control_source(graph, c, as_of) for c in controls]
        sources.extend(posture_source(graph, p, org, as_of) for p in postures)
        sources.extend(evidence_sources(graph, [*postures, *controls, *own_models, org], as_of))
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
            later=sorted(later, key=lambda i: (i.applies_from, curie_key(i.provision.iri))),
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
        names = listing([self.judge._name(a) for a in sorted(set(adhered), key=curie_key)])
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
            **verdict_head(t, self.graph, obligation, role, bound, model),
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
            names = listing(sorted(t.views.concept(r).label for r in held if r)) or "no role"
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
        for rule, deferred in sorted(by_rule.items(), key=lambda item: curie_key(item[0])):
            ref = t.views.transitional(rule)
            models = sorted({v.model.label or v.model.iri for v in deferred if v.model})
            whose = f" ({listing(models)})" if models else ""
            obligations = sorted({v.obligation.iri for v in deferred}, key=curie_key)
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
        sources = [posture_source(graph, p, supplier, as_of) for p in postures]
        sources.extend(evidence_sources(graph, [model, *postures], as_of))
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
            standards_in_force=[t.ref(s) for s in sorted(standards, key=curie_key)],
            adheres_to=[t.ref(a) for a in sorted(adhered, key=curie_key)],
            obligations=verdicts,
            not_applicable=not_applicable,
            later=later,
        )
