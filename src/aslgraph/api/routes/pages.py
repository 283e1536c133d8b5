"""The front door and the offline docs: ``/``, ``/docs``, ``/redoc``, ``/static/...``, the
favicon and ``/examples/...``.

Everything these routes serve ships in the package and is read once when the app starts (the
router's lifespan): the static files (:mod:`aslgraph.api.assets`, vendored files checked against
their manifest) and the example organisation graphs (:mod:`aslgraph.api.examples`). A name that
is not on one of those lists is a 404 problem; no path is ever joined from the request.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import partial
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI, Request, Response
from fastapi import Path as PathParam

from aslgraph.api import apidocs, home
from aslgraph.api.assets import StaticAssets
from aslgraph.api.deps import CatalogDep, SettingsDep
from aslgraph.api.examples import Examples
from aslgraph.api.problems import ProblemError
from aslgraph.api.rest import catalog_errors, negotiate, problem_responses
from aslgraph.api.routes.ids import href
from aslgraph.config import Settings
from aslgraph.media import HOME_OFFERS, HTML

STATIC = Path(__file__).resolve().parents[1] / "static"


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Read the static files and the examples once (after the app's own lifespan has set
    ``app.state.settings``); fails the start-up when a vendored file is not the manifest's."""
    settings: Settings = app.state.settings
    app.state.assets = StaticAssets.load(STATIC)
    app.state.examples = Examples.load(settings.root)
    yield


router = APIRouter(tags=["front door"], lifespan=lifespan)


async def _assets(request: Request) -> StaticAssets:
    assets: StaticAssets = request.app.state.assets
    return assets


async def _examples(request: Request) -> Examples:
    examples: Examples = request.app.state.examples
    return examples


AssetsDep = Annotated[StaticAssets, Depends(_assets)]
ExamplesDep = Annotated[Examples, Depends(_examples)]


def _page(body: bytes, policy: str, *, vary: bool = False) -> Response:
    headers = {
        "Content-Security-Policy": policy,
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
    }
    if vary:
        headers["Vary"] = "Accept"
    return Response(body, media_type=HTML.content_type, headers=headers)


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


@router.get(
    "/",
    summary="The front door: what this service is and its entry points",
    description="An HTML page for browsers (and for `*/*`); with `Accept: application/json` "
    "the same links as JSON: the query page, the API docs, the REST entry points, every "
    "instrument's `/id/` page and the example organisation graphs.",
    response_model=home.FrontDoor,
    responses={
        200: {
            "description": "The index.",
            "content": {"text/html": {"schema": {"type": "string"}}},
        },
        **problem_responses(406),
    },
)
async def front_door(
    request: Request,
    catalog: CatalogDep,
    settings: SettingsDep,
    examples: ExamplesDep,
) -> Response:
    offer = negotiate(request, HOME_OFFERS)
    with catalog_errors():
        instruments = catalog.instruments()
    door = home.front_door(settings, instruments, examples, partial(href, settings=settings))
    if offer is HTML:
        return _page(home.render_html(door), home.CONTENT_SECURITY_POLICY, vary=True)
    return Response(
        door.model_dump_json(exclude_none=True).encode("utf-8"),
        media_type="application/json",
        headers={"Vary": "Accept"},
    )


router.add_api_route("/", front_door, methods=["HEAD"], include_in_schema=False)


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


@router.get(
    "/examples/{verdict}/{name}",
    summary="An example organisation graph",
    description="One of the example organisation graphs, as Turtle: `valid` ones conform to "
    "the organisation shapes, `invalid` ones do not (their `# expect:` lines say where). The "
    "front door (`/`) lists them. Only files that ship in those two folders are served.",
    response_class=Response,
    responses={
        200: {
            "description": "The graph.",
            "content": {"text/turtle": {"schema": {"type": "string"}}},
        },
        **problem_responses(404),
    },
)
async def example_graph(
    verdict: Annotated[str, PathParam(examples=["valid"])],
    name: Annotated[str, PathParam(examples=["bank-deploying-agents.ttl"])],
    examples: ExamplesDep,
) -> Response:
    example = examples.get(verdict, name)
    if example is None:
        raise ProblemError(
            404,
            f"no example graph {verdict}/{name}: see / for the list",
            kind="not-found",
        )
    return Response(
        example.body,
        media_type="text/turtle; charset=utf-8",
        headers={
            "Content-Disposition": f'inline; filename="{example.name}"',
            "X-Content-Type-Options": "nosniff",
        },
    )
