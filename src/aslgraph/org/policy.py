"""An organisation's own policy for its AI systems and agents, and its fleet checked against it.

An organisation adopts an ``asl:InternalPolicy`` (``asl:adoptsPolicy``): ranked levels
(``asl:PolicyLevel``, ``asl:levelRank``), triggers that put a system at a level when it exhibits
one of their contexts (``asl:PolicyTrigger``, ``asl:triggersLevel``, ``asl:whenContext``;
systems state ``asl:exhibits``), and the safeguards each level requires (``asl:requiresSafeguard``;
a level requires its own and every lower level's), with the supplier level its models need
(``asl:requiresSupplierLevel``).

:func:`check` puts each system of such an organisation at its level: the highest its triggers
demand or the organisation assigns (``asl:policyLevel``), the policy's lowest level when
nothing applies. It reports an assigned level below the demanded one, and each required
safeguard that is not met. A safeguard is met by a control of the organisation that addresses
it (``asl:addresses``) for the system (``asl:coversSystem``, or no scope: every system), or
through the suppliers: when the policy maps it (an ``asl:Mapping`` in the organisation's graph)
as equal to or contained in (``subset-of``) a safeguard standard of the knowledge graph that the
supplier of every model the system integrates declares in force for it (``asl:standardInForce``
in a posture covering the model; a standard of the same dimension at a higher level counts too,
as ``shapes/org/supplier-level.ttl`` ranks them). A mapping that only overlaps a standard held
(``superset-of``, ``intersects-with``, ``is-supported-by``) meets it in part. The findings become
``asl:PolicyFinding`` determinations, and the supplier level each system's level requires the
``asl:requiredLevel`` of its models, before the shapes run (:func:`write`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import pyoxigraph as ox

from aslgraph.kg.catalog import Catalog
from aslgraph.kg.composition import INVERSE
from aslgraph.kg.index import C, P
from aslgraph.namespaces import ASL, ID, REL, curie
from aslgraph.org.posture.tables import tables

Node = ox.NamedNode | ox.BlankNode
_RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
_PART_OF = ox.NamedNode("http://purl.org/dc/terms/isPartOf")
_BASE = ID + "policy-finding/"
_REL = str(REL[""])
MEETS = frozenset({"equal", "subset-of"})
"""Relations, read from the safeguard, under which a standard in force meets the safeguard."""
PARTLY = frozenset({"superset-of", "intersects-with", "is-supported-by"})
"""Relations under which a standard in force meets only part of the safeguard."""


def _key(node: Node) -> str:
    """A node as a dictionary key (``_:id`` for a blank node)."""
    return node.value if isinstance(node, ox.NamedNode) else f"_:{node.value}"


def _n(term: object) -> ox.NamedNode:
    return term if isinstance(term, ox.NamedNode) else ox.NamedNode(str(term))


@dataclass(frozen=True)
class Finding:
    """One shortfall of one system: ``kind`` is level-too-low (``clause``: the level demanded),
    safeguard-unmet or safeguard-partly-met (``clause``: the safeguard)."""

    system: Node
    kind: str
    clause: Node
    summary: str
    cites: tuple[str, ...] = ()


@dataclass
class Checked:
    """What :func:`check` found: the findings, each system's level and each model's required
    supplier level."""

    findings: list[Finding] = field(default_factory=list)
    levels: dict[Node, Node] = field(default_factory=dict)
    required: dict[Node, set[str]] = field(default_factory=dict)


class _Graph:
    """Lookups in the organisation's graph."""

    def __init__(self, store: ox.Store, prefixes: dict[str, str]):
        self.store = store
        self.prefixes = prefixes

    def objects(self, subject: Node, predicate: object) -> list[ox.NamedNode | ox.BlankNode]:
        found: dict[str, ox.NamedNode | ox.BlankNode] = {}
        for quad in self.store.quads_for_pattern(subject, _n(predicate), None, None):
            value = quad.object
            if isinstance(value, ox.NamedNode | ox.BlankNode):
                found.setdefault(str(value), value)
        return list(found.values())

    def subjects(self, predicate: object, obj: Node) -> list[Node]:
        found: dict[str, Node] = {}
        for quad in self.store.quads_for_pattern(None, _n(predicate), obj, None):
            if isinstance(quad.subject, ox.NamedNode | ox.BlankNode):
                found.setdefault(str(quad.subject), quad.subject)
        return list(found.values())

    def literal(self, subject: Node, predicate: object) -> str | None:
        for quad in self.store.quads_for_pattern(subject, _n(predicate), None, None):
            if isinstance(quad.object, ox.Literal):
                return quad.object.value
        return None

    def is_a(self, node: Node, klass: object) -> bool:
        pattern = self.store.quads_for_pattern(node, _RDF_TYPE, _n(klass), None)
        return next(pattern, None) is not None

    def name(self, node: Node) -> str:
        """The node's label and CURIE, as a finding cites it."""
        short = curie(node.value, self.prefixes) if isinstance(node, ox.NamedNode) else str(node)
        label = self.literal(node, _LABEL)
        return f"{label} ({short})" if label else short


