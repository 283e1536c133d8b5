"""The answer cache: a repeated request is answered with the same bytes without running the
route again (by CachedAnswers, before routing); each Accept header and each spelling of the
query string has its own entry; errors are not kept; the cache stays within its byte budget."""

from __future__ import annotations

import json
from datetime import date
from urllib.parse import parse_qsl, urlsplit

import pytest
from fastapi import APIRouter, FastAPI, Request, Response
from fastapi.testclient import TestClient

from aslgraph.api.rest import (
    MAX_CACHED_KEY,
    Cached,
    CachedAnswers,
    CachedRoute,
    ResponseCache,
    cache_key,
)


def test_a_repeated_request_comes_from_the_cache(client: TestClient) -> None:
    url = "/api/crosswalk?from=rsp:ASL2-SS&size=3"
    first = client.get(url)
    cache = client.app.state.rest_cache  # type: ignore[attr-defined]
    size = len(cache)
    second = client.get(url)
    assert second.content == first.content
    assert second.headers["content-type"] == first.headers["content-type"]
    assert second.headers["vary"] == "Accept"
    assert len(cache) == size


def test_the_accept_header_is_part_of_the_key(client: TestClient) -> None:
    url = "/api/tiers/2"
    plain = client.get(url)
    linked = client.get(url, headers={"accept": "application/ld+json"})
    again = client.get(url)
    assert plain.headers["content-type"] == again.headers["content-type"] == "application/json"
    assert linked.headers["content-type"] == "application/ld+json"
    assert plain.content == again.content != linked.content


def test_errors_are_not_cached(client: TestClient) -> None:
    cache = client.app.state.rest_cache  # type: ignore[attr-defined]
    client.get("/api/tiers/1")
    size = len(cache)
    for _ in range(3):
        assert client.get("/api/tiers/ASL-42").status_code == 404
    assert len(cache) == size


def test_the_cache_keeps_within_its_byte_budget() -> None:
    cache = ResponseCache(max_bytes=1000)
    for i in range(50):
        cache.put((f"/{i}", b"", "", "d"), Cached(b"x" * 100, "application/json", ()))
    assert len(cache) == 10
    assert cache.get(("/0", b"", "", "d")) is None
    assert cache.get(("/49", b"", "", "d")) is not None
    cache.put(("/big", b"", "", "d"), Cached(b"x" * 900, "application/json", ()))
    assert cache.get(("/big", b"", "", "d")) is None  # over a quarter of the budget


def test_least_recently_used_goes_first() -> None:
    cache = ResponseCache(max_bytes=300)
    for name in ("a", "b", "c"):
        cache.put((name, b"", "", "d"), Cached(b"x" * 60, "t", ()))
    assert cache.get(("a", b"", "", "d")) is not None
    for name in ("d", "e"):
        cache.put((name, b"", "", "d"), Cached(b"x" * 60, "t", ()))
    cache.put(("f", b"", "", "d"), Cached(b"x" * 60, "t", ()))
    assert cache.get(("a", b"", "", "d")) is not None
    assert cache.get(("b", b"", "", "d")) is None


# --- the cache in front of the app (CachedAnswers) and its key


def _counting_app() -> tuple[FastAPI, list[str]]:
    """A small app with one CachedRoute GET that counts its runs, behind CachedAnswers."""
    calls: list[str] = []
    router = APIRouter(route_class=CachedRoute)

    @router.get("/things/{name}")
    async def thing(name: str, request: Request, q: str | None = None) -> Response:
        calls.append(name)
        if name == "missing":
            return Response(b'{"status":404}', status_code=404, media_type="application/json")
        accept = request.headers.get("accept", "")
        body = json.dumps({"name": name, "q": q, "accept": accept, "run": len(calls)})
        return Response(body.encode(), media_type="text/plain", headers={"Vary": "Accept"})

    app = FastAPI()
    app.include_router(router)
    app.state.rest_cache = ResponseCache()
    app.add_middleware(CachedAnswers, cache=app.state.rest_cache)
    return app, calls


def test_a_repeated_get_is_answered_before_the_route_runs() -> None:
    app, calls = _counting_app()
    with TestClient(app) as client:
        first = client.get("/things/a?q=1")
        again = [client.get("/things/a?q=1") for _ in range(3)]
    assert calls == ["a"]
    for response in again:
        assert response.status_code == 200
        assert response.content == first.content
        assert response.headers["content-type"] == first.headers["content-type"]
        assert response.headers["content-type"] == "text/plain; charset=utf-8"
        assert response.headers["content-length"] == str(len(first.content))
        assert response.headers["vary"] == "Accept"


