"""Which supplier's model would do, for each AI system of an organisation.

An organisation graph names, for a system, the models it integrates and the ones it considers
instead (``asl:candidateModel``), each with its supplier and the supplier's declared posture.
:func:`compare` judges every option for every system as if the system were built on that model
alone: the graph is copied with the swap made, then

* the organisation's own policy (:mod:`aslgraph.org.policy`): the safeguards of the system's
  level that only a supplier standard meets, and the supplier level the level requires;
* the supplier level the organisation relies on the model for (``shapes/org/supplier-level.ttl``:
  a stated or policy ``asl:requiredLevel``, ASL-3 for a model with systemic risk, the Code's
  Safety and Security chapter also meeting the latter);
* the regime: the supplier's duties for the model, as the posture service decides them for the
  organisation (unmet, partly met, or turning on a fact the graph does not state).

Each option gets its shortfalls; those that have none satisfy. Options are ranked: satisfying
first, then by fewer violation-grade shortfalls, then fewer warnings, then by name.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

import pyoxigraph as ox
from pydantic import BaseModel, ConfigDict

from aslgraph.kg.catalog import Catalog
from aslgraph.namespaces import ASL, scheme_namespace
from aslgraph.org import policy
from aslgraph.org.errors import UnassessableError
from aslgraph.org.posture.assess import Assessor, assess
from aslgraph.org.posture.graph import OrgGraph
from aslgraph.org.posture.model import Entity

RSP = scheme_namespace("rsp")
COP_SS = str(scheme_namespace("gpai-cop")["SS"])
_INTEGRATES = ox.NamedNode(str(ASL.integratesModel))
_CANDIDATE = ox.NamedNode(str(ASL.candidateModel))

ShortfallKind = Literal[
    "safeguard-unmet",
    "safeguard-partly-met",
    "supplier-level",
    "duty-unmet",
    "duty-partly-met",
    "duty-undecided",
]
_SEVERITY: dict[str, Literal["violation", "warning"]] = {
    "safeguard-unmet": "violation",
    "safeguard-partly-met": "warning",
    "supplier-level": "violation",
    "duty-unmet": "violation",
    "duty-partly-met": "warning",
    "duty-undecided": "warning",
}
_DUTY_KIND: dict[str, ShortfallKind] = {
    "unmet": "duty-unmet",
    "partly_met": "duty-partly-met",
    "cannot_be_decided": "duty-undecided",
}


def _example(example: Any, *, frozen: bool = False) -> ConfigDict:
    return ConfigDict(frozen=frozen, json_schema_extra={"examples": [example]})


_SHORTFALL: dict[str, Any] = {
    "kind": "supplier-level",
    "severity": "violation",
    "about": "https://w3id.org/aslgraph/id/rsp/ASL3-SS",
    "summary": "Aurora-3 would be relied on at ASL-3 (the level the organisation's own policy "
    "requires), but its supplier declares no security standard at that level in force for it: "
    "ASL-3 or higher is needed.",
}
_OPTION: dict[str, Any] = {
    "model": {"iri": "https://example.org/vitalis/aurora-3", "label": "Aurora-3"},
    "supplier": {"iri": "https://example.org/vitalis/aurora", "label": "Aurora Models Ltd"},
    "current": True,
    "satisfies": False,
    "shortfalls": [_SHORTFALL],
}


class Shortfall(BaseModel):
    """What one option leaves short, and the clause, standard or obligation it is about."""

    model_config = _example(_SHORTFALL, frozen=True)

    kind: ShortfallKind
    severity: Literal["violation", "warning"]
    about: str
    """The IRI of the policy safeguard, the RSP standard or the obligation."""
    summary: str


class Option(BaseModel):
    """One model for one system: whether it satisfies the organisation's regime and policy."""

    model_config = _example(_OPTION)

    model: Entity
    supplier: Entity | None = None
    current: bool
    """True for a model the system integrates now."""
    satisfies: bool
    shortfalls: list[Shortfall] = []


class SystemOptions(BaseModel):
    """The options for one system, ranked (the satisfying ones first)."""

    model_config = _example(
        {
            "system": {"iri": "https://example.org/vitalis/triage-assistant"},
            "level": {"iri": "https://example.org/vitalis/H2", "label": "H2"},
            "options": [_OPTION],
            "satisfying": [],
        }
    )

    system: Entity
    level: Entity | None = None
    """The system's level under the organisation's policy, when it has one."""
    options: list[Option]
    satisfying: list[Entity]


