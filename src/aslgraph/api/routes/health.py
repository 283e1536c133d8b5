"""``GET /health``: liveness and what is loaded."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from aslgraph import __version__
from aslgraph.api.deps import StoreDep

router = APIRouter(tags=["health"])


class Health(BaseModel):
    """The service is up; what it serves."""

    status: str
    version: str
    files: int
    triples: int
    load_seconds: float


@router.get("/health", response_model=Health, summary="Liveness and what is loaded")
async def health(store: StoreDep) -> Health:
    return Health(
        status="ok",
        version=__version__,
        files=len(store.sources),
        triples=len(store),
        load_seconds=round(store.load_seconds, 4),
    )
