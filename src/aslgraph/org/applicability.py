"""The applicability engine: does an obligation bind this party (and model) on this date?

The knowledge graph states, as data (docs/decisions/0012-applicability.md), the conditions the law
attaches to obligations: ``asl:appliesWhen`` conditions, exceptions (``asl:exempts`` +
``asl:exemptionWhen``), roles held by condition (``asl:heldWhen``), application dates and
transitional rules. :class:`Rules` reads them once per catalog; :class:`Facts` evaluates every
condition once over one organisation graph (each atomic condition is one SPARQL query run with the
ontology beside the graph); :meth:`Rules.decide` gives a :class:`Decision` for one obligation of one
bound party: it applies, does not apply, applies later, or cannot be decided — each with the
reason, the provisions that decided it and, when undecided, the facts to state.

Used by the posture service (and through it by validate's determinations) and by
``/api/obligations``: one decision for every caller.
"""

from __future__ import annotations

import threading
import weakref
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Literal

import pyoxigraph as ox

from aslgraph.kg import obligations as obligation_service
from aslgraph.kg.catalog import Catalog
from aslgraph.kg.index import C, P, parse_date
from aslgraph.namespaces import ASL, GRAPH, PREFIXES
from aslgraph.org.posture.tables import ObligationFacts, PostureTables, tables
from aslgraph.queries import load_queries

Status = Literal["applies", "does_not_apply", "applies_later", "cannot_be_decided"]
MODEL = str(ASL.AIModel)
ORGANISATION = str(ASL.Organisation)
ONTOLOGY_GRAPH = ox.NamedNode(str(GRAPH["applicability/ontology"]))
"""Where the ontology sits beside an uploaded graph while conditions are evaluated."""
_PROLOGUE = "".join(f"PREFIX {prefix}: <{ns}>\n" for prefix, ns in sorted(PREFIXES.items()))


@dataclass(frozen=True)
class Condition:
    """A condition of the knowledge graph (``asl:Condition``)."""

    iri: str
    label: str
    query: str | None = None
    subject: str | None = None
    """``asl:AIModel`` or ``asl:Organisation`` (atomic conditions)."""
    if_unknown: str | None = None
    set_by: tuple[str, ...] = ()
    all_of: tuple[str, ...] = ()
    negation_of: str | None = None


@dataclass(frozen=True)
class Outcome:
    """A condition evaluated for one subject: ``holds`` is None when undecided."""

    holds: bool | None
    because: str
    set_by: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()


@dataclass(frozen=True)
class Decision:
    """Whether one obligation binds one party (for one model) on one date, and why."""

    status: Status
    reason: str
    """What decided it, in words: the conditions that made it apply, the one that set it aside,
    the date it waits for, or what is missing."""
    decided_by: tuple[str, ...] = ()
    """The provisions that set the deciding conditions, dates or exceptions."""
    applies_from: date | None = None
    """For ``applies_later``: the date."""
    basis: str | None = None
    """For ``applies_later``: the provision that sets that date."""
    missing: tuple[str, ...] = ()
    """For ``cannot_be_decided``: what the graph must state."""


@dataclass
class _Context:
    applying: list[str] = field(default_factory=list)
    decided_by: list[str] = field(default_factory=list)
    unknown: list[Outcome] = field(default_factory=list)


