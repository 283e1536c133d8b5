"""A query worker: a child process that holds its own copy of the knowledge graph and answers
one query at a time over its standard input and output.

Run by :mod:`aslgraph.workers.pool` as ``python -m aslgraph.sparql.worker``; it imports only the
standard library, pyoxigraph and the pipe framing (:mod:`aslgraph.workers.framing`). pyoxigraph
cannot stop a running query and crashes on some queries, so every client query runs here, where
the parent can kill it without losing anything.

The pipe protocol: every frame is a 4-byte big-endian length and that many bytes.

1. parent -> worker, once: a JSON frame ``{"max_rows", "max_bytes", "max_memory", "prefixes"}``,
   then a frame holding the whole dataset as N-Quads; worker -> parent:
   ``{"ready": true, "quads": n}``. From then on the worker's address space may grow by at most
   ``max_memory`` bytes (0: no cap); past it an allocation fails and the process ends.
2. parent -> worker, per query: a :class:`QueryJob` frame (a binary record); worker ->
   parent: a :class:`QueryReply` frame (JSON), then a frame with the answer (empty on error).

Error kinds: ``syntax`` (the parser's message with line:column), ``rows`` and ``bytes`` (a cap was
passed; the answer was abandoned as soon as it was), ``not-acceptable`` (no format for this form),
``unwritable`` (the chosen format cannot express this answer), ``evaluation`` (anything else the
engine raised). End of input ends the worker.
"""

from __future__ import annotations

import io
import json
import os
import sys
import time
from dataclasses import dataclass, replace
from typing import Any

import pyoxigraph as ox

from aslgraph.workers.framing import (
    OUT_OF_MEMORY_EXIT,
    cap_memory,
    open_channel,
    pack_record,
    read_frame,
    unpack_record,
    write_frame,
)


@dataclass(frozen=True)
class QueryJob:
    """One query to evaluate, as it crosses the pipe (one JSON frame).

    ``union``: the default graph is the union of all graphs; ``default`` and ``named`` (graph
    IRIs, or None) give the dataset otherwise (None for both: the query's own FROM clauses).
    ``results`` and ``graph`` name the pyoxigraph format to write a SELECT/ASK or a
    CONSTRUCT/DESCRIBE answer in (None: the client accepts none).
    """

    query: str
    base: str | None = None
    union: bool = True
    default: tuple[str, ...] | None = None
    named: tuple[str, ...] | None = None
    results: str | None = None
    graph: str | None = None

    def encode(self) -> bytes:
        """The job as a binary record (:func:`~aslgraph.workers.framing.pack_record`): flags
        for the union and for which optional fields are set, then the query, the base, the
        two formats, the number of default graphs and the graph IRIs."""
        flags = (
            (self.union and _UNION)
            | (self.base is not None and _BASE)
            | (self.default is not None and _DEFAULT)
            | (self.named is not None and _NAMED)
            | (self.results is not None and _RESULTS)
            | (self.graph is not None and _GRAPH)
        )
        default, named = self.default or (), self.named or ()
        texts = [
            self.query,
            self.base or "",
            self.results or "",
            self.graph or "",
            str(len(default)),
        ]
        return pack_record(flags, [*texts, *default, *named])

    @classmethod
    def decode(cls, data: bytes) -> QueryJob:
        """The job :meth:`encode` wrote; raises ValueError for anything else."""
        flags, texts = unpack_record(data)
        if len(texts) < 5 or not texts[4].isdigit():
            raise ValueError("not a query job")
        query, base, results, graph = texts[:4]
        split = 5 + int(texts[4])
        return cls(
            query=query,
            base=base if flags & _BASE else None,
            union=bool(flags & _UNION),
            default=tuple(texts[5:split]) if flags & _DEFAULT else None,
            named=tuple(texts[split:]) if flags & _NAMED else None,
            results=results if flags & _RESULTS else None,
            graph=graph if flags & _GRAPH else None,
        )


_UNION, _BASE, _DEFAULT, _NAMED, _RESULTS, _GRAPH = 1, 2, 4, 8, 16, 32


