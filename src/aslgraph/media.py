"""Content negotiation: which media type to answer with, from an Accept header.

An :class:`Offer` is a media type the endpoint can produce and the pyoxigraph format that writes
it. :func:`choose` implements RFC 9110 section 12.5.1: each offer gets the q-value of the most
specific media range that matches it (``type/subtype`` over ``type/*`` over ``*/*``); the offer
with the highest q-value wins, ties going to the more specific match, then to the range the client
listed first, then to the endpoint's own order. No Accept header (or one with no valid range)
means the first offer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

OfferKind = Literal["results", "graph", "page"]


@dataclass(frozen=True)
class Offer:
    """A media type the endpoint can produce.

    ``format`` names the pyoxigraph format that writes it (a ``QueryResultsFormat`` member for
    results, an ``RdfFormat`` member for graphs, ``"HTML"`` for the query page).
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


SPARQL_JSON = Offer("application/sparql-results+json", "JSON", "results")
SPARQL_XML = Offer("application/sparql-results+xml", "XML", "results")
SPARQL_CSV = Offer("text/csv", "CSV", "results")
SPARQL_TSV = Offer("text/tab-separated-values", "TSV", "results")
TURTLE = Offer("text/turtle", "TURTLE", "graph")
N_TRIPLES = Offer("application/n-triples", "N_TRIPLES", "graph")
JSON_LD = Offer("application/ld+json", "JSON_LD", "graph")
RDF_XML = Offer("application/rdf+xml", "RDF_XML", "graph")
HTML = Offer("text/html", "HTML", "page")

RESULT_OFFERS: tuple[Offer, ...] = (
    SPARQL_JSON,
    SPARQL_XML,
    SPARQL_CSV,
    SPARQL_TSV,
    Offer("application/json", "JSON", "results"),
)
"""What SELECT and ASK answers can be written as; the first is the default."""

GRAPH_OFFERS: tuple[Offer, ...] = (
    TURTLE,
    N_TRIPLES,
    JSON_LD,
    RDF_XML,
    Offer("text/plain", "N_TRIPLES", "graph"),
    Offer("application/json", "JSON_LD", "graph"),
)
"""What CONSTRUCT and DESCRIBE answers can be written as; the first is the default."""

DESCRIPTION_OFFERS: tuple[Offer, ...] = (
    TURTLE,
    HTML,
    Offer("application/xhtml+xml", "HTML", "page"),
    N_TRIPLES,
    JSON_LD,
    RDF_XML,
    Offer("text/plain", "N_TRIPLES", "graph"),
)
"""What a GET without a query can answer: the service description (RDF) or the query page."""


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


_OFFERS: dict[str, tuple[Offer, ...]] = {
    "results": RESULT_OFFERS,
    "graph": GRAPH_OFFERS,
    "description": DESCRIPTION_OFFERS,
}


@lru_cache(maxsize=512)
def _choose_cached(header: str | None, offers: str) -> Offer | None:
    return choose(header, _OFFERS[offers])


def choose_for(
    header: str | None, offers: Literal["results", "graph", "description"]
) -> Offer | None:
    """:func:`choose` over one of the endpoint's offer lists, memoised for short headers."""
    if header is not None and len(header) > 1024:
        return choose(header, _OFFERS[offers])
    return _choose_cached(header, offers)


def available(offers: Sequence[Offer]) -> list[str]:
    """The distinct media types of ``offers``, in order (for a 406 message)."""
    return list(dict.fromkeys(offer.media_type for offer in offers))