class Rules:
    """The applicability data of one catalog, read once (see the module docstring)."""

    def __init__(self, catalog: Catalog):
        self.t: PostureTables = tables(catalog)
        index = self.t.index
        self.conditions: dict[str, Condition] = {}
        for iri in index.by_class.get(C.condition, []):
            resource = index.require(iri)
            self.conditions[iri] = Condition(
                iri=iri,
                label=resource.label or iri,
                query=resource.text(P.condition_query),
                subject=resource.link(P.condition_subject),
                if_unknown=resource.text(P.if_unknown),
                set_by=tuple(resource.links(P.set_by)),
                all_of=tuple(resource.links(P.all_of)),
                negation_of=resource.link(P.negation_of),
            )
        self.held_when: dict[str, str] = {}
        self.per_model_roles: set[str] = set()
        for concept in index.by_class.get(C.concept, []):
            resource = index.require(concept)
            held = resource.link(P.held_when)
            if held is not None:
                self.held_when[concept] = held
            if resource.boolean(P.duties_per_model):
                self.per_model_roles.add(concept)
        self.exemptions: dict[str, list[tuple[str, str]]] = defaultdict(list)
        self.transitional: dict[str, list[tuple[str, date, date]]] = defaultdict(list)
        for iri in index.provisions():
            resource = index.require(iri)
            when = resource.link(P.exemption_when)
            if when is not None:
                for exempted in resource.links(P.exempts):
                    self.exemptions[exempted].append((iri, when))
            before, deadline = resource.date(P.placed_before), resource.date(P.deadline)
            if index.of_type(iri, C.transitional_rule) and before and deadline:
                for modified in resource.links(P.modifies):
                    self.transitional[modified].append((iri, before, deadline))
        queries = load_queries(catalog.settings.queries_dir)
        self.placements_query = queries["applicability/placements"].text
        self.compute_dates_query = queries["applicability/compute-dates"].text
        self.ontology = _ontology(catalog)
        self._applies_when: dict[str, list[tuple[str, str]]] = {}
        self._superseded: dict[tuple[str, date], str | None] = {}

    # ------------------------------------------------------------ reading the rules

    def applies_when(self, obligation: str) -> list[tuple[str, str]]:
        """(condition, provision carrying it) for the obligation and every provision containing
        it, nearest first."""
        cached = self._applies_when.get(obligation)
        if cached is not None:
            return cached
        found: list[tuple[str, str]] = []
        for carrier in (obligation, *self.t.ancestors(obligation)):
            resource = self.t.index.get(carrier)
            if resource is not None:
                found.extend((c, carrier) for c in resource.links(P.applies_when))
        self._applies_when[obligation] = found
        return found

    def superseded_by(self, obligation: str, as_of: date) -> str | None:
        """The version, issued by ``as_of``, that dropped the obligation (read once per date)."""
        key = (obligation, as_of)
        if key not in self._superseded:
            self._superseded[key] = obligation_service.superseded_by(
                self.t.index, obligation, as_of
            )
        return self._superseded[key]

    def per_model(self, obligation: ObligationFacts) -> bool:
        """Whether the obligation's duty is owed model by model (its role says so)."""
        return any(r in self.per_model_roles for r in obligation.roles)

    def name(self, iri: str) -> str:
        ref = self.t.ref(iri)
        return ref.notation or ref.label or ref.curie

    # ------------------------------------------------------------ deciding

    def decide(
        self,
        facts: Facts,
        obligation: ObligationFacts,
        *,
        role: str,
        party: str,
        model: str | None,
        stated_roles: frozenset[str],
        as_of: date,
        party_name: str,
        model_name: str | None,
    ) -> Decision:
        """Decide ``obligation`` binding ``role`` for ``party`` (and ``model``) on ``as_of``.

        ``stated_roles`` are the roles the graph's role assignments name for this party (and
        model): a role held by condition counts as held when it is stated.
        """
        t = self.t
        replaced = self.superseded_by(obligation.iri, as_of)
        if replaced is not None:
            return Decision(
                "does_not_apply",
                f"superseded: {t.ref(replaced).curie}, issued by {as_of}, no longer contains it",
                (replaced,),
            )
        context = _Context()
        subject_of = {MODEL: model or party, ORGANISATION: party}
        who = model_name or party_name
        held_when = self.held_when.get(role)
        if held_when is not None and role not in stated_roles:
            outcome = facts.outcome(held_when, model or party)
            label = t.views.concept(role).label
            if outcome.holds is False:
                return Decision(
                    "does_not_apply",
                    f"binds the {label}, which {party_name} is not for {who}: {outcome.because}",
                    outcome.set_by,
                )
            if outcome.holds is None:
                context.unknown.append(outcome)
            else:
                context.applying.append(f"{party_name} is the {label} for {who}: {outcome.because}")
                context.decided_by.extend(outcome.set_by)
        for condition, _carrier in self.applies_when(obligation.iri):
            rule = self.conditions.get(condition)
            if rule is None:
                continue
            outcome = facts.outcome(condition, subject_of.get(rule.subject or "", party))
            if outcome.holds is False:
                return Decision(
                    "does_not_apply",
                    f"applies only when {rule.label}; here {outcome.because}",
                    outcome.set_by,
                )
            if outcome.holds is None:
                context.unknown.append(outcome)
            else:
                context.applying.append(outcome.because)
                context.decided_by.extend(outcome.set_by)
        for provision, condition in self.exemptions.get(obligation.iri, []):
            rule = self.conditions.get(condition)
            if rule is None:
                continue
            outcome = facts.outcome(condition, model or party)
            if outcome.holds is True:
                return Decision(
                    "does_not_apply",
                    f"exempt under the {self.name(provision)} exception: {outcome.because}",
                    (provision, *outcome.set_by),
                )
            if outcome.holds is None:
                context.unknown.append(
                    Outcome(None, outcome.because, (provision, *outcome.set_by), outcome.missing)
                )
            else:
                context.applying.append(
                    f"the {self.name(provision)} exception does not apply: {outcome.because}"
                )
                context.decided_by.append(provision)
        if context.unknown:
            starts = obligation.applies_from
            if starts is not None and starts > as_of:
                # nothing binds before its start date, whatever the facts turn out to be
                undecided = _undecided(context.unknown)
                basis = self.t.index.require(obligation.iri).link(P.basis)
                return Decision(
                    "applies_later",
                    f"applies from {starts}"
                    + (f" ({self.name(basis)})" if basis else "")
                    + f", if at all: {undecided.reason}",
                    (basis,) if basis else (),
                    applies_from=starts,
                    basis=basis,
                    missing=undecided.missing,
                )
            return _undecided(context.unknown)
        return self._dates(facts, obligation, model, model_name, as_of, context)

    def _dates(
        self,
        facts: Facts,
        obligation: ObligationFacts,
        model: str | None,
        model_name: str | None,
        as_of: date,
        context: _Context,
    ) -> Decision:
        t = self.t
        resource = t.index.get(obligation.iri)
        basis = resource.link(P.basis) if resource else None
        starts = obligation.applies_from
        if starts is not None and starts > as_of:
            return Decision(
                "applies_later",
                f"applies from {starts}"
                + (f" ({self.name(basis)})" if basis else "")
                + ("; " + "; ".join(context.applying) if context.applying else ""),
                (basis,) if basis else (),
                applies_from=starts,
                basis=basis,
            )
        if starts is not None:
            context.applying.append(
                f"applies since {starts}" + (f" ({self.name(basis)})" if basis else "")
            )
            if basis:
                context.decided_by.append(basis)
        for rule, before, deadline in self.transitional.get(obligation.iri, []):
            if model is None:
                continue
            name = self.name(rule)
            if as_of >= deadline:
                context.applying.append(
                    f"{name} deferred models placed before {before} only until {deadline}"
                )
                context.decided_by.append(rule)
                continue
            placed = facts.placement(model)
            if placed is None:
                return Decision(
                    "cannot_be_decided",
                    f"{name} defers it to {deadline} for models placed on the Union market before "
                    f"{before}, and the graph does not say when {model_name or model} was placed",
                    (rule,),
                    missing=(
                        f"state when {model_name or model} was placed on the Union market "
                        "(asl:placedOnMarket with asl:market jur:EU and dct:date)",
                    ),
                )
            if placed < before:
                return Decision(
                    "applies_later",
                    f"{model_name or model} was placed on the Union market on {placed}, before "
                    f"{before}: {name} gives its provider until {deadline}",
                    (rule,),
                    applies_from=deadline,
                    basis=rule,
                )
            context.applying.append(
                f"placed on the Union market on {placed}, not before {before} "
                f"({name} does not defer it)"
            )
            context.decided_by.append(rule)
        due = self._due(facts, obligation, model, model_name, as_of)
        if due is not None:
            return due
        reason = "; ".join(dict.fromkeys(context.applying)) or "binds the role held"
        return Decision("applies", reason, tuple(dict.fromkeys(context.decided_by)))

    def _due(
        self,
        facts: Facts,
        obligation: ObligationFacts,
        model: str | None,
        model_name: str | None,
        as_of: date,
    ) -> Decision | None:
        """For a duty done by an act within a number of days (Art. 52(1)) and not yet done: when
        it falls due, or what is missing to tell."""
        days, shown_by = obligation.due_within_days, obligation.shown_by
        if days is None or shown_by is None or model is None or facts.shown(shown_by, model):
            return None
        known = facts.compute_date(model)
        who = model_name or model
        if known is None:
            return Decision(
                "cannot_be_decided",
                f"due within {days} days of the condition being met or known, and the graph "
                f"does not say when that was for {who}",
                (obligation.iri,),
                missing=(
                    f"state when the training-compute estimate of {who} was made or the "
                    "threshold became known (dct:date on its asl:trainingCompute)",
                ),
            )
        due = known + timedelta(days=days)
        if as_of <= due:
            return Decision(
                "applies_later",
                f"due by {due}: within {days} days of {known}, when the condition was met or known",
                (obligation.iri,),
                applies_from=due,
                basis=obligation.iri,
            )
        return None


