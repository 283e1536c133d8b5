"""Media types: every offer the service can answer with, and content negotiation (once).

An :class:`Offer` is a media type the service can produce, the writer that produces it and the
kind of answer it carries. :func:`choose` implements RFC 9110 section 12.5.1: each offer gets the
q-value of the most specific media range that matches it (``type/subtype`` over ``type/*`` over
``*/*``); the offer with the highest q-value wins, ties going to the more specific match, then to
the range the client listed first, then to the order of the offer list. No Accept header (or one
with no valid range) means the first offer.

The offer lists below are what each kind of answer can be written as; routes and the SPARQL
engine pick from them, nothing else spells a media type for an answer. The syntaxes an uploaded
organisation graph may be sent in are here too (:data:`UPLOAD_SYNTAXES`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

OfferKind = Literal["results", "graph", "page", "json", "table"]


@dataclass(frozen=True)
class Offer:
    """A media type the service can produce.

    ``format`` names the writer: a pyoxigraph ``QueryResultsFormat`` member for ``results``, an
    ``RdfFormat`` member for ``graph``, ``HTML`` for a page, ``JSON`` for a REST answer (JSON, or
    JSON-LD when the media type is ``application/ld+json``), ``CSV`` for a table.
    """

    media_type: str
    format: str
    kind: OfferKind

    @property
    def content_type(self) -> str:
        """The Content-Type header value (text types carry ``charset=utf-8``)."""
        if self.media_type.startswith("text/"):
            return f"{self.media_type}; charset=utf-8"
        return self.media_type


# ---------------------------------------------------------------- the offers

SPARQL_JSON = Offer("application/sparql-results+json", "JSON", "results")
SPARQL_XML = Offer("application/sparql-results+xml", "XML", "results")
SPARQL_CSV = Offer("text/csv", "CSV", "results")
SPARQL_TSV = Offer("text/tab-separated-values", "TSV", "results")
RESULTS_AS_JSON = Offer("application/json", "JSON", "results")
"""SPARQL JSON results for a client that asks for plain ``application/json``."""

TURTLE = Offer("text/turtle", "TURTLE", "graph")
N_TRIPLES = Offer("application/n-triples", "N_TRIPLES", "graph")
JSON_LD = Offer("application/ld+json", "JSON_LD", "graph")
RDF_XML = Offer("application/rdf+xml", "RDF_XML", "graph")
GRAPH_AS_JSON = Offer("application/json", "JSON_LD", "graph")
"""A graph as JSON-LD for a client that asks for plain ``application/json``."""
GRAPH_AS_TEXT = Offer("text/plain", "N_TRIPLES", "graph")
"""A graph as N-Triples for a client that asks for ``text/plain``."""
N_QUADS = Offer("application/n-quads", "N_QUADS", "graph")
"""A graph as N-Quads: a named graph's triples in that graph, a CONSTRUCT answer's (or the
default graph's) in the default graph. Also the syntax of a dataset dump."""
TRIG = Offer("application/trig", "TRIG", "graph")
"""A graph as TriG, inside its name's block when it is a named graph (as :data:`N_QUADS`)."""

HTML = Offer("text/html", "HTML", "page")
XHTML = Offer("application/xhtml+xml", "HTML", "page")

JSON = Offer("application/json", "JSON", "json")
"""A REST answer as JSON (the default)."""
REST_JSON_LD = Offer("application/ld+json", "JSON", "json")
"""A REST answer as JSON-LD: the JSON answer plus the published ``@context``."""
CSV = Offer("text/csv", "CSV", "table")
"""A REST table (coverage) as CSV."""
SVG = Offer("image/svg+xml", "SVG", "table")
"""A crosswalk matrix of the analyst UI drawn as an SVG image (issue 12)."""

RESULT_OFFERS: tuple[Offer, ...] = (
    SPARQL_JSON,
    SPARQL_XML,
    SPARQL_CSV,
    SPARQL_TSV,
    RESULTS_AS_JSON,
)
"""What SELECT and ASK answers can be written as; the first is the default."""
GRAPH_OFFERS: tuple[Offer, ...] = (
    TURTLE,
    N_TRIPLES,
    JSON_LD,
    RDF_XML,
    N_QUADS,
    TRIG,
    GRAPH_AS_TEXT,
    GRAPH_AS_JSON,
)
"""What CONSTRUCT and DESCRIBE answers can be written as; the first is the default. A
CONSTRUCT answer is one graph: as N-Quads or TriG its triples are in the default graph."""
STORE_OFFERS: tuple[Offer, ...] = GRAPH_OFFERS
"""What ``GET /store`` (the Graph Store Protocol) can answer a graph with: the same types as a
CONSTRUCT answer; as N-Quads or TriG a named graph's triples carry its name."""
DESCRIPTION_OFFERS: tuple[Offer, ...] = (
    TURTLE,
    HTML,
    XHTML,
    N_TRIPLES,
    JSON_LD,
    RDF_XML,
    GRAPH_AS_TEXT,
)
"""What ``GET /sparql`` without a query can answer: the service description or the query page."""
RESOURCE_OFFERS: tuple[Offer, ...] = (
    TURTLE,
    HTML,
    XHTML,
    JSON_LD,
    N_TRIPLES,
    RDF_XML,
    GRAPH_AS_JSON,
    GRAPH_AS_TEXT,
)
"""What ``/id/{scheme}/{local}`` can answer; Turtle first: a client that states no preference is
taken to be an RDF client."""
REST_OFFERS: tuple[Offer, ...] = (JSON, REST_JSON_LD)
"""What a REST answer can be: JSON (the default) or JSON-LD."""
TABLE_OFFERS: tuple[Offer, ...] = (JSON, REST_JSON_LD, CSV)
"""What a REST answer that is also a table (coverage) can be."""
HOME_OFFERS: tuple[Offer, ...] = (HTML, JSON)
"""What ``/`` can answer: the landing page first (``*/*`` and no Accept get it), JSON links."""
REPORT_OFFERS: tuple[Offer, ...] = (JSON, TURTLE, JSON_LD)
"""What a validation report can be: the JSON report, or the SHACL report graph."""

# exports (``aslgraph export``, ``GET /api/export/{format}``; decision 0015)
SSSOM_TSV = Offer("text/tab-separated-values", "SSSOM", "table")
"""A mapping set as SSSOM/TSV (its YAML metadata block in ``#`` lines, then the table)."""
OSCAL_JSON = Offer("application/json", "OSCAL", "json")
"""An OSCAL mapping collection (OSCAL registers no media type of its own for JSON)."""
EXPORT_OFFERS: dict[str, Offer] = {
    "sssom": SSSOM_TSV,
    "oscal-mapping": OSCAL_JSON,
    "csv": CSV,
    "coverage-csv": CSV,
    "nquads": N_QUADS,
    "trig": TRIG,
}
"""The media type of each export format (the format is named, not negotiated)."""

OfferList = Literal["results", "graph", "description"]
_LISTS: dict[str, tuple[Offer, ...]] = {
    "results": RESULT_OFFERS,
    "graph": GRAPH_OFFERS,
    "description": DESCRIPTION_OFFERS,
}


# ---------------------------------------------------------------- uploads

UPLOAD_SYNTAXES: dict[str, str] = {
    "text/turtle": "TURTLE",
    "application/x-turtle": "TURTLE",
    "application/n-triples": "N_TRIPLES",
    "application/ld+json": "JSON_LD",
    "application/rdf+xml": "RDF_XML",
}
"""The media types an organisation graph may be sent as, and the pyoxigraph parser of each."""
FILE_SUFFIXES: dict[str, str] = {
    ".ttl": "text/turtle",
    ".nt": "application/n-triples",
    ".jsonld": "application/ld+json",
    ".json": "application/ld+json",
    ".rdf": "application/rdf+xml",
    ".owl": "application/rdf+xml",
    ".xml": "application/rdf+xml",
}
"""File suffixes the command line reads, and the media type each is taken as."""


# ---------------------------------------------------------------- negotiation


@dataclass(frozen=True)
class MediaRange:
    """One entry of an Accept header."""

    type: str
    subtype: str
    q: float
    position: int

    def specificity(self, media_type: str) -> int:
        """2 for an exact match, 1 for ``type/*``, 0 for ``*/*``, -1 when it does not match."""
        kind, _, sub = media_type.partition("/")
        if self.type == "*":
            return 0 if self.subtype == "*" else -1
        if self.type != kind:
            return -1
        if self.subtype == "*":
            return 1
        return 2 if self.subtype == sub else -1


def parse_accept(header: str) -> tuple[MediaRange, ...]:
    """Parse an Accept header, skipping entries that are not ``type/subtype[;params]``."""
    ranges: list[MediaRange] = []
    for position, item in enumerate(header.split(",")):
        media, *params = item.split(";")
        kind, slash, sub = media.strip().lower().partition("/")
        if not slash or not kind or not sub or (kind == "*" and sub != "*"):
            continue
        q = 1.0
        for param in params:
            name, _, value = param.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value.strip())
                except ValueError:
                    q = 0.0
                if not 0.0 <= q <= 1.0:  # also rejects nan
                    q = 0.0
        ranges.append(MediaRange(kind, sub, q, position))
    return tuple(ranges)


