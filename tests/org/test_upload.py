"""Parsing uploads: every accepted syntax, and every kind of bad input refused with a clear
message, its HTTP status, and nothing fetched or opened."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from aslgraph.media import FILE_SUFFIXES as SUFFIXES
from aslgraph.media import UPLOAD_SYNTAXES as MEDIA_TYPES
from aslgraph.org.errors import UploadError
from aslgraph.org.upload import parse_upload

ROOT = Path(__file__).resolve().parents[2]
STARTUP = ROOT / "examples" / "valid" / "startup-assistant-on-third-party-model.ttl"

ONE_TRIPLE = {
    "text/turtle": b"<https://example.org/a> <https://example.org/b> <https://example.org/c> .",
    "application/n-triples": b"<https://example.org/a> <https://example.org/b> "
    b"<https://example.org/c> .\n",
    "application/ld+json": b'{"@id": "https://example.org/a", '
    b'"https://example.org/b": {"@id": "https://example.org/c"}}',
    "application/rdf+xml": b'<?xml version="1.0"?>\n'
    b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
    b'xmlns:ex="https://example.org/">'
    b'<rdf:Description rdf:about="https://example.org/a">'
    b'<ex:b rdf:resource="https://example.org/c"/></rdf:Description></rdf:RDF>',
}


def refused(body: bytes, content_type: str | None, **kwargs: int) -> UploadError:
    with pytest.raises(UploadError) as caught:
        parse_upload(body, content_type, **kwargs)
    return caught.value


@pytest.mark.parametrize("media", sorted(ONE_TRIPLE))
def test_each_syntax_parses_into_the_default_graph(media: str) -> None:
    upload = parse_upload(ONE_TRIPLE[media], f"{media}; charset=utf-8")
    assert upload.triples == 1
    assert upload.media_type == media
    (quad,) = list(upload.store)
    assert quad.subject.value == "https://example.org/a"
    assert str(quad.graph_name) == "DEFAULT"


def test_every_suffix_names_an_accepted_media_type() -> None:
    assert set(SUFFIXES.values()) <= set(MEDIA_TYPES)


def test_an_example_graph_parses_whole() -> None:
    upload = parse_upload(STARTUP.read_bytes(), "text/turtle")
    assert upload.triples > 20
    assert upload.size == STARTUP.stat().st_size


@pytest.mark.parametrize(
    ("content_type", "message"),
    [
        (None, "no Content-Type"),
        ("", "no Content-Type"),
        ("text/html", "cannot read a body of type 'text/html'"),
        ("application/json", "cannot read a body of type 'application/json'"),
        ("text/turtle; charset=latin-1", "cannot read charset 'latin-1'"),
    ],
)
def test_unknown_content_types_are_refused(content_type: str | None, message: str) -> None:
    error = refused(ONE_TRIPLE["text/turtle"], content_type)
    assert error.kind == "unsupported-media-type"
    assert message in error.message
    assert "text/turtle" in error.message  # says what to send instead


@pytest.mark.parametrize("body", [b"", b"  \n\t"])
def test_an_empty_body_is_refused(body: bytes) -> None:
    error = refused(body, "text/turtle")
    assert error.kind == "empty-body"


def test_a_body_over_the_cap_is_refused() -> None:
    error = refused(ONE_TRIPLE["text/turtle"], "text/turtle", max_bytes=10)
    assert error.kind == "body-too-large"
    assert "limit is 10 bytes" in error.message


@pytest.mark.parametrize(
    ("media", "body", "line", "column"),
    [
        ("text/turtle", b'@prefix a: <urn:a#> .\n\na:b a:c "unterminated .\n', 3, 9),
        ("application/n-triples", b"<urn:a> <urn:b> <urn:c> .\n<urn:a> <urn:b> .\n", 2, None),
        (
            "application/rdf+xml",
            b'<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-'
            b'syntax-ns#">\n  <rdf:Description rdf:about="https://example.org/a">\n</rdf:RDF>',
            4,
            3,
        ),
        ("application/ld+json", b'{"@id": "https://example.org/a",\n "x": }', 2, 7),
    ],
)
def test_malformed_rdf_is_refused_with_line_and_column(
    media: str, body: bytes, line: int, column: int | None
) -> None:
    error = refused(body, media)
    assert error.kind == "invalid-rdf"
    assert error.line == line
    assert error.column is not None
    if column is not None:
        assert error.column == column
    assert f"(line {line}, column {error.column})" in error.message
    assert error.message.startswith(f"not valid {media}")


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [
  <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
  <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
  <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
  <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about="https://example.org/a"><rdf:value>&d;</rdf:value></rdf:Description>
</rdf:RDF>"""