@dataclass(frozen=True)
class QueryReply:
    """The worker's answer to a job: ``ok`` with the query ``form`` (``select``, ``ask``,
    ``construct``), the ``format`` written and the number of ``rows`` (-1: not counted); or
    ``error`` (one of the
    kinds in this module's docstring) with a ``message``."""

    ok: bool
    form: str | None = None
    format: str | None = None
    rows: int = 0
    error: str | None = None
    message: str = ""
    seconds: float = 0.0
    """Time the worker spent on the job (evaluating and writing the answer)."""

    def encode(self) -> bytes:
        """The reply as one JSON object (its fields, in order)."""
        fields = {
            "ok": self.ok,
            "form": self.form,
            "format": self.format,
            "rows": self.rows,
            "error": self.error,
            "message": self.message,
            "seconds": self.seconds,
        }
        return json.dumps(fields).encode("utf-8")

    @classmethod
    def decode(cls, data: bytes) -> QueryReply:
        return cls(**json.loads(data))


class LimitExceededError(Exception):
    """An answer passed a cap while being written; ``kind`` is ``rows`` or ``bytes``."""

    def __init__(self, kind: str):
        super().__init__(kind)
        self.kind = kind


class CappedSink(io.BytesIO):
    """A binary buffer that raises LimitExceededError once a cap is passed.

    ``max_lines`` counts newline bytes: in TSV results and in N-Triples each row or triple is
    exactly one line (line breaks inside literals are escaped).
    """

    def __init__(self, max_bytes: int, max_lines: int | None = None):
        super().__init__()
        self.max_bytes = max_bytes
        self.max_lines = max_lines
        self.lines = 0

    def write(self, data: Any) -> int:
        """Keep ``data``; raises LimitExceededError when it passes a cap (nothing is kept)."""
        chunk = bytes(data)
        if self.tell() + len(chunk) > self.max_bytes:
            raise LimitExceededError("bytes")
        if self.max_lines is not None:
            self.lines += chunk.count(b"\n")
            if self.lines > self.max_lines:
                raise LimitExceededError("rows")
        return super().write(chunk)


class Evaluator:
    """Answers jobs over one store with fixed caps."""

    def __init__(self, store: ox.Store, *, max_rows: int, max_bytes: int, prefixes: dict[str, str]):
        self.store = store
        self.max_rows = max_rows
        self.max_bytes = max_bytes
        self.prefixes = prefixes

    def answer(self, job: QueryJob, *, most_rows: int | None = None) -> tuple[QueryReply, bytes]:
        """Evaluate one job; returns the reply and the answer (never raises).

        ``most_rows``: the caller has proved the answer has at most that many solutions
        (``sparql/quick.py``); when that is within the row cap, a SELECT answer is written
        straight in its format (within the byte cap) and its rows are not counted (-1)."""
        try:
            result = self.store.query(
                job.query,
                use_default_graph_as_union=job.union,
                default_graph=_default_graph(job.default),
                named_graphs=_named_graphs(job.named),
                base_iri=job.base,
            )
        except SyntaxError as exc:
            return _error("syntax", str(exc))
        except (OSError, ValueError, RuntimeError) as exc:
            return _error("evaluation", str(exc))
        direct = most_rows is not None and most_rows <= self.max_rows
        return self.write(result, job, direct=direct)

    def write(
        self,
        result: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples,
        job: QueryJob,
        *,
        direct: bool = False,
    ) -> tuple[QueryReply, bytes]:
        """Write ``result`` in the job's format within the caps (never raises). A remote
        store's answer, parsed by pyoxigraph, is written here too (``sparql/remote.py``).
        ``direct``: solutions are known to be within the row cap (see :meth:`answer`)."""
        try:
            if isinstance(result, ox.QueryBoolean):
                return self._boolean(result, job.results)
            if isinstance(result, ox.QuerySolutions):
                if direct and job.results is not None:
                    out = CappedSink(self.max_bytes)
                    result.serialize(out, format=getattr(ox.QueryResultsFormat, job.results))
                    return _ok("select", job.results, -1), out.getvalue()
                return self._solutions(result, job.results)
            return self._triples(result, job.graph)
        except LimitExceededError as exc:
            return _error(exc.kind, exc.kind)
        except _UnwritableError as exc:
            return _error("unwritable", str(exc), form=exc.form)
        except (OSError, ValueError, RuntimeError, TypeError) as exc:
            return _error("evaluation", str(exc))

    def _boolean(self, result: ox.QueryBoolean, fmt: str | None) -> tuple[QueryReply, bytes]:
        if fmt is None:
            return _error("not-acceptable", "no format", form="ask")
        body = result.serialize(format=getattr(ox.QueryResultsFormat, fmt))
        return _ok("ask", fmt, 1), body or b""

    def _solutions(self, result: ox.QuerySolutions, fmt: str | None) -> tuple[QueryReply, bytes]:
        if fmt is None:
            return _error("not-acceptable", "no format", form="select")
        # TSV first: one line per solution, so rows are counted while the query runs and the
        # work stops at the first row past the cap.
        tsv = CappedSink(self._intermediate_bytes(fmt, "TSV"), self.max_rows + 1)
        result.serialize(tsv, format=ox.QueryResultsFormat.TSV)
        rows = max(tsv.lines - 1, 0)
        if fmt == "TSV":
            return _ok("select", fmt, rows), tsv.getvalue()
        out = CappedSink(self.max_bytes)
        try:
            ox.parse_query_results(tsv.getvalue(), format=ox.QueryResultsFormat.TSV).serialize(
                out, format=getattr(ox.QueryResultsFormat, fmt)
            )
        except (ValueError, OSError, SyntaxError) as exc:
            raise _UnwritableError(f"cannot write this answer as {fmt}: {exc}", "select") from None
        return _ok("select", fmt, rows), out.getvalue()

    def _triples(self, result: ox.QueryTriples, fmt: str | None) -> tuple[QueryReply, bytes]:
        if fmt is None:
            return _error("not-acceptable", "no format", form="construct")
        nt = CappedSink(self._intermediate_bytes(fmt, "N_TRIPLES"), self.max_rows)
        result.serialize(nt, format=ox.RdfFormat.N_TRIPLES)
        rows = nt.lines
        if fmt == "N_TRIPLES":
            return _ok("construct", fmt, rows), nt.getvalue()
        data = nt.getvalue()
        used = {p: ns for p, ns in self.prefixes.items() if ns.encode() in data}
        out = CappedSink(self.max_bytes)
        try:
            ox.serialize(
                ox.parse(data, format=ox.RdfFormat.N_TRIPLES),
                out,
                getattr(ox.RdfFormat, fmt),
                prefixes=used,
            )
        except (ValueError, OSError, SyntaxError, TypeError) as exc:
            raise _UnwritableError(
                f"cannot write this answer as {fmt}: {exc}", "construct"
            ) from None
        return _ok("construct", fmt, rows), out.getvalue()

    def _intermediate_bytes(self, fmt: str, intermediate: str) -> int:
        # A converted answer can be smaller than its TSV or N-Triples form (CSV drops datatypes),
        # so the intermediate form may use twice the cap; the cap holds for what is sent.
        return self.max_bytes if fmt == intermediate else 2 * self.max_bytes


