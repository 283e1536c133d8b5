"""The HTML pages of ``/docs`` (Swagger UI) and ``/redoc`` (ReDoc), and the policies they are
sent with.

Each page loads the vendored files (:mod:`aslgraph.api.assets`) and our own start-up script
from this origin and nothing else: no inline script, no CDN, no font or image from another
site. Their Content-Security-Policy says so to the browser; the policies are the narrowest
that each viewer was seen to work under (decision record 0010).
"""

from __future__ import annotations

import base64
import hashlib
import html

from aslgraph.api.assets import StaticAssets

EMPTY_STYLE = f"'sha256-{base64.b64encode(hashlib.sha256(b'').digest()).decode('ascii')}'"
"""The CSP hash source of the empty string (``'sha256-47DEQpj8…'``)."""

SWAGGER_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
"""Swagger UI: its scripts, style sheet, icons (``data:`` SVGs) and the API's own answers."""

REDOC_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self' " + EMPTY_STYLE + "; "
    "img-src 'self' data:; font-src data:; connect-src 'self'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
"""ReDoc: as Swagger UI's, and two things its bundle needs. Its styles (styled-components)
go into ``<style>`` elements it creates empty and fills through the CSSOM, which CSP does not
govern, so the hash of the empty string admits them without ``'unsafe-inline'``; and an icon
font it carries as a ``data:`` URL. Refused on purpose: the Redocly logo it would load from
cdn.redoc.ly (the image hides itself when it fails), and ``eval``, with which it only probes
whether search may run in a worker (without, search runs on the page)."""


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _head(title: str, styles: tuple[str, ...] = ()) -> str:
    links = "".join(f'<link rel="stylesheet" href="{_e(href)}">' for href in styles)
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_e(title)}</title>\n"
        '<link rel="icon" href="favicon.svg" type="image/svg+xml">\n'
        '<link rel="icon" href="favicon.ico" sizes="16x16 32x32 48x48">\n'
        f"{links}</head>\n"
    )


def swagger_page(assets: StaticAssets, openapi_url: str, title: str) -> bytes:
    """The Swagger UI page over the OpenAPI description at ``openapi_url`` (a relative URL)."""
    css = "static/" + assets.vendored("swagger-ui-dist", "swagger-ui.css")
    bundle = "static/" + assets.vendored("swagger-ui-dist", "swagger-ui-bundle.js")
    return (
        _head(f"{title} · API docs", (css,))
        + f'<body>\n<div id="swagger-ui" data-openapi-url="{_e(openapi_url)}"></div>\n'
        f'<script src="{_e(bundle)}"></script>\n'
        '<script src="static/site/swagger-init.js"></script>\n'
        "</body></html>\n"
    ).encode("utf-8")


def redoc_page(assets: StaticAssets, openapi_url: str, title: str) -> bytes:
    """The ReDoc page over the OpenAPI description at ``openapi_url`` (a relative URL)."""
    bundle = "static/" + assets.vendored("redoc", "redoc.standalone.js")
    return (
        _head(f"{title} · API reference")
        + f'<body>\n<redoc spec-url="{_e(openapi_url)}" disable-telemetry="true"></redoc>\n'
        f'<script type="module" src="{_e(bundle)}"></script>\n'
        "</body></html>\n"
    ).encode("utf-8")