@dataclass(frozen=True)
class _Policy:
    iri: Node
    ranks: dict[str, int]
    """Each level's rank."""
    levels: dict[str, Node]
    triggers: list[tuple[Node, str, frozenset[str]]]
    """(trigger, level, the contexts that fire it)."""
    safeguards: dict[str, list[Node]]
    """The safeguards each level requires itself."""
    supplier_level: dict[str, str]
    """The supplier level a level requires itself."""

    def at_or_below(self, level: str) -> list[str]:
        rank = self.ranks[level]
        return sorted((lv for lv, r in self.ranks.items() if r <= rank), key=self.ranks.__getitem__)

    def lowest(self) -> str:
        return min(self.ranks, key=self.ranks.__getitem__)


def check(store: ox.Store, catalog: Catalog, prefixes: dict[str, str] | None = None) -> Checked:
    """Each AI system of each organisation that adopts a policy, against that policy."""
    graph = _Graph(store, prefixes or {})
    standards = Standards(catalog)
    checked = Checked()
    for organisation, policy in _adoptions(graph):
        for system in graph.objects(organisation, ASL.hasAISystem):
            _check_system(graph, standards, organisation, policy, system, checked)
    return checked


def _adoptions(graph: _Graph) -> Iterator[tuple[Node, _Policy]]:
    for quad in graph.store.quads_for_pattern(None, _n(ASL.adoptsPolicy), None, None):
        organisation, iri = quad.subject, quad.object
        if not isinstance(organisation, ox.NamedNode | ox.BlankNode):
            continue
        if not isinstance(iri, ox.NamedNode | ox.BlankNode):
            continue
        policy = _read_policy(graph, iri)
        if policy is not None:
            yield organisation, policy


def _read_policy(graph: _Graph, iri: Node) -> _Policy | None:
    """The policy, or None when it has no level with a rank (its shapes say what is missing)."""
    ranks: dict[str, int] = {}
    levels: dict[str, Node] = {}
    safeguards: dict[str, list[Node]] = {}
    supplier: dict[str, str] = {}
    triggers: list[tuple[Node, str, frozenset[str]]] = []
    if not isinstance(iri, ox.NamedNode):
        return None
    for part in graph.subjects(_PART_OF, iri):
        if graph.is_a(part, ASL.PolicyLevel):
            rank = graph.literal(part, ASL.levelRank)
            if rank is None or not rank.lstrip("-").isdigit():
                continue
            key = _key(part)
            ranks[key], levels[key] = int(rank), part
            safeguards[key] = graph.objects(part, ASL.requiresSafeguard)
            needed = graph.objects(part, ASL.requiresSupplierLevel)
            if needed:
                supplier[key] = needed[0].value
        elif graph.is_a(part, ASL.PolicyTrigger):
            led = graph.objects(part, ASL.triggersLevel)
            contexts = frozenset(_key(c) for c in graph.objects(part, ASL.whenContext))
            if led and contexts:
                triggers.append((part, _key(led[0]), contexts))
    if not ranks:
        return None
    triggers = [t for t in triggers if t[1] in ranks]
    return _Policy(iri, ranks, levels, triggers, safeguards, supplier)


