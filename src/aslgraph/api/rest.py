"""What every REST route shares: the answer cache, content negotiation, paging, rendering.

The knowledge graph is read-only, so an answer depends only on the request's path, query string
and Accept header. :class:`CachedRoute` keeps the bytes of each successful GET answer (in a
byte-bounded LRU held in ``app.state``) and serves a repeated request from it before FastAPI
parses parameters or runs the route: a cached lookup costs about what returning precomputed
bytes costs. Errors are never cached.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
import re
import threading
from collections.abc import Callable, Coroutine, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import Annotated, Any, Generic, TypeVar
from urllib.parse import parse_qsl, urlencode

import pydantic_core
from fastapi import Depends, Query, Request, Response
from fastapi.routing import APIRoute
from pydantic import BaseModel, BeforeValidator, ConfigDict
from starlette.types import ASGIApp, Receive, Scope, Send

from aslgraph.api.jsonld import CONTEXT_PATH
from aslgraph.api.problems import Problem, ProblemError
from aslgraph.bounded import BytesLRU
from aslgraph.config import Settings
from aslgraph.kg.errors import CatalogError, NotFoundError
from aslgraph.media import JSON, REST_JSON_LD, REST_OFFERS, Offer, available
from aslgraph.media import negotiate as choose

MAX_CACHED_KEY = 2048
"""Requests whose path, query or Accept header is longer than this are answered uncached."""
DEFAULT_CACHE_BYTES = 16 * 1024 * 1024
"""The answer cache's budget: the bodies it holds, at most (the server stays within 150 MB)."""


# ---------------------------------------------------------------- the answer cache

CacheKey = tuple[str, bytes, str, str]
"""(path, raw query string, Accept header, today's date)."""
Params = list[tuple[str, str]]
"""A request's query parameters, decoded, in the order sent."""


