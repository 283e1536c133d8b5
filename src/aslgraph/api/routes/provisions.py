"""``/api/provisions``: search provisions; ``/api/provisions/{scheme}/{local}``: one provision
with its parents, children, obligations and mappings in both directions."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from pydantic import BaseModel, ConfigDict

from aslgraph.api.deps import CatalogDep, SettingsDep
from aslgraph.api.rest import (
    Lookup,
    OfferDep,
    Page,
    PageParam,
    Paging,
    Params,
    RestRoute,
    SizeParam,
    catalog_errors,
    ok_response,
    page_config,
    page_of,
    problem_responses,
)
from aslgraph.kg.catalog import Catalog
from aslgraph.kg.model import ProvisionDetail, ProvisionSummary

router = APIRouter(prefix="/api/provisions", tags=["provisions"], route_class=RestRoute)
MAX_SCHEME = 64
MAX_LOCAL = 256


class ProvisionFilters(BaseModel):
    """The filters a list of provisions was selected with (null: not used)."""

    model_config = ConfigDict(
        frozen=True,
        json_schema_extra={"examples": [{"scheme": "eu-ai-act", "kind": "point", "q": None}]},
    )

    scheme: str | None = None
    kind: str | None = None
    q: str | None = None


class ProvisionPage(Page[ProvisionSummary]):
    """A page of provisions and the filters that selected them."""

    model_config = page_config(
        ProvisionSummary,
        "/api/provisions?scheme=eu-ai-act&kind=point",
        filters={"scheme": "eu-ai-act", "kind": "point", "q": None},
    )

    filters: ProvisionFilters


@router.get(
    "",
    summary="Search provisions",
    description="Provisions in scheme order, filtered by scheme, kind and a case-insensitive "
    "text found in their notation, label or paraphrase.",
    response_model=ProvisionPage,
    responses={**ok_response("A page of provisions."), **problem_responses(400, 406)},
)
async def list_provisions(
    request: Request,
    catalog: CatalogDep,
    settings: SettingsDep,
    offer: OfferDep,
    scheme: Annotated[
        str | None,
        Query(max_length=64, description="Only provisions of this scheme.", examples=["rsp"]),
    ] = None,
    kind: Annotated[
        str | None,
        Query(
            max_length=64,
            description="Only provisions of this kind (a provision-kind notation such as "
            "article, paragraph, point, commitment, measure, safeguard-standard).",
            examples=["point"],
        ),
    ] = None,
    q: Annotated[
        str | None,
        Query(
            max_length=200,
            description="Text to find (case-insensitive) in notation, label or paraphrase.",
            examples=["cybersecurity"],
        ),
    ] = None,
    page: PageParam = 1,
    size: SizeParam = None,
) -> ProvisionPage:
    paging = Paging.of(page, size, settings)
    with catalog_errors():
        provisions = catalog.provisions(scheme=scheme, kind=kind, q=q)
    filters = ProvisionFilters(scheme=scheme, kind=kind, q=q)
    return page_of(ProvisionPage, request, settings, paging, provisions, filters=filters)


@router.get(
    "/{scheme}/{local}",
    summary="One provision",
    description="A provision with its notation, label, paraphrase, kind, source and locator, "
    "verification status, versions, ELI links, the chain of parents up to the instrument "
    "version, its children, the obligations it imposes (role, condition, date and its basis), "
    "the asl:servesProvision links both ways and every mapping in both directions (a mapping "
    "read from its object side carries the inverse relation).",
    response_model=ProvisionDetail,
    responses={**ok_response("The provision."), **problem_responses(404, 406)},
)
async def get_provision(
    scheme: Annotated[str, Path(max_length=MAX_SCHEME, examples=["eu-ai-act"])],
    local: Annotated[str, Path(max_length=MAX_LOCAL, examples=["art55-1-d"])],
    catalog: CatalogDep,
    offer: OfferDep,
) -> ProvisionDetail:
    with catalog_errors():
        return catalog.provision(scheme, local)


def lookup(state: Any, path: str, params: Params) -> ProvisionDetail | None:
    """The fast path of :func:`get_provision` (:class:`~aslgraph.api.rest.Lookup`): a request
    for ``/api/provisions/{scheme}/{local}`` within the route's limits (query parameters are
    ignored, as the route, which reads none, ignores them); None for any other, which the route
    answers. The catalog's errors propagate (the route answers those too)."""
    scheme, slash, local = path[len(DETAIL) :].partition("/")
    if not slash or not scheme or not local or "/" in local:
        return None
    if len(scheme) > MAX_SCHEME or len(local) > MAX_LOCAL:
        return None
    catalog: Catalog = state.catalog
    return catalog.provision(scheme, local)


DETAIL = "/api/provisions/"
LOOKUP = Lookup(DETAIL, lookup)