def _check_system(
    graph: _Graph,
    standards: Standards,
    organisation: Node,
    policy: _Policy,
    system: Node,
    checked: Checked,
) -> None:
    exhibited = {_key(c) for c in graph.objects(system, ASL.exhibits)}
    fired = [(t, level) for t, level, contexts in policy.triggers if contexts & exhibited]
    demanded = max((level for _, level in fired), key=policy.ranks.__getitem__, default=None)
    assigned = next(
        (_key(a) for a in graph.objects(system, ASL.policyLevel) if _key(a) in policy.ranks),
        None,
    )
    level = max(
        (lv for lv in (demanded, assigned) if lv is not None),
        key=policy.ranks.__getitem__,
        default=policy.lowest(),
    )
    checked.levels[system] = policy.levels[level]
    name, policy_name = graph.name(system), graph.name(policy.iri)
    level_name = graph.name(policy.levels[level])
    if (
        assigned is not None
        and demanded is not None
        and policy.ranks[assigned] < policy.ranks[demanded]
    ):
        above = [t for t, lv in fired if policy.ranks[lv] > policy.ranks[assigned]]
        why = "; ".join(graph.name(t) for t in above)
        checked.findings.append(
            Finding(
                system=system,
                kind="level-too-low",
                clause=policy.levels[demanded],
                summary=f"{name} is assigned {graph.name(policy.levels[assigned])} of "
                f"{policy_name}, but its triggers demand {graph.name(policy.levels[demanded])}: "
                f"{why}. Assign that level and meet its safeguards, or remove the capability or "
                "use context.",
                cites=(
                    policy.levels[demanded].value,
                    *(t.value for t in above if isinstance(t, ox.NamedNode)),
                ),
            )
        )
    models = graph.objects(system, ASL.integratesModel)
    for lower in policy.at_or_below(level):
        if lower in policy.supplier_level:
            for model in models:
                checked.required.setdefault(model, set()).add(policy.supplier_level[lower])
    controls = [
        c
        for c in graph.objects(organisation, ASL.runsControl)
        if not (scope := {_key(s) for s in graph.objects(c, ASL.coversSystem)})
        or _key(system) in scope
    ]
    for lower in policy.at_or_below(level):
        for safeguard in policy.safeguards.get(lower, []):
            finding = _safeguard(
                graph, standards, system, safeguard, controls, models, (name, level_name)
            )
            if finding is not None:
                checked.findings.append(finding)


def _safeguard(
    graph: _Graph,
    standards: Standards,
    system: Node,
    safeguard: Node,
    controls: list[Node],
    models: list[ox.NamedNode | ox.BlankNode],
    names: tuple[str, str],
) -> Finding | None:
    """None when the safeguard is met for the system; else what falls short."""
    if any(safeguard in graph.objects(c, ASL.addresses) for c in controls):
        return None
    mapped = list(_mappings(graph, safeguard))
    name, level_name = names
    needs = f"{name} is at {level_name}, which requires {graph.name(safeguard)}"
    targets = sorted({m.target for m in mapped})
    cites = (safeguard.value, *targets)
    held_by_model = {m: _held(graph, m) for m in models}
    full = [
        m
        for m in mapped
        if m.relation in MEETS
        and models
        and all(standards.covers(held, m.target) for held in held_by_model.values())
    ]
    if full:
        return None
    partial = [
        m
        for m in mapped
        if m.relation in PARTLY | MEETS
        and any(standards.covers(held, m.target) for held in held_by_model.values())
    ]
    if partial:
        relation, target, mapping = partial[0].relation, partial[0].target, partial[0].mapping
        holding = [m for m, h in held_by_model.items() if standards.covers(h, target)]
        return Finding(
            system=system,
            kind="safeguard-partly-met",
            clause=safeguard,
            summary=f"{needs}; a supplier's posture covers only part of it: the policy maps it "
            f"as {relation} {curie(target)} ({graph.name(mapping)}), held for "
            f"{_listing(graph, holding)}. "
            "Add a control that addresses the safeguard for this system.",
            cites=cites,
        )
    where = (
        f"; the policy maps it to {', '.join(curie(t) for t in targets)}, which no posture of "
        "the suppliers of its models declares in force for them"
        if targets
        else ""
    )
    return Finding(
        system=system,
        kind="safeguard-unmet",
        clause=safeguard,
        summary=f"{needs}; no control of the organisation addresses it for this system "
        f"(asl:addresses, asl:coversSystem){where}. Add such a control, or obtain a supplier "
        "posture that covers it.",
        cites=cites,
    )


def _listing(graph: _Graph, nodes: list[ox.NamedNode | ox.BlankNode]) -> str:
    return ", ".join(graph.name(n) for n in nodes)


@dataclass(frozen=True)
class SafeguardMapping:
    """One mapping record of a policy safeguard to the knowledge graph, read from the
    safeguard's side."""

    relation: str
    target: str
    mapping: Node
    confidence: float | None


def safeguard_mappings(store: ox.Store, safeguard: str) -> list[SafeguardMapping]:
    """The organisation's mapping records of ``safeguard`` (an IRI) to the knowledge graph."""
    return list(_mappings(_Graph(store, {}), ox.NamedNode(safeguard)))


