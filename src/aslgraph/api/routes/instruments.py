"""``/api/instruments``: instruments and their versions; ``/api/context.jsonld``: the JSON-LD
context of every REST answer."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request, Response

from aslgraph.api.deps import CatalogDep, SettingsDep
from aslgraph.api.jsonld import CONTEXT_PATH, context_bytes
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
from aslgraph.kg.model import Instrument

router = APIRouter(prefix="/api", route_class=RestRoute)


class InstrumentPage(Page[Instrument]):
    """A page of instruments (each with its versions); ``scheme`` when filtered by one."""

    model_config = page_config(Instrument, "/api/instruments/rsp", scheme="rsp")

    scheme: str | None = None


SchemePath = Annotated[
    str,
    Path(
        max_length=64,
        description="A scheme: rsp, rsp3, eu-ai-act, gpai-cop, uk-fasc, uk-ep, uk-cs, uk-aisi, "
        "openai-pf, gdm-fsf, nist-ai-rmf.",
        examples=["eu-ai-act"],
    ),
]


@router.get(
    "/instruments",
    tags=["instruments"],
    summary="Instruments and their versions",
    description="Every instrument (law, code of practice, policy, guidance) with its versions, "
    "oldest first, each with the dates it was issued, entered into force and applies from, "
    "and what changed.",
    response_model=InstrumentPage,
    responses={**ok_response("A page of instruments."), **problem_responses(400, 406)},
)
async def list_instruments(
    request: Request,
    catalog: CatalogDep,
    settings: SettingsDep,
    offer: OfferDep,
    page: PageParam = 1,
    size: SizeParam = None,
) -> InstrumentPage:
    paging = Paging.of(page, size, settings)
    with catalog_errors():
        instruments = catalog.instruments()
    return page_of(InstrumentPage, request, settings, paging, instruments)


@router.get(
    "/instruments/{scheme}",
    tags=["instruments"],
    summary="The instruments of one scheme",
    description="The instruments whose IRI or provisions lie in the scheme (the RSP, whose "
    "v3 provisions live in rsp3, is listed under both rsp and rsp3).",
    response_model=InstrumentPage,
    responses={**ok_response("A page of instruments."), **problem_responses(400, 404, 406)},
)
async def scheme_instruments(
    scheme: SchemePath,
    request: Request,
    catalog: CatalogDep,
    settings: SettingsDep,
    offer: OfferDep,
    page: PageParam = 1,
    size: SizeParam = None,
) -> InstrumentPage:
    paging = Paging.of(page, size, settings)
    with catalog_errors():
        instruments = catalog.instruments(scheme)
    return page_of(InstrumentPage, request, settings, paging, instruments, scheme=scheme)


@router.get(
    CONTEXT_PATH.removeprefix("/api"),
    tags=["json-ld"],
    summary="The JSON-LD context of the REST API",
    description="Every key of the REST answers as a JSON-LD term; JSON-LD answers "
    "(Accept: application/ld+json) refer to this document.",
    response_class=Response,
    responses={200: {"content": {"application/ld+json": {"schema": {"type": "object"}}}}},
)
async def jsonld_context() -> Response:
    return Response(context_bytes(), media_type="application/ld+json")
