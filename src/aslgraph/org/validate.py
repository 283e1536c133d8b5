"""Validate an organisation's graph against the shapes of ``shapes/org``, as of a date.

:func:`validate` takes a parsed upload (:mod:`aslgraph.org.upload`), sets the date the graph is
judged on (:func:`apply_as_of`), decides every bound party's duties with the posture service and
writes those decisions into the graph (:mod:`aslgraph.org.determinations`), then runs the shapes
through an engine (:mod:`aslgraph.shacl`): the obligation shapes report exactly what posture
decides (docs/decisions/0012). The outcome, :class:`OrgValidation`, is rendered by
:mod:`aslgraph.org.report` (JSON, SHACL report graph) or :mod:`aslgraph.cli.text` (a terminal).
"""

from __future__ import annotations

import dataclasses
import gc
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from aslgraph.kg.catalog import Catalog
from aslgraph.namespaces import ASL, scheme_namespace
from aslgraph.org import determinations, policy
from aslgraph.org.posture.model import PostureReport
from aslgraph.org.upload import Upload

if TYPE_CHECKING:  # not at run time: the engines import rdflib and pyshacl, slow to import
    from aslgraph.org.posture.assess import Assessor
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
    postures: tuple[PostureReport, ...] = ()
    """The posture of the assessed organisation (the one stating ``asl:assessmentDate``), whose
    decisions the obligation shapes report with every other bound party's."""
    cites: dict[tuple[str, str], tuple[str, ...]] = field(default_factory=dict)
    """For each (focus, obligation) determination: the provisions its verdict cites."""


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
    catalog: Catalog,
    *,
    as_of: date | None = None,
    progress: Progress | None = None,
    processes: int = 1,
) -> OrgValidation:
    """Validate an upload against the organisation shapes as of ``as_of``, deciding the
    parties' duties in up to ``processes`` processes (:func:`decide`).

    The upload's store is handed on and added to (the determinations, then the engine's
    ontology); do not reuse it. Raises UploadError (``reserved-term``) for an upload that
    states the computed determination terms.
    """
    start = time.perf_counter()
    determinations.refuse_reserved(upload.store)
    judged_on = apply_as_of(upload.store, as_of)
    with collector_paused():
        decided = decide(upload.store, catalog, judged_on, processes=processes)
        found, systemic, postures = decided.found, decided.systemic, decided.assessed
        determinations.write(upload.store, found, systemic)
        fleet = policy.check(upload.store, catalog, upload.prefixes)
        policy.write(upload.store, fleet)
        if progress is not None:
            progress("decided", len(found), len(found))
        cites = {(_focus_text(d.focus), d.obligation): d.cites for d in found}
        cites.update(policy.cites(fleet))
        # in the store now: their summaries (a third of a large graph's memory by now) go
        del decided, found
        split = _splitter(processes) if processes > 1 else None
        report = _citing(engine.validate(upload.store, progress=progress, split=split), cites)
    return OrgValidation(
        report=report,
        as_of=judged_on,
        triples=upload.triples,
        engine=engine.name,
        seconds=time.perf_counter() - start,
        prefixes=upload.prefixes,
        postures=tuple(postures),
        cites=cites,
    )


def _splitter(
    processes: int, *, here: bool = True
) -> Callable[[Callable[[int, int], Any]], list[Any]]:
    """Work split in ``processes`` shares over forked copies of this process (with ``here``
    false, none of them in this process: :func:`aslgraph.workers.forked.fan_out`)."""
    from aslgraph.workers.forked import fan_out

    return lambda work: fan_out(work, processes, here=here)


def _focus_text(key: str) -> str:
    """A node as a validation result names its focus (a blank node by its bare id)."""
    return key[2:] if key.startswith("_:") else key


def _citing(
    report: ValidationReport, cites: dict[tuple[str, str], tuple[str, ...]]
) -> ValidationReport:
    """The report with each determination's result resting on what its verdict cites."""
    if not cites:
        return report
    results = []
    for result in report.results:
        cited = cites.get((result.focus, result.value or ""))
        if cited and not result.rests_on:
            result = dataclasses.replace(result, rests_on=tuple(sorted(set(cited))))
        results.append(result)
    return dataclasses.replace(report, results=tuple(sorted(results, key=lambda r: r.sort_key())))


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a graph is judged: the posture reports, the
    determinations and the results are many small acyclic objects that all stay alive, so
    collecting while they are built only walks them, and the graph's own dictionaries, again and
    again (about 40% of the time at 10^5 triples; at 10^6 writing the determinations alone took
    11 s, ten times its share, because each collection walked the whole graph). One collection
    after. Re-entrant: an inner pause leaves the collector as the outer one found it."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@dataclass(frozen=True)