def _undecided(unknown: list[Outcome]) -> Decision:
    missing = tuple(dict.fromkeys(m for outcome in unknown for m in outcome.missing))
    decided_by = tuple(dict.fromkeys(p for outcome in unknown for p in outcome.set_by))
    return Decision(
        "cannot_be_decided",
        "; ".join(dict.fromkeys(outcome.because for outcome in unknown)),
        decided_by,
        missing=missing,
    )


def _ontology(catalog: Catalog) -> list[ox.Quad]:
    """The ontology's triples (its files' named graphs), in :data:`ONTOLOGY_GRAPH`."""
    graphs = [s.graph for s in catalog.store.sources if s.relative.startswith("ontology/")]
    if not graphs:
        return []
    values = " ".join(f"<{g}>" for g in graphs)
    result = catalog.store.query(
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }}"
    )
    assert isinstance(result, ox.QueryTriples)  # noqa: S101 - a CONSTRUCT gives triples
    return [ox.Quad(q.subject, q.predicate, q.object, ONTOLOGY_GRAPH) for q in result]


_RULES: weakref.WeakKeyDictionary[Catalog, Rules] = weakref.WeakKeyDictionary()
_RULES_LOCK = threading.Lock()


def rules(catalog: Catalog) -> Rules:
    """The applicability rules of ``catalog``, read on first use (thread-safe)."""
    found = _RULES.get(catalog)
    if found is None:
        with _RULES_LOCK:
            found = _RULES.get(catalog)
            if found is None:
                found = _RULES[catalog] = Rules(catalog)
    return found


