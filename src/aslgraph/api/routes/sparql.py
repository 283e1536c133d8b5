"""``/sparql``: the SPARQL 1.1 Protocol endpoint, its service description and query page.

Only translation happens here: the request's parts go to :mod:`aslgraph.sparql.protocol`, the
query to the engine (``app.state.sparql``), errors become problem documents.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request, Response

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


def _endpoint(request: Request, settings: Settings) -> str:
    base = settings.public_base or str(request.base_url)
    return base.rstrip("/") + "/sparql"


async def _answer(request: Request, query: protocol.ProtocolRequest) -> Response:
    engine: SparqlEngine = request.app.state.sparql
    settings: Settings = request.app.state.settings
    accept = request.headers.get("accept")
    if query.query is None:
        return _without_query(request, engine, settings, accept)
    answer = await engine.answer(
        query.query, dataset=query.dataset, accept=accept, base=_endpoint(request, settings)
    )
    return Response(answer.body, media_type=answer.content_type, headers={"Vary": "Accept"})


def _without_query(
    request: Request, engine: SparqlEngine, settings: Settings, accept: str | None
) -> Response:
    offer = negotiate(accept, "description")
    if offer is None:
        raise ProtocolError(
            "the request has no query: send a 'query' parameter (without one, GET /sparql "
            "answers with the service description for RDF types or the query page for "
            f"text/html, and Accept allows neither: {accept})"
        )
    if offer.kind == "page":
        page = _page(STATIC, settings.query_timeout, settings.max_result_rows)
        return Response(
            page.html,
            media_type=HTML.content_type,
            headers={"Content-Security-Policy": CONTENT_SECURITY_POLICY, "Vary": "Accept"},
        )
    body = engine.description(_endpoint(request, settings), offer)
    return Response(body, media_type=offer.content_type, headers={"Vary": "Accept"})


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
    settings: Settings = request.app.state.settings
    try:
        params = protocol.parse_params(request.scope["query_string"])
        query = protocol.from_get(params, max_query_length=settings.max_body_bytes)
        return await _answer(request, query)
    except SparqlError as exc:
        raise _problem(exc) from None


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
    try:
        query = protocol.from_post(
            request.headers.get("content-type"),
            protocol.parse_params(request.scope["query_string"]),
            await request.body(),
        )
        return await _answer(request, query)
    except SparqlError as exc:
        raise _problem(exc) from None


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
