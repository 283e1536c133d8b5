"""``GET /api/frameworks/{framework}/regimes`` (a framework of the graph) and ``POST
/api/frameworks/regimes`` (an organisation's own, uploaded): one safety framework against
several regimes."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response

from aslgraph.api.deps import CatalogDep
from aslgraph.api.rest import (
    OfferDep,
    RestRoute,
    catalog_errors,
    negotiate,
    ok_response,
    problem_responses,
)
from aslgraph.api.uploads import UPLOAD_ERRORS, request_body, run
from aslgraph.kg import regimes as regime_service
from aslgraph.kg.model import RegimeMatrix
from aslgraph.kg.regimes import REGIMES
from aslgraph.media import JSON

router = APIRouter(prefix="/api/frameworks", tags=["frameworks"], route_class=RestRoute)
upload_router = APIRouter(prefix="/api/frameworks", tags=["frameworks"])
"""The route that takes an uploaded graph (answered by a validation worker, not the cache)."""

Regimes = Annotated[
    list[str] | None,
    Query(
        max_length=16,
        description="A regime (scheme) to compare with; repeatable. Default: eu-ai-act, "
        "gpai-cop, ca-sb53, ny-raise.",
    ),
]


@router.get(
    "/{framework}/regimes",
    summary="Which sections of a framework serve which obligations of each regime",
    description="For each obligation of each regime (by default the AI Act, the GPAI Code, "
    "California SB 53 and New York's RAISE Act), the sections of `framework` (a scheme of the "
    "graph: rsp, rsp3, openai-pf, gdm-fsf ...) that serve it, through the crosswalk (direct or "
    "derived, any relation but no-relationship, with the weakest confidence); the obligations "
    "no section serves; and the sections that serve obligations of several regimes whose "
    "deadlines differ (15 days, 72 hours ...).",
    response_model=RegimeMatrix,
    responses={**ok_response("The matrix."), **problem_responses(400, 404, 406)},
)
async def get_regimes(
    framework: Annotated[str, Path(max_length=64, examples=["rsp"])],
    catalog: CatalogDep,
    offer: OfferDep,
    regime: Regimes = None,
) -> RegimeMatrix:
    with catalog_errors():
        return regime_service.matrix(catalog, framework, regime or regime_service.REGIMES)


@upload_router.post(
    "/regimes",
    summary="Which sections of your own framework serve which obligations of each regime",
    description="Send a graph that describes the organisation's published safety framework: "
    "an asl:Instrument of its own, its sections as asl:Provision resources dct:isPartOf it, "
    "and asl:Mapping records (subject, object, relation, rationale, justification, "
    "confidence) from each section to the provisions of the knowledge graph it serves (an "
    "SB 53 framework item, a Code commitment, an RSP component ...); as Turtle, N-Triples, "
    "JSON-LD or RDF/XML, by Content-Type. The answer is the matrix of GET "
    "/api/frameworks/{framework}/regimes for that framework: a section serves an obligation "
    "through its own mappings, directly or through one provision of the graph, and a section "
    "with its own deadline (asl:dueWithinDays, asl:dueWithinHours) is compared with the "
    "regimes'. The upload changes nothing in the graph: it may not describe the graph's own "
    "resources, and its mappings must have one end in its framework and the other in the "
    "graph (422 otherwise, naming the records at fault).",
    response_model=RegimeMatrix,
    responses=UPLOAD_ERRORS,
    openapi_extra=request_body(
        "The organisation's graph, with its framework.",
        {
            "three-regimes": (
                "examples/valid/us-large-frontier-developer-three-regimes.ttl: a large "
                "frontier developer's framework, section by section",
                "valid/us-large-frontier-developer-three-regimes.ttl",
            )
        },
    ),
)
async def post_regimes(
    request: Request,
    catalog: CatalogDep,
    regime: Regimes = None,
    framework: Annotated[
        str | None,
        Query(
            max_length=2048,
            description="The framework's IRI (or a CURIE with the document's prefixes), when "
            "the graph describes several instruments.",
        ),
    ] = None,
) -> Response:
    negotiate(request, (JSON,))
    with catalog_errors():  # an unknown regime is a 400 before any work is queued
        chosen = [catalog.check_scheme(r, what="regime") for r in regime or REGIMES]
    return await run(request, "regimes", regimes=tuple(chosen), framework=framework)