def choose(header: str | None, offers: Sequence[Offer]) -> Offer | None:
    """The offer the client prefers, or None when it accepts none of them (406)."""
    if header is None or not header.strip():
        return offers[0]
    ranges = parse_accept(header)
    if not ranges:
        return offers[0]
    best: Offer | None = None
    best_key: tuple[float, int, int, int] | None = None
    for index, offer in enumerate(offers):
        match: MediaRange | None = None
        match_specificity = -1
        for media_range in ranges:
            specificity = media_range.specificity(offer.media_type)
            if specificity > match_specificity or (
                specificity == match_specificity and match is not None and media_range.q > match.q
            ):
                match, match_specificity = media_range, specificity
        if match is None or match.q <= 0.0:
            continue
        key = (match.q, match_specificity, -match.position, -index)
        if best_key is None or key > best_key:
            best, best_key = offer, key
    return best


MEMO_HEADER_LENGTH = 1024
"""Accept headers up to this long have their choice memoised (longer ones are rare)."""


@lru_cache(maxsize=1024)
def _choose_memo(header: str | None, offers: tuple[Offer, ...]) -> Offer | None:
    return choose(header, offers)


def negotiate(header: str | None, offers: Sequence[Offer] | OfferList) -> Offer | None:
    """:func:`choose` over ``offers`` (or one of the SPARQL endpoint's named lists), memoised
    for headers up to :data:`MEMO_HEADER_LENGTH` characters."""
    chosen = _LISTS[offers] if isinstance(offers, str) else tuple(offers)
    if header is not None and len(header) > MEMO_HEADER_LENGTH:
        return choose(header, chosen)
    return _choose_memo(header, chosen)


def available(offers: Sequence[Offer]) -> list[str]:
    """The distinct media types of ``offers``, in order (for a 406 message)."""
    return list(dict.fromkeys(offer.media_type for offer in offers))
