"""``/api/crosswalk``: the direct and derived mappings of one provision."""

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
from aslgraph.kg.model import CrosswalkEntry, Ref
from aslgraph.namespaces import ID

router = APIRouter(prefix="/api/crosswalk", tags=["crosswalk"], route_class=RestRoute)


class CrosswalkPage(Page[CrosswalkEntry]):
    """A page of the crosswalk of ``provision``: direct entries first, then derived ones."""

    model_config = page_config(
        CrosswalkEntry,
        "/api/crosswalk?from=rsp%3AASL3-SS",
        provision=example_of(Ref)
        | {
            "iri": ID + "rsp/ASL3-SS",
            "curie": "rsp:ASL3-SS",
            "notation": "ASL-3 Security Standard",
            "label": "ASL-3 Security Standard",
        },
        to_scheme=None,
        min_confidence=None,
        as_of=None,
        direct_total=2,
        derived_total=0,
    )

    provision: Ref
    to_scheme: str | None = None
    min_confidence: float | None = None
    as_of: date | None = None
    direct_total: int
    derived_total: int


@router.get(
    "",
    summary="Crosswalk of a provision",
    description="Every mapping of the provision, read from its side (a mapping whose object it "
    "is carries the inverse relation), with relation, rationale, confidence, justification and "
    "both ends cited with their instrument versions; then the mappings derived through one "
    "intermediate provision, with the composed relation, the path (both mapping records) and "
    "the weakest confidence on it. Relations compose only where the result follows for "
    "certain: subset-of then subset-of gives subset-of, equal is neutral, superset-of then "
    "subset-of gives intersects-with, supports chains with itself and through a superset "
    "before or a subset after it, no-relationship blocks the chain, and other mixes give no "
    "derived mapping (docs/decisions/0005-crosswalk-composition.md has the whole table).",
    response_model=CrosswalkPage,
    responses={**ok_response("A page of the crosswalk."), **problem_responses(400, 404, 406)},
)
async def get_crosswalk(
    request: Request,
    catalog: CatalogDep,
    settings: SettingsDep,
    offer: OfferDep,
    from_: Annotated[
        str,
        Query(
            alias="from",
            max_length=2048,
            description="The provision, as a CURIE (aia:art55-1-d) or an IRI.",
            examples=["rsp:ASL3-SS"],
        ),
    ],
    to: Annotated[
        str | None,
        Query(
            max_length=64, description="Keep targets in this scheme only.", examples=["gpai-cop"]
        ),
    ] = None,
    min_confidence: Annotated[
        float | None,
        Query(
            ge=0,
            le=1,
            allow_inf_nan=False,
            description="Keep entries with at least this confidence (derived: the weakest "
            "on the path).",
            examples=[0.6],
        ),
    ] = None,
    as_of: Annotated[
        IsoDate | None,
        Query(
            description="Keep mappings made against instrument versions issued on or before "
            "this date (YYYY-MM-DD), and drop superseded mappings.",
            examples=["2025-09-01"],
        ),
    ] = None,
    page: PageParam = 1,
    size: SizeParam = None,
) -> CrosswalkPage:
    paging = Paging.of(page, size, settings)
    with catalog_errors():
        result = catalog.crosswalk(from_, to_scheme=to, min_confidence=min_confidence, as_of=as_of)
    return page_of(
        CrosswalkPage,
        request,
        settings,
        paging,
        result.entries,
        provision=result.provision,
        to_scheme=result.to_scheme,
        min_confidence=result.min_confidence,
        as_of=result.as_of,
        direct_total=len(result.direct),
        derived_total=len(result.derived),
    )
