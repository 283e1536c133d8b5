"""The access log ``aslgraph serve`` writes: uvicorn's lines, without logging's machinery.

uvicorn logs each response through ``logging`` (a record, a copy of it in its formatter, the
format string, a flush per line): 30-60 µs of the server's CPU per request, a fifth of an
uncached REST lookup (decision 0020). :class:`AccessLog` writes the same line, character for
character (:class:`uvicorn.logging.AccessFormatter` with its default format, colours or not),
to the same stream, and writes the lines of one turn of the event loop with one ``write`` and
one flush, at the end of that turn. It stands in only for uvicorn's own configuration of the
``uvicorn.access`` logger; any other (a ``--log-config``, a filter, another handler or format)
keeps the logger as it is.
"""

from __future__ import annotations

import asyncio
import http
import logging
from typing import Any

from uvicorn._ansi import style
from uvicorn.logging import AccessFormatter

DEFAULT_FORMAT = '%(levelprefix)s %(client_addr)s - "%(request_line)s" %(status_code)s'
"""uvicorn's access-log format (``uvicorn.config.LOGGING_CONFIG``), the only one written here."""

_COLOURS = {1: "bright_white", 2: "green", 3: "yellow", 4: "red", 5: "bright_red"}


class AccessLog(logging.Logger):
    """Stands in for the ``uvicorn.access`` logger: :meth:`info` takes uvicorn's arguments
    (client, method, path with query, HTTP version, status) and buffers the formatted line."""

    def __init__(self, handler: logging.StreamHandler[Any], use_colors: bool):
        super().__init__("uvicorn.access", logging.INFO)
        self.handler = handler
        self.use_colors = use_colors
        self.prefix = (style("INFO", fg="green") if use_colors else "INFO") + ":    "
        self._status: dict[int, str] = {}
        self._lines: list[str] = []

    def status(self, code: int) -> str:
        """The status as AccessFormatter writes it: the code and its phrase, maybe coloured."""
        found = self._status.get(code)
        if found is None:
            try:
                phrase = http.HTTPStatus(code).phrase
            except ValueError:
                phrase = ""
            found = f"{code} {phrase}"
            colour = _COLOURS.get(code // 100)
            if self.use_colors and colour is not None:
                found = style(found, fg=colour)
            self._status[code] = found
        return found

    def line(self, client: str, method: str, path: str, version: str, code: int) -> str:
        """One access-log line, without its newline."""
        request = f"{method} {path} HTTP/{version}"
        if self.use_colors:
            request = style(request, bold=True)
        return f'{self.prefix} {client} - "{request}" {self.status(int(code))}'

    def info(self, msg: object, *args: Any, **kwargs: Any) -> None:
        if len(args) != 5 or kwargs:  # not uvicorn's access call: the ordinary way
            super().info(msg, *args, **kwargs)
            return
        self._lines.append(self.line(*args) + "\n")
        if len(self._lines) == 1:
            try:
                asyncio.get_running_loop().call_soon(self.flush)
            except RuntimeError:  # no event loop here: write it now
                self.flush()

    def flush(self) -> None:
        """Write the lines kept so far with one write."""
        lines, self._lines = self._lines, []
        if lines:
            self.handler.acquire()
            try:
                self.handler.stream.write("".join(lines))
                self.handler.stream.flush()
            finally:
                self.handler.release()

    def callHandlers(self, record: logging.LogRecord) -> None:  # noqa: N802 - logging's name
        self.flush()  # keep the order of the lines
        self.handler.handle(record)


_MADE: dict[int, AccessLog] = {}


def access_log(logger: logging.Logger) -> logging.Logger:
    """An :class:`AccessLog` in place of ``logger`` when it is configured as uvicorn configures
    it (one StreamHandler with uvicorn's AccessFormatter and default format, no filters, INFO
    enabled, not propagating); else ``logger`` itself. One AccessLog per handler."""
    handlers = logger.handlers
    if (
        len(handlers) != 1
        or logger.filters
        or logger.propagate
        or not logger.isEnabledFor(logging.INFO)
    ):
        return logger
    handler = handlers[0]
    formatter = handler.formatter
    if (
        type(handler) is not logging.StreamHandler
        or handler.filters
        or handler.level > logging.INFO
        or type(formatter) is not AccessFormatter
        or formatter._fmt != DEFAULT_FORMAT
        or formatter.datefmt is not None
    ):
        return logger
    made = _MADE.get(id(handler))
    if made is None or made.handler is not handler or made.use_colors != formatter.use_colors:
        made = _MADE[id(handler)] = AccessLog(handler, formatter.use_colors)
    return made
