"""The frame every page of the analyst UI shares: title, site navigation, breadcrumbs, footer.

Every link and file a page loads is relative to the page (``root`` is the way back to the
service's root, e.g. ``../../`` from ``/id/eu-ai-act/art55``), so the pages work on whatever
origin and path prefix the browser reached them under, and load nothing from elsewhere.
Every value is escaped with :func:`e`.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
"""Sent with every UI page: scripts, styles, images and requests from this origin only, no
inline script or style (shades and colours are classes of ``site.css``)."""

NAV: tuple[tuple[str, str, str], ...] = (
    ("home", "", "Home"),
    ("crosswalk", "crosswalk", "Crosswalk matrix"),
    ("coverage", "coverage", "Coverage"),
    ("query", "sparql", "Query"),
    ("validate", "validate", "Validate a graph"),
    ("docs", "docs", "API docs"),
)
"""The site navigation: (id, path from the root, text)."""


def e(text: object) -> str:
    """``text`` escaped for HTML text and attribute values."""
    return html.escape(str(text), quote=True)


def root_of(path: str) -> str:
    """The relative way from the page at ``path`` (a URL path) back to the service's root."""
    depth = path.count("/") - 1
    return "../" * depth if depth > 0 else "./"


@dataclass(frozen=True)
class Crumb:
    """One step of a breadcrumb trail; ``href`` None for the current page."""

    text: str
    href: str | None = None


def nav(root: str, current: str | None) -> str:
    """The site navigation, the current section marked with ``aria-current``."""
    items = []
    for ident, path, text in NAV:
        mark = ' aria-current="page"' if ident == current else ""
        items.append(f'<li><a href="{e(root + path)}"{mark}>{e(text)}</a></li>')
    return (
        '<nav class="site" aria-label="Site">'
        f'<a class="brand" href="{e(root)}"><img src="{e(root)}favicon.svg" alt="" '
        'width="24" height="24">aslgraph</a>'
        f"<ul>{''.join(items)}</ul></nav>"
    )


def breadcrumbs(crumbs: Sequence[Crumb]) -> str:
    """A breadcrumb trail (an ordered list in a labelled ``nav``)."""
    items = []
    for crumb in crumbs:
        if crumb.href is None:
            items.append(f'<li><span aria-current="page">{e(crumb.text)}</span></li>')
        else:
            items.append(f'<li><a href="{e(crumb.href)}">{e(crumb.text)}</a></li>')
    return f'<nav class="crumbs" aria-label="Breadcrumb"><ol>{"".join(items)}</ol></nav>'


def page(
    *,
    title: str,
    root: str,
    body: str,
    current: str | None = None,
    crumbs: Sequence[Crumb] = (),
    alternates: Iterable[tuple[str, str, str]] = (),
    scripts: Iterable[str] = (),
    styles: Iterable[str] = (),
    wide: bool = False,
) -> bytes:
    """A whole page.

    ``title`` says what the page shows (``· aslgraph`` is appended); ``body`` is trusted HTML
    (built with :func:`e`); ``alternates`` are (href, media type, title) of the same data in
    other formats; ``scripts`` and ``styles`` paths relative to ``root``; ``wide`` lets the
    main column use the whole window (the matrices)."""
    head = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{e(title)} · aslgraph</title>",
        f'<link rel="icon" href="{e(root)}favicon.svg" type="image/svg+xml">',
        f'<link rel="icon" href="{e(root)}favicon.ico" sizes="16x16 32x32 48x48">',
        *(f'<link rel="stylesheet" href="{e(root + s)}">' for s in styles),
        f'<link rel="stylesheet" href="{e(root)}static/site/site.css">',
        *(
            f'<link rel="alternate" href="{e(href)}" type="{e(kind)}" title="{e(text)}">'
            for href, kind, text in alternates
        ),
        *(f'<script src="{e(root + s)}" defer></script>' for s in scripts),
        "</head>",
        f'<body class="ui{" wide" if wide else ""}">',
        '<a class="skip" href="#main">Skip to content</a>',
        "<header>",
        nav(root, current),
        breadcrumbs(crumbs) if crumbs else "",
        "</header>",
        f'<main id="main" tabindex="-1">{body}</main>',
        '<footer class="muted">aslgraph · every view here has its own address: copy it from '
        f'the address bar · <a href="{e(root)}docs">API docs</a></footer>',
        "</body></html>",
    ]
    return "\n".join(part for part in head if part).encode("utf-8")
