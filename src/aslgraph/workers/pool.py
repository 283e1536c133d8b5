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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aslgraph.workers.framing import OUT_OF_MEMORY_EXIT

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
    """No worker became idle within the wait allowed; ``heavy_lane`` is true when the job
    waited for a place in the heavy lane (every place held by other heavy jobs)."""

    def __init__(self, message: str, *, heavy_lane: bool = False):
        super().__init__(message)
        self.heavy_lane = heavy_lane


class WorkerCrashedError(Exception):
    """The worker ended while answering the job; it is replaced. ``out_of_memory`` is true when
    the job's own work ran into the worker's memory cap (the worker reported a MemoryError, or
    a native allocation failed and aborted it under a cap); otherwise the worker was killed or
    crashed for a reason of the server's (SIGKILL from outside, a segfault), and the same job
    may well succeed on another worker."""

    def __init__(self, message: str, *, returncode: int | None, out_of_memory: bool):
        super().__init__(message)
        self.returncode = returncode
        self.out_of_memory = out_of_memory
        self.repeated = False
        """True when the job was sent again to a fresh worker and that one ended too."""

    @property
    def job_at_fault(self) -> bool:
        """Whether the job itself, not the server, ended its worker: it ran into the memory
        cap, or it crashed a second, fresh worker the same way (a crash that repeats is the
        job's doing). A worker killed from outside (SIGKILL) is never the job's fault."""
        if self.out_of_memory:
            return True
        return self.repeated and self.returncode != -signal.SIGKILL

    @property
    def signal_name(self) -> str | None:
        """The signal that ended the worker (SIGKILL, SIGSEGV ...), if one did."""
        code = self.returncode
        if code is None or code >= 0:
            return None
        try:
            return signal.Signals(-code).name
        except ValueError:
            return f"signal {-code}"


_WAITING: dict[tuple[str, int], list[asyncio.subprocess.Process]] = {}
"""Worker processes started ahead of their pool (:func:`prespawn`), by (module, niceness)."""


async def _start_process(module: str, nice: int) -> asyncio.subprocess.Process:
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
    if nice > 0:
        with contextlib.suppress(OSError):  # raising niceness needs no privilege
            os.setpriority(os.PRIO_PROCESS, process.pid, os.getpriority(os.PRIO_PROCESS, 0) + nice)
    return process


async def prespawn(module: str, count: int, *, nice: int = 0) -> None:
    """Start ``count`` worker processes of ``module`` now, before their pool exists.

    ``aslgraph serve`` does this before it imports the app (decision 0020): each process
    imports its modules while the server imports its own, then waits for its first frame, so
    a pool started later on the same event loop (:meth:`Worker.spawn`) waits only for the
    load. Call :func:`end_prespawned` at the end for those no pool took.
    """
    for _ in range(count):
        process = await _start_process(module, nice)
        _WAITING.setdefault((module, nice), []).append(process)


def _take_waiting(module: str, nice: int) -> asyncio.subprocess.Process | None:
    waiting = _WAITING.get((module, nice))
    while waiting:
        process = waiting.pop(0)
        if process.returncode is None:
            return process
    return None


async def end_prespawned() -> None:
    """End the processes :func:`prespawn` started that no pool took."""
    waiting = [process for processes in _WAITING.values() for process in processes]
    _WAITING.clear()
    for process in waiting:
        with contextlib.suppress(ProcessLookupError):
            process.kill()
    for process in waiting:
        await process.wait()


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
        nice: int = 0,
    ) -> Worker:
        """Start a worker, send it ``config`` and ``dataset`` and wait until it is ready.

        ``nice`` is added to the process's niceness at once (before it starts any thread), so
        that under load the server's event loop, which answers every client, gets the CPU
        before the workers' long jobs. A process :func:`prespawn` started for ``module`` is
        taken first. Raises WorkerStartError when it exits or does not answer within
        ``timeout`` seconds.
        """
        process = _take_waiting(module, nice) or await _start_process(module, nice)
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
            # one write (one system call when the pipe has room), not two per frame
            stdin.write(b"".join([part for f in frames for part in (_LENGTH.pack(len(f)), f)]))
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

    def resident_bytes(self) -> int:
        """The process's resident memory now (VmRSS; 0 where /proc cannot tell)."""
        try:
            with open(f"/proc/{self.pid}/status", encoding="ascii") as status:
                for line in status:
                    if line.startswith("VmRSS:"):
                        return int(line.split()[1]) * 1024
        except (OSError, ValueError):
            return 0
        return 0

    async def exit_status(self, wait: float = 2.0) -> int | None:
        """The process's exit status once it has ended (negative: the signal that ended it);
        None when it does not end within ``wait`` seconds."""
        try:
            return await asyncio.wait_for(self.process.wait(), wait)
        except TimeoutError:
            return None

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


