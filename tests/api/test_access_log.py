"""The access log ``aslgraph serve`` writes (decision 0020): the same lines, character for
character, as uvicorn's own access logger with its default configuration, in the same order,
the lines of one turn of the event loop in one write; any other configuration of the logger is
left alone."""

from __future__ import annotations

import asyncio
import io
import logging

import pytest
from uvicorn.logging import AccessFormatter

from aslgraph.api.accesslog import DEFAULT_FORMAT, AccessLog, access_log

CALLS = [
    ("127.0.0.1:50312", "GET", "/api/crosswalk?from=rsp:ASL3-SS", "1.1", 200),
    ("[::1]:8080", "POST", "/sparql", "1.1", 400),
    ("10.0.0.2:1", "GET", "/id/rsp/ASL3-SS", "1.0", 303),
    ("10.0.0.2:1", "GET", "/%E2%9C%93?q=%22", "1.1", 404),
    ("10.0.0.2:1", "HEAD", "/health", "2", 503),
    ("10.0.0.2:1", "GET", "/", "1.1", 101),
    ("10.0.0.2:1", "GET", "/", "1.1", 599),  # a code without a phrase
    ("10.0.0.2:1", "GET", "/", "1.1", 799),
]


class Counted(io.StringIO):
    """A stream that counts the writes made to it."""

    writes = 0

    def write(self, text: str) -> int:
        self.writes += 1
        return super().write(text)


def _logger(name: str, use_colors: bool) -> tuple[logging.Logger, Counted]:
    stream = Counted()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(AccessFormatter(DEFAULT_FORMAT, use_colors=use_colors))
    logger = logging.getLogger(name)
    logger.handlers = [handler]
    logger.setLevel(logging.INFO)
    logger.propagate = False
    return logger, stream


def _uvicorn_call(logger: logging.Logger, call: tuple[str, str, str, str, int]) -> None:
    """The call uvicorn's HTTP protocols make for each response."""
    logger.info('%s - "%s %s HTTP/%s" %d', *call)


@pytest.mark.parametrize("use_colors", [False, True])
def test_the_lines_are_uvicorns(use_colors: bool) -> None:
    plain, expected = _logger(f"test.access.plain.{use_colors}", use_colors)
    ours, written = _logger(f"test.access.ours.{use_colors}", use_colors)
    fast = access_log(ours)
    assert isinstance(fast, AccessLog)
    for call in CALLS:
        _uvicorn_call(plain, call)
        _uvicorn_call(fast, call)  # no running loop here: written at once
    assert written.getvalue() == expected.getvalue()
    assert written.getvalue().count("\n") == len(CALLS)


def test_lines_of_one_loop_turn_are_written_together_and_in_order() -> None:
    plain, expected = _logger("test.access.turn.plain", False)
    ours, written = _logger("test.access.turn.ours", False)
    fast = access_log(ours)

    async def serve() -> tuple[str, str]:
        for call in CALLS:
            _uvicorn_call(plain, call)
            _uvicorn_call(fast, call)
        during = written.getvalue()  # kept for the end of this turn of the loop
        await asyncio.sleep(0)
        return during, written.getvalue()

    during, after = asyncio.run(serve())
    assert during == ""
    assert after == expected.getvalue()
    assert written.writes == 1 and expected.writes == len(CALLS)


@pytest.mark.parametrize(
    "change",
    ["format", "filter", "handler filter", "two handlers", "propagate", "level", "file"],
)
def test_any_other_configuration_keeps_the_logger(change: str) -> None:
    logger, _ = _logger(f"test.access.other.{change}", False)
    handler = logger.handlers[0]
    if change == "format":
        handler.setFormatter(AccessFormatter("%(client_addr)s %(status_code)s"))
    elif change == "filter":
        logger.addFilter(logging.Filter("nothing"))
    elif change == "handler filter":
        handler.addFilter(logging.Filter("nothing"))
    elif change == "two handlers":
        logger.addHandler(logging.StreamHandler(io.StringIO()))
    elif change == "propagate":
        logger.propagate = True
    elif change == "level":
        logger.setLevel(logging.WARNING)
    elif change == "file":
        logger.handlers = [logging.NullHandler()]
    assert access_log(logger) is logger
