"""One framework, several regimes: which sections of a safety framework (an instrument of the
graph: the RSP, OpenAI's Preparedness Framework ...) serve which obligation of each regime
(the AI Act, the GPAI Code, California SB 53, New York's RAISE Act), which obligations no
section serves, and where the regimes' deadlines differ for the same section.

A section serves an obligation when the crosswalk reaches it from the obligation or from one of
its parts (the ten framework items of SB 53 §22757.12(a) ...), directly or through one
intermediate provision (decision 0005), by any relation but ``no-relationship``;
the matrix repeats the crosswalk's relation and weakest confidence, so that a reader can tell
a section that is equal to a duty from one that only intersects it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from aslgraph.kg.catalog import Catalog
from aslgraph.kg.errors import InvalidRequestError
from aslgraph.kg.index import C, P, natural_key, split_iri
from aslgraph.kg.model import Clock, ClockDifference, RegimeMatrix, RegimeRow, Serving
from aslgraph.namespaces import ASL

REGIMES = ("eu-ai-act", "gpai-cop", "ca-sb53", "ny-raise")
"""The regimes compared by default: the binding and quasi-binding instruments with duties."""
NO_RELATIONSHIP = "no-relationship"


def matrix(catalog: Catalog, framework: str, regimes: Sequence[str] = REGIMES) -> RegimeMatrix:
    """The matrix of ``framework`` (a scheme) against ``regimes`` (schemes). Raises
    NotFoundError for an unknown framework, InvalidRequestError for an unknown regime or a
    framework compared with itself."""
    catalog.check_scheme(framework, what="framework", found=True)
    chosen = list(dict.fromkeys(regimes))
    for regime in chosen:
        catalog.check_scheme(regime, what="regime")
    if framework in chosen:
        raise InvalidRequestError(
            f"{framework!r} is the framework; compare it with other regimes",
            kind="invalid-parameter",
        )
    index, views = catalog.index, catalog.views
    rows: list[RegimeRow] = []
    obligation = str(ASL.Obligation)
    for iri in sorted(index.by_class.get(C.provision, [])):
        scheme = (split_iri(iri) or ("", ""))[0]
        if scheme not in chosen or obligation not in index.require(iri).links(P.type):
            continue
        serving: list[Serving] = []
        for part in (iri, *_parts(catalog, iri)):
            found = catalog.crosswalk(part, to_scheme=framework)
            serving.extend(
                Serving(
                    section=views.ref(entry.target.iri),
                    relation=entry.relation,
                    confidence=entry.confidence,
                    derived=entry.derived,
                    via=views.ref(entry.via.iri) if entry.via is not None else None,
                    part=views.ref(part) if part != iri else None,
                )
                for entry in found.entries
                if entry.relation.id != NO_RELATIONSHIP
            )
        rows.append(
            RegimeRow(
                regime=scheme,
                obligation=views.ref(iri),
                clock=_clock(catalog, iri),
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
        clocks_differ=_clocks_differ(catalog, rows),
    )


def _parts(catalog: Catalog, iri: str) -> list[str]:
    """The provisions inside ``iri`` (its points and items, at any depth)."""
    found: list[str] = []
    todo = list(catalog.index.children.get(iri, []))
    while todo:
        part = todo.pop(0)
        if part not in found:
            found.append(part)
            todo.extend(catalog.index.children.get(part, []))
    return found


def _clock(catalog: Catalog, iri: str) -> Clock | None:
    resource = catalog.index.get(iri)
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


def _clocks_differ(catalog: Catalog, rows: list[RegimeRow]) -> list[ClockDifference]:
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
        own = _clock(catalog, iri)
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
