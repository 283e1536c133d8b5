"""The analyst UI's pages: the crosswalk matrices, coverage and validation, as HTML.

Thin: each route asks the catalog (or the validation runner) for its domain object and hands it
to a renderer of :mod:`aslgraph.api.ui`; the downloads (CSV, SVG) are the same objects written
otherwise. Every view has its own URL: ``/crosswalk``, ``/crosswalk/{from}/{to}`` (and
``.csv`` / ``.svg`` of both), ``/coverage/{from}/{to}``, ``/validate?example=...``. Bad
input is a 4xx problem document (unknown scheme) or, for the validation form, the form again
with the error and the matching 4xx status.
"""

from __future__ import annotations

from datetime import date
from functools import partial
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from fastapi import Path as PathParam
from fastapi.responses import RedirectResponse

from aslgraph.api.deps import CatalogDep, SettingsDep
from aslgraph.api.examples import Examples
from aslgraph.api.problems import ProblemError
from aslgraph.api.rest import catalog_errors
from aslgraph.api.routes.ids import href
from aslgraph.api.routes.pages import ExamplesDep
from aslgraph.api.ui import coverage as coverage_ui
from aslgraph.api.ui import matrix as matrix_ui
from aslgraph.api.ui import validate as validate_ui
from aslgraph.api.ui.layout import CONTENT_SECURITY_POLICY, root_of
from aslgraph.api.uploads import problem
from aslgraph.config import Settings
from aslgraph.kg.catalog import Catalog
from aslgraph.media import CSV, HTML, SVG
from aslgraph.org.errors import OrgError, UnassessableError, UploadError
from aslgraph.org.jobs import OrgJob
from aslgraph.org.posture.model import PostureReport
from aslgraph.org.report import OrgReport
from aslgraph.org.runner import OrgRunner
from aslgraph.org.upload import screen

router = APIRouter(tags=["analyst UI"], include_in_schema=False)

Scheme = Annotated[str, PathParam(max_length=64, pattern=r"^[a-z0-9][a-z0-9-]*$")]
PAGE_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


def html_page(body: bytes, status: int = 200) -> Response:
    """An HTML page of the UI with its security headers."""
    return Response(body, status_code=status, media_type=HTML.content_type, headers=PAGE_HEADERS)


def _download(body: bytes, media_type: str, filename: str) -> Response:
    headers = {"Content-Disposition": f'inline; filename="{filename}"'}
    if media_type == SVG.media_type:  # opened on its own, an SVG is a document
        headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    return Response(body, media_type=media_type, headers=headers)


def _labels(catalog: Catalog) -> dict[str, str]:
    return {s.scheme: s.label for s in catalog.instrument_matrix().schemes}


def _href(settings: Settings) -> partial[str | None]:
    return partial(href, settings=settings)


# ---------------------------------------------------------------- crosswalk matrices


@router.api_route("/crosswalk", methods=["GET", "HEAD"])
async def crosswalk_matrix(request: Request, catalog: CatalogDep) -> Response:
    """Instruments by instruments: mapped provision pairs, shaded by strength."""
    with catalog_errors():
        matrix = catalog.instrument_matrix()
    return html_page(matrix_ui.matrix_page(matrix, root_of(request.url.path)))


@router.api_route("/crosswalk.csv", methods=["GET", "HEAD"])
async def crosswalk_matrix_csv(catalog: CatalogDep) -> Response:
    with catalog_errors():
        matrix = catalog.instrument_matrix()
    return _download(matrix_ui.matrix_csv(matrix), CSV.content_type, "crosswalk.csv")


@router.api_route("/crosswalk.svg", methods=["GET", "HEAD"])
async def crosswalk_matrix_svg(catalog: CatalogDep) -> Response:
    with catalog_errors():
        matrix = catalog.instrument_matrix()
    return _download(matrix_ui.matrix_svg(matrix), SVG.media_type, "crosswalk.svg")


@router.api_route("/crosswalk/{from_scheme}/{to_scheme}.csv", methods=["GET", "HEAD"])
async def provision_grid_csv(
    from_scheme: Scheme, to_scheme: Scheme, catalog: CatalogDep
) -> Response:
    with catalog_errors():
        grid = catalog.provision_grid(from_scheme, to_scheme)
    name = f"crosswalk-{from_scheme}__{to_scheme}.csv"
    return _download(matrix_ui.grid_csv(grid), CSV.content_type, name)


@router.api_route("/crosswalk/{from_scheme}/{to_scheme}.svg", methods=["GET", "HEAD"])
async def provision_grid_svg(
    from_scheme: Scheme, to_scheme: Scheme, catalog: CatalogDep
) -> Response:
    with catalog_errors():
        grid = catalog.provision_grid(from_scheme, to_scheme)
        labels = _labels(catalog)
    name = f"crosswalk-{from_scheme}__{to_scheme}.svg"
    return _download(matrix_ui.grid_svg(grid, labels), SVG.media_type, name)


