"""Dependency aliases: what a route may ask for, all built once at start-up (``app.state``).

Every dependency is ``async``: FastAPI runs a plain ``def`` dependency in the thread pool, a hop
per request.
"""

from __future__ import annotations

import asyncio
from typing import Annotated, Any

from fastapi import Depends, Request

from aslgraph.config import Settings
from aslgraph.kg.catalog import Catalog
from aslgraph.store import OxigraphStore


def _state(name: str) -> Any:
    async def get(request: Request) -> Any:
        return getattr(request.app.state, name)

    return get


async def get_catalog(request: Request) -> Catalog:
    """The app's catalog, once its index is built (``app.state.catalog_ready``, a task the
    lifespan starts; a request that comes before it is done waits for it)."""
    state = request.app.state
    ready: asyncio.Future[None] | None = getattr(state, "catalog_ready", None)
    if ready is not None and not ready.done():
        await asyncio.shield(ready)
    catalog: Catalog = state.catalog
    return catalog


SettingsDep = Annotated[Settings, Depends(_state("settings"))]
StoreDep = Annotated[OxigraphStore, Depends(_state("store"))]
CatalogDep = Annotated[Catalog, Depends(get_catalog)]
"""The catalog service the app builds at start-up (``app.state.catalog``)."""
