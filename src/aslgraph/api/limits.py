"""A pure ASGI middleware that refuses request bodies over a size cap with 413.

It checks Content-Length first and then counts the bytes actually received, so a chunked body
cannot slip past the cap. Nothing is buffered here.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from aslgraph.api.problems import problem_response


class BodyTooLargeError(Exception):
    """Raised inside ``receive`` when a streamed body passes the cap."""


class BodySizeLimit:
    """Refuse bodies larger than ``max_bytes`` with a 413 problem document."""

    def __init__(self, app: ASGIApp, max_bytes: int, overrides: dict[str, int] | None = None):
        self.app = app
        self.max_bytes = max_bytes
        self.overrides = dict(overrides or {})
        """Paths with a cap of their own (the graph uploads), exact match."""

    def _too_large(self, cap: int) -> str:
        return f"the request body is larger than the limit of {cap} bytes"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        cap = self.overrides.get(scope.get("path", ""), self.max_bytes)
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = -1
                if declared < 0:
                    response = problem_response(400, "Content-Length is not a number")
                    await response(scope, receive, send)
                    return
                if declared > cap:
                    response = problem_response(413, self._too_large(cap), kind="body-too-large")
                    await response(scope, receive, send)
                    return
        received = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > cap:
                    raise BodyTooLargeError
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except BodyTooLargeError:
            if not started:
                response = problem_response(413, self._too_large(cap), kind="body-too-large")
                await response(scope, receive, send)
