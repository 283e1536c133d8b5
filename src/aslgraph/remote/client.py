"""An HTTP client for one SPARQL store: the SPARQL 1.1 Protocol (queries, updates) and the Graph
Store Protocol (PUT and DELETE of a named graph), with the standard library only.

The URLs and the credentials come from the operator's settings, never from a request. Proxy
variables of the environment are ignored (the store is reached directly or not at all), and
credentials are sent only when the store asks for them (digest or basic, as configured).
"""

from __future__ import annotations

import http.client
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass
from http.client import HTTPException

from aslgraph.config import Settings
from aslgraph.remote.dialect import DIALECTS, Dialect, detect
from aslgraph.store import StoreError

ERROR_TEXT_BYTES = 2000
"""Most bytes of a store's error answer quoted in a message."""
MAX_HEADERS = 2000
"""Most header fields read from an answer. http.client stops at 100, and Virtuoso echoes each
``default-graph-uri`` as an ``X-SPARQL-default-graph`` header: one per file of the knowledge
graph. The limit is a module global of http.client, raised (never lowered) on import."""

if getattr(http.client, "_MAXHEADERS", 0) < MAX_HEADERS:
    setattr(http.client, "_MAXHEADERS", MAX_HEADERS)  # noqa: B010 - a private global, see above


class RemoteStoreError(StoreError):
    """A remote store could not do what was asked; the message says what and why."""


class StoreUnavailableError(RemoteStoreError):
    """The store cannot be reached, or answered with a server error (5xx): a retry may work."""


class StoreTimeoutError(StoreUnavailableError):
    """The store did not answer within the time allowed."""


class StoreRefusedError(RemoteStoreError):
    """The store refused the request (4xx): ``status`` and the store's own ``text``."""

    def __init__(self, message: str, *, status: int, text: str):
        super().__init__(message)
        self.status = status
        self.text = text


class AnswerTooLargeError(RemoteStoreError):
    """The store's answer was larger than the bytes allowed (reading stopped there)."""


@dataclass(frozen=True)
class StoreResponse:
    """One answer of the store: its body, Content-Type (without parameters) and Server."""

    body: bytes
    content_type: str
    server: str | None


@dataclass(frozen=True)
class Endpoints:
    """The store's URLs: queries, updates and the Graph Store Protocol (None: not known)."""

    query: str
    update: str | None
    gsp: str | None


