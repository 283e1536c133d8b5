"""``/api/obligations``: the obligations that bind a role on a date."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request

from aslgraph.api.deps import CatalogDep, SettingsDep
from aslgraph.api.rest import (
    OfferDep,
    Page,
    PageParam,
    Paging,
    RestRoute,
    SizeParam,
    catalog_errors,
    example_of,
    ok_response,
    page_config,
    page_of,
    problem_responses,
)
from aslgraph.kg.model import Concept, ObligationEntry, TransitionalNote
from aslgraph.namespaces import ID

router = APIRouter(prefix="/api/obligations", tags=["obligations"], route_class=RestRoute)

_PROVIDER = {
    "iri": ID + "role/gpai-provider",
    "id": "gpai-provider",
    "label": "provider of a general-purpose AI model",
}


class ObligationPage(Page[ObligationEntry]):
    """A page of the obligations in effect on ``as_of``, plus those that start later
    (``upcoming``), those a later instrument version dropped (``superseded``) and the
    transitional rules that defer some of them (Art. 111(3)); those three lists are short and
    given whole."""

    model_config = page_config(
        ObligationEntry,
        "/api/obligations?role=gpai-provider&systemic_risk=true",
        role=_PROVIDER,
        roles_considered=[_PROVIDER, example_of(ObligationEntry)["binds_role"]],
        systemic_risk=True,
        as_of="2026-11-26",
        upcoming=[],
        superseded=[],
        transitional=[example_of(TransitionalNote)],
    )

    role: Concept
    roles_considered: list[Concept]
    systemic_risk: bool
    as_of: date
    upcoming: list[ObligationEntry]
    superseded: list[ObligationEntry]
    transitional: list[TransitionalNote]


@router.get(
    "",
    summary="Obligations of a role on a date",
    description="The obligations binding the role (or a broader role it includes: a provider "
    "of a model with systemic risk is also a provider of a general-purpose AI model) that "
    "apply on `as_of` (default: today) from their application dates (asl:appliesFrom, e.g. "
    "Art. 113(b): 2 August 2025 for Chapter V); the ones that start later, with their dates; "
    "and the transitional rules (Art. 111(3): models placed on the market before 2 August "
    "2025 have until 2 August 2027) where they defer any of them. Role ids: gpai-provider, "
    "gpai-sr-provider, authorised-representative, downstream-provider, deployer, "
    "high-risk-provider, cop-signatory, fasc-signatory, frontier-developer, commission, "
    "scientific-panel.",
    response_model=ObligationPage,
    responses={**ok_response("A page of obligations."), **problem_responses(400, 406)},
)
async def get_obligations(
    request: Request,
    catalog: CatalogDep,
    settings: SettingsDep,
    offer: OfferDep,
    role: Annotated[
        str, Query(max_length=128, description="A role id.", examples=["gpai-provider"])
    ],
    systemic_risk: Annotated[
        bool,
        Query(
            description="For gpai-provider: the model has systemic risk, so the obligations "
            "of gpai-sr-provider apply too."
        ),
    ] = False,
    as_of: Annotated[
        date | None,
        Query(description="The date (YYYY-MM-DD); default today.", examples=["2025-09-01"]),
    ] = None,
    page: PageParam = 1,
    size: SizeParam = None,
) -> ObligationPage:
    paging = Paging.of(page, size, settings)
    with catalog_errors():
        result = catalog.obligations(role, systemic_risk=systemic_risk, as_of=as_of)
    return page_of(
        ObligationPage,
        request,
        settings,
        paging,
        result.in_effect,
        role=result.role,
        roles_considered=result.roles_considered,
        systemic_risk=result.systemic_risk,
        as_of=result.as_of,
        upcoming=result.upcoming,
        superseded=result.superseded,
        transitional=result.transitional,
    )