class _UnwritableError(Exception):
    """The answer cannot be expressed in the format the client chose."""

    def __init__(self, message: str, form: str):
        super().__init__(message)
        self.form = form


def _default_graph(
    iris: tuple[str, ...] | None,
) -> list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph] | None:
    return None if iris is None else [ox.NamedNode(iri) for iri in iris]


def _named_graphs(iris: tuple[str, ...] | None) -> list[ox.NamedNode | ox.BlankNode] | None:
    return None if iris is None else [ox.NamedNode(iri) for iri in iris]


def _ok(form: str, fmt: str, rows: int) -> QueryReply:
    return QueryReply(ok=True, form=form, format=fmt, rows=rows)


def _error(kind: str, message: str, *, form: str | None = None) -> tuple[QueryReply, bytes]:
    return QueryReply(ok=False, error=kind, message=message, form=form), b""


def main() -> int:
    """Serve jobs from standard input until it ends; returns the exit status."""
    source, channel = open_channel()

    config_frame = read_frame(source)
    data = read_frame(source)
    if config_frame is None or data is None:
        return 1
    config = json.loads(config_frame)
    # filled as the server's store is (aslgraph.store.from_nquads, not imported here: it
    # brings rdflib, 12 MiB a worker): from the same N-Quads, the same answers in the same order
    store = ox.Store()
    store.load(data, format=ox.RdfFormat.N_QUADS)
    del data
    cap_memory(int(config.get("max_memory", 0)))
    evaluator = Evaluator(
        store,
        max_rows=int(config["max_rows"]),
        max_bytes=int(config["max_bytes"]),
        prefixes=dict(config["prefixes"]),
    )
    write_frame(channel, json.dumps({"ready": True, "quads": len(store)}).encode())
    channel.flush()
    while (frame := read_frame(source)) is not None:
        started = time.perf_counter()
        try:
            reply, body = evaluator.answer(QueryJob.decode(frame))
        except MemoryError:  # the query's own work hit the cap: say so by the exit status
            os._exit(OUT_OF_MEMORY_EXIT)
        reply = replace(reply, seconds=round(time.perf_counter() - started, 6))
        write_frame(channel, reply.encode())
        write_frame(channel, body)
        channel.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
