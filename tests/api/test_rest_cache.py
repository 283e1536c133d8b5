"""The answer cache: a repeated request is answered with the same bytes without running the
route again; errors are not kept; the cache stays within its byte budget."""

from __future__ import annotations

from fastapi.testclient import TestClient

from aslgraph.api.rest import Cached, ResponseCache


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
