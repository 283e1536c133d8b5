"""Run validations and posture assessments in worker processes, each within a time budget.

Validating a large upload is CPU work that pyoxigraph and pyshacl cannot interrupt, so it never
runs in the server process: :class:`OrgRunner` hands each job to a worker
(:mod:`aslgraph.org.worker`), kills the worker when the job passes
``Settings.validation_timeout`` (its work really stops; the client gets 503) and starts a fresh
one in the background. Other clients are served meanwhile. The workers start in the background
when the app starts, so start-up does not wait for them; the first job waits until one is ready.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable
from dataclasses import dataclass

from aslgraph.config import Settings
from aslgraph.org.upload import UploadError, screen
from aslgraph.org.validate import Job
from aslgraph.workers.pool import (
    JobTimeoutError,
    PoolBusyError,
    WorkerCrashedError,
    WorkerPool,
    WorkerStartError,
)

log = logging.getLogger(__name__)

WORKER_START_ALLOWANCE = 30.0
"""Seconds a job waits at least for an idle worker (a replacement may be starting)."""


class OrgCheckError(UploadError):
    """A job that could not be answered; ``status`` is the HTTP status it maps to, and
    ``retry_after`` (seconds) is set when trying again later may help."""

    def __init__(
        self,
        message: str,
        *,
        status: int,
        kind: str,
        line: int | None = None,
        column: int | None = None,
        retry_after: int | None = None,
    ):
        super().__init__(message, status=status, kind=kind, line=line, column=column)
        self.retry_after = retry_after


@dataclass(frozen=True)
class OrgAnswer:
    """The bytes to send and their Content-Type."""

    body: bytes
    content_type: str


class OrgRunner:
    """The validation workers of one app; :meth:`start` and :meth:`stop` from its lifespan."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self._pool: WorkerPool | None = None
        self._ready: asyncio.Task[WorkerPool] | None = None

    async def start(self, *, after: Awaitable[None] | None = None) -> None:
        """Start the workers in the background (returns at once), once ``after`` is done.

        The app passes the SPARQL workers' start as ``after``: starting every worker process
        at once makes them compete for the CPU with the server's own start-up.
        """
        self._ready = asyncio.get_running_loop().create_task(self._start_pool(after))

    async def _start_pool(self, after: Awaitable[None] | None = None) -> WorkerPool:
        if after is not None:
            await after
        pool = WorkerPool(
            self.settings.validation_workers,
            dataset=b"",
            config={
                "engine": self.settings.validation_engine,
                "max_memory": self.settings.max_validation_memory_bytes,
                "max_bytes": self.settings.max_upload_bytes,
            },
            module="aslgraph.org.worker",
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

    async def _pool_ready(self) -> WorkerPool:
        if self._ready is None:
            raise RuntimeError("OrgRunner.start() was not called")  # a programming error
        try:
            return await asyncio.shield(self._ready)
        except WorkerStartError as exc:
            log.error("validation workers did not start: %s", exc)
            raise OrgCheckError(
                "the validation service is not available: its workers did not start",
                status=503,
                kind="validation-unavailable",
                retry_after=5,
            ) from None

    async def run(self, job: Job, body: bytes) -> OrgAnswer:
        """Answer ``job`` for ``body``; raises OrgCheckError (400, 413, 415, 422, 503)."""
        try:
            screen(body, job.content_type)  # 415 or 400 before any work is queued
        except UploadError as exc:
            raise OrgCheckError(exc.message, status=exc.status, kind=exc.kind) from None
        pool = await self._pool_ready()
        budget = self.settings.validation_timeout
        # A worker killed on time-out takes about a second to come back (it loads the
        # knowledge graph and prepares the shapes): wait for one at least that long.
        wait = max(budget, WORKER_START_ALLOWANCE)
        header = {
            "op": job.op,
            "content_type": job.content_type,
            "as_of": job.as_of.isoformat() if job.as_of else None,
            "format": job.format,
        }
        what = "validation" if job.op == "validate" else "posture assessment"
        try:
            reply, data = await pool.run(header, timeout=budget, wait=wait, extra=(body,))
        except JobTimeoutError:
            raise OrgCheckError(
                f"the {what} ran longer than {budget:g} s and was stopped; send a smaller "
                "graph or validate it with the command line (aslgraph validate)",
                status=503,
                kind="validation-timeout",
            ) from None
        except PoolBusyError:
            raise OrgCheckError(
                f"every validation worker stayed busy for {wait:g} s; try again shortly",
                status=503,
                kind="validation-busy",
                retry_after=max(int(wait // 4), 1),
            ) from None
        except WorkerCrashedError:
            raise OrgCheckError(
                f"the {what} stopped: it needed more memory than a validation may use; send a "
                "smaller graph",
                status=400,
                kind="too-large-to-validate",
            ) from None
        if not reply.get("ok"):
            raise OrgCheckError(
                str(reply.get("message", "the graph could not be validated")),
                status=int(reply.get("status", 400)),
                kind=str(reply.get("kind", "invalid-rdf")),
                line=reply.get("line"),
                column=reply.get("column"),
            )
        return OrgAnswer(body=data, content_type=str(reply["content_type"]))
