"""A time budget for work done in the calling process (the command line's queries and
validations), where no worker process can be killed instead.

pyoxigraph and pyshacl cannot be interrupted, so past the budget the whole process ends: the
watchdog thread writes the message and exits with the given status, at once.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
from collections.abc import Iterator
from typing import TextIO


@contextlib.contextmanager
def deadline(
    seconds: float, message: str, *, status: int, stream: TextIO | None = None
) -> Iterator[None]:
    """Run the block within ``seconds`` (0 or less: no budget); past it, write ``message`` (a
    line) to ``stream`` (standard error) and end the process with exit ``status``."""
    if seconds <= 0:
        yield
        return
    out = stream if stream is not None else sys.stderr

    def expire() -> None:
        with contextlib.suppress(OSError, ValueError):
            out.write(message.rstrip("\n") + "\n")
            out.flush()
        os._exit(status)

    timer = threading.Timer(seconds, expire)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()
