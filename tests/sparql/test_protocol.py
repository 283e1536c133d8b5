"""Reading SPARQL 1.1 Protocol requests."""

from __future__ import annotations

import pytest

from aslgraph.sparql.errors import (
    ProtocolError,
    UnsupportedMediaTypeError,
    UpdateRefusedError,
    UriTooLongError,
)
from aslgraph.sparql.protocol import Dataset, from_get, from_post, parse_params

G1, G2 = "https://w3id.org/aslgraph/graph/a.ttl", "https://w3id.org/aslgraph/graph/b.ttl"


def test_get_reads_query_and_repeated_dataset_parameters() -> None:
    params = parse_params(
        b"query=ASK%20%7B%7D&default-graph-uri="
        + G1.encode()
        + b"&default-graph-uri="
        + G2.encode()
        + b"&named-graph-uri="
        + G2.encode()
        + b"&unknown=1"
    )
    request = from_get(params, max_query_length=100)
    assert request.query == "ASK {}"
    assert request.dataset == Dataset(default=(G1, G2), named=(G2,))


def test_get_without_parameters_has_no_query_and_no_dataset() -> None:
    request = from_get([], max_query_length=100)
    assert request.query is None
    assert request.dataset is None


def test_only_named_graphs_make_an_empty_default_graph() -> None:
    request = from_get([("query", "ASK {}"), ("named-graph-uri", G1)], max_query_length=100)
    assert request.dataset == Dataset(default=(), named=(G1,))


def test_two_queries_are_refused() -> None:
    with pytest.raises(ProtocolError, match="2 'query' parameters"):
        from_get([("query", "ASK {}"), ("query", "SELECT * {}")], max_query_length=100)


def test_update_parameter_is_refused() -> None:
    with pytest.raises(UpdateRefusedError):
        from_get([("update", "CLEAR ALL")], max_query_length=100)
    with pytest.raises(UpdateRefusedError):
        from_post("application/x-www-form-urlencoded", [], b"update=CLEAR%20ALL")


def test_long_get_query_is_refused() -> None:
    with pytest.raises(UriTooLongError, match="send it with POST"):
        from_get([("query", "ASK {}" + " " * 100)], max_query_length=100)


def test_form_post_merges_url_and_body_parameters() -> None:
    request = from_post(
        "application/x-www-form-urlencoded; charset=UTF-8",
        [("default-graph-uri", G1)],
        b"query=ASK+%7B%7D&named-graph-uri=" + G2.encode(),
    )
    assert request.query == "ASK {}"
    assert request.dataset == Dataset(default=(G1,), named=(G2,))


def test_direct_post_reads_the_body_and_the_url_dataset() -> None:
    request = from_post(
        "application/sparql-query", [("named-graph-uri", G1)], "\ufeffASK { }".encode()
    )
    assert request.query == "ASK { }"
    assert request.dataset == Dataset(default=(), named=(G1,))


def test_direct_post_with_a_query_in_the_url_too_is_refused() -> None:
    with pytest.raises(ProtocolError, match="both in the URL and in the body"):
        from_post("application/sparql-query", [("query", "ASK {}")], b"ASK {}")


@pytest.mark.parametrize(
    ("content_type", "body", "message"),
    [
        (None, b"query=ASK%20%7B%7D", "has no Content-Type"),
        ("text/plain", b"ASK {}", "has Content-Type text/plain"),
        ("multipart/form-data; boundary=x", b"--x--", "multipart/form-data"),
        ("application/sparql-update", b"CLEAR ALL", "SPARQL Update"),
        ("application/sparql-query; charset=UTF-16", "ASK {}".encode("utf-16"), "charset=utf-16"),
    ],
)
def test_unsupported_bodies_are_refused(
    content_type: str | None, body: bytes, message: str
) -> None:
    with pytest.raises(UnsupportedMediaTypeError, match=message):
        from_post(content_type, [], body)


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("application/sparql-query", b"ASK { \xff\xfe }"),
        ("application/x-www-form-urlencoded", b"query=%FF%FE"),
        ("application/x-www-form-urlencoded", b"query=\xff"),
    ],
)
def test_bodies_that_are_not_utf8_are_refused(content_type: str, body: bytes) -> None:
    with pytest.raises(ProtocolError, match="UTF-8"):
        from_post(content_type, [], body)


def test_post_without_a_query_is_refused() -> None:
    with pytest.raises(ProtocolError, match="no query"):
        from_post("application/x-www-form-urlencoded", [], b"default-graph-uri=x")


def test_dataset_parameters_without_a_query_are_refused() -> None:
    with pytest.raises(ProtocolError, match="add a 'query' parameter"):
        from_get([("named-graph-uri", G1)], max_query_length=100)