# ---------------------------------------------------------------- the facts of one graph


class Facts:
    """Every condition of ``rules`` evaluated over the default graph of ``store``, once.

    The ontology is put beside the graph (in a named graph of its own) while the queries run
    and removed afterwards, so the store is as it was.
    """

    def __init__(self, rules: Rules, store: ox.Store, shown: Callable[[str, str], bool]):
        self.rules = rules
        self._rows: dict[str, dict[str, list[tuple[bool, str]]]] = {}
        self._shown = shown
        store.extend(rules.ontology)
        try:
            dataset: list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph] = [
                ox.DefaultGraph(),
                ONTOLOGY_GRAPH,
            ]
            for condition in rules.conditions.values():
                if condition.query:
                    self._rows[condition.iri] = _evaluate(store, condition.query, dataset)
            self.placements = _dates(store, rules.placements_query, dataset)
            self.compute_dates = _dates(store, rules.compute_dates_query, dataset)
        finally:
            store.remove_graph(ONTOLOGY_GRAPH)

    def placement(self, model: str) -> date | None:
        """When the model was placed on the Union market (the earliest date stated)."""
        found = self.placements.get(model)
        return min(found) if found else None

    def compute_date(self, model: str) -> date | None:
        """When the model's compute estimate was made or became known (the earliest)."""
        found = self.compute_dates.get(model)
        return min(found) if found else None

    def shown(self, prop: str, subject: str) -> bool:
        """Whether the graph states the act ``prop`` for ``subject`` (a duty shown done)."""
        return self._shown(prop, subject)

    def outcome(self, condition: str, subject: str) -> Outcome:
        """The condition for ``subject``: atomic ones from their query's rows (conflicting rows
        are undecided), composites in three-valued logic."""
        rule = self.rules.conditions.get(condition)
        if rule is None:
            return Outcome(None, f"unknown condition {condition}")
        if rule.negation_of is not None:
            inner = self.outcome(rule.negation_of, subject)
            holds = None if inner.holds is None else not inner.holds
            return Outcome(holds, inner.because, rule.set_by or inner.set_by, inner.missing)
        if rule.all_of:
            parts = [self.outcome(c, subject) for c in rule.all_of]
            false = [p for p in parts if p.holds is False]
            if false:
                return Outcome(False, false[0].because, rule.set_by)
            unknown = [p for p in parts if p.holds is None]
            if unknown:
                missing = tuple(dict.fromkeys(m for p in unknown for m in p.missing))
                return Outcome(None, "; ".join(p.because for p in unknown), rule.set_by, missing)
            return Outcome(True, "; ".join(p.because for p in parts), rule.set_by)
        rows = self._rows.get(condition, {}).get(subject, [])
        missing = (rule.if_unknown,) if rule.if_unknown else ()
        if not rows:
            return Outcome(
                None, f"the graph does not say whether {rule.label}", rule.set_by, missing
            )
        values = {holds for holds, _ in rows}
        if len(values) > 1:
            return Outcome(
                None,
                f"the graph states conflicting facts on whether {rule.label}",
                rule.set_by,
                missing,
            )
        return Outcome(rows[0][0], rows[0][1] or rule.label, rule.set_by)


