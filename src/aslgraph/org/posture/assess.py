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

from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import date

import pyoxigraph as ox

from aslgraph.kg import obligations as obligation_service
from aslgraph.kg.catalog import Catalog
from aslgraph.kg.index import C, P
from aslgraph.kg.model import Ref, TransitionalNote
from aslgraph.namespaces import ASL
from aslgraph.org.applicability import Decision, Facts, Rules, rules
from aslgraph.org.errors import UnassessableError
from aslgraph.org.posture import wording
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
    PolicyFindingItem,
    PolicyStanding,
    PostureReport,
    RoleHeld,
    SupplierPosture,
    SystemLevel,
)
from aslgraph.org.posture.routes import SourcePlans
from aslgraph.org.posture.tables import ObligationFacts, PostureTables, curie_key, tables
from aslgraph.org.posture.wording import listing


def assess(data: ox.Store, catalog: Catalog, as_of: date | None = None) -> PostureReport:
    """The posture of the organisation described in ``data`` (its default graph) on ``as_of``.

    ``as_of`` defaults to the organisation's ``asl:assessmentDate``, else today. ``data`` is
    read, never changed. Raises UnassessableError when the graph names no organisation to
    assess (no ``asl:assessmentDate``, or none holding a role) or more than one.
    """
    graph = OrgGraph(data)
    organisation = _organisation(graph)
    given = as_of
    dated = graph.date(organisation, str(ASL.assessmentDate))
    when = given or dated or date.today()
    source = "argument" if given else "assessment-date" if dated else "today"
    report = Assessor(data, catalog, graph).assess(organisation, when, source)
    return report.model_copy(update={"policy": policy_standing(data, catalog, graph)})


def policy_standing(data: ox.Store, catalog: Catalog, graph: OrgGraph) -> PolicyStanding | None:
    """The systems of the graph against the agent policies their organisations adopt (None
    when no organisation adopts one)."""
    from aslgraph.org import policy

    checked = policy.check(data, catalog)
    if not checked.levels:
        return None
    return PolicyStanding(
        levels=[
            SystemLevel(system=graph.entity(_key_of(s)), level=graph.entity(_key_of(lv)))
            for s, lv in checked.levels.items()
        ],
        findings=[
            PolicyFindingItem(
                system=graph.entity(_key_of(f.system)),
                kind=f.kind,  # type: ignore[arg-type]  # the check's kinds are these three
                clause=graph.entity(_key_of(f.clause)),
                summary=f.summary,
                cites=list(f.cites),
            )
            for f in checked.findings
        ],
    )


def _key_of(node: ox.NamedNode | ox.BlankNode) -> str:
    return node.value if isinstance(node, ox.NamedNode) else str(node)


class Assessor:
    """Assesses the organisations of one uploaded graph: the graph is read and its conditions
    evaluated once, then each organisation holding a role can be assessed."""

    def __init__(self, data: ox.Store, catalog: Catalog, graph: OrgGraph | None = None):
        self.t = tables(catalog)
        self.graph = graph if graph is not None else OrgGraph(data)
        self.rules = rules(catalog)
        graph = self.graph
        # a function of the graph, not a method of the assessor: the facts must not hold the
        # assessor (a cycle keeps the whole graph alive until the collector runs, and it is
        # paused while a graph is judged)
        self.facts = Facts(self.rules, data, shown=lambda prop, s: bool(graph.links(s, prop)))
        self.source_plans: SourcePlans = {}
        """The route plans of the graph's sources, shared by its assessments (the routes)."""
        self.supplier_postures: OrderedDict[SupplierKey, SupplierPosture] = OrderedDict()
        """A supplied model's posture, judged once for every organisation that relies on it
        in the same way (same date, regimes, recipient roles and compensating controls); the
        :data:`SUPPLIER_POSTURES_KEPT` most recently used (a graph of many organisations, each
        with its own suppliers, would otherwise keep every posture to the end)."""

    def parties(self) -> list[str]:
        """Every organisation that holds a role (the parties with duties of their own)."""
        return self.graph.subjects_with(str(ASL.holdsRole))

    def models(self) -> list[str]:
        """Every AI model the graph describes."""
        return self.graph.subjects_of_type(str(ASL.AIModel))

    def assess(self, organisation: str, as_of: date, source: str = "argument") -> PostureReport:
        return _Assessment(self, organisation, as_of).report(source)

    def duties(self, organisation: str, as_of: date) -> list[ObligationVerdict]:
        """The verdicts on the duties that bind ``organisation`` and the suppliers it relies on:
        the ``obligations`` of :meth:`assess`'s report followed by each supplier's, the same,
        without the rest of the report (what does not apply, what applies later, the roles and
        notes): what validate writes as determinations for every party but the assessed one."""
        return _Assessment(self, organisation, as_of, lean=True).duties()

    def systemic_risk(self, model: str) -> bool | None:
        """Whether the model has systemic risk, as the conditions decide (None: undecided)."""
        held = self.rules.held_when.get(obligation_service.GPAI_SR_PROVIDER)
        return self.facts.outcome(held, model).holds if held else None


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


