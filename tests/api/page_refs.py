"""What an HTML page would load (scripts, style sheets, icons, images, frames) and link to, and
whether a URL stays on the service's own origin."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit

LOADING = {"script": "src", "img": "src", "iframe": "src", "link": "href", "source": "src"}


@dataclass
class References:
    loaded: list[str] = field(default_factory=list)
    """URLs the browser fetches on its own (script, style sheet, icon, image, frame)."""
    links: list[str] = field(default_factory=list)
    """``<a href>`` targets."""
    inline_scripts: list[str] = field(default_factory=list)
    """Executable inline script bodies (JSON data blocks are not executable)."""
    inline_styles: int = 0
    """``<style>`` elements and ``style=`` attributes."""
    tags: list[str] = field(default_factory=list)


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found = References()
        self._script: dict[str, str | None] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        self.found.tags.append(tag)
        if "style" in values or tag == "style":
            self.found.inline_styles += 1
        attribute = LOADING.get(tag)
        if attribute and values.get(attribute):
            self.found.loaded.append(values[attribute] or "")
        if tag == "a" and values.get("href"):
            self.found.links.append(values["href"] or "")
        if tag == "script":
            self._script = values

    def handle_data(self, data: str) -> None:
        script = self._script
        if script is not None and data.strip() and script.get("type") != "application/json":
            self.found.inline_scripts.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._script = None


def references(page: str) -> References:
    """Everything ``page`` loads or links to."""
    parser = _Parser()
    parser.feed(page)
    parser.close()
    return parser.found


def same_origin(url: str) -> bool:
    """A URL with neither scheme nor host (relative, or starting with a single ``/``)."""
    parts = urlsplit(url)
    return not parts.scheme and not parts.netloc and not url.startswith("//")
