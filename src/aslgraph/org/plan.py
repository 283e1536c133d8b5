"""What would close each shortfall of an organisation graph, from the graph itself.

:func:`plan` validates the graph (:func:`aslgraph.org.validate.validate`: the same findings
as ``aslgraph validate``) and turns each violation and warning into the actions that would close
it, grouping the shortfalls one action closes:

* **assign a level**: a system assigned below what its policy's triggers demand;
* **switch supplier**: a system whose shortfalls a supplier's model causes (the supplier level,
  or safeguards only a supplier standard meets), when a model it considers
  (``asl:candidateModel``) satisfies it (:mod:`aslgraph.org.suppliers`);
* **obtain evidence**: from a supplier, a posture at the level relied on, or what shows one
  of its duties for the model met; from its publisher, a renewed document past its date;
* **add a control**: for a policy safeguard unmet or partly met (one control for every system
  short of it), naming the provisions of the knowledge graph the policy maps the safeguard to,
  with the relation and the weakest confidence; for one of the organisation's own duties,
  naming the other duties the crosswalk says the same provision is equal to or contains.

Actions are ordered by how much they close: violations closed first, then warnings, then by
kind and name. What no action closes (the structure of the graph itself) is listed as it is.
"""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date
from typing import TYPE_CHECKING, Any, Literal

import pyoxigraph as ox
from pydantic import BaseModel, ConfigDict

from aslgraph.kg.catalog import Catalog
from aslgraph.namespaces import ASL, curie
from aslgraph.org import policy
from aslgraph.org.posture.graph import OrgGraph
from aslgraph.org.suppliers import compare
from aslgraph.org.upload import Upload, copy_store
from aslgraph.org.validate import validate
from aslgraph.shacl.report import ValidationResult

if TYPE_CHECKING:  # not at run time: the engines import rdflib
    from aslgraph.shacl import OrgEngine

SHORG = "https://w3id.org/aslgraph/shapes/org#"
ActionKind = Literal["assign-level", "switch-supplier", "obtain-evidence", "add-control"]
_KIND_ORDER = {"assign-level": 0, "switch-supplier": 1, "obtain-evidence": 2, "add-control": 3}
_OBLIGATION_SHAPES = {
    SHORG + n
    for n in (
        "UnmetObligationShape",
        "CompensatedGapShape",
        "VoluntaryCommitmentUnmetShape",
        "PartlyMetObligationShape",
        "PartlyMetCommitmentShape",
        "FrameworkOnlyEvidenceShape",
    )
}
_SAFEGUARD_SHAPES = {SHORG + "PolicySafeguardUnmetShape", SHORG + "PolicySafeguardPartlyMetShape"}
_REACH = frozenset({"equal", "superset-of"})
"""Relations, read from the duty a control addresses, under which it also serves the other."""


def _example(example: Any) -> ConfigDict:
    return ConfigDict(frozen=True, json_schema_extra={"examples": [example]})


_CLOSES = {
    "severity": "violation",
    "focus": "https://example.org/vitalis/rx-agent",
    "about": "https://example.org/vitalis/sg-pharmacist",
    "message": "Prescription Drafting Agent (ex:rx-agent) is at H3 ... which requires S3 ...",
}


class Closes(BaseModel):
    """One shortfall an action closes: a validation result, by its focus and value."""

    model_config = _example(_CLOSES)

    severity: Literal["violation", "warning"]
    focus: str
    about: str | None = None
    message: str


class Action(BaseModel):
    """One way to close one or more shortfalls."""

    model_config = _example(
        {
            "kind": "add-control",
            "summary": "Add a control that addresses S3: a pharmacist approves every "
            "prescription draft (ex:sg-pharmacist) for Prescription Drafting Agent.",
            "closes": [_CLOSES],
            "covers": [],
            "weakest_confidence": None,
        }
    )

    kind: ActionKind
    summary: str
    closes: list[Closes]
    covers: list[str] = []
    """What else the action would cover: the provisions a safeguard is mapped to, the other
    duties a provision is equal to or contains (each with relation and confidence)."""
    weakest_confidence: float | None = None
    """The weakest confidence on the mappings ``covers`` rests on."""


