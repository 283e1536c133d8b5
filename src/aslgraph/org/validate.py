"""Validate an organisation's graph against the shapes of ``shapes/org``, as of a date.

:func:`validate` takes a parsed upload (:mod:`aslgraph.org.upload`), sets the date the graph is
judged on (:func:`apply_as_of`) and runs the shapes through an engine (:mod:`aslgraph.shacl`).
The outcome, :class:`OrgValidation`, is rendered by :mod:`aslgraph.org.report` (JSON, SHACL
report graph) or :mod:`aslgraph.cli.text` (a terminal).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

import pyoxigraph as ox

from aslgraph.namespaces import ASL
from aslgraph.org.upload import Upload

if TYPE_CHECKING:  # not at run time: the engines import rdflib and pyshacl, slow to import
    from aslgraph.shacl import OrgEngine
    from aslgraph.shacl.report import ValidationReport

Progress = Callable[[str, int, int], None]
"""``progress(stage, done, total)``: an engine's report of how far it is."""

_ASSESSMENT_DATE = ox.NamedNode(str(ASL.assessmentDate))
_XSD_DATE = ox.NamedNode("http://www.w3.org/2001/XMLSchema#date")


@dataclass(frozen=True)
class OrgValidation:
    """The outcome of validating one upload: the report and what it was judged on."""

    report: ValidationReport
    as_of: date | None
    triples: int
    engine: str
    seconds: float
    prefixes: dict[str, str] = field(default_factory=dict)
    """The upload's own prefixes, for the text report."""


def assessment_dates(store: ox.Store) -> list[date]:
    """The ``asl:assessmentDate`` values the graph states (normally one)."""
    found: list[date] = []
    for quad in store.quads_for_pattern(None, _ASSESSMENT_DATE, None, None):
        obj = quad.object
        if isinstance(obj, ox.Literal):
            try:
                found.append(date.fromisoformat(obj.value))
            except ValueError:
                continue
    return sorted(found)


def apply_as_of(store: ox.Store, as_of: date | None) -> date | None:
    """Judge the graph as of ``as_of``: replace every ``asl:assessmentDate`` with it.

    Returns the date the graph is judged on: ``as_of``, else the one the graph states, else
    None (the structure shapes then report the missing date). Only subjects that already state
    an assessment date are changed, so ``as_of`` never makes another node the assessed
    organisation.
    """
    if as_of is None:
        dates = assessment_dates(store)
        return dates[0] if len(dates) == 1 else None
    quads = list(store.quads_for_pattern(None, _ASSESSMENT_DATE, None, None))
    for quad in quads:
        store.remove(quad)
        store.add(
            ox.Quad(
                quad.subject, _ASSESSMENT_DATE, ox.Literal(as_of.isoformat(), datatype=_XSD_DATE)
            )
        )
    return as_of


def validate(
    upload: Upload,
    engine: OrgEngine,
    *,
    as_of: date | None = None,
    progress: Progress | None = None,
) -> OrgValidation:
    """Validate an upload against the organisation shapes as of ``as_of``.

    The upload's store is handed to the engine, which may add to it; do not reuse it.
    """
    start = time.perf_counter()
    judged_on = apply_as_of(upload.store, as_of)
    report = engine.validate(upload.store, progress=progress)
    return OrgValidation(
        report=report,
        as_of=judged_on,
        triples=upload.triples,
        engine=engine.name,
        seconds=time.perf_counter() - start,
        prefixes=upload.prefixes,
    )