class SupplierComparison(BaseModel):
    """For each system of the organisation with a choice of model, which would do and why the
    others would not."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "organisation": {"iri": "https://example.org/vitalis/vitalis"},
                    "as_of": "2026-11-30",
                    "systems": [],
                }
            ]
        }
    )

    organisation: Entity
    as_of: date
    systems: list[SystemOptions]


def compare(
    store: ox.Store,
    catalog: Catalog,
    as_of: date | None = None,
    *,
    prefixes: dict[str, str] | None = None,
) -> SupplierComparison:
    """Compare the models each system integrates or considers (``asl:candidateModel``);
    ``prefixes`` (the document's own) name its nodes in the summaries.

    Raises UnassessableError when the graph names no organisation to assess, or no system of
    it has a model to compare."""
    base = assess(store, catalog, as_of)  # the organisation, its date, and errors, once
    organisation, when = base.organisation.iri, base.as_of
    graph = OrgGraph(store)
    systems = [s for s in graph.links(organisation, str(ASL.hasAISystem)) if _options(graph, s)]
    if not systems:
        raise UnassessableError(
            "no AI system of the organisation has a model to compare: name the models a "
            "system integrates (asl:integratesModel) and the ones considered instead "
            "(asl:candidateModel), each with its supplier (asl:supplier)",
            kind="nothing-to-compare",
        )
    levels = {item.system.iri: item.level for item in base.policy.levels} if base.policy else {}
    context = _Context(store, catalog, graph, organisation, when, prefixes or {}, levels)
    found = [_system(context, s) for s in sorted(systems)]
    return SupplierComparison(organisation=base.organisation, as_of=when, systems=found)


def _options(graph: OrgGraph, system: str) -> list[tuple[str, bool]]:
    current = graph.links(system, str(ASL.integratesModel))
    candidates = [m for m in graph.links(system, str(ASL.candidateModel)) if m not in current]
    return [(m, True) for m in current] + [(m, False) for m in candidates]


@dataclass(frozen=True)
class _Context:
    store: ox.Store
    catalog: Catalog
    graph: OrgGraph
    organisation: str
    when: date
    prefixes: dict[str, str]
    levels: dict[str, Entity]
    """Each system's level under the organisation's policy, as the posture gives it."""


def _system(context: _Context, system: str) -> SystemOptions:
    graph = context.graph
    options = [
        _option(context, system, model, current) for model, current in _options(graph, system)
    ]
    options.sort(
        key=lambda o: (
            not o.satisfies,
            sum(s.severity == "violation" for s in o.shortfalls),
            len(o.shortfalls),
            (o.model.label or o.model.iri).casefold(),
        )
    )
    return SystemOptions(
        system=graph.entity(system),
        level=context.levels.get(system),
        options=options,
        satisfying=[o.model for o in options if o.satisfies],
    )


def _swapped(store: ox.Store, system: str, model: str) -> ox.Store:
    """A copy of the graph in which ``system`` integrates ``model`` alone."""
    node = _node(system)
    copy = ox.Store()
    copy.extend(
        q
        for q in store.quads_for_pattern(None, None, None, None)
        if not (q.subject == node and q.predicate in (_INTEGRATES, _CANDIDATE))
    )
    copy.add(ox.Quad(node, _INTEGRATES, _node(model)))
    return copy


def _node(key: str) -> ox.NamedNode | ox.BlankNode:
    return ox.BlankNode(key[2:]) if key.startswith("_:") else ox.NamedNode(key)


def _option(context: _Context, system: str, model: str, current: bool) -> Option:
    catalog, graph = context.catalog, context.graph
    swapped = _swapped(context.store, system, model)
    shortfalls: list[Shortfall] = []
    fleet = policy.check(swapped, catalog, context.prefixes)
    for finding in fleet.findings:
        if finding.system.value == system and finding.kind != "level-too-low":
            shortfalls.append(_shortfall(finding.kind, finding.clause.value, finding.summary))
    required = {lv for m, levels in fleet.required.items() if m.value == model for lv in levels}
    required.update(graph.links(model, str(ASL.requiredLevel)))
    assessor = Assessor(swapped, catalog)
    systemic = assessor.systemic_risk(model) is True
    shortfalls.extend(_supplier_level(catalog, graph, swapped, model, required, systemic))
    report = assessor.assess(context.organisation, context.when)
    for supplier in report.suppliers:
        for verdict in supplier.obligations:
            if verdict.model is None or verdict.model.iri != model:
                continue
            kind = _DUTY_KIND.get(verdict.verdict)
            if kind is not None:
                shortfalls.append(_shortfall(kind, verdict.obligation.iri, verdict.summary))
    shortfalls.sort(key=lambda s: s.severity != "violation")  # stable: violations first
    suppliers = graph.links(model, str(ASL.supplier))
    return Option(
        model=graph.entity(model),
        supplier=graph.entity(suppliers[0]) if suppliers else None,
        current=current,
        satisfies=not any(s.severity == "violation" for s in shortfalls),
        shortfalls=shortfalls,
    )


def _shortfall(kind: ShortfallKind | str, about: str, summary: str) -> Shortfall:
    name: ShortfallKind = kind  # type: ignore[assignment]  # the policy's kinds are ours
    return Shortfall(kind=name, severity=_SEVERITY[kind], about=about, summary=summary)


def _supplier_level(
    catalog: Catalog,
    graph: OrgGraph,
    store: ox.Store,
    model: str,
    required: set[str],
    systemic: bool,
) -> list[Shortfall]:
    """The supplier-level rule of ``shapes/org/supplier-level.ttl``, for one option: the
    supplier must hold, for the model, a security and a deployment standard at the level the
    organisation relies on it for (or higher); adherence to the Code's Safety and Security
    chapter meets the ASL-3 a model with systemic risk needs, not a level the policy asks."""
    ranks = {str(RSP[f"ASL-{n}"]): n for n in (2, 3, 4)}
    level_need = max((ranks[lv] for lv in required if lv in ranks), default=0)
    risk_need = 3 if systemic else 0
    need = max(level_need, risk_need)
    if need < 2:
        return []
    why = (
        "treated as a general-purpose AI model with systemic risk"
        if risk_need >= level_need
        else "the level the organisation's own policy requires"
    )
    held, adheres = policy.supplier_postures(store, model)
    by_code = COP_SS in adheres and risk_need >= level_need
    standards = policy.Standards(catalog)
    name = graph.entity(model).label or model
    found = []
    for dimension, code in (("security", "SS"), ("deployment", "DS")):
        wanted = str(RSP[f"ASL{need}-{code}"])
        if by_code or standards.covers(held, wanted):
            continue
        found.append(
            _shortfall(
                "supplier-level",
                wanted,
                f"{name} would be relied on at ASL-{need} ({why}), but its supplier declares "
                f"no {dimension} standard at that level in force for it: ASL-{need} or higher "
                "is needed.",
            )
        )
    return found