class Plan(BaseModel):
    """The actions that would close the graph's shortfalls, most closing first."""

    model_config = _example(
        {
            "organisation": {"iri": "https://example.org/vitalis/vitalis"},
            "as_of": "2026-11-30",
            "shortfalls": 6,
            "actions": [],
            "unaddressed": [],
        }
    )

    organisation: dict[str, str | None]
    as_of: date | None
    shortfalls: int
    actions: list[Action]
    unaddressed: list[Closes]
    """Shortfalls no action of the plan closes: fix the graph as their messages say."""


def plan(upload: Upload, engine: OrgEngine, catalog: Catalog, as_of: date | None = None) -> Plan:
    """The plan for the uploaded graph (its store is added to; do not reuse it)."""
    original = upload.store
    copy = copy_store(original)
    validation = validate(upload, engine, catalog, as_of=as_of)
    graph = OrgGraph(copy)
    names = _Names(graph, upload.prefixes)
    results = [r for r in validation.report.results if r.severity in ("violation", "warning")]
    builder = _Builder(copy, graph, names, catalog)
    for result in results:
        builder.add(result)
    builder.switches(copy, catalog, validation.as_of, upload.prefixes)
    actions = builder.actions()
    closed = {(c.focus, c.about, c.message) for a in actions for c in a.closes}
    unaddressed = [_closes(r) for r in results if (r.focus, r.value, r.message) not in closed]
    organisation = validation.postures[0].organisation if validation.postures else None
    return Plan(
        organisation={"iri": organisation.iri, "label": organisation.label}
        if organisation
        else {"iri": ""},
        as_of=validation.as_of,
        shortfalls=len(results),
        actions=actions,
        unaddressed=unaddressed,
    )


def _closes(result: ValidationResult) -> Closes:
    severity: Literal["violation", "warning"] = (
        "violation" if result.severity == "violation" else "warning"
    )
    return Closes(severity=severity, focus=result.focus, about=result.value, message=result.message)


class _Names:
    def __init__(self, graph: OrgGraph, prefixes: dict[str, str]):
        self.graph, self.prefixes = graph, prefixes

    def __call__(self, iri: str) -> str:
        label = self.graph.entity(iri).label
        short = curie(iri, self.prefixes)
        return f"{label} ({short})" if label else short