def test_each_accept_header_and_query_string_has_its_own_answer() -> None:
    app, calls = _counting_app()
    requests = [
        ("/things/a?q=1", None),
        ("/things/a?q=2", None),
        ("/things/a", None),
        ("/things/a?q=1", "text/plain"),
        ("/things/b?q=1", None),
    ]
    with TestClient(app) as client:
        first = [client.get(url, headers={"accept": a} if a else {}) for url, a in requests]
        second = [client.get(url, headers={"accept": a} if a else {}) for url, a in requests]
    assert len(calls) == len(requests)
    assert len({r.content for r in first}) == len(requests)
    assert [r.content for r in first] == [r.content for r in second]
    assert json.loads(first[3].content)["accept"] == "text/plain"


@pytest.mark.parametrize(
    ("method", "headers"),
    [
        ("HEAD", {}),
        ("POST", {}),
        ("GET", {"content-length": "5"}),
        ("GET", {"transfer-encoding": "chunked"}),
    ],
    ids=["head", "post", "get-with-a-body", "get-chunked"],
)
def test_only_plain_gets_are_kept_or_served(method: str, headers: dict[str, str]) -> None:
    scope = {
        "type": "http",
        "method": method,
        "path": "/things/a",
        "query_string": b"",
        "headers": [(k.encode(), v.encode()) for k, v in headers.items()],
    }
    assert cache_key(scope) is None


def test_the_key_holds_path_query_first_accept_and_date() -> None:
    scope = {
        "type": "http",
        "method": "GET",
        "path": "/things/a",
        "query_string": b"q=1",
        "headers": [(b"accept", b"text/plain"), (b"accept", b"*/*"), (b"content-length", b"0")],
    }
    assert cache_key(scope) == ("/things/a", b"q=1", "text/plain", date.today().isoformat())
    long_accept = {**scope, "headers": [(b"accept", b"a" * (MAX_CACHED_KEY + 1))]}
    assert cache_key(long_accept) is None
    long_query = {**scope, "query_string": b"q=" + b"x" * MAX_CACHED_KEY}
    assert cache_key(long_query) is None


def test_errors_are_not_kept_by_the_front_cache() -> None:
    app, calls = _counting_app()
    with TestClient(app) as client:
        for _ in range(3):
            assert client.get("/things/missing").status_code == 404
    assert calls == ["missing"] * 3
    assert len(app.state.rest_cache) == 0


# --- the real routes answered from the cache


def test_json_and_json_ld_answers_stay_apart_when_repeated(client: TestClient) -> None:
    url = "/api/crosswalk?from=rsp:ASL3-SS&size=2"
    linked_headers = {"accept": "application/ld+json"}
    plain = [client.get(url) for _ in range(3)]
    linked = [client.get(url, headers=linked_headers) for _ in range(3)]
    plain += [client.get(url) for _ in range(2)]
    assert {r.headers["content-type"] for r in plain} == {"application/json"}
    assert {r.headers["content-type"] for r in linked} == {"application/ld+json"}
    assert len({r.content for r in plain}) == len({r.content for r in linked}) == 1
    as_json = plain[0].json()
    as_linked = linked[0].json()
    assert next(iter(as_linked)) == "@context"
    assert as_linked.pop("@context") == "/api/context.jsonld"
    assert as_linked == as_json


@pytest.mark.parametrize(
    "query",
    [
        "from=rsp:ASL3-SS&size=1",
        "size=1&from=rsp:ASL3-SS",
        "from=rsp%3AASL3-SS&size=1",
        "size=1&to=&from=rsp:ASL3-SS",
    ],
    ids=["from-first", "size-first", "percent-encoded", "empty-parameter"],
)
def test_every_spelling_of_the_parameters_gets_its_own_right_answer(
    client: TestClient, query: str
) -> None:
    reference = client.get("/api/crosswalk", params={"from": "rsp:ASL3-SS", "size": 1}).json()
    first = client.get(f"/api/crosswalk?{query}")
    again = client.get(f"/api/crosswalk?{query}")
    if "to=&" in query:  # an empty scheme is a bad parameter, and stays one
        assert first.status_code == again.status_code == 400
        return
    assert first.status_code == 200
    assert again.content == first.content
    body = first.json()
    assert body["items"] == reference["items"]
    assert body["total"] == reference["total"]
    # the link to the next page keeps the other parameters in the order they were sent
    next_link = urlsplit(body["next"])
    assert parse_qsl(next_link.query) == [("from", "rsp:ASL3-SS"), ("page", "2"), ("size", "1")]


def test_the_catalog_is_built_at_start_up(client: TestClient) -> None:
    ready = client.app.state.catalog_ready  # type: ignore[attr-defined]
    assert client.get("/api/tiers").status_code == 200
    assert ready.done()
    assert ready.exception() is None
