"""Obligations as the knowledge graph lists them: which roles they bind (and the roles a role
includes), the instrument version that holds or drops them, their start dates and the
transitional rules that defer them. Whether one binds a given party is the applicability
engine's to decide (:mod:`aslgraph.org.applicability`, :mod:`aslgraph.org.situation`)."""

from __future__ import annotations

from datetime import date

from aslgraph.kg.index import C, GraphIndex, P, natural_key, short
from aslgraph.kg.model import ObligationEntry, TransitionalNote
from aslgraph.kg.views import Views
from aslgraph.namespaces import scheme_namespace

ROLE = scheme_namespace("role")
GPAI_PROVIDER = str(ROLE["gpai-provider"])
GPAI_SR_PROVIDER = str(ROLE["gpai-sr-provider"])


def roles_considered(index: GraphIndex, role: str, *, systemic_risk: bool) -> list[str]:
    """``role``, with ``systemic_risk`` also gpai-sr-provider, and every broader role of those
    (``skos:broader``, transitively): a provider of a model with systemic risk is also a
    provider of a general-purpose AI model."""
    start = [role]
    if systemic_risk and role != GPAI_SR_PROVIDER:
        start.append(GPAI_SR_PROVIDER)
    found: dict[str, None] = {}
    todo = list(start)
    while todo:
        current = todo.pop(0)
        if current in found:
            continue
        found[current] = None
        concept = index.get(current)
        if concept is not None:
            todo.extend(concept.links(P.broader))
    ordered = [r for r in start if r in found]
    return ordered + [r for r in found if r not in ordered]


def superseded_by(index: GraphIndex, obligation: str, as_of: date) -> str | None:
    """The first version of the obligation's instrument, issued after the last version that
    holds the obligation and on or before ``as_of``, that no longer holds it; else None."""
    resource = index.get(obligation)
    if resource is None:
        return None
    versions = resource.links(P.in_version)
    dated = [d for d in (index.version_date(v) for v in versions) if d is not None]
    if not dated:
        return None
    last = max(dated)
    for version in versions:
        for instrument in index.instruments_of_version(version):
            for later in index.versions_of.get(instrument, []):
                issued = index.version_date(later)
                if issued is None or issued <= last or issued > as_of or later in versions:
                    continue
                return later
    return None


def _instrument(index: GraphIndex, obligation: str) -> str | None:
    resource = index.get(obligation)
    if resource is None:
        return None
    for version in resource.links(P.in_version):
        instruments = index.instruments_of_version(version)
        if instruments:
            return instruments[0]
    return None


def entry(index: GraphIndex, views: Views, iri: str, binding: str, as_of: date) -> ObligationEntry:
    """The obligation ``iri`` as listed for a role: ``binding`` is the role (of those
    considered) it binds; ``superseded_by`` the version, issued by ``as_of``, that dropped it."""
    resource = index.require(iri)
    instrument = _instrument(index, iri)
    basis = resource.link(P.basis)
    replaced = superseded_by(index, iri, as_of)
    return ObligationEntry(
        **views.ref(iri).model_dump(),
        instrument=views.ref(instrument) if instrument else None,
        binds_role=views.concept(binding),
        condition=resource.text(P.condition),
        applies_from=resource.date(P.applies_from),
        basis=views.ref(basis) if basis else None,
        deferred_by=views.deferred_by(iri),
        superseded_by=views.version_ref(replaced) if replaced else None,
    )


def binding(index: GraphIndex, iri: str, roles: list[str]) -> str | None:
    """The first of ``roles`` the obligation ``iri`` binds, if any."""
    resource = index.get(iri)
    if resource is None or not index.of_type(iri, C.obligation):
        return None
    bound = set(resource.links(P.binds_role))
    return next((r for r in roles if r in bound), None)


def order(entry: ObligationEntry) -> tuple[date, tuple[tuple[int, int | str], ...]]:
    """Obligations listed by start date, then by their CURIEs in natural order."""
    return (entry.applies_from or date.min, natural_key(entry.curie))


def transitional_notes(
    views: Views, entries: list[ObligationEntry], as_of: date
) -> list[TransitionalNote]:
    """One note per transitional rule (Art. 111(3)) that defers some of ``entries``."""
    by_rule: dict[str, list[ObligationEntry]] = {}
    for entry in entries:
        for deferral in entry.deferred_by:
            by_rule.setdefault(deferral.iri, []).append(entry)
    notes: list[TransitionalNote] = []
    for rule, deferred in sorted(by_rule.items(), key=lambda item: natural_key(short(item[0]))):
        transitional = views.transitional(rule)
        name = transitional.notation or transitional.curie
        before, deadline = transitional.placed_before, transitional.compliance_deadline
        note = (
            f"{name}: providers of models placed on the market before {before} have until "
            f"{deadline} to comply with {len(deferred)} of the obligations listed."
        )
        if deadline is not None:
            note += (
                f" On {as_of} that deadline is still ahead."
                if as_of < deadline
                else f" That deadline passed on {deadline}."
            )
        notes.append(
            TransitionalNote(
                **views.ref(rule).model_dump(),
                placed_before=before,
                compliance_deadline=deadline,
                modifies=[views.ref(e.iri) for e in deferred],
                note=note,
            )
        )
    return notes
