"""Reading a SPARQL 1.1 Protocol request (section 2.1) from the parts of an HTTP request.

Three ways to send a query: ``GET ?query=``, ``POST`` with an
``application/x-www-form-urlencoded`` body, and ``POST`` with an ``application/sparql-query``
body (the dataset parameters then ride in the URL). ``default-graph-uri`` and
``named-graph-uri`` may repeat; a form POST also reads them from the URL, as the W3C protocol
tests do. Everything must be UTF-8. An ``update`` parameter or an
``application/sparql-update`` body is refused: this endpoint is read-only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import parse_qsl

from aslgraph.sparql.errors import (
    ProtocolError,
    UnsupportedMediaTypeError,
    UpdateRefusedError,
    UriTooLongError,
)

FORM = "application/x-www-form-urlencoded"
SPARQL_QUERY = "application/sparql-query"
SPARQL_UPDATE = "application/sparql-update"

Params = Sequence[tuple[str, str]]


@dataclass(frozen=True)
class Dataset:
    """An RDF dataset given by the protocol: the default graph is the merge of ``default``,
    the named graphs are ``named``. Either may be empty."""

    default: tuple[str, ...]
    named: tuple[str, ...]


@dataclass(frozen=True)
class ProtocolRequest:
    """A query operation: the query text (None on a bare GET) and the protocol's dataset (None
    when the request names no graphs)."""

    query: str | None
    dataset: Dataset | None


def parse_params(raw: bytes) -> list[tuple[str, str]]:
    """Decode a URL query string or a form body (``+`` is a space, ``%XX`` is a byte).

    Raises ProtocolError when the text or a percent-decoded value is not UTF-8.
    """
    try:
        return parse_qsl(
            raw.decode("utf-8"), keep_blank_values=True, encoding="utf-8", errors="strict"
        )
    except UnicodeDecodeError:
        raise ProtocolError("the parameters are not valid UTF-8") from None


def from_get(params: Params, *, max_query_length: int) -> ProtocolRequest:
    """The query operation of ``GET /sparql?...``.

    Raises UpdateRefusedError for an ``update`` parameter, ProtocolError for more than one
    ``query`` or dataset parameters without a query, and UriTooLongError for a query longer
    than ``max_query_length`` characters.
    """
    request = _from_params(params)
    if request.query is None and request.dataset is not None:
        raise ProtocolError(
            "default-graph-uri and named-graph-uri choose the dataset of a query, and this "
            "request has none: add a 'query' parameter (without one, GET /sparql answers with "
            "the service description, which has no dataset)"
        )
    if request.query is not None and len(request.query) > max_query_length:
        raise UriTooLongError(
            f"the query is longer than {max_query_length} characters; send it with POST"
        )
    return request


def from_post(content_type: str | None, url_params: Params, body: bytes) -> ProtocolRequest:
    """The query operation of ``POST /sparql`` with ``body`` of ``content_type``.

    Raises UnsupportedMediaTypeError for a missing or unknown Content-Type, a charset other than
    UTF-8 or a SPARQL Update body; ProtocolError for a body that is not UTF-8, no query or more
    than one; UpdateRefusedError for an ``update`` parameter.
    """
    media_type, charset = _split_content_type(content_type)
    if media_type == SPARQL_UPDATE:
        raise UnsupportedMediaTypeError(
            "this endpoint answers queries only: SPARQL Update (application/sparql-update) is "
            "not accepted and nothing here can be changed"
        )
    if media_type not in (FORM, SPARQL_QUERY):
        shown = f"Content-Type {media_type}" if media_type else "no Content-Type"
        raise UnsupportedMediaTypeError(
            f"a POST to /sparql needs Content-Type {FORM} (query=...) or {SPARQL_QUERY} "
            f"(the query as the body); this request has {shown}"
        )
    if charset not in (None, "utf-8", "utf8"):
        raise UnsupportedMediaTypeError(
            f"the body must be UTF-8; this request declares charset={charset}"
        )
    if media_type == FORM:
        request = _from_params([*url_params, *parse_params(body)])
    else:
        request = _from_params(url_params)
        if request.query is not None:
            raise ProtocolError(
                "the query is both in the URL and in the body; send exactly one query"
            )
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ProtocolError(
                f"the query is not valid UTF-8 (byte {exc.start} of the body)"
            ) from None
        request = ProtocolRequest(query=text.removeprefix("\ufeff"), dataset=request.dataset)
    if request.query is None:
        raise ProtocolError("the request has no query: send a 'query' parameter")
    return request


def _from_params(params: Params) -> ProtocolRequest:
    queries: list[str] = []
    default: list[str] = []
    named: list[str] = []
    for name, value in params:
        if name == "query":
            queries.append(value)
        elif name == "default-graph-uri":
            default.append(value)
        elif name == "named-graph-uri":
            named.append(value)
        elif name == "update":
            raise UpdateRefusedError(
                "this endpoint answers queries only: the 'update' parameter (SPARQL Update) is "
                "not accepted and nothing here can be changed"
            )
    if len(queries) > 1:
        raise ProtocolError(
            f"the request has {len(queries)} 'query' parameters; send exactly one query"
        )
    dataset = Dataset(tuple(default), tuple(named)) if default or named else None
    return ProtocolRequest(query=queries[0] if queries else None, dataset=dataset)


def _split_content_type(header: str | None) -> tuple[str, str | None]:
    """The lower-cased media type and charset of a Content-Type header ("" when absent)."""
    if header is None:
        return "", None
    media_type, *params = header.split(";")
    charset = None
    for param in params:
        name, _, value = param.strip().partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip('"').lower()
    return media_type.strip().lower(), charset