SUPPLIER_POSTURES_KEPT = 256
"""The supplied models' postures an assessor keeps for reuse (the most recently used)."""


@dataclass(frozen=True)
class SupplierKey:
    """What a supplied model's posture depends on beyond the graph itself."""

    model: str
    as_of: date
    regimes: frozenset[str]
    recipients: frozenset[str]
    compensations: frozenset[tuple[str, str]]
    """(kind, node) of each compensating control: a source is read from its node and the date."""
    lean: bool = False
    """Judged for :meth:`Assessor.duties`: the duties only, so never reused for a report."""


@dataclass
class _Assignment:
    node: str
    role: str
    regime: str | None
    scope: list[str]
    considered: list[str]
    """The role and every broader role it includes (what the assignment states)."""
    candidates: list[str]
    """``considered`` and the roles held by condition under one of them."""
    models: list[str]


@dataclass
class _Verdicts:
    """The verdicts of one bound party, as they are decided."""

    judged: list[ObligationVerdict] = field(default_factory=list)
    not_applicable: list[ObligationVerdict] = field(default_factory=list)
    later: list[LaterItem] = field(default_factory=list)


class _Assessment:
    def __init__(self, assessor: Assessor, organisation: str, as_of: date, *, lean: bool = False):
        self.assessor = assessor
        self.lean = lean
        """Only the duties judged (:meth:`duties`): what does not apply or applies later is
        decided, and left out."""
        self.t: PostureTables = assessor.t
        self.rules: Rules = assessor.rules
        self.facts: Facts = assessor.facts
        self.graph: OrgGraph = assessor.graph
        graph = self.graph
        self.org = organisation
        self.as_of = as_of
        self.judge = Judge(self.t, graph, as_of, assessor.source_plans)
        self._sources: dict[str | None, list[Source]] = {}
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

    def _name(self, node: str | None) -> str | None:
        if node is None:
            return None
        return self.graph.entity(node).label or node

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
        considered = (
            obligation_service.roles_considered(self.t.index, role, systemic_risk=False)
            if role
            else []
        )
        return _Assignment(
            node,
            role,
            regime,
            scope,
            considered,
            self._candidates(considered),
            self._models_in(scope),
        )

    def _candidates(self, considered: list[str]) -> list[str]:
        """``considered`` and the roles held by condition whose broader role is in it."""
        found = list(considered)
        for role in self.rules.held_when:
            broader = set(
                obligation_service.roles_considered(self.t.index, role, systemic_risk=False)
            )
            if role not in found and broader & set(considered):
                found.append(role)
        return found

    def _stated(self, model: str | None) -> frozenset[str]:
        """The roles the organisation's assignments state for ``model`` (or for all)."""
        return frozenset(
            r
            for a in self.assignments
            if not a.scope or model is None or model in a.models
            for r in a.considered
        )

    def _own_models(self, assignment: _Assignment) -> list[str]:
        return [m for m in assignment.models if self._supplier(m) in (None, self.org)]

    def _postures(self, party: str, model: str | None) -> list[str]:
        """The postures ``party`` declares that cover ``model`` (or all, without a model)."""
        found = []
        for posture in self.graph.links(party, str(ASL.declaresPosture)):
            covers = self.graph.links(posture, str(ASL.postureFor))
            if model is None or not covers or model in covers:
                found.append(posture)
        return found

    def _own_sources(self, model: str | None) -> list[Source]:
        """The organisation's sources speaking to its duties (for ``model``); read once each."""
        found = self._sources.get(model)
        if found is None:
            found = self._sources[model] = self._read_own_sources(model)
        return found

    def _read_own_sources(self, model: str | None) -> list[Source]:
        graph, org, as_of = self.graph, self.org, self.as_of
        postures = self._postures(org, model)
        controls = graph.links(org, str(ASL.runsControl))
        models = [model] if model else [m for m in self.models if self._supplier(m) in (None, org)]
        sources = [control_source(graph, c, as_of) for c in controls]
        sources.extend(posture_source(graph, p, org, as_of) for p in postures)
        sources.extend(evidence_sources(graph, [*postures, *controls, *models, org], as_of))
        return sources

    # ------------------------------------------------------------ deciding and judging

    def _decide(
        self,
        obligation: ObligationFacts,
        role: str,
        party: str,
        model: str | None,
        stated: frozenset[str],
    ) -> Decision:
        return self.rules.decide(
            self.facts,
            obligation,
            role=role,
            party=party,
            model=model,
            stated_roles=stated,
            as_of=self.as_of,
            party_name=self._name(party) or party,
            model_name=self._name(model),
        )

    def _record(
        self,
        out: _Verdicts,
        decision: Decision,
        obligation: ObligationFacts,
        *,
        role: str,
        party: str,
        model: str | None,
        sources: list[Source],
        supplier: bool,
        compensations: list[Source],
        recipient_roles: frozenset[str] = frozenset(),
    ) -> None:
        t, graph = self.t, self.graph
        if self.lean and decision.status in ("does_not_apply", "applies_later"):
            return
        decided_by = [t.ref(p) for p in decision.decided_by if t.index.get(p) is not None]
        if decision.status == "does_not_apply":
            verdict = self._not_applicable(obligation, role, party, decision.reason + ".", model)
            out.not_applicable.append(
                verdict.model_copy(
                    update={
                        "decided_by": decided_by,
                        "cites": _merge(verdict.cites, decided_by),
                    }
                )
            )
        elif decision.status == "applies_later":
            assert decision.applies_from is not None  # noqa: S101 - set for applies_later
            out.later.append(
                LaterItem(
                    provision=t.ref(obligation.iri),
                    kind="obligation",
                    role=t.views.concept(role),
                    bound=graph.entity(party),
                    model=graph.entity(model) if model else None,
                    applies_from=decision.applies_from,
                    basis=t.ref(decision.basis) if decision.basis else None,
                    reason=_sentence(decision.reason),
                    binding=obligation.binding,
                )
            )
        elif decision.status == "cannot_be_decided":
            state = "; ".join(decision.missing)
            out.judged.append(
                ObligationVerdict(
                    **verdict_head(t, graph, obligation, role, party, model),
                    binding=obligation.binding,
                    verdict="cannot_be_decided",
                    summary=wording.regime(
                        f"Cannot be decided: {decision.reason}."
                        + (f" To decide, {state}." if state else ""),
                        obligation.binding,
                        self.judge._instrument_name(obligation),
                    ),
                    decided_by=decided_by,
                    missing=list(decision.missing),
                    cites=_merge([t.ref(obligation.iri)], decided_by),
                    deferred_by=t.deferred_by(obligation.iri),
                )
            )
        else:
            verdict = self.judge.verdict(
                obligation,
                sources,
                role=role,
                bound=party,
                model=model,
                supplier=supplier,
                compensations=compensations,
                recipient_roles=recipient_roles,
            )
            out.judged.append(
                verdict.model_copy(
                    update={
                        "applies_because": _sentence(decision.reason),
                        "decided_by": decided_by,
                        "cites": _merge(verdict.cites, decided_by),
                    }
                )
            )

    # ------------------------------------------------------------ the report

    def duties(self) -> list[ObligationVerdict]:
        compensations = self._compensations()
        out = _Verdicts()
        self._judge_own(out, compensations)
        suppliers = [self._supplier_posture(m, compensations) for m in self._relied_on()]
        return [*out.judged, *(v for s in suppliers for v in s.obligations)]

    def _compensations(self) -> list[Source]:
        return [s for s in self._own_sources(None) if s.kind == "compensating-control"]

    def _judge_own(self, out: _Verdicts, compensations: list[Source]) -> dict[str, str]:
        """Decide and judge the organisation's own duties into ``out``; the role binding each
        obligation of its roles, by obligation."""
        t = self.t
        bound: dict[str, str] = {}
        seen: set[tuple[str, str | None]] = set()
        for assignment in self.assignments:
            for obligation in t.obligations:
                role = next((r for r in assignment.candidates if r in obligation.roles), None)
                if role is None:
                    continue
                if assignment.regime and obligation.instrument != assignment.regime:
                    continue
                bound.setdefault(obligation.iri, role)
                models: list[str | None]
                if self.rules.per_model(obligation):
                    models = list(self._own_models(assignment))
                    if not models:
                        self._no_model(out, obligation, role, seen)
                        continue
                else:
                    models = [None]
                for model in models:
                    if (obligation.iri, model) in seen:
                        continue
                    seen.add((obligation.iri, model))
                    decision = self._decide(obligation, role, self.org, model, self._stated(model))
                    self._record(
                        out,
                        decision,
                        obligation,
                        role=role,
                        party=self.org,
                        model=model,
                        sources=self._own_sources(model),
                        supplier=False,
                        compensations=compensations,
                    )
        return bound

    def report(self, as_of_source: str) -> PostureReport:
        t = self.t
        compensations = self._compensations()
        out = _Verdicts()
        bound = self._judge_own(out, compensations)
        out.not_applicable.extend(self._other_roles(bound))
        out.later.extend(self._powers(bound))
        suppliers = [self._supplier_posture(m, compensations) for m in self._relied_on()]
        counts: dict[str, int] = {}
        for item in [*out.judged, *(v for s in suppliers for v in s.obligations)]:
            counts[item.verdict] = counts.get(item.verdict, 0) + 1
        later = sorted(out.later, key=lambda i: (i.applies_from, curie_key(i.provision.iri)))
        return PostureReport(
            organisation=self.graph.entity(self.org),
            as_of=self.as_of,
            as_of_source=as_of_source,  # type: ignore[arg-type]
            roles=[self._role_held(a) for a in self.assignments],
            regimes=[t.ref(r) for r in self.regimes],
            obligations=out.judged,
            not_applicable=out.not_applicable,
            later=later,
            transitional=self._transitional([*later, *(i for s in suppliers for i in s.later)]),
            suppliers=suppliers,
            verdicts=counts,
        )

    def _no_model(
        self,
        out: _Verdicts,
        obligation: ObligationFacts,
        role: str,
        seen: set[tuple[str, str | None]],
    ) -> None:
        """A duty owed per model, for an organisation whose graph names no model it provides."""
        if (obligation.iri, None) in seen:
            return
        seen.add((obligation.iri, None))
        t = self.t
        label = t.views.concept(role).label
        out.judged.append(
            ObligationVerdict(
                **verdict_head(t, self.graph, obligation, role, self.org, None),
                binding=obligation.binding,
                verdict="cannot_be_decided",
                summary=(
                    f"Cannot be decided: the duty is owed for each model the {label} provides, "
                    "and the graph names none. To decide, state the models the organisation "
                    "provides (asl:hasAIModel, each with asl:supplier the organisation itself)."
                ),
                missing=[
                    "state the models the organisation provides (asl:hasAIModel, each with "
                    "asl:supplier the organisation itself)"
                ],
                cites=[t.ref(obligation.iri)],
            )
        )

    def _role_held(self, assignment: _Assignment) -> RoleHeld:
        views = self.t.views
        return RoleHeld(
            assignment=self.graph.entity(assignment.node),
            role=views.concept(assignment.role) if assignment.role else views.concept(""),
            regime=self.t.ref(assignment.regime) if assignment.regime else None,
            scope=[self.graph.entity(s) for s in assignment.scope],
            roles_considered=[views.concept(r) for r in assignment.candidates],
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
            binding=obligation.binding,
            verdict="not_applicable",
            summary=f"Not applicable: {reason[:1].upper() + reason[1:]}",
            cites=[t.ref(obligation.iri), *([t.ref(role)] if t.index.get(role) else [])],
        )

    def _other_roles(self, bound: dict[str, str]) -> list[ObligationVerdict]:
        """Obligations of the organisation's regimes that bind roles it does not hold."""
        t = self.t
        held = {a.role for a in self.assignments}
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

    def _transitional(self, later: list[LaterItem]) -> list[TransitionalNote]:
        """One note per transitional rule that defers some of the obligations judged."""
        t = self.t
        by_rule: dict[str, list[LaterItem]] = {}
        for item in later:
            if item.basis is not None and t.index.of_type(item.basis.iri, C.transitional_rule):
                by_rule.setdefault(item.basis.iri, []).append(item)
        notes: list[TransitionalNote] = []
        for rule, deferred in sorted(by_rule.items(), key=lambda item: curie_key(item[0])):
            ref = t.views.transitional(rule)
            models = sorted({i.model.label or i.model.iri for i in deferred if i.model})
            obligations = sorted({i.provision.iri for i in deferred}, key=curie_key)
            notes.append(
                TransitionalNote(
                    **ref.model_dump(),
                    modifies=[t.ref(o) for o in obligations],
                    note=(
                        f"{ref.notation or ref.curie}: {listing(models) or 'the models'}, "
                        f"placed on the Union market before {ref.placed_before}, have until "
                        f"{ref.compliance_deadline} for {len(obligations)} of the obligations "
                        f"judged here."
                    ),
                )
            )
        return notes

    # ------------------------------------------------------------ suppliers

    def _relied_on(self) -> list[str]:
        return [m for m in self.models if self._supplier(m) not in (None, self.org)]

    def _supplier_posture(self, model: str, compensations: list[Source]) -> SupplierPosture:
        """The posture of a supplied model, as this organisation relies on it. It depends on
        nothing of the organisation but the regimes it relies on the model under, the roles it
        holds for it and its compensating controls: organisations alike in those share one."""
        assignments = [a for a in self.assignments if model in a.models]
        regimes = {a.regime for a in assignments if a.regime} or set(self.regimes)
        recipients = frozenset(a.role for a in assignments if a.role)
        key = SupplierKey(
            model,
            self.as_of,
            frozenset(regimes),
            recipients,
            frozenset((c.kind, c.node) for c in compensations),
            self.lean,
        )
        memo = self.assessor.supplier_postures
        found = memo.get(key)
        if found is None:
            found = memo[key] = self._judge_supplier(model, compensations, assignments, regimes)
            if len(memo) > SUPPLIER_POSTURES_KEPT:
                memo.popitem(last=False)
        else:
            memo.move_to_end(key)
        return found

    def _judge_supplier(
        self,
        model: str,
        compensations: list[Source],
        assignments: list[_Assignment],
        regimes: set[str],
    ) -> SupplierPosture:
        t, graph, as_of = self.t, self.graph, self.as_of
        supplier = self._supplier(model)
        assert supplier is not None  # noqa: S101 - _relied_on keeps supplied models
        postures = self._postures(supplier, model)
        sources = [posture_source(graph, p, supplier, as_of) for p in postures]
        sources.extend(evidence_sources(graph, [model, *postures], as_of))
        considered = obligation_service.roles_considered(
            t.index, obligation_service.GPAI_PROVIDER, systemic_risk=False
        )
        candidates = self._candidates(considered)
        stated = frozenset(considered)
        recipients = frozenset(a.role for a in assignments if a.role)
        out = _Verdicts()
        for obligation in t.obligations:
            if regimes and obligation.instrument not in regimes:
                continue
            role = next((r for r in candidates if r in obligation.roles), None)
            if role is None:
                continue
            decision = self._decide(obligation, role, supplier, model, stated)
            self._record(
                out,
                decision,
                obligation,
                role=role,
                party=supplier,
                model=model,
                sources=sources,
                supplier=True,
                compensations=compensations,
                recipient_roles=recipients,
            )
        standards = {s for src in sources for s in src.standards}
        adhered = {a for src in sources for a in src.adheres}
        relied = {a.role for a in assignments if a.role}
        return SupplierPosture(
            model=graph.entity(model),
            supplier=graph.entity(supplier),
            systemic_risk=self.assessor.systemic_risk(model) is True,
            relied_on_as=[t.views.concept(r) for r in sorted(relied)],
            postures=[graph.entity(p) for p in postures],
            standards_in_force=[t.ref(s) for s in sorted(standards, key=curie_key)],
            adheres_to=[t.ref(a) for a in sorted(adhered, key=curie_key)],
            obligations=out.judged,
            not_applicable=out.not_applicable,
            later=out.later,
        )


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")


def _merge(first: list[Ref], more: list[Ref]) -> list[Ref]:
    found: dict[str, Ref] = {ref.iri: ref for ref in first}
    for ref in more:
        found.setdefault(ref.iri, ref)
    return list(found.values())
