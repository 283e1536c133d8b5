"""The offline docs: ``/docs``, ``/redoc``, ``/static/...`` and the favicon.

Everything these routes serve ships in the package and is read once when the app starts (the
router's lifespan): the static files (:mod:`aslgraph.api.assets`, vendored files checked against
their manifest). A name that is not on that list is a 404 problem; no path is ever joined from
the request.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI, Request, Response

from aslgraph.api import apidocs
from aslgraph.api.assets import StaticAssets
from aslgraph.api.problems import ProblemError

STATIC = Path(__file__).resolve().parents[1] / "static"


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Read the static files once; fails the start-up when a vendored file is not the
    manifest's."""
    app.state.assets = StaticAssets.load(STATIC)
    yield


router = APIRouter(tags=["pages"], lifespan=lifespan)


async def _assets(request: Request) -> StaticAssets:
    assets: StaticAssets = request.app.state.assets
    return assets


AssetsDep = Annotated[StaticAssets, Depends(_assets)]


def _page(body: bytes, policy: str) -> Response:
    headers = {
        "Content-Security-Policy": policy,
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
    }
    return Response(body, media_type="text/html; charset=utf-8", headers=headers)


def _file(assets: StaticAssets, path: str, request: Request) -> Response:
    """The file at ``/static/{path}``, 304 when the client's copy (If-None-Match) is this one,
    or a 404 problem when no such file ships."""
    asset = assets.get(path)
    if asset is None:
        raise ProblemError(
            404, f"no static file {path!r} ships with this service", kind="not-found"
        )
    headers = asset.headers()
    if _names(request.headers.get("if-none-match", ""), asset.etag):
        return Response(status_code=304, headers=headers)
    return Response(asset.body, media_type=asset.media_type, headers=headers)


def _names(if_none_match: str, etag: str) -> bool:
    """Whether an If-None-Match value names ``etag`` (weak comparison, RFC 9110 13.1.2)."""
    tags = [tag.strip() for tag in if_none_match.split(",")]
    return "*" in tags or etag in (tag.removeprefix("W/") for tag in tags)


@router.get("/docs", include_in_schema=False)
async def swagger_ui(request: Request, assets: AssetsDep) -> Response:
    """The API docs in Swagger UI, from the package's own copy (no CDN)."""
    title: str = request.app.title
    page = apidocs.swagger_page(assets, "openapi.json", title)
    return _page(page, apidocs.SWAGGER_CSP)


@router.get("/redoc", include_in_schema=False)
async def redoc(request: Request, assets: AssetsDep) -> Response:
    """The API reference in ReDoc, from the package's own copy (no CDN)."""
    title: str = request.app.title
    page = apidocs.redoc_page(assets, "openapi.json", title)
    return _page(page, apidocs.REDOC_CSP)


@router.get("/static/{path:path}", include_in_schema=False)
async def static_file(path: str, request: Request, assets: AssetsDep) -> Response:
    """A file the pages load: only those :class:`StaticAssets` lists (404 otherwise)."""
    return _file(assets, path, request)


@router.get("/favicon.svg", include_in_schema=False)
async def favicon_svg(request: Request, assets: AssetsDep) -> Response:
    """The favicon, as SVG."""
    return _file(assets, "site/favicon.svg", request)


@router.get("/favicon.ico", include_in_schema=False)
async def favicon_ico(request: Request, assets: AssetsDep) -> Response:
    """The favicon, as an ICO of PNG images (16, 32 and 48 pixels)."""
    return _file(assets, "site/favicon.ico", request)