@pytest.mark.parametrize(
    "body",
    [
        BILLION_LAUGHS,
        b'<?xml version="1.0"?><!doctype x SYSTEM "file:///etc/passwd"><x/>',
        b'<?xml version="1.0"?>\n<!  ENTITY e "x">',
    ],
    ids=["billion-laughs", "external-doctype", "entity"],
)
def test_rdf_xml_with_a_doctype_is_refused_at_once(body: bytes) -> None:
    error = refused(body, "application/rdf+xml")
    assert error.kind == "doctype-refused"
    assert "document type declaration" in error.message


def test_json_ld_remote_context_and_import_are_refused_and_nothing_is_fetched(
    listener: tuple[str, list[str]],
) -> None:
    url, paths = listener
    for body in (
        f'{{"@context": "{url}/context.jsonld", "@id": "https://example.org/a"}}',
        f'{{"@context": ["{url}/a.jsonld", {{"ex": "https://example.org/"}}], "@id": "ex:a"}}',
        f'{{"@context": {{"@import": "{url}/import.jsonld"}}, "@id": "https://example.org/a"}}',
        '{"@context": "file:///etc/passwd", "@id": "https://example.org/a"}',
    ):
        error = refused(body.encode(), "application/ld+json")
        assert error.kind == "remote-context-refused"
        assert "nothing is fetched" in error.message
    assert paths == []


def test_a_body_that_is_a_url_is_parsed_as_content(listener: tuple[str, list[str]]) -> None:
    url, paths = listener
    for media in ("text/turtle", "application/n-triples", "application/rdf+xml"):
        error = refused(f"{url}/org.ttl".encode(), media)
        assert error.kind == "invalid-rdf"
    assert paths == []


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs a named pipe")
def test_a_body_that_is_a_file_path_is_parsed_as_content_never_opened(tmp_path: Path) -> None:
    # Opening a named pipe for reading blocks until a writer comes: if anything opened the
    # path, the parse would hang instead of failing at once.
    fifo = tmp_path / "org.ttl"
    os.mkfifo(fifo)
    outcome: list[UploadError] = []

    def parse() -> None:
        for media in ("text/turtle", "application/rdf+xml", "application/ld+json"):
            with pytest.raises(UploadError) as caught:
                parse_upload(str(fifo).encode(), media)
            outcome.append(caught.value)
        with pytest.raises(UploadError) as caught:
            parse_upload(f'{{"@context": "file://{fifo}"}}'.encode(), "application/ld+json")
        outcome.append(caught.value)

    worker = threading.Thread(target=parse, daemon=True)
    worker.start()
    worker.join(timeout=30)
    if worker.is_alive():  # unblock the thread, then fail
        with fifo.open("w"):
            pass
        pytest.fail("the upload's text was opened as a file")
    assert [e.kind for e in outcome] == [
        "invalid-rdf",
        "invalid-rdf",
        "invalid-rdf",
        "remote-context-refused",
    ]


def test_turtle_prefixes_are_kept_for_reports() -> None:
    body = (
        b"@prefix ex: <https://example.org/acme/> .\n"
        b"PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
        b'ex:a rdfs:label "A" .\n'
    )
    upload = parse_upload(body, "text/turtle")
    assert upload.prefixes == {
        "ex": "https://example.org/acme/",
        "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    }
    assert parse_upload(ONE_TRIPLE["application/n-triples"], "application/n-triples").prefixes == {}


@pytest.mark.parametrize("body", [b"-9007199254740992.0", b'""', b"true", b"null", b"  42"])
def test_a_json_ld_document_is_an_object_or_an_array(body: bytes) -> None:
    with pytest.raises(UploadError, match="a JSON object or an array"):
        parse_upload(body, "application/ld+json")


def test_a_json_ld_array_after_a_byte_order_mark_is_read() -> None:
    assert parse_upload(b"\xef\xbb\xbf\n[]", "application/ld+json").triples == 0
