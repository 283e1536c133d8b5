"""``/sparql``: the SPARQL 1.1 Protocol endpoint, its service description and query page.

Only translation happens here: the request's parts go to :mod:`aslgraph.sparql.protocol`, the
query to the engine (``app.state.sparql``), errors become problem documents.

One path answers a query operation (:func:`operation`). :class:`SparqlEndpoint`, a pure ASGI
middleware inside every other one of the app (decision 0020), hands it ``GET`` and ``POST
/sparql`` before routing, so that a fresh query pays for no router, dependency or parameter
machinery; the FastAPI routes below describe the operations in the OpenAPI document and, in an
app without the middleware, call the same function.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from functools import cache
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request, Response
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect
from starlette.types import ASGIApp, Receive, Scope, Send

from aslgraph.api.problems import ProblemError
from aslgraph.api.ui import layout
from aslgraph.config import Settings
from aslgraph.media import HTML, negotiate
from aslgraph.namespaces import ID, PREFIXES
from aslgraph.sparql import protocol
from aslgraph.sparql.engine import SparqlEngine
from aslgraph.sparql.errors import (
    EngineBusyError,
    EngineFaultError,
    EvaluationError,
    NotAcceptableError,
    ProtocolError,
    QueryRefusedError,
    QuerySyntaxError,
    QueryTimeoutError,
    ResultTooLargeError,
    SparqlError,
    UnsupportedMediaTypeError,
    UpdateRefusedError,
    UriTooLongError,
)
from aslgraph.sparql.page import CONTENT_SECURITY_POLICY, QueryPage

STATIC = Path(__file__).resolve().parents[1] / "static"

router = APIRouter(tags=["sparql"])

STATUS: dict[type[SparqlError], int] = {
    UriTooLongError: 414,
    UnsupportedMediaTypeError: 415,
    ProtocolError: 400,
    UpdateRefusedError: 400,
    QueryRefusedError: 400,
    QuerySyntaxError: 400,
    EvaluationError: 400,
    ResultTooLargeError: 400,
    NotAcceptableError: 406,
    QueryTimeoutError: 503,
    EngineBusyError: 503,
    EngineFaultError: 503,
}
"""The status code of each error; a subclass takes its nearest listed ancestor's."""

_DATASET_PARAMETERS: list[dict[str, Any]] = [
    {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": {"type": "array", "items": {"type": "string", "format": "iri"}},
        "style": "form",
        "explode": True,
    }
    for name, description in (
        (
            "default-graph-uri",
            "A graph whose triples make up the default graph (repeatable; graphs this store "
            "holds only, see the service description). Without dataset parameters the default "
            "graph is the union of all graphs.",
        ),
        (
            "named-graph-uri",
            "A graph available to GRAPH patterns (repeatable; graphs this store holds only).",
        ),
    )
]
_ANSWER_TYPES = {
    media_type: {"schema": {"type": "string"}}
    for media_type in (
        "application/sparql-results+json",
        "application/sparql-results+xml",
        "text/csv",
        "text/tab-separated-values",
        "text/turtle",
        "application/n-triples",
        "application/ld+json",
        "application/rdf+xml",
        "application/n-quads",  # a CONSTRUCT answer's triples, in the default graph
        "application/trig",
    )
}
_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"description": "The answer, in the media type Accept prefers.", "content": _ANSWER_TYPES},
    400: {
        "description": "Not a valid or allowed query (update, SERVICE, unknown graph, too "
        "deep, syntax error, answer too large)."
    },
    406: {"description": "No acceptable media type for this query form."},
    413: {"description": "The request body is too large."},
    414: {"description": "The query is too long for a GET; POST it."},
    415: {"description": "The POST body is neither a form nor application/sparql-query."},
    503: {"description": "The query ran past its time budget and was stopped."},
}


@cache
def _page(folder: Path, timeout: float, max_rows: int) -> QueryPage:
    return QueryPage.load(
        folder,
        prefixes=PREFIXES,
        id_base=ID,
        timeout=timeout,
        max_rows=max_rows,
        header=layout.nav("./", "query"),  # the analyst UI's site navigation (issue 12)
    )


def _problem(exc: SparqlError) -> ProblemError:
    status = next(STATUS[c] for c in type(exc).__mro__ if c in STATUS)
    extra = {"available": list(exc.available)} if isinstance(exc, NotAcceptableError) else None
    retry = isinstance(exc, EngineBusyError | EngineFaultError)
    headers = {"Retry-After": "1"} if retry else None
    return ProblemError(status, exc.message, kind=exc.kind, headers=headers, extra=extra)