class _Builder:
    """Collects the actions, keyed so that one action closes every shortfall it can."""

    def __init__(self, store: ox.Store, graph: OrgGraph, names: _Names, catalog: Catalog):
        self.store, self.graph, self.names, self.catalog = store, graph, names, catalog
        self.keyed: dict[tuple[str, str], dict[str, Any]] = {}
        self.system_short: dict[str, list[Closes]] = defaultdict(list)
        """The policy safeguards each system is short of (a supplier may meet them)."""
        self.model_short: dict[str, list[Closes]] = defaultdict(list)
        """The supplier-level shortfalls of each model."""

    def _action(self, kind: ActionKind, key: str, summary: str, **extra: Any) -> dict[str, Any]:
        found = self.keyed.get((kind, key))
        if found is None:
            found = self.keyed[kind, key] = {"kind": kind, "summary": summary, "closes": []}
            found.update(extra)
        return found

    def add(self, result: ValidationResult) -> None:
        shape, closes = result.source_shape, _closes(result)
        if shape == SHORG + "PolicyLevelTooLowShape" and result.value:
            self._action(
                "assign-level",
                result.focus,
                f"Assign {self.names(result.value)} to {self.names(result.focus)}, and meet the "
                "safeguards that level requires.",
            )["closes"].append(closes)
        elif shape in _SAFEGUARD_SHAPES and result.value:
            self._safeguard(result, closes)
        elif shape == SHORG + "SupplierSafeguardLevelShape" and result.value:
            self._supplier_level(result, closes)
        elif shape in _OBLIGATION_SHAPES and result.value:
            self._obligation(result, closes)
        elif shape in (SHORG + "StaleEvidenceShape", SHORG + "FutureEvidenceShape"):
            publisher = self.graph.links(result.focus, "http://purl.org/dc/terms/publisher")
            whom = f" from {self.names(publisher[0])}" if publisher else ""
            self._action(
                "obtain-evidence",
                result.focus,
                f"Obtain a current version of {self.names(result.focus)}{whom}.",
            )["closes"].append(closes)

    def _safeguard(self, result: ValidationResult, closes: Closes) -> None:
        safeguard = result.value or ""
        covers, weakest = self._mapped(safeguard)
        action = self._action(
            "add-control",
            safeguard,
            f"Add a control that addresses {self.names(safeguard)} (asl:addresses), for every "
            "system listed, or with no asl:coversSystem for all of them.",
            covers=covers,
            weakest_confidence=weakest,
        )
        action["closes"].append(closes)
        self.system_short[result.focus].append(closes)

    def _mapped(self, safeguard: str) -> tuple[list[str], float | None]:
        """What the policy maps the safeguard to (relation read from it, confidence)."""
        mapped = policy.safeguard_mappings(self.store, safeguard)
        covers = [
            f"{curie(m.target)}: {m.relation}"
            + (f", {m.confidence:g}" if m.confidence is not None else "")
            for m in mapped
        ]
        confidences = [m.confidence for m in mapped if m.confidence is not None]
        return covers, min(confidences) if confidences else None

    def _supplier_level(self, result: ValidationResult, closes: Closes) -> None:
        model = result.focus
        suppliers = self.graph.links(model, str(ASL.supplier))
        whom = self.names(suppliers[0]) if suppliers else "its supplier"
        level = re.search(r"ASL(\d)", result.value or "")
        which = f"the ASL-{level.group(1)} standards" if level else "the standards"
        if suppliers and self.graph.links(suppliers[0], str(ASL.holdsRole)):
            kind: ActionKind = "add-control"
            summary = (
                f"Put {which} the results name, or higher, in force for {self.names(model)} "
                "and declare them in a posture for it (asl:standardInForce), with evidence."
            )
        else:
            kind, summary = (
                "obtain-evidence",
                (
                    f"Obtain from {whom} a posture for {self.names(model)} with {which} the "
                    "results name, or higher, in force (asl:standardInForce), with its evidence."
                ),
            )
        self._action(kind, model, summary)["closes"].append(closes)
        self.model_short[model].append(closes)

    def _obligation(self, result: ValidationResult, closes: Closes) -> None:
        focus, obligation = result.focus, result.value or ""
        suppliers = self.graph.links(focus, str(ASL.supplier))
        own = not suppliers or any(
            focus in self.graph.links(s, str(ASL.hasAIModel))
            and self.graph.links(s, str(ASL.holdsRole))
            for s in suppliers
        )
        duty = self._duty(obligation)
        if suppliers and not own:
            self._action(
                "obtain-evidence",
                f"{focus} {obligation}",
                f"Obtain from {self.names(suppliers[0])} what shows {duty} met for "
                f"{self.names(focus)} (evidence that asl:addresses it), or a posture that "
                "covers it.",
            )["closes"].append(closes)
            return
        covers, weakest = self._reach(obligation)
        self._action(
            "add-control",
            obligation,
            f"Add a control that addresses {duty} (asl:addresses), with its evidence.",
            covers=covers,
            weakest_confidence=weakest,
        )["closes"].append(closes)

    def _duty(self, obligation: str) -> str:
        ref = self.catalog.views.ref(obligation)
        return f"{ref.label or ref.notation or ref.curie} ({ref.curie})"

    def _reach(self, obligation: str) -> tuple[list[str], float | None]:
        """The other duties a control for ``obligation`` would also serve (direct mappings)."""
        found = self.catalog.crosswalk(obligation)
        covers, confidences = [], []
        for entry in found.entries:
            if entry.derived or entry.relation.id not in _REACH:
                continue
            if not self.catalog.index.of_type(entry.target.iri, str(ASL.Obligation)):
                continue
            conf = entry.confidence
            covers.append(
                f"{entry.target.curie}: {entry.relation.id}"
                + (f", {conf:.2f}" if conf is not None else "")
            )
            if conf is not None:
                confidences.append(conf)
        return covers, min(confidences) if confidences else None

    def switches(
        self, store: Any, catalog: Catalog, as_of: date | None, prefixes: dict[str, str]
    ) -> None:
        """Switch-supplier actions: a model considered by every system built on a model below
        its supplier level, with which none of them would be (closing the model's shortfalls
        and the systems' own that the candidate removes); and, for a system short of safeguards
        a supplier standard meets, a considered model that removes some of them."""
        candidates = {
            s: set(self.graph.links(s, str(ASL.candidateModel)))
            for s in {*self.system_short, *self._systems_of_short_models()}
        }
        if not any(candidates.values()):
            return
        comparison = compare(store, catalog, as_of, prefixes=prefixes)
        options = {
            (system.system.iri, option.model.iri): option
            for system in comparison.systems
            for option in system.options
        }
        switched: set[str] = set()
        for model, shorts in sorted(self.model_short.items()):
            systems = self.graph.subjects_linking(str(ASL.integratesModel), model)
            common = set.intersection(*(candidates.get(s, set()) for s in systems))
            best: tuple[int, str, list[Closes]] | None = None
            for candidate in sorted(common):
                chosen = [options.get((s, candidate)) for s in systems]
                if any(
                    o is None or any(x.kind == "supplier-level" for x in o.shortfalls)
                    for o in chosen
                ):
                    continue
                closes = list(shorts)
                for system, option in zip(systems, chosen, strict=True):
                    assert option is not None  # noqa: S101 - checked above
                    kept = {x.about for x in option.shortfalls}
                    closes += [c for c in self.system_short.get(system, []) if c.about not in kept]
                if best is None or len(closes) > best[0]:
                    best = (len(closes), candidate, closes)
            if best is None:
                continue
            _, candidate, closes = best
            switched.update(systems)
            names = ", ".join(self.names(s) for s in systems)
            self._action(
                "switch-supplier",
                f"{model} {candidate}",
                f"Build {names} on {self._model_name(candidate)} instead of "
                f"{self._model_name(model)}.",
            )["closes"].extend(closes)
        for system, shorts in sorted(self.system_short.items()):
            if system in switched:
                continue
            for candidate in sorted(candidates.get(system, set())):
                option = options.get((system, candidate))
                if option is None:
                    continue
                kept = {x.about for x in option.shortfalls}
                closes = [c for c in shorts if c.about not in kept]
                if closes:
                    self._action(
                        "switch-supplier",
                        f"{system} {candidate}",
                        f"Build {self.names(system)} on {self._model_name(candidate)} instead.",
                    )["closes"].extend(closes)

    def _systems_of_short_models(self) -> list[str]:
        return [
            s
            for model in self.model_short
            for s in self.graph.subjects_linking(str(ASL.integratesModel), model)
        ]

    def _model_name(self, model: str) -> str:
        suppliers = self.graph.links(model, str(ASL.supplier))
        whom = f" from {self.names(suppliers[0])}" if suppliers else ""
        return f"{self.names(model)}{whom}"

    def actions(self) -> list[Action]:
        built = [Action(**a) for a in self.keyed.values() if a["closes"]]
        built.sort(
            key=lambda a: (
                -sum(c.severity == "violation" for c in a.closes),
                -len(a.closes),
                _KIND_ORDER[a.kind],
                a.summary,
            )
        )
        return built
