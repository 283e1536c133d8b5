"""Uploads are bounded before they are parsed (``org/bounds.py``, ``org/upload.py``): nesting is
measured in linear time with what cannot nest (strings, IRIs, comments, attribute values,
character data) left out, and a graph past the depth, triple or literal limit is refused with
400 naming the limit and its setting."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from aslgraph.config import Settings
from aslgraph.org.bounds import may_nest_deeper, nesting_depth
from aslgraph.org.errors import UploadError
from aslgraph.org.upload import UploadLimits, parse_upload

J, T, X, N = ox.RdfFormat.JSON_LD, ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML, ox.RdfFormat.N_TRIPLES
RDF = 'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:e="http://e/"'


@pytest.mark.parametrize(
    ("body", "fmt", "depth"),
    [
        (b'{"a": 1}', J, 1),
        (b'{"a": [1, {"b": [2]}]}', J, 4),
        (b'{"a": "[[[{{{", "b": "\\"]]]"}', J, 1),  # brackets in strings, an escaped quote
        (b"<http://e/s> <http://e/p> 1 .", T, 0),
        (b"<http://e/s> <http://e/p> [ <http://e/q> ( 1 [ <http://e/r> 2 ] ) ] .", T, 3),
        (b'<http://e/s> <http://e/p> "((([[[" , """[[\n(((""", \'[\' .', T, 0),
        (b"<http://e/s> <http://e/p> <http://e/a(b)[c]> . # [[[ (((", T, 0),
        (f"<rdf:RDF {RDF}><rdf:Description><e:p>x</e:p></rdf:Description></rdf:RDF>".encode(),
         X, 3),
        (f'<rdf:RDF {RDF}><rdf:Description rdf:about="a>b/>c"><e:p>(text)</e:p><e:q '
         f'rdf:resource="x"/></rdf:Description><!-- <a><b><c> --><![CDATA[<x><y>]]></rdf:RDF>'
         .encode(), X, 3),
        (b"<http://e/s> <http://e/p> <http://e/o> .", N, 0),
    ],
)  # fmt: skip
def test_nesting_depth(body: bytes, fmt: ox.RdfFormat, depth: int) -> None:
    assert nesting_depth(body, fmt) == depth


@pytest.mark.parametrize(
    ("body", "fmt"),
    [
        (b'{"a": [1, {"b": [2]}]}', J),
        (b"<http://e/s> <http://e/p> [ <http://e/q> ( 1 [ <http://e/r> 2 ] ) ] .", T),
        (f"<rdf:RDF {RDF}><rdf:Description><e:p>x</e:p></rdf:Description></rdf:RDF>".encode(), X),
    ],
)
def test_the_cheap_pre_check_never_lets_a_deeper_graph_through(
    body: bytes, fmt: ox.RdfFormat
) -> None:
    """Below its depth, a limit may be passed (the full measure then runs); at or above it the
    pre-check alone may clear the graph, as it does for a body with no bracket at all."""
    depth = nesting_depth(body, fmt)
    assert all(may_nest_deeper(body, fmt, limit) for limit in range(depth))
    assert not may_nest_deeper(body.replace(b"[", b"").replace(b"(", b"").replace(b"{", b""), T, 0)
    assert not may_nest_deeper(b"<http://e/s> <http://e/p> <http://e/o> .", N, 0)


DEEP = {
    "application/ld+json": b'{"@id":"http://e/x","http://e/p":' * 20_000 + b"1" + b"}" * 20_000,
    "text/turtle": b"<http://e/s> <http://e/p> " + b"[ <http://e/p> " * 20_000 + b"1"
    + b" ]" * 20_000 + b" .",
    "application/rdf+xml": f"<rdf:RDF {RDF}>".encode() + b"<rdf:Description><e:p>" * 10_000
    + b"x" + b"</e:p></rdf:Description>" * 10_000 + b"</rdf:RDF>",
}  # fmt: skip


@pytest.mark.parametrize("media", sorted(DEEP))
def test_a_graph_nested_20000_deep_is_refused_before_parsing(media: str) -> None:
    with pytest.raises(UploadError, match="ASLGRAPH_MAX_UPLOAD_DEPTH") as caught:
        parse_upload(DEEP[media], media)
    assert caught.value.kind == "too-deep"
    assert "the limit is 100" in caught.value.message


def test_the_depth_limit_is_settable_and_0_lifts_it() -> None:
    body = b"<http://e/s> <http://e/p> " + b"( " * 150 + b"1" + b" )" * 150 + b" ."
    with pytest.raises(UploadError, match="nests 150 levels"):
        parse_upload(body, "text/turtle")
    assert parse_upload(body, "text/turtle", limits=UploadLimits(depth=200)).triples > 150
    assert parse_upload(body, "text/turtle", limits=UploadLimits(depth=0)).triples > 150


def test_triple_and_literal_limits() -> None:
    three = b"<http://e/s> <http://e/p> 1, 2, 3 ."
    with pytest.raises(UploadError, match="holds 3 triples; the limit is 2") as caught:
        parse_upload(three, "text/turtle", limits=UploadLimits(triples=2))
    assert caught.value.kind == "too-many-triples"
    assert parse_upload(three, "text/turtle", limits=UploadLimits(triples=3)).triples == 3
    long = b'<http://e/s> <http://e/p> "' + "\u00e9".encode() * 600 + b'" .'  # 1,200 bytes
    with pytest.raises(UploadError, match="ASLGRAPH_MAX_LITERAL_BYTES") as caught:
        parse_upload(long, "text/turtle", limits=UploadLimits(literal_bytes=1_000))
    assert caught.value.kind == "literal-too-long" and "1200 bytes" in caught.value.message
    assert parse_upload(long, "text/turtle", limits=UploadLimits(literal_bytes=1_200)).triples


def test_limits_come_from_the_settings() -> None:
    limits = UploadLimits.of(
        Settings(max_upload_depth=7, max_upload_triples=8, max_literal_bytes=9)
    )
    assert (limits.depth, limits.triples, limits.literal_bytes) == (7, 8, 9)