class StoreClient:
    """Sends requests to one store; safe to use from several threads."""

    def __init__(
        self,
        endpoints: Endpoints,
        *,
        dialect: Dialect,
        user: str = "",
        password: str = "",
        auth: str = "digest",
    ):
        self.endpoints = endpoints
        self.dialect = dialect
        handlers: list[urllib.request.BaseHandler] = [urllib.request.ProxyHandler({})]
        if user:
            passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            for url in (endpoints.query, endpoints.update, endpoints.gsp):
                if url:
                    passwords.add_password(None, url, user, password)
            if auth == "basic":
                handlers.append(urllib.request.HTTPBasicAuthHandler(passwords))
            else:
                handlers.append(urllib.request.HTTPDigestAuthHandler(passwords))
        self._opener = urllib.request.build_opener(*handlers)

    @classmethod
    def from_settings(cls, settings: Settings, *, url: str | None = None) -> StoreClient:
        """The client for ``url`` (default: ``settings.store_url``); a dialect of ``auto`` is
        told from the store's Server header (one request; StoreUnavailableError when the store
        does not answer)."""
        query_url = url or settings.store_url
        if not query_url.startswith(("http://", "https://")):
            raise RemoteStoreError(
                f"the store URL must be an http:// or https:// URL, not {query_url!r}"
            )
        if settings.store_dialect == "auto":
            dialect = detect(_server_header(query_url, settings))
        else:
            dialect = DIALECTS[settings.store_dialect]
        endpoints = Endpoints(
            query=query_url,
            update=settings.store_update_url or dialect.update_url(query_url),
            gsp=settings.store_gsp_url or dialect.gsp_url(query_url),
        )
        return cls(
            endpoints,
            dialect=dialect,
            user=settings.store_user,
            password=settings.store_password,
            auth=settings.store_auth,
        )

    # ------------------------------------------------------------ SPARQL 1.1 Protocol

    def query(
        self,
        text: str,
        *,
        accept: str,
        default: Sequence[str] = (),
        named: Sequence[str] = (),
        timeout: float,
        max_bytes: int | None = None,
    ) -> StoreResponse:
        """POST ``text`` as a form with the protocol dataset (``default`` and ``named`` graph
        IRIs; none: the query's own). Raises StoreUnavailableError (StoreTimeoutError),
        StoreRefusedError (a 4xx: for a query, the store's parser or evaluator said no) and
        AnswerTooLargeError past ``max_bytes``."""
        fields = [("query", text)]
        fields += [("default-graph-uri", iri) for iri in default]
        fields += [("named-graph-uri", iri) for iri in named]
        body = urllib.parse.urlencode(fields).encode("ascii")
        return self._send(
            "POST",
            self.endpoints.query,
            body,
            {"Content-Type": "application/x-www-form-urlencoded", "Accept": accept},
            timeout=timeout,
            max_bytes=max_bytes,
        )

    def update(self, text: str, *, timeout: float) -> None:
        """POST ``text`` as a SPARQL update (``application/sparql-update``)."""
        url = self._require(self.endpoints.update, "update", "ASLGRAPH_STORE_UPDATE_URL")
        self._send(
            "POST",
            url,
            text.encode("utf-8"),
            {"Content-Type": "application/sparql-update"},
            timeout=timeout,
        )

    # ------------------------------------------------------------ Graph Store Protocol

    def put_graph(self, graph: str, data: bytes, *, content_type: str, timeout: float) -> None:
        """Replace the named graph ``graph`` by ``data`` (GSP PUT: created or replaced)."""
        url = self._graph_url(graph)
        self._send("PUT", url, data, {"Content-Type": content_type}, timeout=timeout)

    def delete_graph(self, graph: str, *, timeout: float) -> bool:
        """Remove the named graph ``graph``; False when the store did not hold it."""
        try:
            self._send("DELETE", self._graph_url(graph), None, {}, timeout=timeout)
        except StoreRefusedError as exc:
            if exc.status == 404:
                return False
            raise
        return True

    def _graph_url(self, graph: str) -> str:
        url = self._require(self.endpoints.gsp, "Graph Store Protocol", "ASLGRAPH_STORE_GSP_URL")
        joiner = "&" if "?" in url else "?"
        return url + joiner + urllib.parse.urlencode({"graph": graph})

    @staticmethod
    def _require(url: str | None, what: str, setting: str) -> str:
        if not url:
            raise RemoteStoreError(
                f"the store's {what} URL is not known for this engine; set {setting}"
            )
        return url

    # ------------------------------------------------------------ one request

    def _send(
        self,
        method: str,
        url: str,
        body: bytes | None,
        headers: dict[str, str],
        *,
        timeout: float,
        max_bytes: int | None = None,
    ) -> StoreResponse:
        request = urllib.request.Request(url, data=body, headers=headers, method=method)  # noqa: S310 - http(s) only, checked in from_settings
        where = _where(url)
        try:
            with self._opener.open(request, timeout=timeout) as response:
                data = response.read() if max_bytes is None else response.read(max_bytes + 1)
                if max_bytes is not None and len(data) > max_bytes:
                    raise AnswerTooLargeError(
                        f"the store's answer is larger than {max_bytes} bytes"
                    )
                content_type = (response.headers.get("Content-Type") or "").split(";")[0]
                return StoreResponse(
                    data, content_type.strip().lower(), response.headers.get("Server")
                )
        except urllib.error.HTTPError as exc:
            text = _text(exc)
            if exc.code >= 500:
                raise StoreUnavailableError(
                    f"the SPARQL store at {where} failed ({exc.code}): {text}"
                ) from None
            raise StoreRefusedError(
                f"the SPARQL store at {where} refused the request ({exc.code}): {text}",
                status=exc.code,
                text=text,
            ) from None
        except TimeoutError:
            raise StoreTimeoutError(
                f"the SPARQL store at {where} did not answer within {timeout:g} s"
            ) from None
        except urllib.error.URLError as exc:
            reason = exc.reason
            if isinstance(reason, TimeoutError):
                raise StoreTimeoutError(
                    f"the SPARQL store at {where} did not answer within {timeout:g} s"
                ) from None
            raise StoreUnavailableError(
                f"the SPARQL store at {where} cannot be reached: {_reason(reason)}"
            ) from None
        except (OSError, HTTPException) as exc:
            raise StoreUnavailableError(
                f"the SPARQL store at {where} broke off the exchange: {_reason(exc)}"
            ) from None


def _where(url: str) -> str:
    """The URL without its query string (nothing secret is in it, but it may be long)."""
    return url.split("?", 1)[0]


def _reason(reason: object) -> str:
    if isinstance(reason, OSError) and reason.strerror:
        return reason.strerror
    return str(reason) or type(reason).__name__


def _text(exc: urllib.error.HTTPError) -> str:
    try:
        data = exc.read(ERROR_TEXT_BYTES)
    except (OSError, HTTPException):
        data = b""
    return " ".join(data.decode("utf-8", "replace").split()) or exc.reason or "no detail"


def _server_header(url: str, settings: Settings) -> str | None:
    """The Server header of the store's answer to ``ASK {}`` (to tell its dialect)."""
    client = StoreClient(Endpoints(url, None, None), dialect=DIALECTS["generic"])
    response = client.query(
        "ASK {}", accept="application/sparql-results+json", timeout=settings.query_timeout
    )
    return response.server