def _mappings(graph: _Graph, safeguard: Node) -> Iterator[SafeguardMapping]:
    for forward, predicate in ((True, ASL.mappingSubject), (False, ASL.mappingObject)):
        other = ASL.mappingObject if forward else ASL.mappingSubject
        for mapping in graph.subjects(predicate, safeguard):
            ends = graph.objects(mapping, other)
            relations = graph.objects(mapping, ASL.relation)
            if len(ends) != 1 or len(relations) != 1 or not ends[0].value.startswith(ID):
                continue
            asserted = relations[0].value.removeprefix(_REL)
            read = asserted if forward else INVERSE.get(asserted)
            if read is None:
                continue
            confidence = graph.literal(mapping, ASL.confidence)
            try:
                value = float(confidence) if confidence is not None else None
            except ValueError:
                value = None
            yield SafeguardMapping(read, ends[0].value, mapping, value)


def supplier_postures(store: ox.Store, model: str) -> tuple[set[str], set[str]]:
    """The standards in force, and the instruments adhered to, in the postures of the model's
    suppliers that cover it (``model``: an IRI, or ``_:id`` for a blank node)."""
    node: Node = ox.BlankNode(model[2:]) if model.startswith("_:") else ox.NamedNode(model)
    return _postures(_Graph(store, {}), node)


def _held(graph: _Graph, model: ox.NamedNode | ox.BlankNode) -> set[str]:
    """The standards the model's suppliers declare in force for it."""
    return _postures(graph, model)[0]


def _postures(graph: _Graph, model: Node) -> tuple[set[str], set[str]]:
    held: set[str] = set()
    adhered: set[str] = set()
    for supplier in graph.objects(model, ASL.supplier):
        for posture in graph.objects(supplier, ASL.declaresPosture):
            covered = graph.objects(posture, ASL.postureFor)
            if covered and model not in covered:
                continue
            held.update(s.value for s in graph.objects(posture, ASL.standardInForce))
            adhered.update(s.value for s in graph.objects(posture, ASL.adheresTo))
    return held, adhered


class Standards:
    """Whether a standard held covers a provision of the knowledge graph: it is the provision,
    contains it, or is a standard of the same dimension at the same or a higher level than the
    standard that contains it."""

    def __init__(self, catalog: Catalog):
        self.index = catalog.index
        self.tables = tables(catalog)

    def covers(self, held: set[str], target: str) -> bool:
        return any(self._covers(h, target) for h in held)

    def _covers(self, held: str, target: str) -> bool:
        chain = [target, *self.tables.ancestors(target)]
        if held in chain:
            return True
        owner = next((s for s in chain if self.index.of_type(s, C.standard)), None)
        if owner is None or not self.index.of_type(held, C.standard):
            return False
        return self._dimension(held) == self._dimension(owner) and self._rank(held) >= self._rank(
            owner
        )

    def _dimension(self, standard: str) -> str | None:
        resource = self.index.get(standard)
        return resource.link(P.dimension) if resource is not None else None

    def _rank(self, standard: str) -> int:
        resource = self.index.get(standard)
        level = resource.link(P.for_level) if resource is not None else None
        found = self.index.get(level) if level else None
        rank = found.integer(P.level_rank) if found is not None else None
        return rank if rank is not None else 0


# ---------------------------------------------------------------- into the graph the shapes read


def write(store: ox.Store, checked: Checked) -> None:
    """Add the findings, each system's level and each model's required supplier level."""
    quads: list[ox.Quad] = []
    for finding in checked.findings:
        digest = hashlib.sha256(
            f"{finding.system}\n{finding.kind}\n{finding.clause}".encode()
        ).hexdigest()[:20]
        node = ox.NamedNode(_BASE + digest)
        quads.extend(
            [
                ox.Quad(finding.system, _n(ASL.policyFinding), node),
                ox.Quad(node, _RDF_TYPE, _n(ASL.PolicyFinding)),
                ox.Quad(node, _n(ASL.findingKind), ox.Literal(finding.kind)),
                ox.Quad(node, _n(ASL.aboutClause), finding.clause),
                ox.Quad(node, _n(ASL.summary), ox.Literal(finding.summary)),
            ]
        )
    for system, level in checked.levels.items():
        quads.append(ox.Quad(system, _n(ASL.determinedLevel), level))
    for model, levels in checked.required.items():
        quads.extend(ox.Quad(model, _n(ASL.requiredLevel), ox.NamedNode(lv)) for lv in levels)
    store.extend(quads)


def cites(checked: Checked) -> Iterable[tuple[tuple[str, str], tuple[str, ...]]]:
    """What each finding rests on, keyed as validation results name their focus and value."""
    for finding in checked.findings:
        yield (finding.system.value, finding.clause.value), finding.cites
