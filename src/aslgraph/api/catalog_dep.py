"""``CatalogDep``: the catalog service the app builds at start-up (``app.state.catalog``)."""

from __future__ import annotations

import asyncio
from typing import Annotated

from fastapi import Depends, Request

from aslgraph.services.catalog import Catalog


async def get_catalog(request: Request) -> Catalog:
    """The app's catalog, once its index is built (``app.state.catalog_ready``, a task the
    lifespan starts; a request that comes before it is done waits for it).

    ``async``: a plain ``def`` dependency would cost a thread-pool hop per request.
    """
    state = request.app.state
    ready: asyncio.Future[None] | None = getattr(state, "catalog_ready", None)
    if ready is not None and not ready.done():
        await asyncio.shield(ready)
    catalog: Catalog = state.catalog
    return catalog


CatalogDep = Annotated[Catalog, Depends(get_catalog)]
