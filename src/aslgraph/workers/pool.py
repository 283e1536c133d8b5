"""A pool of worker processes driven from asyncio (the SPARQL workers, the validation workers).

Each worker is a child process (``python -m <module>``) with its own copy of what it needs,
answering one job at a time over pipes (:mod:`aslgraph.workers.framing`). A job that runs past
its time budget, or whose caller goes away, has its worker killed (SIGKILL: the work really
stops) and a fresh worker started in the background; the other workers keep serving meanwhile.
The errors here say what happened to the process; each user says what that means to its client.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import signal
import struct
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

_LENGTH = struct.Struct(">I")
_PACKAGE_PARENT = str(Path(__file__).resolve().parents[2])


class WorkerStartError(RuntimeError):
    """A worker process could not be started or did not load the dataset."""


class WorkerDiedError(Exception):
    """A worker process ended while it was answering (it crashed or was killed)."""


class JobTimeoutError(Exception):
    """A job ran past its time budget; its worker was killed and is being replaced."""


class PoolBusyError(Exception):
    """No worker became idle within the wait allowed."""


class WorkerCrashedError(Exception):
    """The worker ended while answering the job (out of memory, a crash); it is replaced."""


class Worker:
    """One worker process and its pipes."""

    def __init__(self, process: asyncio.subprocess.Process):
        self.process = process

    @property
    def pid(self) -> int:
        """The process id."""
        return self.process.pid

    @classmethod
    async def spawn(
        cls,
        config: bytes,
        dataset: bytes,
        *,
        timeout: float,
        module: str = "aslgraph.sparql.worker",
    ) -> Worker:
        """Start a worker, send it ``config`` and ``dataset`` and wait until it is ready.

        Raises WorkerStartError when it exits or does not answer within ``timeout`` seconds.
        """
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(
            p for p in (_PACKAGE_PARENT, env.get("PYTHONPATH", "")) if p
        )
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            module,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            env=env,
        )
        worker = cls(process)
        try:
            await asyncio.wait_for(worker._handshake(config, dataset), timeout)
        except (TimeoutError, WorkerDiedError, ConnectionError) as exc:
            worker.kill()
            await worker.finish()
            raise WorkerStartError(
                f"worker {module} ({process.pid}) did not start (exit status "
                f"{process.returncode}): {exc or type(exc).__name__}"
            ) from None
        except BaseException:
            worker.kill()  # cancelled while starting: leave no process behind
            with contextlib.suppress(BaseException):  # reap it and close its pipes
                await asyncio.shield(worker.finish())
            raise
        return worker

    async def _handshake(self, config: bytes, dataset: bytes) -> None:
        await self._send(config, dataset)
        ready = json.loads(await self._receive())
        if not ready.get("ready"):
            raise WorkerDiedError(f"unexpected greeting {ready!r}")

    async def call(self, *frames: bytes) -> tuple[bytes, bytes]:
        """Send one job's frames and return the reply's two frames (its header and body);
        raises WorkerDiedError."""
        await self._send(*frames)
        header = await self._receive()
        body = await self._receive()
        return header, body

    async def _send(self, *frames: bytes) -> None:
        stdin = self.process.stdin
        assert stdin is not None  # noqa: S101 - created with stdin=PIPE
        try:
            for frame in frames:
                stdin.write(_LENGTH.pack(len(frame)))
                stdin.write(frame)
            await stdin.drain()
        except (BrokenPipeError, ConnectionResetError) as exc:
            raise WorkerDiedError("the worker's input is closed") from exc

    async def _receive(self) -> bytes:
        stdout = self.process.stdout
        assert stdout is not None  # noqa: S101 - created with stdout=PIPE
        try:
            (size,) = _LENGTH.unpack(await stdout.readexactly(_LENGTH.size))
            return await stdout.readexactly(size)
        except asyncio.IncompleteReadError as exc:
            raise WorkerDiedError("the worker's output ended") from exc

    def kill(self) -> None:
        """Stop the process at once (SIGKILL), whatever it is doing."""
        # os.kill rather than Process.kill: the latter polls (and so reaps) a process that has
        # just died, behind the back of asyncio's child watcher.
        if self.process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.process.pid, signal.SIGKILL)

    async def finish(self) -> None:
        """Wait until the process has ended, then release its pipes."""
        await self.process.wait()
        stdin, stdout = self.process.stdin, self.process.stdout
        if stdin is not None:
            stdin.close()
            with contextlib.suppress(ConnectionError):
                await stdin.wait_closed()
        if stdout is not None:
            await stdout.read()  # to the end, so that the pipe is closed

    async def close(self, grace: float = 2.0) -> None:
        """End the process: close its input (it exits), then kill it after ``grace`` seconds."""
        if self.process.stdin is not None and not self.process.stdin.is_closing():
            self.process.stdin.close()
        try:
            await asyncio.wait_for(self.process.wait(), grace)
        except TimeoutError:
            self.kill()
        await self.finish()


class WorkerPool:
    """``size`` workers over one dataset; :meth:`run` hands a job to an idle one."""

    def __init__(
        self,
        size: int,
        *,
        dataset: bytes,
        config: Mapping[str, Any],
        start_timeout: float = 60.0,
        module: str = "aslgraph.sparql.worker",
    ):
        self.size = max(size, 1)
        self._dataset = dataset
        self._config = json.dumps(dict(config)).encode()
        self._start_timeout = start_timeout
        self._module = module
        self._idle: asyncio.Queue[Worker] = asyncio.Queue()
        self._workers: set[Worker] = set()
        self._dying: set[Worker] = set()
        self._tasks: set[asyncio.Task[None]] = set()
        self._closed = False
        self._stopping = asyncio.Event()

    async def start(self) -> None:
        """Start every worker and wait until all are ready; raises WorkerStartError."""
        spawned = await asyncio.gather(
            *(self._spawn() for _ in range(self.size)), return_exceptions=True
        )
        failures = [s for s in spawned if isinstance(s, BaseException)]
        for worker in spawned:
            if isinstance(worker, Worker):
                self._workers.add(worker)
                self._idle.put_nowait(worker)
        if failures:
            await self.stop()
            raise WorkerStartError(str(failures[0]))

    async def _spawn(self) -> Worker:
        return await Worker.spawn(
            self._config, self._dataset, timeout=self._start_timeout, module=self._module
        )

    def pids(self) -> list[int]:
        """Process ids of the live workers (idle or busy)."""
        return sorted(w.pid for w in self._workers)

    async def run(self, *frames: bytes, timeout: float, wait: float) -> tuple[bytes, bytes]:
        """Send a job's ``frames`` to an idle worker and return its reply's header and body
        frames (each user of the pool encodes its own jobs and decodes its own replies).

        Waits up to ``wait`` seconds for an idle worker (PoolBusyError past it) and ``timeout``
        seconds for the answer (JobTimeoutError past it; the worker is killed and replaced).
        Raises WorkerCrashedError when the worker dies while answering.
        """
        worker = await self._acquire(wait)
        try:
            reply = await asyncio.wait_for(worker.call(*frames), timeout)
        except TimeoutError:
            self._replace(worker, "the job ran past its time budget")
            raise JobTimeoutError(f"the job ran longer than {timeout:g} s") from None
        except WorkerDiedError:
            self._replace(worker, "it ended while answering")
            raise WorkerCrashedError("the worker ended while answering") from None
        except BaseException:
            # Cancelled (the caller went away or the server stops): the worker's state is
            # unknown, so it cannot serve again.
            self._replace(worker, "its request was cancelled")
            raise
        self._idle.put_nowait(worker)
        return reply

    async def _acquire(self, wait: float) -> Worker:
        """An idle, live worker; raises PoolBusyError after ``wait`` seconds."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + wait
        while True:
            try:
                worker = await asyncio.wait_for(self._idle.get(), max(deadline - loop.time(), 0))
            except TimeoutError:
                raise PoolBusyError(f"every worker stayed busy for {wait:g} s") from None
            if worker.process.returncode is None:
                return worker
            self._replace(worker, "it ended while idle")

    def _replace(self, worker: Worker, reason: str) -> None:
        log.warning("killing worker %d: %s", worker.pid, reason)
        worker.kill()
        self._workers.discard(worker)
        self._dying.add(worker)
        task = asyncio.get_running_loop().create_task(self._respawn(worker))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _respawn(self, dead: Worker) -> None:
        await dead.finish()
        self._dying.discard(dead)
        delay = 0.1
        while not self._closed:
            try:
                worker = await self._spawn()
            except (WorkerStartError, OSError) as exc:
                log.error("could not start a worker: %s; retrying in %.1f s", exc, delay)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._stopping.wait(), delay)
                delay = min(delay * 2, 5.0)
                continue
            if self._closed:
                await worker.close()
                return
            self._workers.add(worker)
            self._idle.put_nowait(worker)
            return

    async def stop(self) -> None:
        """End every worker, after letting replacements under way finish starting."""
        self._closed = True
        self._stopping.set()
        await asyncio.gather(*list(self._tasks), return_exceptions=True)
        workers = [*self._workers, *self._dying]
        self._workers, self._dying = set(), set()
        await asyncio.gather(*(w.close() for w in workers), return_exceptions=True)
