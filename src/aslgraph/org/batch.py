"""Validate and assess many organisation graphs on Dask distributed, one JSON line per graph.

The service behind ``aslgraph validate-batch``. What to check is a directory (every graph file
under it, by suffix, recursively, in name order) or a **manifest**: a UTF-8 text file of paths,
one per line, relative to the manifest's own directory (or absolute), blank lines and lines
starting with ``#`` ignored, a path listed twice checked once (:func:`sources`). Each graph is
read here (its bytes travel with its task, so workers need not see the files) and checked on a
Dask worker by the same :func:`aslgraph.org.jobs.run` as ``aslgraph validate``; every worker
builds the SHACL engine and loads the knowledge graph once (:mod:`aslgraph.org.batchworker`).

Results are written to OUT as they complete, one :class:`GraphLine` per graph in JSON Lines:
each line with one ``write`` on a file opened for appending, so a line is either whole or
(after a crash mid-write) a partial last line that :meth:`Output.open` drops on resuming. A graph
that cannot be read or judged is a line with its ``error``, never a stopped batch. Each file is
written once: a task retried after its worker died can complete only once, and a key already
written is skipped (which also lets a run with ``resume`` skip what an earlier run wrote). At
most a window of graphs is in flight, so memory stays bounded for any number of files.

Importing this module does not import Dask; :func:`open_client` and :func:`run_batch` do.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import CancelledError
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict

from aslgraph.media import FILE_SUFFIXES
from aslgraph.org.errors import OrgError, TooLargeError, UnassessableError, UploadError
from aslgraph.org.report import report_model
from aslgraph.org.upload import screen

if TYPE_CHECKING:  # not at run time: Dask is an optional extra
    from distributed import Client, Future

    from aslgraph.config import Settings
    from aslgraph.kg.views import Views
    from aslgraph.org.jobs import OrgServices
    from aslgraph.org.validate import OrgValidation

log = logging.getLogger(__name__)

EXTRA = "batch"
"""The optional dependency set that brings Dask distributed (``pip install 'aslgraph[batch]'``)."""
RETRIES = 2
"""How often a task that raised is tried again (a worker that dies is the scheduler's business:
its tasks are given to another worker, up to ``distributed.scheduler.allowed-failures``)."""
CONNECT_TIMEOUT = 30.0
"""Seconds to wait for the scheduler to answer, and for a local cluster to start."""
POLL = 2.0
"""Seconds between checks that the client is still connected while tasks run (a client that
lost its scheduler gives up after ``distributed.comm.timeouts.connect``-style retries, about
30 s, and its futures then never finish)."""


class BatchInputError(Exception):
    """What to check cannot be had: a missing directory, an unreadable manifest, no graphs, an
    OUT that cannot be written (the command's exit status 2)."""


class BatchStoppedError(Exception):
    """The batch stopped before every graph was done: the cluster went away (exit status 3).
    What was written to OUT so far stays; run again with ``resume`` to finish."""


# ---------------------------------------------------------------- what to check


@dataclass(frozen=True)
class Source:
    """One graph to check: ``key`` names it in OUT (as the manifest lists it, or relative to
    the directory), ``path`` is where it is read from."""

    key: str
    path: Path


def sources(target: Path) -> list[Source]:
    """The graphs ``target`` names: a directory's graph files, or a manifest's entries.

    An entry that does not exist is kept (its line in OUT says it cannot be read). Raises
    BatchInputError for a target that does not exist or cannot be read, a graph file given in
    place of a manifest, or a target that names no graph.
    """
    if target.is_dir():
        found = [
            Source(path.relative_to(target).as_posix(), path)
            for path in sorted(target.rglob("*"))
            if path.suffix.lower() in FILE_SUFFIXES and path.is_file()
        ]
        if not found:
            suffixes = ", ".join(sorted(FILE_SUFFIXES))
            raise BatchInputError(f"{target} holds no graph files ({suffixes})")
        return found
    if target.suffix.lower() in FILE_SUFFIXES:
        raise BatchInputError(
            f"{target} is a graph, not a directory or a manifest: check one graph with "
            "aslgraph validate, or list the graphs in a manifest (one path per line)"
        )
    try:
        text = target.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise BatchInputError(f"{target}: no such directory or manifest") from None
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise BatchInputError(f"cannot read the manifest {target}: {reason}") from None
    return manifest_entries(text, target.parent, name=str(target))


def manifest_entries(text: str, base: Path, *, name: str = "the manifest") -> list[Source]:
    """A manifest's entries: one path per line, relative to ``base`` unless absolute; blank
    lines and ``#`` comments skipped; a path listed again (after normalising) skipped."""
    found: list[Source] = []
    seen: set[str] = set()
    for line in text.splitlines():
        entry = line.strip()
        if not entry or entry.startswith("#"):
            continue
        key = os.path.normpath(entry)
        path = Path(key) if os.path.isabs(key) else base / key
        where = os.path.normpath(os.path.abspath(path))
        if where in seen:
            continue
        seen.add(where)
        found.append(Source(Path(key).as_posix(), path))
    if not found:
        raise BatchInputError(f"{name} lists no graphs (one path per line; # starts a comment)")
    return found


def read_graph(source: Source, *, max_bytes: int = 0) -> tuple[bytes, str]:
    """A graph's bytes and media type (from its suffix), screened as an upload is; raises
    UploadError (``unreadable-file``, ``unsupported-media-type``, ``body-too-large``,
    ``empty-body``)."""
    media = FILE_SUFFIXES.get(source.path.suffix.lower())
    if media is None:
        raise UploadError(
            "cannot tell the syntax from the suffix; name it .ttl, .nt, .jsonld or .rdf",
            kind="unsupported-media-type",
        )
    try:
        body = source.path.read_bytes()
    except OSError as exc:
        raise UploadError(f"cannot read the file: {exc.strerror}", kind="unreadable-file") from None
    return body, screen(body, media, max_bytes=max_bytes)


# ---------------------------------------------------------------- one line per graph


class Finding(BaseModel):
    """One result of the validation, with the provision it is listed under."""

    model_config = ConfigDict(frozen=True)

    provision: str | None
    """The CURIE of the provision the finding rests on (as ``aslgraph validate`` groups it);
    null for the graph's structure."""
    severity: Literal["violation", "warning", "info"]
    message: str
    focus: str
    path: str | None = None
    value: str | None = None


class PostureSummary(BaseModel):
    """The assessed organisation's posture in brief: how many obligations got each verdict."""

    model_config = ConfigDict(frozen=True)

    organisation: str
    as_of: date
    verdicts: dict[str, int]


class LineError(BaseModel):
    """Why a graph could not be checked (the kinds of :mod:`aslgraph.org.errors`, plus
    ``unreadable-file``, ``task-failed`` and ``worker-killed``)."""

    model_config = ConfigDict(frozen=True)

    kind: str
    message: str
    line: int | None = None
    column: int | None = None


class GraphLine(BaseModel):
    """One graph's line in OUT: its verdict, counts by severity, findings and posture verdicts,
    or the error that kept it from being checked (then ``conforms`` is null)."""

    model_config = ConfigDict(frozen=True)

    file: str
    conforms: bool | None
    as_of: date | None = None
    triples: int | None = None
    counts: dict[str, int] = {}
    findings: list[Finding] = []
    verdicts: list[PostureSummary] = []
    error: LineError | None = None

    def json_line(self) -> bytes:
        """The line as written to OUT: compact JSON and a newline."""
        return self.model_dump_json().encode("utf-8") + b"\n"


def graph_line(key: str, outcome: OrgValidation, views: Views | None) -> GraphLine:
    """The line of a validated graph: the same verdict, counts and findings as the JSON report
    of ``aslgraph validate`` (:func:`aslgraph.org.report.report_model`)."""
    report = report_model(outcome, views)
    return GraphLine(
        file=key,
        conforms=report.conforms,
        as_of=report.as_of,
        triples=report.triples,
        counts=report.counts,
        findings=[
            Finding(
                provision=group.provision.curie if group.provision is not None else None,
                severity=result.severity,
                message=result.message,
                focus=result.focus,
                path=result.path,
                value=result.value,
            )
            for group in report.groups
            for result in group.results
        ],
        verdicts=[
            PostureSummary(
                organisation=posture.organisation.iri,
                as_of=posture.as_of,
                verdicts=dict(posture.verdicts),
            )
            for posture in outcome.postures
        ],
    )


def error_line(key: str, exc: OrgError) -> GraphLine:
    """The line of a graph that could not be checked."""
    return GraphLine(
        file=key,
        conforms=None,
        error=LineError(kind=exc.kind, message=exc.message, line=exc.line, column=exc.column),
    )


def check(
    key: str, body: bytes, media_type: str, as_of: date | None, services: OrgServices
) -> GraphLine:
    """Validate one graph as ``aslgraph validate --as-of`` does and give its line; never
    raises for what the graph holds (the error is the line)."""
    from aslgraph.org.jobs import OrgJob, run
    from aslgraph.org.validate import OrgValidation

    job = OrgJob(op="validate", media_type=media_type, as_of=as_of)
    try:
        outcome = run(job, body, services)
    except OrgError as exc:
        return error_line(key, exc)
    except MemoryError:
        return error_line(key, TooLargeError("validating this graph ran out of memory"))
    except Exception as exc:  # an engine failure on this input: say so, keep going
        log.exception("validation of %s failed", key)
        failure = f"the graph could not be validated: {type(exc).__name__}: {exc}"
        return error_line(key, UnassessableError(failure, kind="validation-failed"))
    if not isinstance(outcome, OrgValidation):  # pragma: no cover - run() of a validate job
        raise TypeError(f"a validation gave {type(outcome).__name__}")
    return graph_line(key, outcome, services.catalog.views)


# ---------------------------------------------------------------- OUT


class Output:
    """OUT, open for appending one whole line at a time; ``done`` holds the files written."""

    def __init__(self, fd: int, done: set[str], lines: list[GraphLine]):
        self._fd = fd
        self.done = done
        self.earlier = lines
        """The lines an earlier run wrote (when resuming)."""

    @classmethod
    def open(cls, path: Path, *, resume: bool = False) -> Output:
        """Open OUT: emptied, or with ``resume`` kept (its whole lines; a partial last line
        left by a crash is cut off). Raises BatchInputError when OUT cannot be written or a
        kept line is not one of ours."""
        lines: list[GraphLine] = []
        try:
            if resume and path.exists():
                data = path.read_bytes()
                whole = data[: data.rfind(b"\n") + 1]
                for number, raw in enumerate(whole.splitlines(), start=1):
                    try:
                        lines.append(GraphLine.model_validate_json(raw))
                    except ValueError:
                        raise BatchInputError(
                            f"{path}, line {number}: not a line of validate-batch; give "
                            "another OUT or leave out --resume"
                        ) from None
                with path.open("r+b") as sink:
                    sink.truncate(len(whole))
            flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND | (0 if resume else os.O_TRUNC)
            fd = os.open(path, flags, 0o644)
        except OSError as exc:
            raise BatchInputError(f"cannot write {path}: {exc.strerror}") from None
        return cls(fd, {line.file for line in lines}, lines)

    def write(self, line: GraphLine) -> bool:
        """Append ``line`` unless its file is written already; whether it was written."""
        if line.file in self.done:
            return False
        data = line.json_line()
        written = os.write(self._fd, data)
        while written < len(data):  # a short write (a full disk reports an error instead)
            written += os.write(self._fd, data[written:])
        self.done.add(line.file)
        return True

    def close(self) -> None:
        os.close(self._fd)


# ---------------------------------------------------------------- the batch


@dataclass
class BatchSummary:
    """What a batch did: graphs written this run by outcome, those skipped as already in OUT,
    and the wall time from the first task to the last line (the workers' start and their
    loading of the knowledge graph left out)."""

    graphs: int = 0
    conforming: int = 0
    violating: int = 0
    unreadable: int = 0
    skipped: int = 0
    seconds: float = 0.0
    workers: int = 0
    earlier: list[GraphLine] = field(default_factory=list, repr=False)

    def count(self, line: GraphLine) -> None:
        self.graphs += 1
        if line.conforms is None:
            self.unreadable += 1
        elif line.conforms:
            self.conforming += 1
        else:
            self.violating += 1

    @property
    def rate(self) -> float:
        """Graphs checked per second."""
        return self.graphs / self.seconds if self.seconds > 0 else 0.0

    def table(self) -> str:
        """The summary as a small text table."""
        head = ("graphs", "conforming", "violating", "unreadable", "seconds", "graphs/s")
        row = (
            str(self.graphs),
            str(self.conforming),
            str(self.violating),
            str(self.unreadable),
            f"{self.seconds:.2f}",
            f"{self.rate:.1f}",
        )
        widths = [max(len(h), len(r)) for h, r in zip(head, row, strict=True)]
        lines = [
            "  ".join(h.rjust(w) for h, w in zip(head, widths, strict=True)),
            "  ".join(r.rjust(w) for r, w in zip(row, widths, strict=True)),
        ]
        if self.skipped:
            lines.append(f"({self.skipped} already in OUT, skipped)")
        return "\n".join(lines) + "\n"

    def exit_status(self) -> int:
        """The worst status ``aslgraph validate`` would give one of the graphs, this run's and
        the kept ones: 2 if one could not be read or judged, 1 if one violates, else 0."""
        lines_unreadable = self.unreadable + sum(1 for e in self.earlier if e.conforms is None)
        lines_violating = self.violating + sum(1 for e in self.earlier if e.conforms is False)
        if lines_unreadable:
            return 2
        return 1 if lines_violating else 0


Progress = Callable[[int, int], None]
"""``progress(done, total)``: graphs written so far of those to do."""


@contextlib.contextmanager
def open_client(scheduler: str | None = None, *, workers: int = 2) -> Iterator[Client]:
    """A Dask client of the scheduler at ``scheduler`` (``tcp://host:port``), or of a local
    cluster of ``workers`` processes (one thread each) on 127.0.0.1 without dashboards, closed
    on leaving. Raises BatchInputError for an address Dask cannot read, BatchStoppedError
    when the scheduler does not answer or the local cluster does not start."""
    from distributed import Client, LocalCluster

    try:
        if scheduler is not None:
            client = Client(scheduler, timeout=CONNECT_TIMEOUT)
            cluster = None
        else:
            cluster = LocalCluster(
                n_workers=workers,
                threads_per_worker=1,
                processes=True,
                host="127.0.0.1",
                dashboard_address=None,
                worker_dashboard_address=None,
                # the scheduler's HTTP server (health, metrics) still runs without the
                # dashboard, by default on port 8787 of every interface
                scheduler_kwargs={"dashboard": False, "dashboard_address": "127.0.0.1:0"},
            )
            client = Client(cluster, timeout=CONNECT_TIMEOUT)
    except ValueError as exc:  # an address Dask cannot parse
        raise BatchInputError(f"not a Dask scheduler address: {scheduler!r} ({exc})") from None
    except (OSError, TimeoutError) as exc:
        where = scheduler or "a local cluster"
        raise BatchStoppedError(f"cannot reach the Dask scheduler of {where}: {exc}") from None
    except RuntimeError as exc:  # LocalCluster: a worker process did not start
        raise BatchStoppedError(f"the local Dask cluster did not start: {exc}") from None
    try:
        yield client
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def task_key(source: Source, body: bytes, as_of: date | None) -> str:
    """The task's Dask key: the same graph, bytes and date are the same (pure) task."""
    digest = hashlib.sha256(body)
    digest.update(json.dumps([source.key, as_of.isoformat() if as_of else None]).encode())
    return f"aslgraph-check-{digest.hexdigest()[:32]}"


def run_batch(
    todo: Sequence[Source],
    out: Output,
    client: Client,
    settings: Settings,
    *,
    as_of: date | None = None,
    window: int = 0,
    progress: Progress | None = None,
) -> BatchSummary:
    """Check every graph of ``todo`` not yet in ``out`` on the cluster of ``client``, writing
    each line as it completes; returns the summary.

    ``window`` bounds the graphs in flight (0: twice the cluster's threads, at least 8).
    Raises BatchStoppedError when the cluster has no worker or goes away before the end.
    """
    from distributed import wait

    from aslgraph.org.batchworker import PLUGIN, BatchWorkerPlugin, check_on_worker

    summary = BatchSummary(earlier=out.earlier)
    remaining = [source for source in todo if source.key not in out.done]
    summary.skipped = len(todo) - len(remaining)
    total = len(remaining)
    max_bytes = settings.max_upload_bytes
    start = time.perf_counter()
    queue = iter(remaining)
    inflight: dict[Future[str], Source] = {}

    def emit(line: GraphLine) -> None:
        if out.write(line):
            summary.count(line)
            if progress is not None:
                progress(summary.graphs, total)

    def fill(size: int) -> None:
        """Submit graphs until ``size`` are in flight or none is left, writing the lines of
        those that cannot be read on the way."""
        while len(inflight) < size:
            source = next(queue, None)
            if source is None:
                return
            try:
                body, media = read_graph(source, max_bytes=max_bytes)
            except UploadError as exc:
                emit(error_line(source.key, exc))
                continue
            future = client.submit(
                check_on_worker,
                source.key,
                body,
                media,
                as_of,
                key=task_key(source, body, as_of),
                retries=RETRIES,
            )
            inflight[future] = source

    try:
        try:
            client.wait_for_workers(1, timeout=CONNECT_TIMEOUT)
        except TimeoutError:
            raise BatchStoppedError(
                f"the Dask scheduler has no workers (waited {CONNECT_TIMEOUT:g} s); start some "
                "with dask worker SCHEDULER-ADDRESS --nthreads 1"
            ) from None
        client.register_plugin(BatchWorkerPlugin(settings), name=PLUGIN)
        start = time.perf_counter()  # the workers have loaded the knowledge graph
        summary.workers = len(client.scheduler_info(n_workers=-1)["workers"])
        window = window or max(8, 2 * sum(client.nthreads().values()))
        fill(window)
        while inflight:
            try:
                finished = wait(list(inflight), timeout=POLL, return_when="FIRST_COMPLETED").done
            except TimeoutError:
                finished = set()
            if client.status not in ("running", "connecting", "newly-created"):
                raise BatchStoppedError(_stopped(summary, f"the client is {client.status}"))
            for future in finished:
                source = inflight.pop(future)
                emit(_task_line(future, source))
                future.release()
            fill(window)
    except (OSError, TimeoutError, CancelledError) as exc:
        # a lost scheduler: the comm's errors, or every future cancelled by the client
        raise BatchStoppedError(_stopped(summary, f"{type(exc).__name__}: {exc}")) from None
    summary.seconds = time.perf_counter() - start
    return summary


def _stopped(summary: BatchSummary, why: str) -> str:
    return (
        f"the Dask cluster went away ({why}) after {summary.graphs} graphs were written; run "
        "again with --resume to finish"
    )


def _task_line(future: Future[str], source: Source) -> GraphLine:
    """The line a finished task gives: its result, or why it has none."""
    from distributed import KilledWorker

    if future.cancelled():
        raise BatchStoppedError(f"the task of {source.key} was cancelled on the scheduler")
    try:
        return GraphLine.model_validate_json(future.result())
    except KilledWorker as exc:
        message = f"the workers checking this graph died every time it was tried: {exc}"
        return error_line(source.key, UnassessableError(message, kind="worker-killed"))
    except (OSError, TimeoutError, CancelledError):
        raise  # not the task's failure: the cluster's (run_batch stops)
    except Exception as exc:  # the task itself failed, after its retries
        message = f"the task failed: {type(exc).__name__}: {exc}"
        return error_line(source.key, UnassessableError(message, kind="task-failed"))
