"""The server's transport sends a response's head with its body (``api/server.py``, decision
0020): the same bytes in the same order, one call instead of two; a lone write is sent at the
end of the event loop's turn; closing sends what is held, aborting drops it."""

from __future__ import annotations

import asyncio
from typing import Any

from aslgraph.api.server import OneWrite


class Recorder:
    """A transport that records the calls made to it."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, tuple[bytes, ...]]] = []
        self.closing = False

    def write(self, data: bytes) -> None:
        self.calls.append(("write", (bytes(data),)))

    def writelines(self, chunks: Any) -> None:
        self.calls.append(("writelines", tuple(bytes(c) for c in chunks)))

    def close(self) -> None:
        self.calls.append(("close", ()))
        self.closing = True

    def abort(self) -> None:
        self.calls.append(("abort", ()))
        self.closing = True

    def is_closing(self) -> bool:
        return self.closing

    def get_extra_info(self, name: str) -> str:
        return f"info {name}"

    def sent(self) -> bytes:
        return b"".join(b"".join(chunks) for _, chunks in self.calls)


def _run(steps: Any) -> Recorder:
    recorder = Recorder()

    async def main() -> None:
        transport = OneWrite(recorder, asyncio.get_running_loop())  # type: ignore[arg-type]
        await steps(transport)

    asyncio.run(main())
    return recorder


def test_the_head_and_the_body_go_in_one_call() -> None:
    async def steps(t: OneWrite) -> None:
        t.write(b"HTTP/1.1 200 OK\r\n\r\n")
        t.write(memoryview(b"the body"))
        await asyncio.sleep(0)

    recorder = _run(steps)
    assert recorder.calls == [("writelines", (b"HTTP/1.1 200 OK\r\n\r\n", b"the body"))]


def test_a_lone_write_is_sent_at_the_end_of_the_turn_and_order_is_kept() -> None:
    seen: list[int] = []

    async def steps(t: OneWrite) -> None:
        t.write(b"head")
        seen.append(len(recorder_calls(t)))
        await asyncio.sleep(0)
        seen.append(len(recorder_calls(t)))
        t.write(b"one")
        t.write(b"two")
        t.write(b"three")
        await asyncio.sleep(0)

    def recorder_calls(t: OneWrite) -> list[Any]:
        return t._transport.calls  # type: ignore[attr-defined, no-any-return]

    recorder = _run(steps)
    assert seen == [0, 1]
    assert recorder.sent() == b"headonetwothree"


def test_close_sends_what_is_held_and_abort_drops_it() -> None:
    async def closing(t: OneWrite) -> None:
        t.write(b"last words")
        t.close()
        t.write(b"too late")
        await asyncio.sleep(0)

    recorder = _run(closing)
    assert recorder.calls == [("write", (b"last words",)), ("close", ())]

    async def aborting(t: OneWrite) -> None:
        t.write(b"dropped")
        t.abort()
        await asyncio.sleep(0)

    assert _run(aborting).calls == [("abort", ())]


def test_everything_else_is_the_transports() -> None:
    async def steps(t: OneWrite) -> None:
        assert t.get_extra_info("peername") == "info peername"
        assert t.is_closing() is False

    _run(steps)
