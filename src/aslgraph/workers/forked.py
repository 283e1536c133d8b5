"""CPU-bound work split over forked copies of this process.

For pure-Python work over a large state that is built once and only read afterwards (an
uploaded graph read into dictionaries, its conditions evaluated): each child is a fork, so it
has the state without copying or rebuilding it (copy-on-write), works on its share and sends its
result back pickled through a pipe; the caller works on the first share itself. Where ``fork``
is not available the shares are worked one after the other here, with the same results.

A child dies with its parent (Linux), so stopping the parent past its time budget stops the
children too; a child that dies without answering (killed, out of memory) is an error in the
parent, never a share silently left out.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import sys
import warnings
from collections.abc import Callable
from typing import TypeVar

from aslgraph.workers.framing import die_with_parent

R = TypeVar("R")


class ShareLostError(RuntimeError):
    """A child ended without sending its share's result."""


def can_fork() -> bool:
    """Whether shares can run in forked children here."""
    return hasattr(os, "fork") and sys.platform != "win32"


def fan_out(work: Callable[[int, int], R], processes: int, *, here: bool = True) -> list[R]:
    """``[work(i, n) for i in range(n)]`` with ``n = processes``, share ``i > 0`` in a forked
    child, and share 0 here (``here=False``: in a child too, so that what the work builds never
    grows this process, which lives on: the memory of a child is given back when it ends). An
    exception raised by a share is raised here (the first one, in share order)."""
    if processes <= 1 or not can_fork():
        return [work(i, max(processes, 1)) for i in range(max(processes, 1))]
    sys.stdout.flush()  # nothing buffered before the fork may be written twice
    sys.stderr.flush()
    children: list[tuple[int, int]] = []
    try:
        for index in range(0 if not here else 1, processes):
            children.append(_start(work, index, processes))
        outcomes: list[tuple[bool, object]] = []
        if here:
            try:
                outcomes.append((True, work(0, processes)))
            except Exception as exc:  # raised below, after the children are reaped
                outcomes.append((False, exc))
        for pid, fd in children:
            outcomes.append(_collect(pid, fd))
        children = []
    finally:
        for pid, fd in children:  # the parent's own share was interrupted: stop the rest
            _stop(pid, fd)
    results: list[R] = []
    for ok, value in outcomes:
        if not ok:
            assert isinstance(value, BaseException)  # noqa: S101 - what a failed share sends
            raise value
        results.append(value)  # type: ignore[arg-type]
    return results


def _start(work: Callable[[int, int], R], index: int, processes: int) -> tuple[int, int]:
    read_end, write_end = os.pipe()
    with warnings.catch_warnings():
        # Python 3.12+ warns on fork in a process with threads; the child only computes and
        # leaves with os._exit, it takes no lock another thread may hold
        warnings.simplefilter("ignore", DeprecationWarning)
        pid = os.fork()
    if pid == 0:  # the child: never returns
        os.close(read_end)
        status = 0
        try:
            die_with_parent()
            try:
                data = pickle.dumps((True, work(index, processes)), pickle.HIGHEST_PROTOCOL)
            except BaseException as exc:  # sent to the parent, which raises it
                status = 1
                data = pickle.dumps((False, _picklable(exc)), pickle.HIGHEST_PROTOCOL)
            with os.fdopen(write_end, "wb") as out:
                out.write(data)
        finally:
            os._exit(status)
    os.close(write_end)
    return pid, read_end


def _picklable(exc: BaseException) -> BaseException:
    try:
        pickle.dumps(exc)
    except Exception:  # one that will not pickle is described
        return RuntimeError(f"{type(exc).__name__}: {exc}")
    return exc


def _collect(pid: int, fd: int) -> tuple[bool, object]:
    with os.fdopen(fd, "rb") as source:
        data = source.read()
    _, status = os.waitpid(pid, 0)
    if not data:
        code = os.waitstatus_to_exitcode(status)
        how = f"was killed by signal {-code}" if code < 0 else f"exited with status {code}"
        return False, ShareLostError(f"a forked worker {how} before sending its result")
    ok, value = pickle.loads(data)  # noqa: S301 - written by our own child, through a pipe
    return bool(ok), value


def _stop(pid: int, fd: int) -> None:
    with contextlib.suppress(OSError):
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    with contextlib.suppress(OSError):
        os.close(fd)
