"""What differs from one SPARQL store to another, in one place.

Every query is sent with an explicit protocol dataset (the knowledge graph's named graphs, as
``default-graph-uri`` and ``named-graph-uri``), so no engine's notion of a default graph matters:
Oxigraph server's default graph (the unnamed one, or the union with ``--union-default-graph``)
and Virtuoso's (every graph it holds, its own system graphs too) are never read. What remains:

* the update and Graph Store URLs an engine serves next to its query URL;
* Virtuoso's own functions (``bif:``, ``sql:``) are refused in client queries, as is anything
  that does not start like a SPARQL 1.1 query (its ``DEFINE`` pragmas, which can make it fetch);
* Virtuoso answers ASK with a one-row table (``__ASK_RETVAL`` = 1 or 0) instead of a boolean,
  and writes blank nodes in SPARQL JSON as ``nodeID://b1``, which is not a blank node label.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

DialectName = Literal["oxigraph", "virtuoso", "generic"]

_VIRTUOSO_BNODE = re.compile(rb'("type"\s*:\s*"bnode"\s*,\s*"value"\s*:\s*")nodeID://')
_ASK_RETVAL = re.compile(
    rb'^\s*\{\s*"head"\s*:\s*\{\s*"link"\s*:\s*\[\s*\]\s*,\s*"vars"\s*:\s*\[\s*"__ASK_RETVAL"\s*\]'
)
_TRUE = re.compile(rb'"value"\s*:\s*"1"')


@dataclass(frozen=True)
class Dialect:
    """One engine's ways: ``name``, the path of its update and Graph Store endpoints relative
    to the query URL's (None: they cannot be derived and must be configured)."""

    name: DialectName
    update_path: str | None
    gsp_path: str | None
    extensions: tuple[str, ...] = ()
    """Prefixes of the engine's own functions, which a client query may not call (Virtuoso's
    ``bif:`` and ``sql:`` reach its SQL built-ins, some of which read files or fetch URLs)."""

    def update_url(self, query_url: str) -> str | None:
        """The update URL an engine of this dialect serves next to ``query_url``."""
        return _sibling(query_url, self.update_path)

    def gsp_url(self, query_url: str) -> str | None:
        """The Graph Store Protocol URL an engine of this dialect serves next to ``query_url``."""
        return _sibling(query_url, self.gsp_path)

    def results(self, body: bytes) -> bytes:
        """SPARQL JSON results as the engine wrote them, made standard: Virtuoso's blank node
        values lose their ``nodeID://`` scheme and its ASK table becomes a boolean."""
        if self.name != "virtuoso":
            return body
        if _ASK_RETVAL.match(body) is not None:  # one row holding 1 (true), or none (false)
            return b'{"head":{},"boolean":' + (b"true" if _TRUE.search(body) else b"false") + b"}"
        return _VIRTUOSO_BNODE.sub(rb"\1", body)


DIALECTS: dict[DialectName, Dialect] = {
    # oxigraph serve: /query, /update and /store
    "oxigraph": Dialect("oxigraph", update_path="/update", gsp_path="/store"),
    # Virtuoso: /sparql for queries; updates and graph PUTs on the authenticated endpoints
    "virtuoso": Dialect(
        "virtuoso",
        update_path="/sparql-auth",
        gsp_path="/sparql-graph-crud-auth",
        extensions=("bif", "sql"),
    ),
    "generic": Dialect("generic", update_path=None, gsp_path=None),
}


def detect(server_header: str | None) -> Dialect:
    """The dialect of a store from the ``Server`` header of one of its answers."""
    header = (server_header or "").lower()
    if header.startswith("virtuoso"):
        return DIALECTS["virtuoso"]
    if header.startswith("oxigraph"):
        return DIALECTS["oxigraph"]
    return DIALECTS["generic"]


def _sibling(query_url: str, path: str | None) -> str | None:
    if path is None:
        return None
    head, _sep, _query = query_url.partition("?")
    scheme, found, rest = head.partition("://")
    if not found:
        return None
    host = rest.split("/", 1)[0]
    return f"{scheme}://{host}{path}"
