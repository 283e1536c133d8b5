"""Content negotiation over the endpoint's offers."""

from __future__ import annotations

import pytest

from aslgraph.media import (
    DESCRIPTION_OFFERS,
    GRAPH_OFFERS,
    RESULT_OFFERS,
    choose,
    negotiate,
    parse_accept,
)


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, "application/sparql-results+json"),
        ("", "application/sparql-results+json"),
        ("*/*", "application/sparql-results+json"),
        ("text/csv", "text/csv"),
        ("text/tab-separated-values", "text/tab-separated-values"),
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("application/json", "application/json"),
        ("text/*", "text/csv"),
        ("text/csv;q=0.5, application/sparql-results+xml;q=0.9", "application/sparql-results+xml"),
        ("text/csv, application/sparql-results+xml", "text/csv"),  # equal q: client's order
        ("*/*;q=0.1, text/tab-separated-values", "text/tab-separated-values"),
        ("text/*;q=0.9, text/csv;q=0", "text/tab-separated-values"),  # specific q=0 excludes
        ("application/*", "application/sparql-results+json"),
        (
            "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
            "application/sparql-results+json",
        ),
        (
            "application/sparql-results+json,application/json,text/javascript",
            "application/sparql-results+json",
        ),
        ("garbage, ;;; , /", "application/sparql-results+json"),
        ("TEXT/CSV", "text/csv"),
        ("text/csv; charset=utf-8; q=0.7", "text/csv"),
    ],
)
def test_results(accept: str | None, expected: str) -> None:
    offer = choose(accept, RESULT_OFFERS)
    assert offer is not None
    assert offer.media_type == expected


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, "text/turtle"),
        ("*/*", "text/turtle"),
        ("application/n-triples", "application/n-triples"),
        ("text/plain", "text/plain"),
        ("application/ld+json", "application/ld+json"),
        ("application/rdf+xml", "application/rdf+xml"),
        ("application/sparql-results+xml, application/rdf+xml", "application/rdf+xml"),
        ("application/json", "application/json"),
        ("application/n-quads", "application/n-quads"),  # a graph in the default graph
        ("application/trig", "application/trig"),
        ("application/*", "application/n-triples"),  # the quad syntaxes are never the default
    ],
)
def test_graphs(accept: str | None, expected: str) -> None:
    offer = choose(accept, GRAPH_OFFERS)
    assert offer is not None
    assert offer.media_type == expected


@pytest.mark.parametrize(
    "accept", ["image/png", "text/csv;q=0", "application/sparql-results+json;q=0.0, image/*"]
)
def test_nothing_acceptable_is_none(accept: str) -> None:
    assert choose(accept, GRAPH_OFFERS) is None


def test_aliases_answer_with_the_alias_type() -> None:
    offer = negotiate("text/plain", "graph")
    assert offer is not None
    assert (offer.media_type, offer.format, offer.content_type) == (
        "text/plain",
        "N_TRIPLES",
        "text/plain; charset=utf-8",
    )


@pytest.mark.parametrize(
    ("accept", "kind"),
    [
        (None, "graph"),
        ("*/*", "graph"),
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "page"),
        ("text/turtle", "graph"),
        ("application/ld+json", "graph"),
    ],
)
def test_without_a_query_browsers_get_the_page_and_rdf_clients_the_description(
    accept: str | None, kind: str
) -> None:
    offer = choose(accept, DESCRIPTION_OFFERS)
    assert offer is not None
    assert offer.kind == kind


def test_bad_q_values_count_as_zero() -> None:
    ranges = parse_accept("text/csv;q=abc, text/turtle;q=2, application/json;q=nan")
    assert [r.q for r in ranges] == [0.0, 0.0, 0.0]
