"""The crosswalk of one provision: its direct mappings and the mappings derived through one
intermediate provision (relations composed by :mod:`aslgraph.kg.composition`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from aslgraph.kg.composition import COMPOSITION
from aslgraph.kg.index import GraphIndex, MappingEnd, P, natural_key, split_iri
from aslgraph.kg.model import Crosswalk, CrosswalkEntry, MappingLink
from aslgraph.kg.views import Views
from aslgraph.namespaces import REL, scheme_namespace

MST = scheme_namespace("mapping-status")
SUPERSEDED = str(MST["superseded"])
REVIEWED = str(MST["reviewed"])
DRAFT = str(MST["draft"])
_STATUS_RANK = {SUPERSEDED: 0, DRAFT: 1, REVIEWED: 2}


@dataclass(frozen=True)
class CrosswalkQuery:
    """What to look up: a provision IRI and the optional filters."""

    provision: str
    to_scheme: str | None = None
    min_confidence: float | None = None
    as_of: date | None = None


def _scheme(iri: str) -> str | None:
    split = split_iri(iri)
    return split[0] if split else None


def _in_force(index: GraphIndex, end: MappingEnd, as_of: date | None) -> bool:
    """Whether a mapping counts on ``as_of``: not superseded, and both instrument versions it
    was made against issued on or before the date (a missing or undated version does not
    exclude it). Without ``as_of`` every mapping counts."""
    if as_of is None:
        return True
    mapping = end.mapping
    if mapping.link(P.status) == SUPERSEDED:
        return False
    for predicate in (P.subject_version, P.object_version):
        version = mapping.link(predicate)
        issued = index.version_date(version) if version else None
        if issued is not None and issued > as_of:
            return False
    return True


def _weakest_status(statuses: list[str | None]) -> str | None:
    known = [s for s in statuses if s is not None]
    if not known:
        return None
    return min(known, key=lambda s: _STATUS_RANK.get(s, 1))


def _weakest_confidence(links: list[MappingLink]) -> float | None:
    values = [link.confidence for link in links]
    if any(v is None for v in values):
        return None
    return min(v for v in values if v is not None)


def _keep(entry: CrosswalkEntry, query: CrosswalkQuery) -> bool:
    if query.to_scheme is not None and _scheme(entry.target.iri) != query.to_scheme:
        return False
    if query.min_confidence is not None:
        return entry.confidence is not None and entry.confidence >= query.min_confidence
    return True


def _order(entry: CrosswalkEntry) -> tuple[float, tuple[tuple[int, int | str], ...], str]:
    return (-(entry.confidence or 0.0), natural_key(entry.target.curie), entry.relation.id)


def crosswalk(index: GraphIndex, views: Views, query: CrosswalkQuery) -> Crosswalk:
    """Direct mappings of ``query.provision`` (read from its side) and derived ones.

    A derived entry goes through one intermediate provision B with two mappings that count on
    ``as_of`` and are not superseded; it is offered only when the composed relation is defined
    (see the composition table), the target is not the provision itself and has no direct
    mapping with it (a mapping someone wrote outranks an inference). For each target and
    relation the path with the highest weakest confidence is kept.
    """
    origin = query.provision
    ends = [e for e in index.mapping_ends.get(origin, []) if _in_force(index, e, query.as_of)]
    direct: list[CrosswalkEntry] = []
    linked = {origin}
    for end in ends:
        link = views.mapping_link(end)
        linked.add(end.other)
        entry = CrosswalkEntry(
            derived=False,
            target=link.other,
            relation=link.relation,
            confidence=link.confidence,
            status=link.status,
            path=[link],
        )
        if _keep(entry, query):
            direct.append(entry)

    best: dict[tuple[str, str], CrosswalkEntry] = {}
    for first in ends:
        if first.mapping.link(P.status) == SUPERSEDED:
            continue
        middle = first.other
        first_relation = views.read_relation(first).id
        for second in index.mapping_ends.get(middle, []):
            target = second.other
            if (
                second.mapping.iri == first.mapping.iri
                or target in linked
                or second.mapping.link(P.status) == SUPERSEDED
                or not _in_force(index, second, query.as_of)
            ):
                continue
            if query.to_scheme is not None and _scheme(target) != query.to_scheme:
                continue
            second_relation = views.read_relation(second).id
            composed = COMPOSITION.get((first_relation, second_relation))
            if composed is None:
                continue
            path = [views.mapping_link(first), views.mapping_link(second)]
            status = _weakest_status([first.mapping.link(P.status), second.mapping.link(P.status)])
            entry = CrosswalkEntry(
                derived=True,
                target=path[1].other,
                via=path[0].other,
                relation=views.concept(str(REL[composed])),
                confidence=_weakest_confidence(path),
                status=views.concept_of(status),
                rule=f"{first_relation} ∘ {second_relation} = {composed}",
                path=path,
            )
            if not _keep(entry, query):
                continue
            key = (target, composed)
            kept = best.get(key)
            if kept is None or (entry.confidence or 0.0) > (kept.confidence or 0.0):
                best[key] = entry

    return Crosswalk(
        provision=views.ref(origin),
        to_scheme=query.to_scheme,
        min_confidence=query.min_confidence,
        as_of=query.as_of,
        entries=sorted(direct, key=_order) + sorted(best.values(), key=_order),
    )
