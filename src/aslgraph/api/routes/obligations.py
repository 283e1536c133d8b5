"""``/api/obligations``: the obligations of a role on a date, each decided for the facts given
(the applicability engine of ``validate`` and ``posture``: :mod:`aslgraph.org.situation`)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request

from aslgraph.api.deps import CatalogDep, SettingsDep
from aslgraph.api.rest import (
    IsoDate,
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
from aslgraph.kg.model import Applicability, Concept, ObligationEntry, TransitionalNote
from aslgraph.namespaces import ID
from aslgraph.org import situation as situations

router = APIRouter(prefix="/api/obligations", tags=["obligations"], route_class=RestRoute)

_PROVIDER = {
    "iri": ID + "role/gpai-provider",
    "id": "gpai-provider",
    "label": "provider of a general-purpose AI model",
}


class ObligationPage(Page[ObligationEntry]):
    """A page of the obligations that apply on ``as_of`` for the facts given (``facts``), plus
    those that apply later (``upcoming``), those that cannot be decided without a fact not
    given (``undecided``: each names it), those that do not apply (``not_applicable``: each
    names the condition or exception), those a later instrument version dropped
    (``superseded``) and the transitional rules that defer some of them (Art. 111(3)); those
    lists are short and given whole. Each entry's ``applicability`` says why."""

    model_config = page_config(
        ObligationEntry,
        "/api/obligations?role=gpai-provider&systemic_risk=true&placed_on_market=2025-09-01",
        role=_PROVIDER,
        roles_considered=[_PROVIDER, example_of(ObligationEntry)["binds_role"]],
        systemic_risk=True,
        as_of="2026-11-26",
        facts={"systemic_risk": "true", "placed_on_market": "2025-09-01"},
        upcoming=[],
        undecided=[{**example_of(ObligationEntry), "applicability": example_of(Applicability)}],
        not_applicable=[],
        superseded=[],
        transitional=[example_of(TransitionalNote)],
    )

    role: Concept
    roles_considered: list[Concept]
    systemic_risk: bool | None
    as_of: date
    facts: dict[str, str]
    upcoming: list[ObligationEntry]
    undecided: list[ObligationEntry]
    not_applicable: list[ObligationEntry]
    superseded: list[ObligationEntry]
    transitional: list[TransitionalNote]


@router.get(
    "",
    summary="Obligations of a role, decided for the facts given",
    description="Every obligation binding the role, a broader role it includes (a provider of "
    "a model with systemic risk is also a provider of a general-purpose AI model) or a "
    "narrower role it may hold by condition (gpai-sr-provider, when the model has systemic "
    "risk), decided on `as_of` (default: today) by the applicability engine `validate` and "
    "`posture` use, for the facts given: it applies, applies later (with the date and the "
    "provision that sets it, e.g. Art. 111(3) for a model placed on the market before 2 "
    "August 2025), does not apply (with the condition or exception, e.g. the Art. 53(2) "
    "open-source exception) or cannot be decided (with the parameter to give). A fact not "
    "given is not assumed. Role ids: gpai-provider, gpai-sr-provider, "
    "authorised-representative, downstream-provider, deployer, high-risk-provider, "
    "cop-signatory, fasc-signatory, frontier-developer, commission, scientific-panel.",
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
    as_of: Annotated[
        IsoDate | None,
        Query(description="The date (YYYY-MM-DD); default today.", examples=["2025-09-01"]),
    ] = None,
    systemic_risk: Annotated[
        bool | None,
        Query(
            description="For a provider: whether the model has systemic risk (as the "
            "organisation states it; a Commission designation or compute above 10^25 FLOP, "
            "training_flop, decides it too)."
        ),
    ] = None,
    training_flop: Annotated[
        float | None,
        Query(
            ge=0,
            description="For a provider: the model's cumulative training compute in FLOP "
            "(Art. 51(2) presumes systemic risk above 10^25).",
            examples=[3.1e25],
        ),
    ] = None,
    established_in: Annotated[
        str | None,
        Query(
            max_length=16,
            description="Where the organisation is established: an ISO 3166-1 alpha-2 code "
            "(a Member State, or a third country: Art. 54).",
            examples=["US"],
        ),
    ] = None,
    open_source: Annotated[
        bool | None,
        Query(
            description="Whether the model is released under a free and open-source licence "
            "with its weights, architecture and usage information public (Art. 53(2), 54(6))."
        ),
    ] = None,
    placed_on_market: Annotated[
        IsoDate | None,
        Query(
            description="When the model was first placed on the Union market (Art. 111(3)).",
            examples=["2025-09-01"],
        ),
    ] = None,
    adheres_to: Annotated[
        list[str] | None,
        Query(
            max_length=3,
            description="For a Code of Practice signatory: the chapters adhered to (T, C, SS).",
        ),
    ] = None,
    annual_revenue: Annotated[
        float | None,
        Query(
            ge=0,
            description="For a US frontier developer: annual gross revenue with affiliates, in "
            "US dollars, in the calendar year before as_of (over $500 million makes a large "
            "frontier developer: SB 53 §22757.11(j), RAISE §1420).",
            examples=[7.2e8],
        ),
    ] = None,
    in_new_york: Annotated[
        bool | None,
        Query(
            description="For a US frontier developer: whether the model is developed, deployed "
            "or operated, in whole or in part, in New York (RAISE §1425)."
        ),
    ] = None,
    page: PageParam = 1,
    size: SizeParam = None,
) -> ObligationPage:
    paging = Paging.of(page, size, settings)
    with catalog_errors():
        facts = situations.situation(
            catalog,
            role,
            as_of=as_of,
            established_in=established_in,
            systemic_risk=systemic_risk,
            training_flop=training_flop,
            open_source=open_source,
            placed_on_market=placed_on_market,
            adheres_to=adheres_to,
            annual_revenue=annual_revenue,
            in_new_york=in_new_york,
        )
        result = situations.obligations(catalog, facts)
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
        facts=result.facts,
        upcoming=result.upcoming,
        undecided=result.undecided,
        not_applicable=result.not_applicable,
        superseded=result.superseded,
        transitional=result.transitional,
    )
