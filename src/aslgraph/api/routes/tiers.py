"""``/api/tiers``: the AI Safety Levels with thresholds, cumulative safeguards and claims."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request

from aslgraph.api.deps import CatalogDep, SettingsDep
from aslgraph.api.rest import (
    OfferDep,
    Page,
    PageParam,
    Paging,
    RestRoute,
    SizeParam,
    catalog_errors,
    ok_response,
    page_config,
    page_of,
    problem_responses,
)
from aslgraph.kg.model import Tier

router = APIRouter(prefix="/api/tiers", tags=["tiers"], route_class=RestRoute)

TIERS_DESCRIPTION = (
    "Each tier comes with the capability thresholds that require its safeguard standards, its "
    "safeguards by dimension of the tier summary (pre-deployment evaluation, deployment, "
    "security, disclosure), cumulative: a tier lists the standards of every tier it includes "
    "(asl:includesLevel, transitively), marked inherited; and the tier-summary claims about it "
    "with their verification status, verdict and the source-backed counter-claim."
)


class TierPage(Page[Tier]):
    """A page of tiers, lowest first."""

    model_config = page_config(Tier, "/api/tiers")


@router.get(
    "",
    summary="AI Safety Levels ASL-1 to ASL-4",
    description=TIERS_DESCRIPTION,
    response_model=TierPage,
    responses={**ok_response("A page of tiers."), **problem_responses(400, 406)},
)
async def list_tiers(
    request: Request,
    catalog: CatalogDep,
    settings: SettingsDep,
    offer: OfferDep,
    page: PageParam = 1,
    size: SizeParam = None,
) -> TierPage:
    paging = Paging.of(page, size, settings)
    with catalog_errors():
        tiers = catalog.tiers()
    return page_of(TierPage, request, settings, paging, tiers)


@router.get(
    "/{tier}",
    summary="One AI Safety Level",
    description=TIERS_DESCRIPTION + " The tier may be given as ASL-3, asl-3, asl3 or 3.",
    response_model=Tier,
    responses={**ok_response("The tier."), **problem_responses(404, 406)},
)
async def get_tier(
    tier: Annotated[str, Path(max_length=64, examples=["ASL-3"])],
    catalog: CatalogDep,
    offer: OfferDep,
) -> Tier:
    with catalog_errors():
        return catalog.tier(tier)
