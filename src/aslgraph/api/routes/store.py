"""``/store``: the SPARQL 1.1 Graph Store HTTP Protocol, read-only (indirect identification).

- ``GET /store?default``: the default graph, which is what ``/sparql`` queries when a request
  names no dataset: the union of every source file's graph (each distinct triple once).
- ``GET /store?graph=IRI``: one named graph; the store holds one per source file, named
  ``https://w3id.org/aslgraph/graph/<path relative to the project root>`` and listed in the
  service description (``GET /sparql``). An IRI the store does not hold is a 404 problem: graph
  IRIs are looked up among the store's own graphs, never fetched.
- ``HEAD``: the same headers as ``GET`` (``Content-Length``, ``ETag``) and no body (the
  request hygiene middleware answers HEAD as a GET and drops the body).
- Formats, by Accept (:data:`aslgraph.media.STORE_OFFERS`): Turtle (the default), N-Triples,
  JSON-LD, RDF/XML, and the quad syntaxes N-Quads and TriG. A quad syntax makes sense for a
  named graph, whose triples it writes *in that graph* (the document says which graph it is);
  for the default graph it writes the triples in the default graph, which is where they are.
  ``text/plain`` is N-Triples and ``application/json`` JSON-LD, as on ``/sparql``.
- Every answer carries a strong ``ETag`` (the graph is read-only while the service runs) and
  ``Vary: Accept``; ``If-None-Match`` with a matching tag gets 304.
- ``?default`` takes no value; exactly one of ``default`` and ``graph`` must be given (400
  otherwise, as for an ``graph`` that is not an absolute IRI).
- ``PUT``, ``POST``, ``DELETE``, ``PATCH`` and ``OPTIONS`` are 405 with ``Allow: GET, HEAD``:
  the store is read-only.

Only translation happens here: :class:`aslgraph.kg.graphs.GraphStore` writes the documents.
"""

from __future__ import annotations

import asyncio
from typing import Any
from urllib.parse import parse_qsl

from fastapi import APIRouter, Request, Response

from aslgraph.api.problems import ProblemError
from aslgraph.api.rest import catalog_errors, negotiate, problem_responses
from aslgraph.config import Settings
from aslgraph.kg.graphs import GraphStore
from aslgraph.media import STORE_OFFERS

router = APIRouter(tags=["store"])

ALLOW = "GET, HEAD"

_JSON_LD = {"schema": {"type": ["object", "array"], "description": "JSON-LD 1.1"}}
_ANSWER_TYPES: dict[str, Any] = {
    offer.media_type: _JSON_LD if "json" in offer.media_type else {"schema": {"type": "string"}}
    for offer in STORE_OFFERS
}
_PARAMETERS: list[dict[str, Any]] = [
    {
        "name": "default",
        "in": "query",
        "required": False,
        "allowEmptyValue": True,
        "description": "Ask for the default graph: the union of every graph the store holds "
        "(what /sparql queries without a dataset). Takes no value (`/store?default`); give "
        "either `default` or `graph`, not both.",
        "schema": {"type": "string", "maxLength": 0},
    },
    {
        "name": "graph",
        "in": "query",
        "required": False,
        "description": "Ask for one named graph, by its IRI: one of the store's graphs (one per "
        "source file, listed in the service description at GET /sparql). Any other IRI is a "
        "404; nothing is fetched.",
        "schema": {"type": "string", "format": "iri"},
        "example": "https://w3id.org/aslgraph/graph/data/rsp/levels.ttl",
    },
]
_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The graph, in the media type Accept prefers (Turtle by default).",
        "headers": {
            "ETag": {
                "description": "A strong entity tag of this representation.",
                "schema": {"type": "string"},
            }
        },
        "content": _ANSWER_TYPES,
    },
    304: {"description": "If-None-Match named this representation's entity tag."},
    **problem_responses(400, 404, 406),
}


def _graph_store(request: Request) -> GraphStore:
    """The app's GraphStore over ``app.state.store``, built on first use and again when the
    store is replaced or says it holds another version (its documents would be stale)."""
    state = request.app.state
    found: GraphStore | None = getattr(state, "graph_store", None)
    if found is None or not found.serves(state.store):
        settings: Settings = state.settings
        found = state.graph_store = GraphStore(state.store, settings.queries_dir)
    return found


def _which(raw: bytes) -> str | None:
    """The graph a query string asks for (None: the default graph); a 400 problem unless it
    says exactly one of ``default`` and ``graph=IRI``."""
    params = parse_qsl(raw.decode("utf-8", "replace"), keep_blank_values=True)
    defaults = [value for name, value in params if name == "default"]
    graphs = [value for name, value in params if name == "graph"]
    if len(defaults) + len(graphs) != 1:
        given = "neither" if not defaults and not graphs else "more than one of them"
        raise ProblemError(
            400,
            "say which graph: /store?default for the default graph (the union of all graphs) "
            f"or /store?graph=IRI for one named graph, exactly one of the two ({given} given)",
            kind="invalid-parameter",
        )
    if defaults and defaults[0]:
        raise ProblemError(
            400,
            f"default takes no value (/store?default), got {defaults[0][:200]!r}",
            kind="invalid-parameter",
        )
    return graphs[0] if graphs else None


def _matches(if_none_match: str | None, etag: str) -> bool:
    """Whether an If-None-Match header names ``etag`` (weak comparison, RFC 9110 13.1.2)."""
    if if_none_match is None:
        return False
    tags = [tag.strip().removeprefix("W/") for tag in if_none_match.split(",")]
    return "*" in tags or etag in tags


@router.get(
    "/store",
    summary="A graph of the store (SPARQL 1.1 Graph Store Protocol, read-only)",
    description="`?default` answers with the default graph, the union of every graph the "
    "store holds (what /sparql queries without a dataset); `?graph=IRI` with one named graph "
    "(one per source file). Turtle (default), N-Triples, JSON-LD, RDF/XML, N-Quads or TriG by "
    "Accept; in N-Quads and TriG a named graph's triples are in that graph. HEAD gives the "
    "same headers without a body; PUT, POST, DELETE and PATCH are 405 (read-only).",
    response_class=Response,
    responses=_RESPONSES,
    openapi_extra={"parameters": _PARAMETERS},
)
async def get_graph(request: Request) -> Response:
    """Answer a GET (or HEAD) for one graph."""
    graph = _which(request.scope["query_string"])
    graphs = _graph_store(request)
    with catalog_errors():
        if graph is not None:
            graphs.resolve(graph)
    offer = negotiate(request, STORE_OFFERS)
    with catalog_errors():
        document = await asyncio.to_thread(graphs.document, graph, offer)
    headers = {"ETag": document.etag, "Vary": "Accept"}
    if _matches(request.headers.get("if-none-match"), document.etag):
        return Response(status_code=304, headers=headers)
    return Response(document.body, media_type=document.content_type, headers=headers)


@router.api_route(
    "/store", methods=["PUT", "POST", "DELETE", "PATCH", "OPTIONS"], include_in_schema=False
)
async def store_other_methods(request: Request) -> Response:
    """Refuse every method that would change the store, with 405 and the methods that work."""
    raise ProblemError(
        405,
        f"{request.method} is not allowed on /store: this Graph Store is read-only; GET or "
        "HEAD a graph (/store?default or /store?graph=IRI)",
        kind="read-only",
        headers={"Allow": ALLOW},
    )
