"""``/api/coverage``: how the provisions of one scheme are covered by those of another."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request, Response

from aslgraph.api.deps import CatalogDep, SettingsDep
from aslgraph.api.rest import (
    Page,
    PageParam,
    Paging,
    RestRoute,
    SizeParam,
    catalog_errors,
    negotiate,
    ok_response,
    page_config,
    page_of,
    problem_responses,
)
from aslgraph.kg.export.tables import coverage_csv
from aslgraph.kg.model import CoverageRow, CoverageSide
from aslgraph.media import CSV, JSON, REST_JSON_LD, TABLE_OFFERS, Offer

router = APIRouter(prefix="/api/coverage", tags=["coverage"], route_class=RestRoute)

FORMATS = {"json": JSON, "jsonld": REST_JSON_LD, "csv": CSV}


class CoveragePage(Page[CoverageRow]):
    """A page of coverage rows (the ``from`` side first) and the counts of both sides."""

    model_config = page_config(
        CoverageRow,
        "/api/coverage?from=rsp&to=eu-ai-act",
        from_scheme="rsp",
        to_scheme="eu-ai-act",
        summary=[
            {"scheme": "rsp", "provisions": 87, "covered": 44, "unmapped": 43},
            {"scheme": "eu-ai-act", "provisions": 124, "covered": 9, "unmapped": 115},
        ],
    )

    from_scheme: str
    to_scheme: str
    summary: list[CoverageSide]


async def coverage_offer(
    request: Request,
    format: Annotated[
        Literal["json", "jsonld", "csv"] | None,
        Query(description="Overrides the Accept header."),
    ] = None,
) -> Offer:
    """JSON, JSON-LD or CSV: ``format`` if given, else what Accept prefers (406 otherwise)."""
    offer = FORMATS[format] if format else negotiate(request, TABLE_OFFERS)
    request.state.offer = offer
    return offer


@router.get(
    "",
    summary="Coverage of one scheme by another",
    description="Every provision of `from` with the provisions of `to` that cover it (relation "
    "read from its side, confidence, status, mapping), then every provision of `to` likewise; "
    "a provision with no mapping (other than no-relationship, and not superseded) to the other "
    "scheme is unmapped. JSON (paged), JSON-LD, or CSV (Accept: text/csv or format=csv: every "
    "row, one line per link).",
    response_model=CoveragePage,
    responses={
        **ok_response("A page of coverage rows, or the whole table as CSV.", csv=True),
        **problem_responses(400, 406),
    },
)
async def get_coverage(
    request: Request,
    catalog: CatalogDep,
    settings: SettingsDep,
    from_: Annotated[
        str, Query(alias="from", max_length=64, description="A scheme.", examples=["rsp"])
    ],
    to: Annotated[str, Query(max_length=64, description="Another scheme.", examples=["eu-ai-act"])],
    offer: Annotated[Offer, Depends(coverage_offer)],
    page: PageParam = 1,
    size: SizeParam = None,
) -> CoveragePage | Response:
    paging = Paging.of(page, size, settings)
    with catalog_errors():
        coverage = catalog.coverage(from_, to)
    if offer is CSV:
        filename = f"coverage-{coverage.from_scheme}-{coverage.to_scheme}.csv"
        return Response(
            coverage_csv(coverage),
            media_type="text/csv; charset=utf-8",
            headers={"Vary": "Accept", "Content-Disposition": f'inline; filename="{filename}"'},
        )
    return page_of(
        CoveragePage,
        request,
        settings,
        paging,
        coverage.rows,
        from_scheme=coverage.from_scheme,
        to_scheme=coverage.to_scheme,
        summary=coverage.summary,
    )
