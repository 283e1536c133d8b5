"""The worker side of :mod:`aslgraph.workers.pool`: frames on pipes and the process set-up.

Every frame is a 4-byte big-endian length and that many bytes. A frame that carries a job may
hold a fixed binary record (:func:`pack_record`): one byte of flags and a list of texts, cheaper
to write and read than JSON. Standard library only: a worker imports this before anything heavy.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import struct
import sys
from collections.abc import Sequence
from typing import BinaryIO

_LENGTH = struct.Struct(">I")


def read_frame(stream: BinaryIO) -> bytes | None:
    """Read one frame; None at a clean end of input."""
    head = stream.read(_LENGTH.size)
    if len(head) < _LENGTH.size:
        return None
    (size,) = _LENGTH.unpack(head)
    data = stream.read(size)
    if len(data) < size:
        return None
    return data


def write_frame(stream: BinaryIO, data: bytes) -> None:
    """Write one frame (not flushed)."""
    stream.write(_LENGTH.pack(len(data)))
    stream.write(data)


_RECORD_HEAD = struct.Struct(">BH")


def pack_record(flags: int, texts: Sequence[str]) -> bytes:
    """A record: ``flags`` (one byte), the number of texts, their UTF-8 lengths, the texts."""
    encoded = [text.encode("utf-8") for text in texts]
    lengths = struct.pack(f">{len(encoded)}I", *map(len, encoded))
    return _RECORD_HEAD.pack(flags, len(encoded)) + lengths + b"".join(encoded)


def unpack_record(data: bytes) -> tuple[int, list[str]]:
    """The flags and texts of a :func:`pack_record` record; raises ValueError when ``data``
    is not one (too short, or a text that is not UTF-8)."""
    try:
        flags, count = _RECORD_HEAD.unpack_from(data)
        lengths = struct.unpack_from(f">{count}I", data, _RECORD_HEAD.size)
    except struct.error as exc:
        raise ValueError(f"not a record: {exc}") from None
    texts: list[str] = []
    at = _RECORD_HEAD.size + 4 * count
    for length in lengths:
        end = at + length
        if end > len(data):
            raise ValueError("not a record: a text runs past its end")
        texts.append(data[at:end].decode("utf-8"))
        at = end
    return flags, texts


def open_channel() -> tuple[BinaryIO, BinaryIO]:
    """Set up a worker process; return (jobs in, answers out).

    The parent decides when the worker ends (SIGINT is ignored; on Linux the kernel kills it
    when the parent dies). Answers go to a private copy of stdout, and stdout itself is pointed
    at stderr, so anything printed by accident cannot corrupt the frames.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    die_with_parent()
    channel = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    return sys.stdin.buffer, channel


def die_with_parent() -> None:
    """On Linux, ask the kernel to kill this process when its parent dies."""
    if not sys.platform.startswith("linux"):
        return
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGKILL)


OUT_OF_MEMORY_EXIT = 75
"""The exit status of a worker whose job raised MemoryError (it cannot be trusted to go on)."""


def cap_memory(extra: int) -> None:
    """Let the address space grow by at most ``extra`` bytes from now on (where supported)."""
    if extra <= 0 or not sys.platform.startswith("linux"):
        return
    import resource  # Unix only

    with open("/proc/self/statm", encoding="ascii") as statm:
        current = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = current + extra
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
