"""The two engines that validate an organisation graph held in a pyoxigraph store.

:class:`FastEngine` runs the compiled set-at-a-time queries (:mod:`aslgraph.shacl.compiler`);
:class:`aslgraph.shacl.reference.PyshaclEngine` copies the store into rdflib and runs pyshacl,
the reference. Both add the ontology to the data before validating and return the same
:class:`ValidationReport`.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH, XSD

from aslgraph.shacl.compiler import Check, Compiler, Context, Emitter, Hit
from aslgraph.shacl.report import ValidationReport, ValidationResult
from aslgraph.shacl.shapes import load_shapes
from aslgraph.shacl.terms import path_text, text, to_rdflib, value_text

Progress = Callable[[str, int, int], None]
Splitter = Callable[[Callable[[int, int], Any]], list[Any]]
"""Runs ``work(i, n)`` for each of its n shares and gives their results in order."""
SPLIT_MIN_QUADS = 200_000
"""The smallest graph whose checks are worth splitting over processes."""


def ontology_quads(ontology_dir: Path) -> list[ox.Quad]:
    """Every triple of the Turtle files under ``ontology_dir``, in the default graph."""
    quads: list[ox.Quad] = []
    for path in sorted(ontology_dir.rglob("*.ttl")):
        quads.extend(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))
    return [ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph()) for q in quads]


class FastEngine:
    """Set-at-a-time SHACL validation: every constraint compiled once into one SPARQL query."""

    name = "fast"

    def __init__(
        self,
        shapes: Graph,
        ontology: Sequence[ox.Quad],
        *,
        overrides: Path | None = None,
        threads: int = 0,
    ):
        self.shapes = shapes
        self.ontology = list(ontology)
        compiler = Compiler(shapes, overrides)
        self.checks: list[Check] = compiler.compile()
        self.overridden = tuple(compiler.overridden)
        self.threads = threads if threads > 0 else default_threads()
        """Checks run at once. pyoxigraph 0.5 evaluates a query as its solutions are iterated,
        holding the GIL: four queries took 0.36 s on two threads against 0.38 s on one (issue
        11), so the threads overlap little; a large graph's checks use a second core by forking
        (``split``, :mod:`aslgraph.workers.forked`)."""
        self.last_timings: list[tuple[str, float, int]] = []
        """(check, seconds, results) of the last validation, for the benchmark."""
        self._cost: list[float] = [0.0] * len(self.checks)
        """Seconds each check took last time: the slowest start first, so that the threads
        finish together."""

    @classmethod
    def from_paths(
        cls, shapes_dir: Path, ontology_dir: Path, overrides: Path | None = None, threads: int = 0
    ) -> FastEngine:
        """Shapes from ``shapes_dir``, the ontology from ``ontology_dir``, hand-written
        set-at-a-time forms of SPARQL constraints from ``overrides`` (``queries/shacl``);
        ``threads`` checks at once (0: one per available CPU, at most 4)."""
        return cls(
            load_shapes([shapes_dir]),
            ontology_quads(ontology_dir),
            overrides=overrides,
            threads=threads,
        )

    def validate(
        self, data: ox.Store, *, progress: Progress | None = None, split: Splitter | None = None
    ) -> ValidationReport:
        """Validate the default graph of ``data`` (the ontology is added to it).

        With ``split`` (a :func:`aslgraph.workers.forked.fan_out` bound to a number of
        processes) and at least :data:`SPLIT_MIN_QUADS` quads, the checks are dealt out in that
        many shares, each run in a copy of this process; the report is the same."""
        data.extend(self.ontology)
        if split is not None and len(data) >= SPLIT_MIN_QUADS:
            return self._validate_split(data, progress, split)
        ctx = Context(data)
        shapes = self.shapes

        def run(check: Check) -> tuple[list[tuple[ValidationResult, Emitter, Hit]], float, int]:
            start = time.perf_counter()
            hits = check.run(ctx)
            found = [(_result(check.emitter, hit, shapes), check.emitter, hit) for hit in hits]
            return found, time.perf_counter() - start, len(hits)

        order = sorted(range(len(self.checks)), key=lambda i: -self._cost[i])
        records: list[tuple[ValidationResult, Emitter, Hit]] = []
        timings: list[tuple[str, float, int]] = [("", 0.0, 0)] * len(self.checks)
        with ThreadPoolExecutor(max_workers=self.threads) as pool:
            futures = {pool.submit(run, self.checks[i]): i for i in order}
            try:
                for done, future in enumerate(as_completed(futures), start=1):
                    i = futures[future]
                    found, seconds, count = future.result()
                    records.extend(found)
                    timings[i] = (self.checks[i].name, seconds, count)
                    if progress is not None:
                        progress(self.checks[i].name, done, len(order))
            except BaseException:
                pool.shutdown(cancel_futures=True)
                raise
        return self._report(records, timings)

    def _validate_split(
        self, data: ox.Store, progress: Progress | None, split: Splitter
    ) -> ValidationReport:
        checks, shapes = self.checks, self.shapes
        order = sorted(range(len(checks)), key=lambda i: -self._cost[i])

        def share(
            index: int, count: int
        ) -> list[tuple[int, list[tuple[ValidationResult, Hit]], float]]:
            ctx = Context(data)
            done = []
            for i in order[index::count]:  # dealt round the shares, slowest first: they even out
                start = time.perf_counter()
                hits = checks[i].run(ctx)
                found = [(_result(checks[i].emitter, hit, shapes), hit) for hit in hits]
                done.append((i, found, time.perf_counter() - start))
            return done

        records: list[tuple[ValidationResult, Emitter, Hit]] = []
        timings: list[tuple[str, float, int]] = [("", 0.0, 0)] * len(checks)
        finished = 0
        for part in split(share):
            for i, found, seconds in part:
                records.extend((result, checks[i].emitter, hit) for result, hit in found)
                timings[i] = (checks[i].name, seconds, len(found))
                finished += 1
                if progress is not None:
                    progress(checks[i].name, finished, len(order))
        return self._report(records, timings)

    def _report(
        self,
        records: list[tuple[ValidationResult, Emitter, Hit]],
        timings: list[tuple[str, float, int]],
    ) -> ValidationReport:
        shapes = self.shapes
        self.last_timings = timings
        self._cost = [seconds for _name, seconds, _count in timings]
        records.sort(key=lambda r: r[0].sort_key())
        results = tuple(r[0] for r in records)
        return ValidationReport(
            conforms=not any(r.severity == "violation" for r in results),
            results=results,
            graph_factory=lambda: _report_graph(records, shapes),
        )


def default_threads() -> int:
    """One thread per CPU this process may run on, at most 4."""
    return max(1, min(4, len(os.sched_getaffinity(0))))


_MESSAGE_CACHE: dict[Emitter, str] = {}


def _result(emitter: Emitter, hit: Hit, shapes: Graph) -> ValidationResult:
    if hit.message is not None:
        message = hit.message
    else:
        message = _MESSAGE_CACHE.get(emitter, "")
        if emitter not in _MESSAGE_CACHE:
            texts = sorted(str(m) for m in emitter.messages)
            message = _MESSAGE_CACHE[emitter] = texts[0] if texts else ""
    path = value_text(hit.path) if hit.path is not None else path_text(shapes, emitter.path)
    return ValidationResult(
        focus=text(hit.focus),
        path=path,
        severity=emitter.severity,
        message=message,
        source_shape=emitter.shape_text,
        constraint=emitter.constraint,
        value=value_text(hit.value),
        rests_on=emitter.rests_on,
    )


def _copy_path(shapes: Graph, node: object, into: Graph) -> None:
    """Copy the blank-node structure of a SHACL path from the shapes graph."""
    if isinstance(node, BNode):
        for p, o in shapes.predicate_objects(node):
            into.add((node, p, o))
            _copy_path(shapes, o, into)


def _report_graph(records: list[tuple[ValidationResult, Emitter, Hit]], shapes: Graph) -> Graph:
    graph = Graph()
    graph.bind("sh", SH)
    report = BNode()
    graph.add((report, RDF.type, SH.ValidationReport))
    conforms = not any(r.severity == "violation" for r, _e, _h in records)
    graph.add((report, SH.conforms, Literal(conforms, datatype=XSD.boolean)))
    for result, emitter, hit in records:
        node = BNode()
        graph.add((report, SH.result, node))
        graph.add((node, RDF.type, SH.ValidationResult))
        graph.add((node, SH.focusNode, to_rdflib(hit.focus)))
        if hit.value is not None:
            graph.add((node, SH.value, to_rdflib(hit.value)))
        if hit.path is not None:
            graph.add((node, SH.resultPath, to_rdflib(hit.path)))
        elif emitter.path is not None:
            graph.add((node, SH.resultPath, emitter.path))
            _copy_path(shapes, emitter.path, graph)
        graph.add((node, SH.resultSeverity, _SEVERITY_IRI.get(result.severity, SH.Violation)))
        graph.add((node, SH.sourceShape, emitter.shape))
        graph.add((node, SH.sourceConstraintComponent, URIRef(emitter.constraint)))
        if emitter.source_constraint is not None:
            graph.add((node, SH.sourceConstraint, emitter.source_constraint))
        graph.add((node, SH.resultMessage, Literal(result.message)))
    return graph


_SEVERITY_IRI = {"violation": SH.Violation, "warning": SH.Warning, "info": SH.Info}
