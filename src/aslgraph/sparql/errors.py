"""What can go wrong answering a SPARQL request; each error has a short ``kind`` slug.

The HTTP layer maps each class to a status code; the message is written for a person.
"""

from __future__ import annotations

from collections.abc import Sequence


class SparqlError(Exception):
    """Base class: a SPARQL request that cannot be answered as asked."""

    kind = "sparql-error"

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class ProtocolError(SparqlError):
    """The HTTP request does not follow the SPARQL 1.1 Protocol (missing or repeated query...)."""

    kind = "bad-sparql-request"


class UnsupportedMediaTypeError(ProtocolError):
    """A POST body whose Content-Type (or charset) the endpoint does not read."""

    kind = "unsupported-media-type"


class UriTooLongError(ProtocolError):
    """A GET whose query is longer than the endpoint reads (POST it instead)."""

    kind = "uri-too-long"


class UpdateRefusedError(SparqlError):
    """A SPARQL Update (or an update-shaped request): the endpoint is read-only."""

    kind = "update-refused"


class QueryRefusedError(SparqlError):
    """A query the guard refuses before any parser runs (SERVICE, unknown FROM, too deep)."""

    kind = "query-refused"


class ServiceRefusedError(QueryRefusedError):
    """The query uses SERVICE: the endpoint fetches nothing on a client's behalf."""

    kind = "service-refused"


class UnknownGraphError(QueryRefusedError):
    """A FROM, FROM NAMED, default-graph-uri or named-graph-uri IRI the store does not hold."""

    kind = "unknown-graph"


class TooDeepError(QueryRefusedError):
    """The query nests braces, parentheses or brackets deeper than the cap."""

    kind = "query-too-deep"


class QuerySyntaxError(SparqlError):
    """The query does not parse; the message carries the parser's line:column."""

    kind = "query-syntax"


class EvaluationError(SparqlError):
    """The query parsed but could not be evaluated (or it stopped the engine)."""

    kind = "query-failed"


class QueryMemoryError(EvaluationError):
    """The query's own work needed more memory than a query may use (the worker's cap)."""

    kind = "query-memory"


class ResultTooLargeError(SparqlError):
    """The answer has more rows or bytes than the caps allow."""

    kind = "result-too-large"


class NotAcceptableError(SparqlError):
    """No media type the client accepts fits the answer; ``available`` lists those that do."""

    kind = "not-acceptable"

    def __init__(self, message: str, available: Sequence[str]):
        super().__init__(message)
        self.available = tuple(available)


class QueryTimeoutError(SparqlError):
    """The query ran past its time budget; its work was stopped."""

    kind = "query-timeout"


class EngineBusyError(SparqlError):
    """Every query worker stayed busy for a whole time budget."""

    kind = "engine-busy"


class EngineFaultError(SparqlError):
    """A query worker was killed or crashed for a reason of the server's, twice over: the
    query is not at fault and may succeed when sent again."""

    kind = "engine-fault"


class StoreUnavailableError(EngineFaultError):
    """The remote SPARQL store cannot be reached or failed (decision 0016): not the query's
    fault; it may succeed once the store is back."""

    kind = "store-unavailable"
