"""``/api/frameworks/{framework}/regimes``: one safety framework against several regimes."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from aslgraph.api.deps import CatalogDep
from aslgraph.api.rest import OfferDep, RestRoute, catalog_errors, ok_response, problem_responses
from aslgraph.kg import regimes as regime_service
from aslgraph.kg.model import RegimeMatrix

router = APIRouter(prefix="/api/frameworks", tags=["frameworks"], route_class=RestRoute)


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
    regime: Annotated[
        list[str] | None,
        Query(
            max_length=16,
            description="A regime (scheme) to compare with; repeatable. Default: eu-ai-act, "
            "gpai-cop, ca-sb53, ny-raise.",
        ),
    ] = None,
) -> RegimeMatrix:
    with catalog_errors():
        return regime_service.matrix(catalog, framework, regime or regime_service.REGIMES)
