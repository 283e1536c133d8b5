"""Uploaded RDF in, a private pyoxigraph store out; nothing fetched, nothing opened, nothing lost.

An organisation sends its graph as Turtle, N-Triples, JSON-LD or RDF/XML. :func:`parse_upload`
picks the parser from the Content-Type (415 for anything else), refuses what would make a parser
reach outside the body or run away (an RDF/XML document type declaration, whose entities a
parser would expand; a JSON-LD remote ``@context`` or ``@import``, which pyoxigraph cannot load
because no loader is ever given) and reports syntax errors with line and column. The body is
always parsed as content: a body that reads as a URL or a file path is a syntax error, never a
request or an open().

Every failure is an :class:`~aslgraph.org.errors.UploadError` whose ``kind`` says what was wrong
(the API maps it to 400, 413 or 415) and whose message says what to send instead.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from xml.parsers import expat

import pyoxigraph as ox

from aslgraph.config import Settings
from aslgraph.media import UPLOAD_SYNTAXES
from aslgraph.org.bounds import may_nest_deeper, nesting_depth
from aslgraph.org.errors import UploadError

ACCEPTED = ", ".join(sorted(set(UPLOAD_SYNTAXES) - {"application/x-turtle"}))

_DOCTYPE = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_REMOTE_CONTEXT = "LoadDocumentCallback"
_INVALID_REMOTE_CONTEXT = "remote context"
_POSITION = re.compile(
    r"^(?:at line \d+ (?:column \d+|between columns \d+ and \d+)"
    r"|between line \d+ column \d+ and line \d+ column \d+): "
)
_TRAILING_LINE = re.compile(r" \(line \d+\)$")


@dataclass(frozen=True)
class UploadLimits:
    """What an upload may hold beyond its size (0: no limit): nesting depth (measured before
    parsing, in linear time: :mod:`aslgraph.org.bounds`), triples and the length of a
    literal."""

    depth: int = 100
    triples: int = 10_000_000
    literal_bytes: int = 1_048_576

    @classmethod
    def of(cls, settings: Settings) -> UploadLimits:
        return cls(
            depth=settings.max_upload_depth,
            triples=settings.max_upload_triples,
            literal_bytes=settings.max_literal_bytes,
        )


@dataclass(frozen=True)
class Upload:
    """The parsed upload: its triples in the default graph of a store of its own, and the
    prefixes a Turtle document declares (for reports that speak the document's own CURIEs)."""

    store: ox.Store
    triples: int
    media_type: str
    size: int
    prefixes: dict[str, str] = field(default_factory=dict)


class Handed:
    """An upload's bytes, handed over to be parsed once: :func:`aslgraph.org.jobs.run` takes
    them (:meth:`take`), so that once the graph is parsed nothing holds them. A caller that
    kept its own reference would keep them for the whole validation (137 MB of a 10^6-triple
    graph, next to the store parsed from them)."""

    __slots__ = ("_data", "size")

    def __init__(self, data: bytes):
        self._data: bytes | None = data
        self.size = len(data)

    def take(self) -> bytes:
        """The bytes, given once; a second take is a programming error (RuntimeError)."""
        data, self._data = self._data, None
        if data is None:
            raise RuntimeError("the upload's bytes were taken already")
        return data


def copy_store(store: ox.Store) -> ox.Store:
    """A copy of an upload's store, for a service that adds to the graph it reads (validate
    writes its determinations) while another reads the graph as uploaded."""
    copy = ox.Store()
    copy.extend(store.quads_for_pattern(None, None, None, None))
    return copy


def media_type_of(content_type: str | None) -> str:
    """The media type an upload's Content-Type names; raises UploadError
    (``unsupported-media-type``) otherwise."""
    if not content_type or not content_type.strip():
        raise UploadError(
            f"the request has no Content-Type; send the graph as one of {ACCEPTED}",
            kind="unsupported-media-type",
        )
    media, _, params = content_type.partition(";")
    media = media.strip().lower()
    if media not in UPLOAD_SYNTAXES:
        raise UploadError(
            f"cannot read a body of type {media!r}; send the graph as one of {ACCEPTED}",
            kind="unsupported-media-type",
        )
    for param in params.split(";"):
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip('"').lower()
            if charset not in {"utf-8", "utf8"}:
                raise UploadError(
                    f"cannot read charset {charset!r}; send the graph in UTF-8 (for example "
                    f"{media}; charset=utf-8)",
                    kind="unsupported-media-type",
                )
    return media


def screen(body: bytes, content_type: str | None, *, max_bytes: int = 0) -> str:
    """The checks that need no parser: a media type we read (``unsupported-media-type``), a
    body within ``max_bytes`` (0: no cap; ``body-too-large``) and not empty (``empty-body``).
    Returns the media type; raises UploadError.

    The HTTP layer runs them before it queues any work; :func:`parse_upload` runs them again,
    so that every caller gets the same answers.
    """
    media = media_type_of(content_type)
    if max_bytes and len(body) > max_bytes:
        raise UploadError(
            f"the graph is {len(body)} bytes; the limit is {max_bytes} bytes",
            kind="body-too-large",
        )
    if not body or body.isspace():  # isspace stops at the first other byte; strip copies
        raise UploadError(
            "the request body is empty; send the organisation graph as " + ACCEPTED,
            kind="empty-body",
        )
    return media


_JSON_DOCUMENT = re.compile(rb"(?:\xef\xbb\xbf)?[ \t\r\n]*[{\[]")
"""The start of a JSON object or array (after an optional byte-order mark and whitespace)."""


def parse_upload(
    body: bytes,
    content_type: str | None,
    *,
    max_bytes: int = 0,
    limits: UploadLimits | None = None,
) -> Upload:
    """Parse ``body`` as the RDF syntax ``content_type`` names into a new store, after
    :func:`screen`, within ``limits`` (default: :class:`UploadLimits`). Raises UploadError."""
    media = screen(body, content_type, max_bytes=max_bytes)
    limits = limits or UploadLimits()
    fmt = getattr(ox.RdfFormat, UPLOAD_SYNTAXES[media])
    if limits.depth and may_nest_deeper(body, fmt, limits.depth):
        depth = nesting_depth(body, fmt)
        if depth > limits.depth:
            raise UploadError(
                f"the graph nests {depth} levels deep; the limit is {limits.depth} "
                "(ASLGRAPH_MAX_UPLOAD_DEPTH): flatten it (name nested nodes with IRIs instead "
                "of nesting them)",
                kind="too-deep",
            )
    if fmt == ox.RdfFormat.JSON_LD and not _JSON_DOCUMENT.match(body):
        raise UploadError(
            "not valid JSON-LD: a JSON-LD document is a JSON object or an array of them "
            "(JSON-LD 1.1, section 9), and this one starts with neither '{' nor '['",
        )
    if fmt == ox.RdfFormat.RDF_XML and _DOCTYPE.search(body):
        raise UploadError(
            "RDF/XML with a document type declaration (<!DOCTYPE or <!ENTITY) is refused: its "
            "entities could expand without bound; remove the declaration and write the values "
            "out",
            kind="doctype-refused",
        )
    store = ox.Store()
    try:
        store.load(body, format=fmt)
    except SyntaxError as exc:
        error = _syntax_error(exc, media)
        if error.line is None:
            error = _locate(body, fmt, error)
        raise error from None
    except ValueError as exc:  # pyoxigraph reports some encoding problems this way
        raise UploadError(f"not valid {media}: {exc}") from None
    _within(store, limits)
    prefixes = declared_prefixes(body) if fmt == ox.RdfFormat.TURTLE else {}
    return Upload(
        store=store, triples=len(store), media_type=media, size=len(body), prefixes=prefixes
    )


def _within(store: ox.Store, limits: UploadLimits) -> None:
    """Refuse a parsed graph with more triples or a longer literal than ``limits`` allow."""
    if limits.triples and len(store) > limits.triples:
        raise UploadError(
            f"the graph holds {len(store)} triples; the limit is {limits.triples} "
            "(ASLGRAPH_MAX_UPLOAD_TRIPLES): send it in parts",
            kind="too-many-triples",
        )
    if limits.literal_bytes:
        found = store.query(
            "SELECT ?s ?p ?o WHERE { ?s ?p ?o FILTER(isLiteral(?o) && STRLEN(STR(?o)) > "
            f"{limits.literal_bytes // 4}) }}"  # a character is at most 4 bytes in UTF-8
        )
        assert isinstance(found, ox.QuerySolutions)  # noqa: S101 - a SELECT gives solutions
        for row in found:
            literal = row["o"]
            size = len(literal.value.encode("utf-8"))
            if size > limits.literal_bytes:
                subject = row["s"]
                raise UploadError(
                    f"a literal of {size} bytes (of {subject} {row['p']}) is longer than the "
                    f"limit of {limits.literal_bytes} bytes (ASLGRAPH_MAX_LITERAL_BYTES): "
                    "put long texts in a document and link it (dct:source)",
                    kind="literal-too-long",
                )


_PREFIX_LINE = re.compile(
    rb"^[ \t]*(?:@prefix|PREFIX)[ \t]+([A-Za-z][\w.-]*)?:[ \t]*<([^>\s]*)>",
    re.MULTILINE | re.IGNORECASE,
)


def declared_prefixes(body: bytes, *, scan: int = 65_536) -> dict[str, str]:
    """The absolute-IRI prefixes a Turtle document declares in its first ``scan`` bytes."""
    found: dict[str, str] = {}
    for match in _PREFIX_LINE.finditer(body[:scan]):
        name = (match.group(1) or b"").decode("utf-8", "replace")
        iri = match.group(2).decode("utf-8", "replace")
        if name and "://" in iri:
            found[name] = iri
    return found


def _locate(body: bytes, fmt: ox.RdfFormat, error: UploadError) -> UploadError:
    """Add the line and column of an XML or JSON syntax error pyoxigraph did not place."""
    line: int | None = None
    column: int | None = None
    if fmt == ox.RdfFormat.RDF_XML:
        parser = expat.ParserCreate()
        try:
            parser.Parse(body, True)
        except expat.ExpatError as exc:
            line, column = exc.lineno, exc.offset + 1
    elif fmt == ox.RdfFormat.JSON_LD:
        try:
            json.loads(body)
        except json.JSONDecodeError as exc:
            line, column = exc.lineno, exc.colno
        except UnicodeDecodeError:
            pass
    if line is None or error.kind != "invalid-rdf":
        return error
    head, _, rest = error.message.partition(": ")
    return UploadError(f"{head} (line {line}, column {column}): {rest}", line=line, column=column)


def _syntax_error(exc: SyntaxError, media: str) -> UploadError:
    message = str(exc.msg) if exc.msg else str(exc)
    if _REMOTE_CONTEXT in message or _INVALID_REMOTE_CONTEXT in message:
        return UploadError(
            "JSON-LD with a remote @context or @import is refused: nothing is fetched on a "
            "client's behalf; put the context inline in the document",
            kind="remote-context-refused",
        )
    message = _TRAILING_LINE.sub("", _POSITION.sub("", message.removeprefix("Parser error ")))
    where = ""
    if exc.lineno is not None:
        where = f" (line {exc.lineno}" + (f", column {exc.offset})" if exc.offset else ")")
    return UploadError(
        f"not valid {media}{where}: {message}", line=exc.lineno, column=exc.offset or None
    )