def _evaluate(
    store: ox.Store, query: str, dataset: list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph]
) -> dict[str, list[tuple[bool, str]]]:
    result = store.query(_PROLOGUE + query, default_graph=dataset)
    assert isinstance(result, ox.QuerySolutions)  # noqa: S101 - conditions are SELECT queries
    found: dict[str, list[tuple[bool, str]]] = defaultdict(list)
    for row in result:
        subject, holds, because = row["subject"], row["holds"], row["because"]
        if isinstance(subject, ox.NamedNode | ox.BlankNode) and isinstance(holds, ox.Literal):
            key = subject.value if isinstance(subject, ox.NamedNode) else str(subject)
            value = holds.value.strip().lower() in ("true", "1")
            text = because.value if isinstance(because, ox.Literal) else ""
            found[key].append((value, text))
    return found


def _dates(
    store: ox.Store, query: str, dataset: list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph]
) -> dict[str, list[date]]:
    result = store.query(query, default_graph=dataset)
    assert isinstance(result, ox.QuerySolutions)  # noqa: S101 - a SELECT gives solutions
    found: dict[str, list[date]] = defaultdict(list)
    for row in result:
        model, when = row["model"], row["date"]
        parsed = parse_date(when.value) if isinstance(when, ox.Literal) else None
        if parsed is not None and isinstance(model, ox.NamedNode | ox.BlankNode):
            key = model.value if isinstance(model, ox.NamedNode) else str(model)
            found[key].append(parsed)
    return found