@router.api_route("/crosswalk/{from_scheme}/{to_scheme}", methods=["GET", "HEAD"])
async def provision_grid(
    from_scheme: Scheme,
    to_scheme: Scheme,
    request: Request,
    catalog: CatalogDep,
    settings: SettingsDep,
) -> Response:
    """Provisions by provisions of two schemes, coloured by relation, gaps hatched."""
    with catalog_errors():
        grid = catalog.provision_grid(from_scheme, to_scheme)
        labels = _labels(catalog)
    root = root_of(request.url.path)
    return html_page(matrix_ui.grid_page(grid, labels, root, _href(settings)))


# ---------------------------------------------------------------- coverage


@router.get("/coverage", response_model=None)
async def coverage_chooser(
    request: Request,
    catalog: CatalogDep,
    from_: Annotated[str | None, Query(alias="from", max_length=64)] = None,
    to: Annotated[str | None, Query(max_length=64)] = None,
) -> Response:
    """Pick two schemes; with both ``from`` and ``to`` given, go to their page (303)."""
    with catalog_errors():
        if from_ and to:
            catalog.coverage(from_, to)  # 400 for an unknown scheme or twice the same
            return RedirectResponse(f"coverage/{from_}/{to}", status_code=303)
        matrix = catalog.instrument_matrix()
    return html_page(coverage_ui.chooser_page(matrix, root_of(request.url.path)))


@router.api_route("/coverage/{from_scheme}/{to_scheme}", methods=["GET", "HEAD"])
async def coverage_pair(
    from_scheme: Scheme,
    to_scheme: Scheme,
    request: Request,
    catalog: CatalogDep,
    settings: SettingsDep,
) -> Response:
    """Covered, partly covered and unmapped provisions of both sides, with the lists."""
    with catalog_errors():
        coverage = catalog.coverage(from_scheme, to_scheme)
        labels = _labels(catalog)
    root = root_of(request.url.path)
    return html_page(coverage_ui.coverage_page(coverage, labels, root, _href(settings)))


# ---------------------------------------------------------------- validation


async def _judge(
    runner: OrgRunner, body: bytes, media_type: str, as_of: date | None
) -> tuple[OrgReport, PostureReport | None, str | None]:
    """The validation report and the posture of a graph (the workers of /api/validate and
    /api/posture); a graph whose posture cannot be judged keeps its report and says why."""
    answer = await runner.run(OrgJob(op="validate", media_type=media_type, as_of=as_of), body)
    report = OrgReport.model_validate_json(answer.body)
    try:
        judged = await runner.run(OrgJob(op="posture", media_type=media_type, as_of=as_of), body)
    except UnassessableError as exc:
        return report, None, f"No posture verdicts: {exc.message}"
    return report, PostureReport.model_validate_json(judged.body), None


def _date(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UploadError(
            f"the date {text!r} is not YYYY-MM-DD", kind="invalid-parameter"
        ) from None


async def _validation_page(
    request: Request,
    settings: Settings,
    examples: Examples,
    body: bytes,
    media_type: str,
    text: str,
    as_of: str | None,
    example: str | None = None,
) -> Response:
    runner: OrgRunner = request.app.state.org_runner
    view = partial(
        validate_ui.render,
        root=root_of(request.url.path),
        href=_href(settings),
        examples=examples.items,
        text=text,
        media_type=media_type,
        as_of=as_of,
        example=example,
    )
    try:
        screen(body, media_type)
        report, posture, posture_error = await _judge(runner, body, media_type, _date(as_of))
    except OrgError as exc:
        status = 400 if exc.kind == "invalid-parameter" else problem(exc, runner).status
        return html_page(view(error=exc.message), status=status)
    return html_page(view(report=report, posture=posture, posture_error=posture_error))


@router.get("/validate")
async def validation_form(
    request: Request,
    settings: SettingsDep,
    examples: ExamplesDep,
    example: Annotated[str | None, Query(max_length=120)] = None,
    as_of: Annotated[str | None, Query(max_length=10)] = None,
) -> Response:
    """The form; with ``example=invalid/NAME.ttl`` (a permalink) that example, validated."""
    root = root_of(request.url.path)
    if example is None:
        page = validate_ui.render(root=root, href=_href(settings), examples=examples.items)
        return html_page(page)
    verdict, _, name = example.partition("/")
    found = examples.get(verdict, name)
    if found is None:
        raise ProblemError(
            404, f"no example graph {example}: see /validate for the list", kind="not-found"
        )
    text = found.body.decode("utf-8")
    return await _validation_page(
        request, settings, examples, found.body, "text/turtle", text, as_of, example
    )


@router.post("/validate")
async def validation_result(
    request: Request, settings: SettingsDep, examples: ExamplesDep
) -> Response:
    """The posted form (multipart, or URL-encoded): the graph's report and posture."""
    body = await request.body()
    root = root_of(request.url.path)
    try:
        sent = validate_ui.read_form(body, request.headers.get("content-type"))
    except OrgError as exc:
        status = 415 if exc.kind == "unsupported-media-type" else 400
        page = validate_ui.render(
            root=root, href=_href(settings), examples=examples.items, error=exc.message
        )
        return html_page(page, status=status)
    return await _validation_page(
        request, settings, examples, sent.body, sent.media_type, sent.text, sent.as_of
    )
