"""The coverage pages: a chooser (``/coverage``) and one pair of schemes
(``/coverage/{from}/{to}``), drawn from the coverage service's answer (never recomputed).

Each side gets a bar of its provisions covered, partly covered and unmapped
(:func:`aslgraph.kg.matrix.coverage_extent`) and the lists behind it: the unmapped first, then
the partly covered with what links them, then the covered. The bars are inline SVG (attributes,
no inline style), with their numbers in text as well.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from urllib.parse import quote

from aslgraph.api.ui.entity import link
from aslgraph.api.ui.layout import Crumb, e, page
from aslgraph.kg.matrix import Extent, InstrumentMatrix, coverage_extent
from aslgraph.kg.model import Coverage, CoverageRow

Href = Callable[[str], str | None]
EXTENTS: tuple[tuple[Extent, str, str], ...] = (
    ("covered", "covered", "#1f4f8f"),
    ("partly", "partly covered", "#7fa8d9"),
    ("unmapped", "unmapped", "hatch"),
)


def _bar(counts: dict[Extent, int], total: int, label: str, ident: str) -> str:
    parts, x = [], 0.0
    for extent, _, fill in EXTENTS:
        width = 1000 * counts[extent] / total if total else 0.0
        paint = f"url(#hatch-{ident})" if fill == "hatch" else fill
        parts.append(f'<rect x="{x:.1f}" y="0" width="{width:.1f}" height="24" fill="{paint}"/>')
        x += width
    text = ", ".join(f"{counts[x_]} {name}" for x_, name, _ in EXTENTS)
    return (
        f'<svg class="bar" viewBox="0 0 1000 24" preserveAspectRatio="none" role="img" '
        f'aria-label="{e(label)}: {e(text)} of {total}">'
        f'<defs><pattern id="hatch-{e(ident)}" width="8" height="8" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="8" height="8" fill="#fff"/>'
        '<rect width="3" height="8" fill="#f1e3d3"/></pattern></defs>'
        f"{''.join(parts)}</svg>"
    )


def _row_item(row: CoverageRow, href: Href) -> str:
    if not row.links:
        return f"<li>{link(row, href)}</li>"
    others = "; ".join(
        f'<span class="rel-{e(x.relation.id)}">{e(x.relation.label)}</span> '
        f"{link(x.other, href)}" + (f" ({x.confidence:g})" if x.confidence is not None else "")
        for x in row.links
    )
    return f'<li>{link(row, href)}<br><span class="muted">{others}</span></li>'


def _side(title: str, ident: str, rows: Sequence[CoverageRow], other: str, href: Href) -> str:
    groups: dict[Extent, list[CoverageRow]] = {"covered": [], "partly": [], "unmapped": []}
    for row in rows:
        groups[coverage_extent(row)].append(row)
    counts = {k: len(v) for k, v in groups.items()}
    total = len(rows)
    legend = "".join(
        f'<li><span class="swatch {x}" aria-hidden="true"></span>{e(name)}: '
        f'<strong id="{e(ident)}-{x}">{counts[x]}</strong></li>'
        for x, name, _ in EXTENTS
    )
    lists = []
    for extent, name, _ in reversed(EXTENTS):
        items = "".join(_row_item(r, href) for r in groups[extent])
        opened = " open" if extent == "unmapped" else ""
        lists.append(
            f"<details{opened}><summary>{e(name.capitalize())} ({counts[extent]})</summary>"
            f'<ul id="{e(ident)}-{extent}-list">{items or "<li>none</li>"}</ul></details>'
        )
    return (
        f'<section aria-labelledby="{e(ident)}-h"><h2 id="{e(ident)}-h">{e(title)}</h2>'
        f"<p>{total} provisions; how far each is covered by {e(other)}:</p>"
        + _bar(counts, total, title, ident)
        + f'<ul class="legend">{legend}</ul>'
        + "".join(lists)
        + "</section>"
    )


def coverage_page(coverage: Coverage, labels: dict[str, str], root: str, href: Href) -> bytes:
    """The page of one pair of schemes."""
    a, b = coverage.from_scheme, coverage.to_scheme
    la, lb = labels.get(a, a), labels.get(b, b)
    qa, qb = quote(a, safe=""), quote(b, safe="")
    sides = _side(
        f"{la} ({a})", "from", [r for r in coverage.rows if r.side == "from"], lb, href
    ) + _side(f"{lb} ({b})", "to", [r for r in coverage.rows if r.side == "to"], la, href)
    api = f"{root}api/coverage?from={qa}&to={qb}"
    body = (
        f"<h1>Coverage of {e(la)} and {e(lb)}</h1>"
        '<p class="paraphrase">A provision is <strong>covered</strong> when a mapping says it '
        "equals or is a subset of a provision on the other side, <strong>partly covered</strong>"
        " when it is only linked otherwise (superset of, intersects with, supports), and "
        "<strong>unmapped</strong> when no mapping links it (records asserting no relationship "
        "and superseded ones do not count).</p>"
        f'<p class="downloads"><a href="{e(root)}crosswalk/{qa}/{qb}">Provision matrix of '
        f'this pair</a><a href="{e(root)}coverage/{qb}/{qa}">Swap sides</a> Download: '
        f'<a href="{e(api)}&amp;format=csv" type="text/csv">CSV</a>'
        f'<a href="{e(api)}" type="application/json">JSON</a></p>'
        f'<div class="columns">{sides}</div>'
    )
    return page(
        title=f"Coverage of {la} and {lb}",
        root=root,
        body=body,
        current="coverage",
        crumbs=[Crumb("Home", root), Crumb("Coverage", root + "coverage"), Crumb(f"{a} and {b}")],
        alternates=[(f"{api}&format=csv", "text/csv", "CSV")],
    )


def chooser_page(
    matrix: InstrumentMatrix, root: str, chosen: tuple[str, str] | None = None
) -> bytes:
    """``/coverage``: pick two schemes (a GET form), or follow a pair that has mappings."""

    def options(selected: str | None) -> str:
        return "".join(
            f'<option value="{e(s.scheme)}"{" selected" if s.scheme == selected else ""}>'
            f"{e(s.label)} ({e(s.scheme)})</option>"
            for s in matrix.schemes
        )

    first, second = chosen or ("rsp", "eu-ai-act")
    labels = {s.scheme: s.label for s in matrix.schemes}
    pairs = "".join(
        f'<li><a href="{e(root)}coverage/{quote(c.a, safe="")}/{quote(c.b, safe="")}">'
        f"{e(labels[c.a])} and {e(labels[c.b])}</a> "
        f'<span class="muted">({c.positive} pairs mapped)</span></li>'
        for c in sorted(matrix.cells, key=lambda c: -c.positive)
        if c.positive
    )
    body = (
        "<h1>Coverage of one instrument by another</h1>"
        f'<form class="pick" method="get" action="{e(root)}coverage">'
        f'<label>From<select name="from">{options(first)}</select></label>'
        f'<label>To<select name="to">{options(second)}</select></label>'
        '<button type="submit">Show coverage</button></form>'
        f"<h2>Pairs with mappings</h2><ul>{pairs}</ul>"
    )
    return page(
        title="Coverage of one instrument by another",
        root=root,
        body=body,
        current="coverage",
        crumbs=[Crumb("Home", root), Crumb("Coverage")],
    )