class Decided:
    """What the posture service decided for one graph: every determination, each model's
    systemic risk where decided, and the assessed organisation's report (the other parties'
    reports are reduced to their determinations as they are made, so that memory stays in
    proportion to the determinations, not to every verdict's routes and notes)."""

    found: list[determinations.Determination]
    """The determinations an obligation shape reports (met duties give no result)."""
    systemic: dict[str, bool]
    assessed: tuple[PostureReport, ...]


FAN_OUT_MIN = 64
"""The fewest parties worth splitting over processes (below, a fork costs more than it saves)."""


def decide(store: ox.Store, catalog: Catalog, as_of: date | None, *, processes: int = 1) -> Decided:
    """The duties of every organisation of the graph that holds a role, as of ``as_of``, and
    the systemic risk of every model where it can be decided (nothing when the graph states no
    date to judge it on: the structure shapes say so).

    With ``processes`` above 1 and at least :data:`FAN_OUT_MIN` parties, the parties are split
    in that many contiguous shares assessed in forked copies of this process
    (:mod:`aslgraph.workers.forked`); each party's assessment reads only the graph, so the
    answer is the same, in the same order, as one process gives. :func:`validate` calls it with
    the collector paused (:func:`collector_paused`)."""
    if as_of is None:
        return Decided([], {}, ())
    from aslgraph.org.posture.assess import Assessor

    assessor = Assessor(store, catalog)
    assessed = set(assessment_subjects(store))
    parties = assessor.parties()
    shares = processes if processes > 1 and len(parties) >= FAN_OUT_MIN else 1

    def share(index: int, count: int) -> _Share:
        size = -(-len(parties) // count)
        return _assess(assessor, parties[index * size : (index + 1) * size], as_of, assessed)

    # every share in a child: the graph read into dictionaries and the parties' reports then
    # never grow this process, which goes on to write the determinations and run the shapes
    # (at 10^6 triples its peak was 290 MB higher with a share of its own)
    parts = _splitter(shares, here=False)(share) if shares > 1 else [share(0, 1)]
    found = [d for part_found, _ in parts for d in part_found]
    kept = [r for _, part_kept in parts for r in part_kept]
    # systemic risk is the AI Act's classification (Art. 51): it is decided, and the rules that
    # rest on it (the supplier level) asked, only where the graph puts someone under the Act
    systemic = (
        {
            model: holds
            for model in assessor.models()
            if (holds := assessor.systemic_risk(model)) is not None
        }
        if _under_the_ai_act(store)
        else {}
    )
    return Decided(found, systemic, tuple(kept))


_Share = tuple[list[determinations.Determination], list[PostureReport]]
"""What one share of the parties gives: its determinations and the assessed parties' reports."""


def _assess(assessor: Assessor, parties: list[str], as_of: date, assessed: set[str]) -> _Share:
    """The determinations of ``parties`` and the reports of those among them that are assessed
    (the other reports are reduced to their determinations as they are made)."""
    found: list[determinations.Determination] = []
    kept: list[PostureReport] = []
    for party in parties:
        if party in assessed:
            report = assessor.assess(party, as_of)
            decided = determinations.of_report(report)
            kept.append(report)
        else:  # only the duties: what does not apply, or later, is no determination
            decided = determinations.of_verdicts(assessor.duties(party, as_of))
        # only what a shape reports is written: a met duty adds nothing to the report
        found.extend(d for d in decided if determinations.reported_as(d))
    return found, kept


def _under_the_ai_act(store: ox.Store) -> bool:
    """Whether an organisation of the graph declares the AI Act or holds a role under it."""
    act = ox.NamedNode(str(scheme_namespace("eu-ai-act")["AIA"]))
    return any(
        True
        for predicate in (ASL.declaresRegime, ASL.underRegime)
        for _ in store.quads_for_pattern(None, ox.NamedNode(str(predicate)), act)
    )


def assessment_subjects(store: ox.Store) -> list[str]:
    """The IRIs of the nodes stating ``asl:assessmentDate``."""
    return sorted(
        {
            q.subject.value
            for q in store.quads_for_pattern(None, _ASSESSMENT_DATE, None, None)
            if isinstance(q.subject, ox.NamedNode)
        }
    )
