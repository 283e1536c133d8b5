"""``/api/export/{format}``: the mapping records as SSSOM, OSCAL or CSV, a pair's coverage as
CSV, the whole graph as N-Quads or TriG (decision 0015); the same files as ``aslgraph export``."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Response
from starlette.concurrency import run_in_threadpool

from aslgraph.api.deps import CatalogDep, StoreDep
from aslgraph.api.rest import CachedRoute, catalog_errors, problem_responses
from aslgraph.kg.export import FORMATS
from aslgraph.kg.export.service import export
from aslgraph.media import EXPORT_OFFERS

router = APIRouter(prefix="/api/export", tags=["export"], route_class=CachedRoute)

_SCHEMAS: dict[str, dict[str, Any]] = {
    "application/json": {
        "type": "object",
        "description": "An OSCAL 1.2 mapping collection (oscal-mapping).",
        "required": ["mapping-collection"],
    }
}
_CONTENT = {
    offer.media_type: {"schema": _SCHEMAS.get(offer.media_type, {"type": "string"})}
    for offer in EXPORT_OFFERS.values()
}


@router.get(
    "/{format}",
    summary="Export the mappings, a pair's coverage or the whole graph",
    description="`sssom`: the mapping records as an SSSOM/TSV mapping set (YAML metadata in "
    "`#` lines; one row per record). `oscal-mapping`: an OSCAL 1.2 mapping collection, one "
    "mapping per pair of schemes with its coverage and gap summaries. `csv`: the records as "
    "CSV. `coverage-csv`: the coverage of `from` by `to` as CSV (both needed; the table "
    "/api/coverage?format=csv gives). `nquads`, `trig`: the whole knowledge graph, one named "
    "graph per source file (`from` and `to` are refused). `from` and `to` keep the records "
    "whose subject (object) lies in that scheme. Sent as an attachment with a file name.",
    response_class=Response,
    responses={
        200: {"description": "The export, in the format's media type.", "content": _CONTENT},
        **problem_responses(400, 404),
    },
)
async def get_export(
    catalog: CatalogDep,
    store: StoreDep,
    format: Annotated[
        str,
        Path(
            max_length=32,
            description=f"One of {', '.join(FORMATS)}.",
            examples=["sssom"],
            json_schema_extra={"enum": list(FORMATS)},
        ),
    ],
    from_: Annotated[
        str | None,
        Query(alias="from", max_length=64, description="The subject's scheme.", examples=["rsp"]),
    ] = None,
    to: Annotated[
        str | None,
        Query(max_length=64, description="The object's scheme.", examples=["eu-ai-act"]),
    ] = None,
) -> Response:
    with catalog_errors():
        answer = await run_in_threadpool(
            export, format, catalog=catalog, store=store, from_scheme=from_, to_scheme=to
        )
    offer = EXPORT_OFFERS[answer.format]
    return Response(
        answer.body,
        media_type=offer.content_type,
        headers={"Content-Disposition": f'attachment; filename="{answer.filename}"'},
    )
