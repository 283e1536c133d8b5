"""Dependency aliases: what a route may ask for, all built once at start-up (app.state)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Request

from aslgraph.config import Settings
from aslgraph.store import OxigraphStore


def _state(name: str) -> Any:
    # async: FastAPI runs a plain ``def`` dependency in the thread pool, a hop per request
    async def get(request: Request) -> Any:
        return getattr(request.app.state, name)

    return get


SettingsDep = Annotated[Settings, Depends(_state("settings"))]
StoreDep = Annotated[OxigraphStore, Depends(_state("store"))]
