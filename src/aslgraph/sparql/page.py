"""The HTML query page of the endpoint, assembled once from package files.

The folder holds ``sparql.html`` (a template), ``sparql.js``, ``sparql.css`` and ``examples/*.rq``
(one example query per file, its first comment line the title). Nothing on the page comes from
another site, and the Content-Security-Policy sent with it forbids anything that would.
"""

from __future__ import annotations

import html
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from aslgraph.queries import NamedQuery, read_query

GRIP_STYLE = "'sha256-zCK2EVMoPc04mRF/g5CotUvxbJPWS+8V0b+s9ptqQIk='"
"""The one ``<style>`` element the editor writes: the fixed rules of its table-column resizer
(YASGUI 4.2.28's results table), admitted by its hash, measured in headless Chromium; nothing
else inline is."""
CONTENT_SECURITY_POLICY = (
    f"default-src 'none'; script-src 'self'; style-src 'self' {GRIP_STYLE}; "
    "connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)
"""Sent with the page: scripts, styles and requests from this origin only."""

ASSET_TYPES = {
    "sparql.js": "text/javascript; charset=utf-8",
    "sparql-editor.js": "text/javascript; charset=utf-8",
    "sparql.css": "text/css; charset=utf-8",
}
EDITOR_PACKAGE = "@triply/yasgui"
"""The vendored editor (YASGUI), found in ``vendor/MANIFEST.json`` (scripts/vendor_assets.py)."""


@dataclass(frozen=True)
class Asset:
    """A static file the page loads."""

    body: bytes
    content_type: str


@dataclass(frozen=True)
class QueryPage:
    """The page's HTML and its assets, read and assembled once."""

    html: bytes
    assets: Mapping[str, Asset]
    examples: tuple[NamedQuery, ...]

    @classmethod
    def load(
        cls,
        folder: Path,
        *,
        prefixes: Mapping[str, str],
        id_base: str,
        timeout: float,
        max_rows: int,
        header: str = "",
    ) -> QueryPage:
        """Read the page from ``folder``; raises OSError when a file is missing.

        ``header`` is the site navigation (trusted HTML) put at the top of the page; the
        editor's files are the vendored ones the manifest lists, served under ``/static/``;
        ``prefixes.json`` (the prefixes, in prefix.cc's format) is what the editor completes
        prefixes from, instead of asking prefix.cc."""
        examples = tuple(
            read_query(path, path.stem) for path in sorted((folder / "examples").glob("*.rq"))
        )
        links = "".join(
            f'<li><a href="#example-{i + 1}" data-example="{i}">{html.escape(q.title)}</a></li>'
            for i, q in enumerate(examples)
        )
        data = [{"name": q.name, "title": q.title, "text": q.text} for q in examples]
        terms = {"prefixes": dict(prefixes), "idBase": id_base}
        text = (folder / "sparql.html").read_text(encoding="utf-8")
        for placeholder, value in {
            "{{TIMEOUT}}": f"{timeout:g}",
            "{{MAX_ROWS}}": f"{max_rows:,}",
            "{{EXAMPLE_LINKS}}": links,
            "{{FIRST_EXAMPLE}}": html.escape(examples[0].text if examples else ""),
            "{{EXAMPLES_JSON}}": _script_json(data),
            "{{TERMS_JSON}}": _script_json(terms),
            "{{NAV}}": header,
            "{{YASGUI_JS}}": html.escape(_vendored(folder, "yasgui.min.js")),
            "{{YASGUI_CSS}}": html.escape(_vendored(folder, "yasgui.min.css")),
        }.items():
            text = text.replace(placeholder, value)
        assets = {
            name: Asset((folder / name).read_bytes(), content_type)
            for name, content_type in ASSET_TYPES.items()
        }
        assets["prefixes.json"] = Asset(
            json.dumps(dict(prefixes), sort_keys=True).encode("utf-8"), "application/json"
        )
        return cls(html=text.encode("utf-8"), assets=assets, examples=examples)


def _vendored(folder: Path, name: str) -> str:
    """The path (relative to the page) of a file of the vendored editor."""
    manifest = json.loads((folder / "vendor" / "MANIFEST.json").read_text(encoding="utf-8"))
    for package in manifest["packages"]:
        if package["name"] == EDITOR_PACKAGE:
            return f"static/vendor/{package['folder']}/{package['version']}/{name}"
    raise OSError(f"{EDITOR_PACKAGE} is not vendored (run scripts/vendor_assets.py)")


def _script_json(value: object) -> str:
    """JSON that is safe inside a <script> element (no "</" or "<!--" can end it early)."""
    return json.dumps(value, ensure_ascii=False).replace("<", "\\u003c")
