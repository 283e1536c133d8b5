"""``/api/crosswalk``: the direct and derived mappings of one provision."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from aslgraph.api.deps import CatalogDep, SettingsDep
from aslgraph.api.rest import (
    MAX_PAGE,
    IsoDate,
    JsonMemo,
    Lookup,
    OfferDep,
    Page,
    PageParam,
    Paging,
    Params,
    RestRoute,
    SizeParam,
    catalog_errors,
    example_of,
    ok_response,
    page_config,
    paging_fields,
    plain_date,
    plain_int,
    plain_params,
    plain_unit,
    problem_responses,
    with_items,
)
from aslgraph.config import Settings
from aslgraph.kg.catalog import Catalog
from aslgraph.kg.model import Crosswalk, CrosswalkEntry, Ref
from aslgraph.namespaces import ID

router = APIRouter(prefix="/api/crosswalk", tags=["crosswalk"], route_class=RestRoute)
MAX_FROM = 2048
MAX_SCHEME = 64


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
            max_length=MAX_FROM,
            description="The provision, as a CURIE (aia:art55-1-d) or an IRI.",
            examples=["rsp:ASL3-SS"],
        ),
    ],
    to: Annotated[
        str | None,
        Query(
            max_length=MAX_SCHEME,
            description="Keep targets in this scheme only.",
            examples=["gpai-cop"],
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
    with catalog_errors():
        return crosswalk_page(
            catalog,
            settings,
            request.url.path,
            request.query_params.multi_items(),
            from_,
            to,
            min_confidence,
            as_of,
            Paging.of(page, size, settings),
        )


def crosswalk_page(
    catalog: Catalog,
    settings: Settings,
    path: str,
    params: Params,
    from_: str,
    to: str | None,
    min_confidence: float | None,
    as_of: date | None,
    paging: Paging,
) -> CrosswalkPage:
    """The route's answer; its fast path (:func:`lookup`) writes the same page, its items'
    JSON memoised (:data:`ITEMS`)."""
    result = catalog.crosswalk(from_, to_scheme=to, min_confidence=min_confidence, as_of=as_of)
    return _page(result, paging, path, params, settings, items=list(paging.window(result.entries)))


def _page(
    result: Crosswalk,
    paging: Paging,
    path: str,
    params: Params,
    settings: Settings,
    *,
    items: list[CrosswalkEntry],
) -> CrosswalkPage:
    """The page of ``result`` with ``items`` (the route's, or none for :func:`with_items`)."""
    return CrosswalkPage(
        items=items,
        **paging_fields(path, params, settings, paging, len(result.entries)),
        provision=result.provision,
        to_scheme=result.to_scheme,
        min_confidence=result.min_confidence,
        as_of=result.as_of,
        direct_total=len(result.direct),
        derived_total=len(result.derived),
    )


_PARAMS = frozenset({"from", "to", "min_confidence", "as_of", "page", "size"})


ITEMS = JsonMemo(8 * 1_048_576)
"""The JSON of the pages of items of the catalog's crosswalk answers (immutable, memoised by
the catalog): the items of an answer are written once (decision 0020)."""
assert next(iter(CrosswalkPage.model_fields)) == "items"  # noqa: S101 - what with_items needs


def lookup(state: Any, path: str, params: Params) -> bytes | None:
    """The route's fast path (:class:`~aslgraph.api.rest.Lookup`): the same answer for a request
    whose parameters are each given once, plainly written and within the route's limits; None
    for any other, which the route answers. The catalog's errors propagate (the route answers
    those too)."""
    found = plain_params(params, _PARAMS)
    if found is None:
        return None
    from_, to = found.get("from"), found.get("to")
    if from_ is None or len(from_) > MAX_FROM or (to is not None and len(to) > MAX_SCHEME):
        return None
    confidence = found.get("min_confidence")
    min_confidence = None if confidence is None else plain_unit(confidence)
    day = found.get("as_of")
    as_of = None if day is None else plain_date(day)
    page = plain_int(found.get("page"), 1, most=MAX_PAGE)
    size = plain_int(found.get("size"), None, most=MAX_PAGE)
    if (confidence is not None and min_confidence is None) or (day is not None and as_of is None):
        return None
    if page == -1 or size == -1 or page is None:
        return None
    settings: Settings = state.settings
    paging = Paging.of(page, size, settings)
    catalog: Catalog = state.catalog
    result = catalog.crosswalk(from_, to_scheme=to, min_confidence=min_confidence, as_of=as_of)
    window = (paging.page, paging.size)
    items = ITEMS.json(result, window, lambda: list(paging.window(result.entries)))
    return with_items(items, _page(result, paging, path, params, settings, items=[]))


LOOKUP = Lookup("/api/crosswalk", lookup)
