"""The crosswalk matrices as HTML pages, CSV tables and SVG images.

:func:`matrix_page` draws :class:`~aslgraph.kg.matrix.InstrumentMatrix` (each cell the number
of provision pairs mapped, shaded by strength, linking to the pair's grid); :func:`grid_page`
draws a :class:`~aslgraph.kg.matrix.ProvisionGrid` (cells coloured by relation, with a symbol
too, tooltips with justification and confidence, unmapped rows and columns hatched as gaps).
The CSV and SVG functions write the same data for download. Everything is escaped; colours are
classes of ``site.css`` (the page's policy allows no inline style), the SVG carries its own.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Callable, Sequence
from urllib.parse import quote

from aslgraph.api.ui.entity import name
from aslgraph.api.ui.layout import Crumb, e, page
from aslgraph.kg.matrix import GridCell, InstrumentMatrix, PairCell, ProvisionGrid
from aslgraph.kg.model import Ref

SYMBOLS = {
    "equal": "=",
    "subset-of": "⊂",
    "superset-of": "⊃",
    "intersects-with": "∩",
    "supports": "→",
    "is-supported-by": "←",
    "no-relationship": "\u00d7",  # multiplication sign
}
"""A relation's symbol, drawn in its cell so that colour is not the only cue."""
RELATION_LABELS = {
    "equal": "equal",
    "subset-of": "subset of",
    "superset-of": "superset of",
    "intersects-with": "intersects with",
    "supports": "supports",
    "is-supported-by": "is supported by",
    "no-relationship": "no relationship (compared)",
}
COLOURS = {
    "equal": "#0b6e4f",
    "subset-of": "#1f4f8f",
    "superset-of": "#6a3d9a",
    "intersects-with": "#a35a00",
    "supports": "#1d6b62",
    "is-supported-by": "#1d6b62",
    "no-relationship": "#d9d9d9",
}
"""The SVG's colours (the same as ``site.css``'s ``c-*`` classes)."""
SHADES = ("#fafafa", "#e3edf8", "#bcd3ee", "#7fa8d9", "#2f6db5", "#173f73")
"""Strength shades s0 to s5 (the same as ``site.css``)."""
BOUNDS = (0.4, 0.47, 0.53, 0.6)
"""Strength at or above which a cell is shaded s2, s3, s4, s5 (s1 below the first)."""
GAP = "#f1e3d3"

Href = Callable[[str], str | None]


def shade(cell: PairCell | None) -> int:
    """The shade (0 to 5) of a cell: 0 when no pair is positively mapped."""
    if cell is None or cell.positive == 0:
        return 0
    return 1 + sum(cell.strength >= bound for bound in BOUNDS)


def _pair_title(cell: PairCell, labels: dict[str, str]) -> str:
    mean = f"{cell.mean_confidence:.2f}" if cell.mean_confidence is not None else "none"
    return (
        f"{labels[cell.a]} and {labels[cell.b]}: {cell.positive} provision pairs mapped, "
        f"{cell.no_relationship} compared with no relationship; mean confidence {mean}, "
        f"strength {cell.strength:.2f}"
    )


def _legend_strength() -> str:
    lows = ("0", *(f"{b:.2f}" for b in BOUNDS))
    highs = (*(f"{b:.2f}" for b in BOUNDS), "1")
    items = "".join(
        f'<li><span class="swatch s{i + 1}" aria-hidden="true"></span>strength {lo}\u2013{hi}</li>'
        for i, (lo, hi) in enumerate(zip(lows, highs, strict=True))
    )
    return f'<ul class="legend" aria-label="Legend">{items}</ul>'


