"""One framework, several regimes: which sections of a safety framework (an instrument of the
graph: the RSP, OpenAI's Preparedness Framework ...) serve which obligation of each regime
(the AI Act, the GPAI Code, California SB 53, New York's RAISE Act), which obligations no
section serves, and where the regimes' deadlines differ for the same section.

The framework is a scheme of the graph (:func:`matrix`) or an instrument of an organisation's
own, with its sections as provisions mapped to the graph's (:func:`matrix_of`, over an index
that adds them: :meth:`aslgraph.kg.index.GraphIndex.overlay`).

A section serves an obligation when the crosswalk reaches it from the obligation or from one of
its parts (the ten framework items of SB 53 §22757.12(a) ...), directly or through one
intermediate provision (decision 0005), by any relation but ``no-relationship``;
the matrix repeats the crosswalk's relation and weakest confidence, so that a reader can tell
a section that is equal to a duty from one that only intersects it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence

from aslgraph.kg.catalog import Catalog
from aslgraph.kg.crosswalk import CrosswalkQuery, crosswalk
from aslgraph.kg.errors import InvalidRequestError
from aslgraph.kg.index import C, GraphIndex, P, natural_key, split_iri
from aslgraph.kg.model import (
    Clock,
    ClockDifference,
    CrosswalkEntry,
    RegimeMatrix,
    RegimeRow,
    Serving,
)
from aslgraph.kg.views import Views
from aslgraph.namespaces import ASL

REGIMES = ("eu-ai-act", "gpai-cop", "ca-sb53", "ny-raise")
"""The regimes compared by default: the binding and quasi-binding instruments with duties."""
NO_RELATIONSHIP = "no-relationship"


def matrix(catalog: Catalog, framework: str, regimes: Sequence[str] = REGIMES) -> RegimeMatrix:
    """The matrix of ``framework`` (a scheme) against ``regimes`` (schemes). Raises
    NotFoundError for an unknown framework, InvalidRequestError for an unknown regime or a
    framework compared with itself."""
    catalog.check_scheme(framework, what="framework", found=True)
    chosen = _chosen(catalog, regimes)
    if framework in chosen:
        raise InvalidRequestError(
            f"{framework!r} is the framework; compare it with other regimes",
            kind="invalid-parameter",
        )

    def serving(part: str) -> list[CrosswalkEntry]:
        return catalog.crosswalk(part, to_scheme=framework).entries

    return _matrix(catalog.index, catalog.views, framework, chosen, serving)


def matrix_of(
    catalog: Catalog,
    index: GraphIndex,
    instrument: str,
    regimes: Sequence[str] = REGIMES,
    *,
    prefixes: dict[str, str] | None = None,
) -> RegimeMatrix:
    """The matrix of an instrument outside the graph (an organisation's own framework):
    ``index`` is the catalog's index with the instrument, its sections and their mappings
    added (:meth:`GraphIndex.overlay`); ``prefixes`` (the document's own) name its sections.
    Raises InvalidRequestError for an unknown regime."""
    chosen = _chosen(catalog, regimes)
    views = Views(index, prefixes)
    sections = frozenset(sections_of(index, instrument))

    def serving(part: str) -> list[CrosswalkEntry]:
        found = crosswalk(index, views, CrosswalkQuery(part))
        return [entry for entry in found.entries if entry.target.iri in sections]

    return _matrix(index, views, views.curie(instrument), chosen, serving)


def sections_of(index: GraphIndex, instrument: str) -> list[str]:
    """The provisions of ``instrument``: those ``dct:isPartOf`` it, at any depth."""
    return _parts(index, instrument)


def _chosen(catalog: Catalog, regimes: Sequence[str]) -> list[str]:
    chosen = list(dict.fromkeys(regimes))
    for regime in chosen:
        catalog.check_scheme(regime, what="regime")
    return chosen


def _matrix(
    index: GraphIndex,
    views: Views,
    framework: str,
    chosen: list[str],
    serving_of: Callable[[str], list[CrosswalkEntry]],
) -> RegimeMatrix:
    rows: list[RegimeRow] = []
    obligation = str(ASL.Obligation)
    for iri in sorted(index.by_class.get(C.provision, [])):
        scheme = (split_iri(iri) or ("", ""))[0]
        if scheme not in chosen or obligation not in index.require(iri).links(P.type):
            continue
        serving: list[Serving] = []
        for part in (iri, *_parts(index, iri)):
            serving.extend(
                Serving(
                    section=views.ref(entry.target.iri),
                    relation=entry.relation,
                    confidence=entry.confidence,
                    derived=entry.derived,
                    via=views.ref(entry.via.iri) if entry.via is not None else None,
                    part=views.ref(part) if part != iri else None,
                )
                for entry in serving_of(part)
                if entry.relation.id != NO_RELATIONSHIP
            )
        rows.append(
            RegimeRow(
                regime=scheme,
                obligation=views.ref(iri),
                clock=_clock(index, iri),
                served_by=serving,
            )
        )
    order = {regime: i for i, regime in enumerate(chosen)}
    rows.sort(key=lambda r: (order[r.regime], natural_key(r.obligation.curie)))
    return RegimeMatrix(
        framework=framework,
        regimes=chosen,
        rows=rows,
        gaps=[r for r in rows if not r.served_by],
        clocks_differ=_clocks_differ(index, rows),
    )


def _parts(index: GraphIndex, iri: str) -> list[str]:
    """The provisions inside ``iri`` (its points and items, at any depth)."""
    found: list[str] = []
    todo = list(index.children.get(iri, []))
    while todo:
        part = todo.pop(0)
        if part not in found:
            found.append(part)
            todo.extend(index.children.get(part, []))
    return found


def _clock(index: GraphIndex, iri: str) -> Clock | None:
    resource = index.get(iri)
    if resource is None:
        return None
    days = resource.number(str(ASL.dueWithinDays))
    hours = resource.number(str(ASL.dueWithinHours))
    if days is None and hours is None:
        return None
    return Clock(
        days=int(days) if days is not None else None,
        hours=int(hours) if hours is not None else None,
    )


def _clocks_differ(index: GraphIndex, rows: list[RegimeRow]) -> list[ClockDifference]:
    by_section: dict[str, list[RegimeRow]] = defaultdict(list)
    sections = {}
    for row in rows:
        if row.clock is None:
            continue
        for serving in row.served_by:
            by_section[serving.section.iri].append(row)
            sections[serving.section.iri] = serving.section
    found = []
    for iri, served in sorted(by_section.items()):
        own = _clock(index, iri)
        clocks = {(r.clock.days, r.clock.hours) for r in served if r.clock is not None}
        regimes = {r.regime for r in served}
        differs = len(clocks) > 1 and len(regimes) > 1
        if own is not None and clocks - {(own.days, own.hours)}:
            differs = True
        if differs:
            unique = list({r.obligation.iri: r for r in served}.values())
            found.append(
                ClockDifference(section=sections[iri], section_clock=own, obligations=unique)
            )
    return found