Reply = tuple[bytes, str, dict[str, str]]
"""An answer to send with 200: its body, its Content-Type, and the other headers."""

_VARY = {"Vary": "Accept"}
_METHODS = frozenset({"GET", "POST"})
_ENDPOINTS: dict[tuple[Any, ...], str] = {}
"""The endpoint URL for each (scheme, server, root path, Host header) seen (bounded)."""


def endpoint_url(scope: Scope, settings: Settings) -> str:
    """The URL of ``/sparql`` as the client addressed it (``settings.public_base`` if set).

    Worked out once per distinct scheme, server, root path and Host header, as Starlette's
    ``request.base_url`` does, not once per request.
    """
    if settings.public_base:
        return settings.public_base.rstrip("/") + "/sparql"
    host = next((value for name, value in scope["headers"] if name == b"host"), None)
    key = (
        scope.get("scheme"),
        tuple(scope.get("server") or ()),  # a list under some servers
        scope.get("root_path", ""),
        scope.get("app_root_path"),
        host,
    )
    url = _ENDPOINTS.get(key)
    if url is None:
        url = str(Request(scope).base_url).rstrip("/") + "/sparql"
        if len(_ENDPOINTS) >= 256:  # a client may send any Host header: keep the memo small
            _ENDPOINTS.clear()
        _ENDPOINTS[key] = url
    return url


async def operation(
    state: Any,
    scope: Scope,
    accept: str | None,
    content_type: str | None,
    body: Callable[[], Awaitable[bytes]],
) -> Reply:
    """Answer one request to ``/sparql``: a query by GET or POST, or (a GET without a query)
    the service description or the query page. ``state`` is the app's state, ``body`` reads
    the request body (called for a POST only). Raises a SparqlError for the client."""
    engine: SparqlEngine = state.sparql
    settings: Settings = state.settings
    params = protocol.parse_params(scope["query_string"])
    if scope["method"] == "POST":
        query = protocol.from_post(content_type, params, await body())
    else:
        query = protocol.from_get(params, max_query_length=settings.max_body_bytes)
    if query.query is None:
        return _without_query(scope, engine, settings, accept)
    answer = await engine.answer(
        query.query, dataset=query.dataset, accept=accept, base=endpoint_url(scope, settings)
    )
    return answer.body, answer.content_type, _VARY


def _without_query(
    scope: Scope, engine: SparqlEngine, settings: Settings, accept: str | None
) -> Reply:
    offer = negotiate(accept, "description")
    if offer is None:
        raise ProtocolError(
            "the request has no query: send a 'query' parameter (without one, GET /sparql "
            "answers with the service description for RDF types or the query page for "
            f"text/html, and Accept allows neither: {accept})"
        )
    if offer.kind == "page":
        page = _page(STATIC, settings.query_timeout, settings.max_result_rows)
        headers = {"Content-Security-Policy": CONTENT_SECURITY_POLICY, **_VARY}
        return page.html, HTML.content_type, headers
    return engine.description(endpoint_url(scope, settings), offer), offer.content_type, _VARY


def raw_headers(
    body: bytes, content_type: str, headers: dict[str, str]
) -> list[tuple[bytes, bytes]]:
    """The header list Starlette's ``Response(body, media_type=content_type, headers=headers)``
    sends with status 200 (given headers, then Content-Length, then Content-Type)."""
    raw = [
        (name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in headers.items()
    ]
    raw.append((b"content-length", str(len(body)).encode("latin-1")))
    if content_type.startswith("text/") and "charset=" not in content_type.lower():
        content_type += "; charset=utf-8"
    raw.append((b"content-type", content_type.encode("latin-1")))
    return raw


class SparqlEndpoint:
    """Pure ASGI middleware: ``GET`` and ``POST /sparql`` answered by :func:`operation` before
    routing; everything else passes through.

    Added innermost, so every middleware of the app (hygiene, store gate, body size limit)
    applies as to any route. An error is answered by the app's own exception handler for it,
    as a route's would be (a SparqlError as the ProblemError it maps to); an error no handler
    takes propagates, as from a route.
    """

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != "/sparql" or scope["method"] not in _METHODS:
            await self.app(scope, receive, send)
            return
        accept = content_type = None
        for name, value in scope["headers"]:
            if name == b"accept":
                if accept is None:
                    accept = value.decode("latin-1")
            elif name == b"content-type" and content_type is None:
                content_type = value.decode("latin-1")

        async def body() -> bytes:
            chunks = []
            while True:
                message = await receive()
                if message["type"] == "http.disconnect":
                    raise ClientDisconnect
                chunks.append(message.get("body", b""))
                if not message.get("more_body", False):
                    return b"".join(chunks)

        try:
            answer, media_type, headers = await operation(
                scope["app"].state, scope, accept, content_type, body
            )
        except SparqlError as exc:
            await _handled(_problem(exc), scope, receive, send)
            return
        except Exception as exc:  # answered by the app's handler for it; none: re-raised
            await _handled(exc, scope, receive, send)
            return
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": raw_headers(answer, media_type, headers),
            }
        )
        await send({"type": "http.response.body", "body": answer})


