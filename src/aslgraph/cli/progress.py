"""A progress display for long command-line runs (validating large graphs), on stderr.

On a terminal it redraws one line; elsewhere (when asked with ``--progress``) it writes a line
per stage and per tenth of the work, so logs stay short. Off by default for small inputs, where
it would only flicker.
"""

from __future__ import annotations

import time
from typing import TextIO

LARGE_INPUT_BYTES = 512 * 1024
"""Inputs at least this big (about 10,000 triples of Turtle) get a display on a terminal."""


class ProgressDisplay:
    """Stages and a done/total counter, with the time since the start."""

    def __init__(self, stream: TextIO, *, enabled: bool, redraw: bool):
        self.stream = stream
        self.enabled = enabled
        self.redraw = redraw
        self._start = time.perf_counter()
        self._last_tenth = -1
        self._open_line = False

    @classmethod
    def for_stream(cls, stream: TextIO, *, enabled: bool | None, size: int) -> ProgressDisplay:
        """A display on ``stream``: ``enabled`` None means on for a terminal and a large input."""
        tty = stream.isatty()
        on = enabled if enabled is not None else (tty and size >= LARGE_INPUT_BYTES)
        return cls(stream, enabled=on, redraw=tty)

    def _write(self, text: str, *, final: bool) -> None:
        if not self.enabled:
            return
        elapsed = time.perf_counter() - self._start
        line = f"[{elapsed:6.1f} s] {text}"
        if self.redraw:
            self.stream.write("\r\033[K" + line + ("\n" if final else ""))
            self._open_line = not final
        else:
            self.stream.write(line + "\n")
        self.stream.flush()

    def stage(self, text: str) -> None:
        """A new stage begins."""
        self._last_tenth = -1
        self._write(text, final=False)

    def triples(self, count: int) -> None:
        """The input is parsed."""
        self._write(f"parsed {count:,} triples", final=True)

    def update(self, stage: str, done: int, total: int) -> None:
        """``done`` of ``total`` steps of ``stage`` are finished (an engine's callback); the
        ``parsed`` stage reports the upload's triples."""
        if stage == "parsed":
            self.triples(done)
            return
        tenth = (10 * done) // total if total else 10
        if not self.redraw and tenth == self._last_tenth:
            return
        self._last_tenth = tenth
        self._write(f"validating: {done}/{total} {stage}", final=False)

    def done(self) -> None:
        """The work is over: end the redrawn line."""
        if self.enabled and self._open_line:
            self.stream.write("\r\033[K")
            self.stream.flush()
            self._open_line = False