@dataclass(frozen=True)
class PoolStatus:
    """What a pool is doing now: workers started (``live``), answering a job (``busy``, with
    their process ids), being replaced (``starting``), and jobs waiting for a worker."""

    size: int
    live: int
    busy: tuple[int, ...]
    idle: int
    starting: int
    waiting: int
    crashed: int
    """Workers that ended while answering, since start."""
    recycled: int = 0
    """Workers replaced after a job because they held more memory than the threshold."""
    heavy: int = 0
    """Heavy jobs running now."""
    heavy_limit: int = 0
    """Most heavy jobs run at once (the rest of the workers are kept for light ones)."""


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
        recycle_above: int = 0,
        reserved: int = 0,
        nice: int = 0,
    ):
        self.size = max(size, 1)
        self.heavy_limit = max(self.size - max(reserved, 0), 1)
        """Most workers heavy jobs may hold at once: all but ``reserved``, which only light
        jobs may use (at least one, so that with one worker heavy jobs still run)."""
        self._heavy_lane = asyncio.Semaphore(self.heavy_limit)
        self._heavy = 0
        self._recycle_above = recycle_above
        """Resident bytes past which a worker is replaced after its job (0: never): memory a
        large job made the process keep is given back to the machine."""
        self._recycled = 0
        self._dataset = dataset
        self._config = json.dumps(dict(config)).encode()
        self._memory_capped = int(config.get("max_memory", 0) or 0) > 0
        self._start_timeout = start_timeout
        self._nice = nice
        self._module = module
        self._idle: asyncio.Queue[Worker] = asyncio.Queue()
        self._workers: set[Worker] = set()
        self._dying: set[Worker] = set()
        self._tasks: set[asyncio.Task[None]] = set()
        self._closed = False
        self._stopping = asyncio.Event()
        self._busy: set[Worker] = set()
        self._waiting = 0
        self._blocked = 0
        """Jobs waiting in the idle queue's get (an idle worker goes to them first)."""
        self._crashed = 0

    def status(self) -> PoolStatus:
        """The pool's state now (for readiness probes and the tests of faults)."""
        return PoolStatus(
            size=self.size,
            live=len(self._workers),
            busy=tuple(sorted(w.pid for w in self._busy)),
            idle=self._idle.qsize(),
            starting=max(self.size - len(self._workers), 0),
            waiting=self._waiting,
            crashed=self._crashed,
            recycled=self._recycled,
            heavy=self._heavy,
            heavy_limit=self.heavy_limit,
        )

    async def start(self) -> None:
        """Start every worker and wait until all are ready; raises WorkerStartError.

        Each worker joins the pool the moment it is ready, so that a start cancelled part way
        (the server stopping while some workers are up) ends the ones already started: the
        results of a cancelled gather are lost, and with them any process not yet joined.
        """
        try:
            spawned = await asyncio.gather(
                *(self._join() for _ in range(self.size)), return_exceptions=True
            )
        except BaseException:
            with contextlib.suppress(BaseException):  # cancelled again: stop goes on shielded
                await asyncio.shield(self.stop())
            raise
        failures = [s for s in spawned if isinstance(s, BaseException)]
        if failures:
            await self.stop()
            raise WorkerStartError(str(failures[0]))

    async def _join(self) -> None:
        """Start a worker and add it to the pool as soon as it is ready (end it instead when
        the pool has stopped meanwhile); raises what :meth:`_spawn` raises."""
        worker = await self._spawn()
        if self._closed:
            await worker.close()
            return
        self._workers.add(worker)
        self._idle.put_nowait(worker)

    async def _spawn(self) -> Worker:
        return await Worker.spawn(
            self._config,
            self._dataset,
            timeout=self._start_timeout,
            module=self._module,
            nice=self._nice,
        )

    def pids(self) -> list[int]:
        """Process ids of the live workers (idle or busy)."""
        return sorted(w.pid for w in self._workers)

    async def run(
        self,
        *frames: bytes,
        timeout: float,
        wait: float,
        retry: bool = False,
        heavy: bool = False,
    ) -> tuple[bytes, bytes]:
        """Send a job's ``frames`` to an idle worker and return its reply's header and body
        frames (each user of the pool encodes its own jobs and decodes its own replies).

        Waits up to ``wait`` seconds for an idle worker (PoolBusyError past it) and ``timeout``
        seconds for the answer (JobTimeoutError past it; the worker is killed and replaced).
        Raises WorkerCrashedError when the worker dies while answering; with ``retry`` (for
        jobs that may be done twice) a job whose worker was killed or crashed, other than by
        the memory cap, is first sent once more to another worker (``repeated`` says so).

        A ``heavy`` job first waits (within ``wait``) for a place in the heavy lane: at most
        ``heavy_limit`` heavy jobs run at once, so that the reserved workers are always there
        for light jobs, which take any idle worker.
        """
        if heavy:
            return await self._run_heavy(frames, timeout=timeout, wait=wait, retry=retry)
        return await self._run_light(frames, timeout=timeout, wait=wait, retry=retry)

    async def _run_heavy(
        self, frames: tuple[bytes, ...], *, timeout: float, wait: float, retry: bool
    ) -> tuple[bytes, bytes]:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + wait
        self._waiting += 1
        try:
            await asyncio.wait_for(self._heavy_lane.acquire(), wait)
        except TimeoutError:
            raise PoolBusyError(
                f"{self.heavy_limit} heavy jobs ran for the {wait:g} s this one waited",
                heavy_lane=True,
            ) from None
        finally:
            self._waiting -= 1
        self._heavy += 1
        try:
            left = max(deadline - loop.time(), 0.0)
            return await self._run_light(frames, timeout=timeout, wait=left, retry=retry)
        finally:
            self._heavy -= 1
            self._heavy_lane.release()

    async def _run_light(
        self, frames: tuple[bytes, ...], *, timeout: float, wait: float, retry: bool
    ) -> tuple[bytes, bytes]:
        try:
            return await self._run_once(frames, timeout=timeout, wait=wait)
        except WorkerCrashedError as first:
            if not retry or first.out_of_memory:
                raise
            log.warning("sending the job again after its worker ended: %s", first)
            try:
                return await self._run_once(frames, timeout=timeout, wait=wait)
            except WorkerCrashedError as second:
                second.repeated = True
                raise

    async def _run_once(
        self, frames: tuple[bytes, ...], *, timeout: float, wait: float
    ) -> tuple[bytes, bytes]:
        self._waiting += 1
        try:
            worker = await self._acquire(wait)
        finally:
            self._waiting -= 1
        self._busy.add(worker)
        try:
            # a timer, not wait_for: no task is made for each job
            async with asyncio.timeout(timeout):
                reply = await worker.call(*frames)
        except TimeoutError:
            self._replace(worker, "the job ran past its time budget")
            raise JobTimeoutError(f"the job ran longer than {timeout:g} s") from None
        except WorkerDiedError:
            self._crashed += 1
            code = await worker.exit_status()
            out_of_memory = code == OUT_OF_MEMORY_EXIT or (
                self._memory_capped and code == -signal.SIGABRT
            )
            self._replace(worker, f"it ended while answering (exit status {code})")
            raise WorkerCrashedError(
                f"the worker ended while answering (exit status {code})",
                returncode=code,
                out_of_memory=out_of_memory,
            ) from None
        except BaseException:
            # Cancelled (the caller went away or the server stops): the worker's state is
            # unknown, so it cannot serve again.
            self._replace(worker, "its request was cancelled")
            raise
        finally:
            self._busy.discard(worker)
        resident = worker.resident_bytes() if self._recycle_above else 0
        if resident > self._recycle_above:
            self._recycled += 1
            self._replace(worker, f"it holds {resident // 1_048_576} MiB after its job")
        else:
            self._idle.put_nowait(worker)
        return reply

    async def _acquire(self, wait: float) -> Worker:
        """An idle, live worker; raises PoolBusyError after ``wait`` seconds."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + wait
        while True:
            if self._blocked == 0 and not self._idle.empty():
                worker = self._idle.get_nowait()  # no one queued before this job: no wait
            else:
                self._blocked += 1
                try:
                    async with asyncio.timeout_at(deadline):
                        worker = await self._idle.get()
                except TimeoutError:
                    raise PoolBusyError(f"every worker stayed busy for {wait:g} s") from None
                finally:
                    self._blocked -= 1
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
                await self._join()
            except (WorkerStartError, OSError) as exc:
                log.error("could not start a worker: %s; retrying in %.1f s", exc, delay)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._stopping.wait(), delay)
                delay = min(delay * 2, 5.0)
                continue
            return

    async def stop(self) -> None:
        """End every worker, after letting replacements under way finish starting."""
        self._closed = True
        self._stopping.set()
        await asyncio.gather(*list(self._tasks), return_exceptions=True)
        workers = [*self._workers, *self._dying]
        self._workers, self._dying = set(), set()
        await asyncio.gather(*(w.close() for w in workers), return_exceptions=True)
