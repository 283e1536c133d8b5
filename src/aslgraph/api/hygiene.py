"""The outermost middleware: what every request and every response must be, whatever the route.

- Every response says ``X-Content-Type-Options: nosniff`` (a browser never second-guesses a
  declared type, so an uploaded graph echoed in an error cannot turn into a page).
- A request whose URL has percent-encoding that is malformed (``%`` not followed by two hex
  digits) or does not decode to UTF-8 (``%ff``) is refused with 400, instead of being read with
  a replacement character in place of what the client meant.
- A request body with a ``Content-Encoding`` (gzip, br, ...) is refused with 415 saying that
  compressed bodies are not accepted: the parsers would otherwise read the compressed bytes as
  text and report a syntax error that misleads.
- ``HEAD`` is answered wherever ``GET`` is (RFC 9110, 9.3.2): the request is served as a GET
  and the body dropped, the headers (``Content-Length`` included) kept.

Pure ASGI, no buffering: it only reads the request line and headers and adds one header.
"""

from __future__ import annotations

import re
from urllib.parse import unquote_to_bytes

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from aslgraph.api.problems import problem_response

NOSNIFF = (b"x-content-type-options", b"nosniff")
_BAD_ESCAPE = re.compile(rb"%(?![0-9A-Fa-f]{2})")
_HIGH_ESCAPE = re.compile(rb"%[89A-Fa-f]")
"""An escape of a byte past ASCII (only those can fail to decode as UTF-8)."""


def url_problem(raw: bytes, what: str) -> str | None:
    """Why ``raw`` (a path or query string as sent) is not a well-formed, UTF-8 percent-encoded
    text; None when it is."""
    bad = _BAD_ESCAPE.search(raw)
    if bad is not None:
        sample = raw[bad.start() : bad.start() + 3].decode("ascii", "replace")
        return (
            f"the {what} has a malformed percent-escape {sample!r}: '%' must be followed by two "
            "hexadecimal digits (write a literal '%' as %25)"
        )
    if raw.isascii() and _HIGH_ESCAPE.search(raw) is None:
        return None  # every byte, sent or escaped, is ASCII: it decodes to UTF-8
    for part in raw.split(b"&") if what == "query string" else [raw]:
        try:
            unquote_to_bytes(part.replace(b"+", b" ")).decode("utf-8")
        except UnicodeDecodeError as exc:
            return (
                f"the {what} does not decode to UTF-8 ({exc.reason} at byte {exc.start} of "
                f"{part[:60].decode('ascii', 'replace')!r}): percent-encode the UTF-8 bytes of "
                "each character"
            )
    return None


class RequestHygiene:
    """Refuse malformed URLs and compressed bodies; mark every response ``nosniff``."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        head = scope.get("method") == "HEAD"
        if head:
            scope = {**scope, "method": "GET"}

        async def marking_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                if not any(name.lower() == NOSNIFF[0] for name, _ in headers):
                    headers.append(NOSNIFF)
                message = {**message, "headers": headers}
            elif head and message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        refusal = self._refusal(scope)
        if refusal is not None:
            await refusal(scope, receive, marking_send)
            return
        await self.app(scope, receive, marking_send)

    @staticmethod
    def _refusal(scope: Scope) -> JSONResponse | None:
        raw_path: bytes = scope.get("raw_path") or scope.get("path", "").encode("utf-8")
        for raw, what in ((raw_path, "path"), (scope.get("query_string", b""), "query string")):
            problem = url_problem(raw, what)
            if problem is not None:
                return problem_response(400, problem, kind="invalid-url")
        for name, value in scope.get("headers", []):
            if name == b"content-encoding" and value.strip().lower() not in (b"", b"identity"):
                encoding = value.decode("latin-1").strip()
                return problem_response(
                    415,
                    f"the request body is compressed (Content-Encoding: {encoding}); compressed "
                    "bodies are not accepted: send it uncompressed, with no Content-Encoding",
                    kind="content-encoding-refused",
                )
        return None
