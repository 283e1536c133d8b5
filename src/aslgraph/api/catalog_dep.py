"""``CatalogDep``: the catalog service the app builds at start-up (``app.state.catalog``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from aslgraph.services.catalog import Catalog


def get_catalog(request: Request) -> Catalog:
    catalog: Catalog = request.app.state.catalog
    return catalog


CatalogDep = Annotated[Catalog, Depends(get_catalog)]