@dataclass(frozen=True)
class Cached:
    """A kept answer: its body, Content-Type and other headers, and the ASGI header list to send
    (built once, when the answer is kept)."""

    body: bytes
    media_type: str
    headers: tuple[tuple[str, str], ...]
    raw_headers: list[tuple[bytes, bytes]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        raw = [
            (b"content-length", str(len(self.body)).encode("latin-1")),
            (b"content-type", self.media_type.encode("latin-1")),
        ]
        raw += [(n.lower().encode("latin-1"), v.encode("latin-1")) for n, v in self.headers]
        object.__setattr__(self, "raw_headers", raw)


class ResponseCache:
    """A least-recently-used map of answers, bounded by the total size of their bodies (an
    answer over a quarter of it is not kept)."""

    def __init__(self, max_bytes: int = DEFAULT_CACHE_BYTES):
        self._answers: BytesLRU[CacheKey, Cached] = BytesLRU(max_bytes, largest_share=4)
        self._lock = threading.Lock()  # a version's start and the puts of answers of it
        self.version = ""
        """The version of the knowledge graph the answers are of (a remote store's marker,
        decision 0016); answers are kept only under the version they were computed from."""

    def start_version(self, version: str) -> None:
        """Answer from ``version`` on: every answer of the one before is dropped."""
        with self._lock:
            self.version = version
            self._answers.clear()

    def get(self, key: CacheKey) -> Cached | None:
        return self._answers.get(key)

    def put(self, key: CacheKey, value: Cached, *, version: str | None = None) -> None:
        """Keep ``value``; not when it was computed from a ``version`` no longer current."""
        with self._lock:
            if version is not None and version != self.version:
                return
            self._answers.put(key, value, len(value.body))

    def __len__(self) -> int:
        return len(self._answers)


def response_cache(request: Request) -> ResponseCache:
    """The app's answer cache (``app.state.rest_cache``, created on first use)."""
    state = request.app.state
    cache: ResponseCache | None = getattr(state, "rest_cache", None)
    if cache is None:
        cache = state.rest_cache = ResponseCache()
    return cache


def cache_key(scope: Scope) -> CacheKey | None:
    """The cache key of a request, or None when its answer is neither kept nor looked up: any
    method but GET, a request that announces a body, a path, query or Accept header longer
    than MAX_CACHED_KEY.

    The key is (path, raw query string, first Accept header, today's date): the date because
    an answer may depend on "today" (the obligations' default date). The query string is taken
    as sent, so two spellings of the same parameters are two entries, each answered (and its
    paging links written) as it was asked.
    """
    if scope["method"] != "GET":
        return None
    path: str = scope["path"]
    query: bytes = scope["query_string"]
    if len(path) + len(query) > MAX_CACHED_KEY:
        return None
    accept: bytes | None = None
    for name, value in scope["headers"]:
        if name == b"accept":
            if accept is None:
                accept = value
        elif (name == b"content-length" and value.strip() != b"0") or (
            name == b"transfer-encoding"
        ):
            return None  # let the body checks (BodySizeLimit) see it
    if accept is None:
        accept = b""
    elif len(accept) > MAX_CACHED_KEY:
        return None
    return (path, query, accept.decode("latin-1"), date.today().isoformat())


@dataclass(frozen=True)
class Lookup:
    """A REST route's fast path, run by :class:`CachedAnswers` before routing (decision 0020).

    ``answer(app.state, path, params)`` gives the route's answer as its response model, or
    None for any request it cannot prove well-formed in the plainest spelling (a repeated
    parameter, a value the route's own validation might read differently), which the
    route itself then answers; so do the catalog's errors and a :class:`ProblemError` it
    raises. What it answers is rendered, kept in the answer cache and sent exactly as the
    route would send it: the differential tests hold the two to the same bytes.
    """

    path: str
    """The exact path it answers, or a prefix ending in ``/`` (a route with path parameters)."""
    answer: Callable[[Any, str, Params], BaseModel | bytes | None]
    """The answer as its response model, or as that model's JSON (:func:`to_json`)."""
    offers: Sequence[Offer] = REST_OFFERS


def plain_params(params: Params, names: frozenset[str]) -> dict[str, str] | None:
    """The route's parameters (those in ``names``) as a dict, or None when one is repeated.

    Other parameters are left out: the route ignores them too (a cache-buster, a tracking tag);
    they still appear in the answer's links, which repeat every parameter sent."""
    found: dict[str, str] = {}
    for name, value in params:
        if name in names:
            if name in found:
                return None
            found[name] = value
    return found


class JsonMemo:
    """The JSON of immutable values (a catalog answer's parts), least recently used first out,
    within ``max_bytes`` in all. Each entry keeps the value it was made from and is found only
    for that very object, so an id reused by another object never gives its JSON."""

    def __init__(self, max_bytes: int):
        self._entries: BytesLRU[tuple[int, Any], tuple[object, bytes]] = BytesLRU(max_bytes)

    def json(self, value: object, part: Any, make: Callable[[], Any]) -> bytes:
        """The JSON of ``make()``, which depends only on ``value`` and ``part`` (hashable)."""
        key = (id(value), part)
        found = self._entries.get(key)
        if found is not None and found[0] is value:
            return found[1]
        body = to_json(make())
        self._entries.put(key, (value, body), len(body))
        return body

    @property
    def bytes(self) -> int:
        return self._entries.bytes


def with_items(items_json: bytes, page: BaseModel) -> bytes:
    """The JSON of a :class:`Page` whose ``items`` are written as ``items_json`` (the JSON of
    its items, in order) and whose other fields are those of ``page`` (its items ignored):
    the same bytes as the whole page's :func:`to_json`, ``items`` being its first field."""
    rest = pydantic_core.to_json(page, by_alias=False, exclude={"items"})
    return b'{"items":' + items_json + (b"}" if rest == b"{}" else b"," + rest[1:])


_PLAIN_INT = re.compile(r"[1-9][0-9]{0,9}")
_PLAIN_UNIT = re.compile(r"0(\.[0-9]{1,6})?|1(\.0{1,6})?")


def plain_int(text: str | None, default: int | None, *, most: int) -> int | None:
    """A positive integer of at most ``most`` written in plain digits; ``default`` when absent;
    -1 for anything else (the route's validation decides what it means)."""
    if text is None:
        return default
    if _PLAIN_INT.fullmatch(text) is None or int(text) > most:
        return -1
    return int(text)


def plain_unit(text: str) -> float | None:
    """A number from 0 to 1 written as plain decimals (``0.6``, ``1``); None for anything else."""
    return float(text) if _PLAIN_UNIT.fullmatch(text) else None


def plain_date(text: str) -> date | None:
    """A real calendar date written YYYY-MM-DD; None for anything else."""
    if _ISO_DATE.fullmatch(text) is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


class CachedAnswers:
    """Pure ASGI middleware: answer a GET that :class:`CachedRoute` answered before straight
    from ``cache``, before routing, parameter parsing or dependencies run; on a miss, let a
    route's :class:`Lookup` answer (and keep) it when it can.

    Only successful answers of CachedRoute routes are ever in the cache, and their key holds
    everything such an answer depends on (see :func:`cache_key`), so a hit is the answer the
    route would give. Everything else passes through untouched.
    """

    def __init__(
        self,
        app: ASGIApp,
        cache: ResponseCache,
        prefixes: tuple[str, ...] = ("/",),
        lookups: Sequence[Lookup] = (),
    ):
        self.app = app
        self.cache = cache
        self.prefixes = prefixes
        """Paths the cache can hold (others, such as /sparql, skip the lookup)."""
        self.exact = {lookup.path: lookup for lookup in lookups if not lookup.path.endswith("/")}
        self.under = tuple(lookup for lookup in lookups if lookup.path.endswith("/"))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"].startswith(self.prefixes):
            key = cache_key(scope)
            if key is not None:
                hit = self.cache.get(key)
                if hit is None and (self.exact or self.under):
                    hit = self._look_up(scope, key)
                if hit is not None:
                    await send(
                        {"type": "http.response.start", "status": 200, "headers": hit.raw_headers}
                    )
                    await send({"type": "http.response.body", "body": hit.body})
                    return
        await self.app(scope, receive, send)

    def _look_up(self, scope: Scope, key: CacheKey) -> Cached | None:
        """The answer of the route's fast path, kept in the cache; None: the route answers."""
        path = key[0]
        lookup = self.exact.get(path)
        if lookup is None:
            lookup = next((one for one in self.under if path.startswith(one.path)), None)
            if lookup is None:
                return None
        app = scope.get("app")
        if app is None or scope.get("root_path"):
            return None
        state = app.state
        ready: asyncio.Future[None] | None = getattr(state, "catalog_ready", None)
        if ready is not None and not (ready.done() and ready.exception() is None):
            return None  # the route waits for the index (or reports why it failed)
        offer = choose(key[2] if _has_accept(scope) else None, lookup.offers)
        if offer is None:
            return None  # the route's 406
        params = parse_qsl(key[1].decode("latin-1"), keep_blank_values=True)
        version = self.cache.version
        try:
            model = lookup.answer(state, path, params)
        except (CatalogError, ProblemError):
            return None  # the route answers with its problem document
        if model is None:
            return None
        if isinstance(model, bytes):
            body = rendered(model, offer, state.settings)
        else:
            body = render_body(model, offer, state.settings)
        answer = Cached(body, offer.content_type, RENDERED_HEADERS)
        self.cache.put(key, answer, version=version)
        return answer


def _has_accept(scope: Scope) -> bool:
    return any(name == b"accept" for name, _ in scope["headers"])


_UNCACHED_HEADERS = frozenset({"content-length", "content-type"})


class CachedRoute(APIRoute):
    """An APIRoute that keeps its successful GET answers in the app's answer cache.

    Repeated requests are answered by :class:`CachedAnswers` before they reach the route; the
    route looks the cache up too, so it works in an app without that middleware. Only 200
    answers are kept.
    """

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def cached_handler(request: Request) -> Response:
            key = cache_key(request.scope)
            if key is None:
                return await handler(request)
            cache = response_cache(request)
            hit = cache.get(key)
            if hit is not None:
                return Response(hit.body, media_type=hit.media_type, headers=dict(hit.headers))
            version = cache.version  # a reload while the route runs: its answer is not kept
            response = await handler(request)
            if response.status_code == 200 and isinstance(response.body, bytes):
                headers = tuple(
                    (name, value)
                    for name, value in response.headers.items()
                    if name not in _UNCACHED_HEADERS
                )
                media_type = response.headers.get("content-type") or response.media_type or ""
                cache.put(key, Cached(bytes(response.body), media_type, headers), version=version)
            return response

        return cached_handler


# ---------------------------------------------------------------- negotiation


def negotiate(request: Request, offers: Sequence[Offer] = REST_OFFERS) -> Offer:
    """The offer the client's Accept header prefers; a 406 problem when it accepts none."""
    accept = request.headers.get("accept")
    chosen = choose(accept, offers)
    if chosen is None:
        types = available(offers)
        raise ProblemError(
            406,
            f"cannot answer with any type the Accept header allows ({accept}); "
            f"available: {', '.join(types)}",
            kind="not-acceptable",
            extra={"available": types},
        )
    return chosen


# ---------------------------------------------------------------- errors


def problem_from(exc: CatalogError) -> ProblemError:
    """The problem document for a catalog error: 404 for things not found, 400 otherwise."""
    status = 404 if isinstance(exc, NotFoundError) else 400
    return ProblemError(status, exc.message, kind=exc.kind)


@contextmanager
def catalog_errors() -> Iterator[None]:
    """Turn the catalog's errors raised inside the block into problem documents."""
    try:
        yield
    except CatalogError as exc:
        raise problem_from(exc) from None


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries for the problem documents a route can answer with."""
    meaning = {
        400: "A parameter is not acceptable (the message says which and what is accepted).",
        404: "The thing named does not exist in the knowledge graph.",
        406: "The Accept header allows none of the types this route answers with.",
    }
    return {
        status: {"model": Problem, "description": meaning.get(status, "An error.")}
        for status in statuses
    }


def ok_response(description: str, *, csv: bool = False) -> dict[int | str, dict[str, Any]]:
    """The OpenAPI entry of a 200 answer: JSON (the response model), JSON-LD and maybe CSV."""
    content: dict[str, Any] = {
        "application/ld+json": {
            "schema": {"type": "object", "description": "the JSON answer plus @context"}
        }
    }
    if csv:
        content["text/csv"] = {"schema": {"type": "string"}}
    return {200: {"description": description, "content": content}}


# ---------------------------------------------------------------- dates

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _iso_date(value: Any) -> Any:
    """Accept a date only as YYYY-MM-DD (pydantic alone also reads "0" as a Unix time)."""
    if isinstance(value, str) and not _ISO_DATE.fullmatch(value):
        raise ValueError(f"give a date as YYYY-MM-DD, not {value[:40]!r}")
    return value


IsoDate = Annotated[date, BeforeValidator(_iso_date)]
"""A calendar date in a query parameter, written YYYY-MM-DD and nothing else."""


# ---------------------------------------------------------------- paging

T = TypeVar("T")

MAX_PAGE = 1_000_000_000
"""The largest page number a REST route accepts."""
PageParam = Annotated[
    int, Query(ge=1, le=MAX_PAGE, description="Page number, from 1.", examples=[1])
]
SizeParam = Annotated[
    int | None,
    Query(
        ge=1,
        description="Items per page (default and largest: the service's ASLGRAPH_PAGE_SIZE "
        "and ASLGRAPH_MAX_PAGE_SIZE, 50 and 500 unless configured).",
        examples=[50],
    ),
]


class Page(BaseModel, Generic[T]):
    """One page of a list: the items and where the neighbouring pages are."""

    model_config = ConfigDict(frozen=True)

    items: list[T]
    page: int
    size: int
    total: int
    next: str | None = None
    prev: str | None = None


def example_of(model: type[BaseModel]) -> dict[str, Any]:
    """The first example a model's schema carries (empty when it has none)."""
    extra = model.model_config.get("json_schema_extra")
    examples = extra.get("examples") if isinstance(extra, dict) else None
    if isinstance(examples, list) and examples and isinstance(examples[0], dict):
        return dict(examples[0])
    return {}


def page_config(item: type[BaseModel], path: str, **extra: Any) -> ConfigDict:
    """The model config of a page model: frozen, with an example built from the item's."""
    example = {
        **extra,
        "items": [example_of(item)],
        "page": 1,
        "size": 1,
        "total": 2,
        "next": f"{path}{'&' if '?' in path else '?'}page=2&size=1",
        "prev": None,
    }
    return ConfigDict(frozen=True, json_schema_extra={"examples": [example]})


@dataclass(frozen=True)
class Paging:
    """The page asked for, checked against the settings."""

    page: int
    size: int

    @classmethod
    def of(cls, page: int, size: int | None, settings: Settings) -> Paging:
        """Raises a 400 problem when ``size`` is above the largest page size."""
        chosen = settings.page_size if size is None else size
        if not 1 <= chosen <= settings.max_page_size:
            raise ProblemError(
                400,
                f"size must be between 1 and {settings.max_page_size}, got {chosen}",
                kind="invalid-parameter",
            )
        return cls(page=page, size=chosen)

    def window(self, items: Sequence[Any]) -> Sequence[Any]:
        start = (self.page - 1) * self.size
        return items[start : start + self.size]


def _link(path: str, params: Params, settings: Settings, page: int, size: int) -> str:
    kept = [(k, v) for k, v in params if k not in ("page", "size")]
    kept += [("page", str(page)), ("size", str(size))]
    base = settings.public_base.rstrip("/") if settings.public_base else ""
    return f"{base}{path}?{urlencode(kept)}"


def page_fields(request: Request, settings: Settings, paging: Paging, total: int) -> dict[str, Any]:
    """``page``, ``size``, ``total``, ``next`` and ``prev`` of one page of ``total`` items."""
    return paging_fields(
        request.url.path, request.query_params.multi_items(), settings, paging, total
    )


def paging_fields(
    path: str, params: Params, settings: Settings, paging: Paging, total: int
) -> dict[str, Any]:
    """:func:`page_fields` of a request to ``path`` with the query parameters ``params`` (in
    the order sent): the links repeat the others and set ``page`` and ``size``."""
    last = max(1, -(-total // paging.size))
    return {
        "page": paging.page,
        "size": paging.size,
        "total": total,
        "next": _link(path, params, settings, paging.page + 1, paging.size)
        if paging.page < last
        else None,
        "prev": _link(path, params, settings, min(paging.page - 1, last), paging.size)
        if paging.page > 1
        else None,
    }


P = TypeVar("P", bound=Page[Any])


def page_of(
    model: type[P],
    request: Request,
    settings: Settings,
    paging: Paging,
    items: Sequence[BaseModel],
    **extra: Any,
) -> P:
    """One page of ``items`` as the page model ``model``, with ``extra`` fields."""
    return model(
        items=list(paging.window(items)),
        **page_fields(request, settings, paging, len(items)),
        **extra,
    )


# ---------------------------------------------------------------- rendering


def context_url(settings: Settings) -> str:
    base = settings.public_base.rstrip("/") if settings.public_base else ""
    return base + CONTEXT_PATH


def to_json(payload: Any) -> bytes:
    """Compact JSON (UTF-8, not ASCII-escaped) of JSON values and models, in pydantic's
    serialiser: a model comes out as its ``model_dump(mode="json")`` would."""
    return pydantic_core.to_json(payload, by_alias=False)


def render_body(model: BaseModel, offer: Offer, settings: Settings) -> bytes:
    """The model as JSON, or as JSON-LD with the published context (first)."""
    return rendered(to_json(model), offer, settings)


def rendered(body: bytes, offer: Offer, settings: Settings) -> bytes:
    """A model's JSON (``body``) as ``offer`` sends it: as is, or with the context first."""
    if offer is REST_JSON_LD:
        head = b'{"@context":' + to_json(context_url(settings))
        body = head + (b"}" if body == b"{}" else b"," + body[1:])
    return body


RENDERED_HEADERS = (("vary", "Accept"),)
"""The headers of a rendered answer besides its length and type."""


def render(model: BaseModel, offer: Offer, settings: Settings) -> Response:
    """The model as a Response: JSON, or JSON-LD with the published context (first)."""
    body = render_body(model, offer, settings)
    return Response(body, media_type=offer.content_type, headers=dict(RENDERED_HEADERS))


async def rest_offer(request: Request) -> Offer:
    """The REST offer the request's Accept header prefers (406 before any work otherwise),
    kept for :class:`RestRoute` to write the answer in."""
    offer = negotiate(request)
    request.state.offer = offer
    return offer


OfferDep = Annotated[Offer, Depends(rest_offer)]
"""Declare it on a route (``offer: OfferDep``) to negotiate JSON or JSON-LD."""

_REQUEST = "aslgraph_request__"


def _rendering(endpoint: Callable[..., Any], model: type[BaseModel]) -> Callable[..., Any]:
    """``endpoint``, returning a Response written from the ``model`` instance it returns.

    A route that returns anything but an instance of its declared model (or a Response of its
    own, such as CSV) is a programming error: TypeError, which the tests of every route see.
    """
    signature = inspect.signature(endpoint, eval_str=True)
    parameters = list(signature.parameters.values())
    # FastAPI hands the request to one parameter only: the endpoint's own, if it has one
    own = next((p.name for p in parameters if p.annotation is Request), None)
    if own is None:
        parameters.append(
            inspect.Parameter(_REQUEST, inspect.Parameter.KEYWORD_ONLY, annotation=Request)
        )

    @functools.wraps(endpoint)
    async def run(*args: Any, **kwargs: Any) -> Response:
        request: Request = kwargs[own] if own is not None else kwargs.pop(_REQUEST)
        result = await endpoint(*args, **kwargs)
        if isinstance(result, Response):
            return result
        if not isinstance(result, model):
            raise TypeError(
                f"{endpoint.__qualname__} returned {type(result).__name__}, not its declared "
                f"response model {model.__name__}"
            )
        offer = getattr(request.state, "offer", JSON)
        return render(result, offer, request.app.state.settings)

    run.__signature__ = signature.replace(  # type: ignore[attr-defined]
        parameters=parameters, return_annotation=model
    )
    return run


class RestRoute(CachedRoute):
    """A REST route: its endpoint returns its declared response model (``response_model``, or
    the return annotation), checked and written here as JSON or JSON-LD (the offer chosen by
    :data:`OfferDep`); successful GET answers are kept in the answer cache. An endpoint
    annotated to return a Response (and no model) is served as it is."""

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        model = kwargs.get("response_model")
        if not isinstance(model, type):
            model = inspect.signature(endpoint, eval_str=True).return_annotation
        if isinstance(model, type) and issubclass(model, Response):
            super().__init__(path, endpoint, **kwargs)  # a document of its own (the context)
            return
        if not (isinstance(model, type) and issubclass(model, BaseModel)):
            raise TypeError(f"{endpoint.__qualname__}: a REST route declares a response model")
        kwargs["response_model"] = model
        super().__init__(path, _rendering(endpoint, model), **kwargs)
