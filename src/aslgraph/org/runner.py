"""Run validations and posture assessments in worker processes, each within a time budget.

Validating a large upload is CPU work that pyoxigraph and pyshacl cannot interrupt, so it never
runs in the server process: :class:`OrgRunner` hands each job to a worker
(:mod:`aslgraph.org.worker`), kills the worker when the job passes
``Settings.validation_timeout`` (its work really stops) and starts a fresh one in the
background. Other clients are served meanwhile. The workers start in the background when the
app starts, so start-up does not wait for them; the first job waits until one is ready.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass

from aslgraph.config import Settings
from aslgraph.org.errors import OrgError, ServiceFaultError, TooLargeError, UnassessableError
from aslgraph.org.jobs import WHAT, JobReply, OrgJob
from aslgraph.workers.pool import (
    JobTimeoutError,
    PoolBusyError,
    PoolStatus,
    WorkerCrashedError,
    WorkerPool,
    WorkerStartError,
)

log = logging.getLogger(__name__)

WORKER_START_ALLOWANCE = 30.0
"""Seconds a job waits at least for an idle worker (a replacement may be starting)."""


@dataclass(frozen=True)
class OrgAnswer:
    """The bytes to send and their Content-Type."""

    body: bytes
    content_type: str


CHECK_EVERY = 15.0
"""Seconds a readiness check of validation is reused."""
NOT_STARTED = "the validation workers have not started yet"
CHECK_GRAPH = b"""@prefix asl: <https://w3id.org/aslgraph/ontology#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<urn:aslgraph:check> a asl:Organisation ; asl:assessmentDate "2026-01-01"^^xsd:date .
"""
"""The graph a readiness check validates: the smallest one that runs every stage."""


@dataclass(frozen=True)
class Check:
    """The outcome of a readiness check: ``reason`` says what failed (or why it was skipped)."""

    ok: bool
    reason: str | None = None


class OrgRunner:
    """The validation workers of one app; :meth:`start` and :meth:`stop` from its lifespan."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self._pool: WorkerPool | None = None
        self._ready: asyncio.Task[WorkerPool] | None = None
        self._last_check: tuple[float, Check] | None = None
        self._checking: asyncio.Task[Check] | None = None

    @property
    def wait(self) -> float:
        """Seconds a job waits for an idle worker: a worker killed on time-out takes about a
        second to come back (it loads the knowledge graph and prepares the shapes)."""
        return max(self.settings.validation_timeout, WORKER_START_ALLOWANCE)

    async def start(self) -> None:
        """Start the workers in the background (returns at once). The app starts them with
        the SPARQL workers: a worker's start is mostly its own imports and load, so starting
        them together makes the service ready sooner (1.36 s instead of 1.49, decision 0020)."""
        self._ready = asyncio.get_running_loop().create_task(self._start_pool())

    async def _start_pool(self) -> WorkerPool:
        pool = WorkerPool(
            self.settings.validation_workers,
            dataset=b"",
            config={
                "engine": self.settings.validation_engine,
                "max_memory": self.settings.max_validation_memory_bytes,
                "max_bytes": self.settings.max_upload_bytes,
            },
            module="aslgraph.org.worker",
            recycle_above=self.settings.validation_worker_recycle_bytes,
            nice=self.settings.worker_nice,
        )
        await pool.start()
        self._pool = pool
        return pool

    async def stop(self) -> None:
        """Stop the workers (and a start still under way)."""
        if self._ready is not None and not self._ready.done():
            self._ready.cancel()
            with contextlib.suppress(asyncio.CancelledError, WorkerStartError):
                await self._ready
        if self._pool is not None:
            await self._pool.stop()
            self._pool = None

    def worker_pids(self) -> list[int]:
        """Process ids of the live validation workers."""
        return self._pool.pids() if self._pool is not None else []

    def pool_status(self) -> PoolStatus | None:
        """The workers' state now; None until they have started."""
        return self._pool.status() if self._pool is not None else None

    async def check(self) -> Check:
        """Whether validation works: a small graph validated end to end by a worker, at most
        every :data:`CHECK_EVERY` seconds (the last result is reused in between); a worker
        that cannot validate anything (a memory cap too small, shapes that fail to load) is
        found here, not by the first client."""
        if self._pool is None:  # nothing to keep: the first probe after the start checks
            return Check(False, NOT_STARTED)
        loop = asyncio.get_running_loop()
        last = self._last_check
        if last is not None and loop.time() - last[0] < CHECK_EVERY:
            return last[1]
        if self._checking is None or self._checking.done():
            self._checking = loop.create_task(self._check())
        result = await asyncio.shield(self._checking)
        self._last_check = (loop.time(), result)
        return result

    async def _check(self) -> Check:
        if self._pool is None:
            return Check(False, NOT_STARTED)
        try:
            await self.run(OrgJob(op="validate", media_type="text/turtle"), CHECK_GRAPH, wait=1.0)
        except OrgError as exc:
            if exc.kind == "validation-busy":
                return Check(True, "every worker is busy; the last validation succeeded")
            return Check(False, exc.message)
        return Check(True, None)

    async def _pool_ready(self) -> WorkerPool:
        if self._ready is None:
            raise RuntimeError("OrgRunner.start() was not called")  # a programming error
        try:
            return await asyncio.shield(self._ready)
        except WorkerStartError as exc:
            log.error("validation workers did not start: %s", exc)
            raise ServiceFaultError(
                "the validation service is not available: its workers did not start",
                kind="validation-unavailable",
            ) from None

    async def run(self, job: OrgJob, body: bytes, *, wait: float | None = None) -> OrgAnswer:
        """Answer ``job`` for ``body`` (already screened: :func:`aslgraph.org.upload.screen`).

        Raises UploadError, UnassessableError or TooLargeError for what the upload holds, and
        ServiceFaultError (``validation-timeout``, ``validation-busy``,
        ``validation-unavailable``) when the service could not do the job.
        """
        pool = await self._pool_ready()
        budget = self.settings.validation_timeout
        what = WHAT[job.op]
        try:
            # validation is a pure function of the upload: one whose worker was killed or
            # crashed is sent again
            header, data = await pool.run(
                job.encode(), body, timeout=budget, wait=wait or self.wait, retry=True
            )
        except JobTimeoutError:
            raise ServiceFaultError(
                f"the {what} ran longer than {budget:g} s and was stopped; send a smaller "
                "graph or validate it with the command line (aslgraph validate)",
                kind="validation-timeout",
            ) from None
        except PoolBusyError:
            raise ServiceFaultError(
                f"every validation worker stayed busy for {self.wait:g} s; try again shortly",
                kind="validation-busy",
            ) from None
        except WorkerCrashedError as exc:
            if exc.out_of_memory:
                cap = self.settings.max_validation_memory_bytes
                raise TooLargeError(
                    f"the {what} needed more than the {cap / 1_048_576:g} MiB a validation may "
                    "use (ASLGRAPH_MAX_VALIDATION_MEMORY_BYTES): send a smaller graph, or "
                    "validate it with the command line (aslgraph validate)",
                ) from None
            how = exc.signal_name or f"exit status {exc.returncode}"
            if exc.job_at_fault:
                raise UnassessableError(
                    f"the {what} stopped the validator ({how}) on two workers in turn: the "
                    "graph takes the parser or the engine past what it can handle (typically "
                    "nesting too deep); flatten it or split it",
                    kind="validation-crashed",
                ) from None
            raise ServiceFaultError(
                f"the validation worker ended ({how}) while doing the {what}: a fault of the "
                "server, not of the graph; send it again shortly",
                kind="validation-fault",
            ) from None
        reply = JobReply.model_validate_json(header)
        reply.raise_error()
        return OrgAnswer(body=data, content_type=reply.media_type or "application/octet-stream")