def matrix_page(matrix: InstrumentMatrix, root: str) -> bytes:
    """The instruments-by-instruments page."""
    labels = {s.scheme: s.label for s in matrix.schemes}
    head = "".join(
        f'<th scope="col" title="{e(s.label)}">{e(s.scheme)}</th>' for s in matrix.schemes
    )
    rows = []
    for row in matrix.schemes:
        cells = []
        for column in matrix.schemes:
            if row.scheme == column.scheme:
                cells.append('<td class="self"><span>—</span></td>')
                continue
            cell = matrix.cell(row.scheme, column.scheme)
            level = shade(cell)
            if cell is None or cell.positive == 0:
                tip = "no mapping" if cell is None else _pair_title(cell, labels)
                cells.append(f'<td class="s0"><span title="{e(tip)}">·</span></td>')
                continue
            href = f"crosswalk/{quote(row.scheme, safe='')}/{quote(column.scheme, safe='')}"
            cells.append(
                f'<td class="s{level}"><a href="{e(root + href)}" '
                f'title="{e(_pair_title(cell, labels))}" '
                f'aria-label="{e(_pair_title(cell, labels))}">{cell.positive}</a></td>'
            )
        rows.append(
            f'<tr><th scope="row" title="{e(row.label)}">{e(row.label)} '
            f'<span class="muted">({e(row.scheme)}, {row.provisions})</span></th>'
            f"{''.join(cells)}</tr>"
        )
    body = (
        "<h1>Crosswalk matrix: which instrument maps to which</h1>"
        '<p class="paraphrase">Each cell counts the provision pairs of two instruments that a '
        "mapping record links with a relation (superseded records left out), shaded by "
        "strength: the share of compared pairs that are related times their mean confidence. "
        "A cell links to the provision-by-provision matrix of its pair (rows: the row's "
        "instrument). Row headers give the scheme and its number of provisions.</p>"
        + _legend_strength()
        + '<p class="downloads">Download: <a href="crosswalk.csv" type="text/csv" download>'
        'CSV</a><a href="crosswalk.svg" type="image/svg+xml" download>SVG</a> Every mapping '
        f'record: <a href="{e(root)}api/export/sssom" type="text/tab-separated-values">SSSOM</a>'
        f'<a href="{e(root)}api/export/oscal-mapping" type="application/json">OSCAL mapping</a>'
        f'<a href="{e(root)}api/export/csv" type="text/csv">CSV</a></p>'
        f'<table class="matrix"><caption>Mapped provision pairs, {len(matrix.schemes)} '
        "schemes</caption>"
        f'<thead><tr><td class="corner"></td>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )
    return page(
        title="Crosswalk matrix of every instrument",
        root=root,
        body=body,
        current="crosswalk",
        crumbs=[Crumb("Home", root), Crumb("Crosswalk matrix")],
        alternates=[
            ("crosswalk.csv", "text/csv", "CSV"),
            ("crosswalk.svg", "image/svg+xml", "SVG"),
        ],
        wide=True,
    )


def _safe(value: str | None) -> str:
    """A CSV cell a spreadsheet will not run as a formula."""
    text = value or ""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def matrix_csv(matrix: InstrumentMatrix) -> bytes:
    """One line per linked pair of schemes."""
    labels = {s.scheme: s.label for s in matrix.schemes}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(
        (
            "scheme_a",
            "label_a",
            "scheme_b",
            "label_b",
            "pairs_mapped",
            "pairs_no_relationship",
            "mean_confidence",
            "strength",
        )
    )
    for cell in matrix.cells:
        writer.writerow(
            (
                cell.a,
                _safe(labels[cell.a]),
                cell.b,
                _safe(labels[cell.b]),
                cell.positive,
                cell.no_relationship,
                "" if cell.mean_confidence is None else f"{cell.mean_confidence:g}",
                f"{cell.strength:g}",
            )
        )
    return out.getvalue().encode("utf-8")


def _svg(width: int, height: int, title: str, parts: list[str]) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="system-ui, sans-serif" role="img">'
        f"<title>{e(title)}</title>"
        f'<rect width="{width}" height="{height}" fill="#fff"/>' + "".join(parts) + "</svg>\n"
    ).encode("utf-8")