async def _handled(exc: Exception, scope: Scope, receive: Receive, send: Send) -> None:
    """Answer ``exc`` with the app's exception handler for it; re-raise it when none takes it."""
    handlers = scope["app"].exception_handlers
    handler = next((handlers[c] for c in type(exc).__mro__ if c in handlers), None)
    if handler is None:
        raise exc
    request = Request(scope, receive, send)
    if inspect.iscoroutinefunction(handler):
        response = await handler(request, exc)
    else:
        response = await run_in_threadpool(handler, request, exc)
    await response(scope, receive, send)


async def _route(request: Request) -> Response:
    """What the routes answer (only in an app without :class:`SparqlEndpoint`)."""
    try:
        body, media_type, headers = await operation(
            request.app.state,
            request.scope,
            request.headers.get("accept"),
            request.headers.get("content-type"),
            request.body,
        )
    except SparqlError as exc:
        raise _problem(exc) from None
    return Response(body, media_type=media_type, headers=headers)


@router.get(
    "/sparql",
    summary="SPARQL query (GET), service description, query page",
    description="A SPARQL 1.1 Protocol query by GET. Without `query`, answers with the SPARQL "
    "1.1 Service Description for RDF Accept types (Turtle by default) or the HTML query page "
    "for browsers. SELECT/ASK answers: SPARQL JSON (default), XML, CSV, TSV; CONSTRUCT/DESCRIBE "
    "answers: Turtle (default), N-Triples, JSON-LD, RDF/XML, and N-Quads or TriG (the "
    "answer's triples in the default graph).",
    responses=_RESPONSES,
    openapi_extra={
        "parameters": [
            {
                "name": "query",
                "in": "query",
                "required": False,
                "description": "The SPARQL query (exactly one).",
                "schema": {"type": "string"},
                "example": "SELECT ?level ?rank WHERE { ?level "
                "<https://w3id.org/aslgraph/ontology#levelRank> ?rank } ORDER BY ?rank",
            },
            *_DATASET_PARAMETERS,
        ]
    },
)
async def sparql_get(request: Request) -> Response:
    """Answer a GET: a query, or (without one) the service description or the query page."""
    return await _route(request)


@router.post(
    "/sparql",
    summary="SPARQL query (POST)",
    description="A SPARQL 1.1 Protocol query by POST: a form (`query=...`, with the dataset "
    "parameters in the form or the URL) or the query itself as `application/sparql-query` "
    "(dataset parameters in the URL). SPARQL Update is refused.",
    responses=_RESPONSES,
    openapi_extra={
        "parameters": _DATASET_PARAMETERS,
        "requestBody": {
            "required": True,
            "content": {
                protocol.FORM: {
                    "schema": {
                        "type": "object",
                        "required": ["query"],
                        "properties": {
                            "query": {"type": "string"},
                            "default-graph-uri": {"type": "array", "items": {"type": "string"}},
                            "named-graph-uri": {"type": "array", "items": {"type": "string"}},
                        },
                    }
                },
                protocol.SPARQL_QUERY: {
                    "schema": {"type": "string"},
                    "example": "ASK { ?s a <https://w3id.org/aslgraph/ontology#Mapping> }",
                },
            },
        },
    },
)
async def sparql_post(request: Request) -> Response:
    """Answer a POST: a form-encoded or a direct query."""
    return await _route(request)


@router.api_route(
    "/sparql", methods=["PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"], include_in_schema=False
)
def sparql_other_methods(request: Request) -> Response:
    """Refuse other methods with 405 and the methods that work."""
    raise ProblemError(
        405,
        f"{request.method} is not allowed on /sparql; send the query with GET or POST",
        headers={"Allow": "GET, POST"},
    )


@router.get("/sparql/static/{name}", include_in_schema=False)
def sparql_asset(name: str, request: Request) -> Response:
    """Serve a script or style sheet of the query page (only those; 404 otherwise)."""
    settings: Settings = request.app.state.settings
    asset = _page(STATIC, settings.query_timeout, settings.max_result_rows).assets.get(name)
    if asset is None:
        raise ProblemError(404, f"no file {name!r} belongs to the query page", kind="not-found")
    return Response(asset.body, media_type=asset.content_type)