def matrix_svg(matrix: InstrumentMatrix) -> bytes:
    """The instrument matrix as an image (counts in the cells, shades as on the page)."""
    labels = {s.scheme: s.label for s in matrix.schemes}
    size, left, top = 44, 170, 120
    n = len(matrix.schemes)
    parts: list[str] = []
    for i, scheme in enumerate(matrix.schemes):
        x = left + i * size + size // 2
        parts.append(
            f'<text x="{x}" y="{top - 8}" font-size="12" transform="rotate(-45 {x} {top - 8})">'
            f"{e(scheme.scheme)}</text>"
        )
        parts.append(
            f'<text x="{left - 8}" y="{top + i * size + size // 2 + 4}" font-size="12" '
            f'text-anchor="end">{e(scheme.scheme)} ({scheme.provisions})</text>'
        )
    for r, row in enumerate(matrix.schemes):
        for c, column in enumerate(matrix.schemes):
            x, y = left + c * size, top + r * size
            if r == c:
                parts.append(f'<rect x="{x}" y="{y}" width="{size}" height="{size}" fill="#eee"/>')
                continue
            cell = matrix.cell(row.scheme, column.scheme)
            level = shade(cell)
            tip = f"<title>{e(_pair_title(cell, labels))}</title>" if cell else ""
            parts.append(
                f'<rect x="{x}" y="{y}" width="{size}" height="{size}" fill="{SHADES[level]}" '
                f'stroke="#fff">{tip}</rect>'
            )
            if cell is not None and cell.positive:
                colour = "#fff" if level >= 4 else "#1a1a1a"
                parts.append(
                    f'<text x="{x + size // 2}" y="{y + size // 2 + 5}" font-size="14" '
                    f'font-weight="600" text-anchor="middle" fill="{colour}">{cell.positive}</text>'
                )
    width, height = left + n * size + 20, top + n * size + 20
    return _svg(width, height, "aslgraph crosswalk matrix: mapped provision pairs", parts)


# ---------------------------------------------------------------- provisions by provisions


def _by_pair(grid: ProvisionGrid) -> dict[tuple[str, str], list[GridCell]]:
    found: dict[tuple[str, str], list[GridCell]] = defaultdict(list)
    for cell in grid.cells:
        found[cell.row, cell.column].append(cell)
    for records in found.values():  # positive relations first, then by confidence
        records.sort(key=lambda c: (c.relation.id == "no-relationship", -(c.confidence or 0.0)))
    return found


def _label(ref: Ref) -> str:
    return ref.notation or ref.curie


def _labels_of(refs: Sequence[Ref]) -> dict[str, str]:
    """Each provision's short label on an axis; a notation two provisions share (each chapter of
    the Code has a "Commitment 1") gets the CURIE added."""
    counts: dict[str, int] = defaultdict(int)
    for ref in refs:
        counts[_label(ref)] += 1
    return {
        r.iri: _label(r) if counts[_label(r)] == 1 else f"{_label(r)} ({r.curie})" for r in refs
    }


def _cell_title(row: Ref, column: Ref, records: Sequence[GridCell]) -> str:
    lines = []
    for record in records:
        confidence = "" if record.confidence is None else f", confidence {record.confidence:g}"
        status = f", {record.status.id}" if record.status else ""
        why = f": {record.justification}" if record.justification else ""
        lines.append(
            f"{_label(row)} {RELATION_LABELS.get(record.relation.id, record.relation.label)} "
            f"{_label(column)}{confidence}{status}{why}"
        )
    return "\n".join(lines)


def _legend_relations() -> str:
    items = "".join(
        f'<li><span class="swatch c-{e(rel)}" aria-hidden="true">{e(symbol)}</span>'
        f"{e(symbol)} {e(RELATION_LABELS[rel])}</li>"
        for rel, symbol in SYMBOLS.items()
        if rel != "is-supported-by"
    )
    items += (
        '<li><span class="swatch c-is-supported-by" aria-hidden="true">←</span>'
        "← is supported by</li>"
        '<li><span class="swatch gap" aria-hidden="true"></span>gap: a provision with no '
        "mapping to the other instrument</li>"
    )
    return f'<ul class="legend" aria-label="Legend">{items}</ul>'


def grid_page(grid: ProvisionGrid, labels: dict[str, str], root: str, href: Href) -> bytes:
    """The provisions-by-provisions page of one pair of schemes."""
    a, b = grid.from_scheme, grid.to_scheme
    records = _by_pair(grid)
    gap_rows, gap_columns = set(grid.unmapped_rows), set(grid.unmapped_columns)
    shown = _labels_of([*grid.rows, *grid.columns])
    head = []
    for column in grid.columns:
        cls = ' class="gap"' if column.iri in gap_columns else ""
        target = href(column.iri)
        text = e(shown[column.iri])
        inner = f'<a href="{e(target)}">{text}</a>' if target else text
        head.append(
            f'<th scope="col"{cls} title="{e(name(column.notation, column.label, column.curie))}'
            f'{" (unmapped)" if column.iri in gap_columns else ""}">{inner}</th>'
        )
    rows = []
    for row in grid.rows:
        row_gap = row.iri in gap_rows
        cells = []
        for column in grid.columns:
            found = records.get((row.iri, column.iri))
            if found:
                first = found[0]
                target = href(first.mapping)
                symbol = SYMBOLS.get(first.relation.id, "•")
                title = _cell_title(row, column, found)
                inner = (
                    f'<a href="{e(target)}" title="{e(title)}" aria-label="{e(title)}">'
                    f"{e(symbol)}</a>"
                    if target
                    else f'<span title="{e(title)}">{e(symbol)}</span>'
                )
                cells.append(f'<td class="c-{e(first.relation.id)}">{inner}</td>')
            elif row_gap or column.iri in gap_columns:
                cells.append('<td class="gap"></td>')
            else:
                cells.append("<td></td>")
        target = href(row.iri)
        text = e(shown[row.iri])
        inner = f'<a href="{e(target)}">{text}</a>' if target else text
        cls = ' class="gap"' if row_gap else ""
        tip = name(row.notation, row.label, row.curie) + (" (unmapped)" if row_gap else "")
        rows.append(f'<tr><th scope="row"{cls} title="{e(tip)}">{inner}</th>{"".join(cells)}</tr>')
    pairs = {(c.row, c.column) for c in grid.cells if c.relation.id != "no-relationship"}
    here = f"crosswalk/{quote(a, safe='')}/{quote(b, safe='')}"
    files = f"{quote(a, safe='')}__{quote(b, safe='')}"
    body = (
        f"<h1>{e(labels.get(a, a))} by {e(labels.get(b, b))}, provision by provision</h1>"
        f'<p class="paraphrase">Rows: the {len(grid.rows)} provisions of <strong>{e(a)}</strong>'
        f"; columns: the {len(grid.columns)} provisions of <strong>{e(b)}</strong>. "
        f'<span id="pair-count">{len(pairs)}</span> pairs are mapped; '
        f"{len(gap_rows)} rows and {len(gap_columns)} columns have no mapping to the other "
        "side (hatched). A cell's relation is read from its row to its column; hover or focus "
        "it for the justification and confidence, follow it to the mapping record.</p>"
        + _legend_relations()
        + f'<p class="downloads"><a href="{e(root)}crosswalk/{quote(b, safe="")}/'
        f'{quote(a, safe="")}">Swap rows and columns</a>'
        f'<a href="{e(root)}coverage/{quote(a, safe="")}/{quote(b, safe="")}">Coverage of '
        f"this pair</a> Download: "
        f'<a href="{e(root + here)}.csv" type="text/csv" download="crosswalk-{e(files)}.csv">'
        f'CSV</a><a href="{e(root + here)}.svg" type="image/svg+xml" '
        f'download="crosswalk-{e(files)}.svg">SVG</a></p>'
        f'<div class="grid-wrap" tabindex="0" role="region" aria-label="Provision matrix">'
        f'<table class="grid" id="grid"><thead><tr><th class="corner" scope="col">'
        f"{e(a)} ↓ · {e(b)} →</th>{''.join(head)}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )
    return page(
        title=f"Crosswalk of {labels.get(a, a)} and {labels.get(b, b)}, provision by provision",
        root=root,
        body=body,
        current="crosswalk",
        crumbs=[
            Crumb("Home", root),
            Crumb("Crosswalk matrix", root + "crosswalk"),
            Crumb(f"{a} by {b}"),
        ],
        alternates=[
            (f"{root}{here}.csv", "text/csv", "CSV"),
            (f"{root}{here}.svg", "image/svg+xml", "SVG"),
        ],
        wide=True,
    )


def grid_csv(grid: ProvisionGrid) -> bytes:
    """One line per mapping record of the pair, then one per unmapped row and column."""
    refs = {r.iri: r for r in (*grid.rows, *grid.columns)}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(
        (
            "row",
            "row_notation",
            "column",
            "column_notation",
            "relation",
            "confidence",
            "status",
            "mapping",
            "justification",
        )
    )
    for cell in grid.cells:
        row, column = refs[cell.row], refs[cell.column]
        writer.writerow(
            (
                row.curie,
                _safe(row.notation),
                column.curie,
                _safe(column.notation),
                cell.relation.id,
                "" if cell.confidence is None else f"{cell.confidence:g}",
                cell.status.id if cell.status else "",
                cell.mapping,
                _safe(cell.justification),
            )
        )
    for iri in grid.unmapped_rows:
        writer.writerow((refs[iri].curie, _safe(refs[iri].notation), "", "", "unmapped"))
    for iri in grid.unmapped_columns:
        writer.writerow(("", "", refs[iri].curie, _safe(refs[iri].notation), "unmapped"))
    return out.getvalue().encode("utf-8")


def grid_svg(grid: ProvisionGrid, labels: dict[str, str]) -> bytes:
    """The grid as an image: cells coloured by relation, gaps hatched, tooltips on cells."""
    records = _by_pair(grid)
    gap_rows, gap_columns = set(grid.unmapped_rows), set(grid.unmapped_columns)
    size, left, top = 11, 190, 150
    parts = [
        '<defs><pattern id="gap" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="6" height="6" fill="#fff"/>'
        f'<rect width="2" height="6" fill="{GAP}"/></pattern></defs>'
    ]
    for c, column in enumerate(grid.columns):
        x = left + c * size + size - 3
        fill = ' fill="#6b4a26"' if column.iri in gap_columns else ""
        parts.append(
            f'<text x="{x}" y="{top - 4}" font-size="9"{fill} transform="rotate(-90 {x} '
            f'{top - 4})">{e(_label(column)[:28])}</text>'
        )
    width_cells, height_cells = len(grid.columns) * size, len(grid.rows) * size
    parts.append(
        f'<rect x="{left}" y="{top}" width="{width_cells}" height="{height_cells}" fill="#f4f4f4"/>'
    )
    for c, column in enumerate(grid.columns):  # a gap is a hatched band across the grid
        if column.iri in gap_columns:
            parts.append(
                f'<rect x="{left + c * size}" y="{top}" width="{size}" height="{height_cells}" '
                'fill="url(#gap)"/>'
            )
    for r, row in enumerate(grid.rows):
        y = top + r * size
        fill = ' fill="#6b4a26"' if row.iri in gap_rows else ""
        parts.append(
            f'<text x="{left - 4}" y="{y + size - 2}" font-size="9" text-anchor="end"{fill}>'
            f"{e(_label(row)[:34])}</text>"
        )
        if row.iri in gap_rows:
            parts.append(
                f'<rect x="{left}" y="{y}" width="{width_cells}" height="{size}" fill="url(#gap)"/>'
            )
        for c, column in enumerate(grid.columns):
            found = records.get((row.iri, column.iri))
            if found:
                colour = COLOURS.get(found[0].relation.id, "#999")
                tip = e(_cell_title(row, column, found))
                parts.append(
                    f'<rect x="{left + c * size}" y="{y}" width="{size - 1}" '
                    f'height="{size - 1}" fill="{colour}"><title>{tip}</title></rect>'
                )
    for i in range(len(grid.rows) + 1):  # grid lines
        y = top + i * size
        parts.append(
            f'<line x1="{left}" y1="{y}" x2="{left + width_cells}" y2="{y}" stroke="#fff"/>'
        )
    for i in range(len(grid.columns) + 1):
        x = left + i * size
        parts.append(
            f'<line x1="{x}" y1="{top}" x2="{x}" y2="{top + height_cells}" stroke="#fff"/>'
        )
    width = left + len(grid.columns) * size + 20
    height = top + len(grid.rows) * size + 20
    a, b = grid.from_scheme, grid.to_scheme
    title = f"aslgraph crosswalk: {labels.get(a, a)} (rows) by {labels.get(b, b)} (columns)"
    return _svg(width, height, title, parts)
