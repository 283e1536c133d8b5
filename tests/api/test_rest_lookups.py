"""The hot REST routes' fast paths (decision 0020): a crosswalk or provision request the fast path
takes is answered with the same status, headers and bytes as the route answers it; whatever it
cannot prove plain (a repeated parameter, an unusual spelling, a bad value, an unknown
provision, an Accept it does not offer) goes to the route, which answers it as before."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import parse_qsl, urlsplit

import pytest
from fastapi.testclient import TestClient

from aslgraph.api import app as app_module
from aslgraph.api.rest import JsonMemo, Lookup, Page, ResponseCache, to_json, with_items
from aslgraph.api.routes import crosswalk, provisions
from aslgraph.config import Settings

TAKEN = [
    "/api/crosswalk?from=rsp:ASL3-SS",
    "/api/crosswalk?from=rsp:ASL3-SS&to=gpai-cop",
    "/api/crosswalk?from=rsp:ASL3-SS&min_confidence=0.6",
    "/api/crosswalk?from=rsp:ASL3-SS&min_confidence=1",
    "/api/crosswalk?from=rsp:ASL3-SS&as_of=2025-08-02",
    "/api/crosswalk?from=rsp:ASL3-SS&as_of=2024-01-01",
    "/api/crosswalk?from=rsp:ASL3-SS&page=2&size=3",
    "/api/crosswalk?size=1&from=rsp:ASL2-SS&to=eu-ai-act",
    "/api/crosswalk?from=https%3A%2F%2Fw3id.org%2Faslgraph%2Fid%2Frsp%2FASL3-SS",
    "/api/crosswalk?from=aia:art55-1-d",
    "/api/crosswalk?from=aia%3Aart55-1-d&to=rsp",
    "/api/crosswalk?from=rsp:ASL3-SS&page=999",
    "/api/crosswalk?from=rsp:ASL3-SS&colour=blue",
    "/api/crosswalk?from=rsp:ASL3-SS&size=2&_n=41",  # a cache-buster: in the links, not read
    "/api/crosswalk?_n=1&from=rsp:ASL3-SS&_n=2&from_=rsp:ASL2",
    "/api/provisions/eu-ai-act/art55-1-d",
    "/api/provisions/eu-ai-act/art55-1-d?expand=1",
    "/api/provisions/eu-ai-act/art55-1-d?&_n=7&_n=8",
    "/api/provisions/rsp/ASL3-SS",
    "/api/provisions/gpai-cop/C-M1.1",
    "/api/provisions/uk-aisi/Inspect",
]
"""Requests the fast path answers itself (their answers are checked to be the route's)."""

ROUTED = [
    "/api/crosswalk",
    "/api/crosswalk?from=",
    "/api/crosswalk?from=rsp:ASL3-SS&from=rsp:ASL2-SS",
    "/api/crosswalk?from=rsp:ASL3-SS&min_confidence=.6",
    "/api/crosswalk?from=rsp:ASL3-SS&min_confidence=1e0",
    "/api/crosswalk?from=rsp:ASL3-SS&min_confidence=2",
    "/api/crosswalk?from=rsp:ASL3-SS&min_confidence=0.60000001",
    "/api/crosswalk?from=rsp:ASL3-SS&min_confidence=-0",
    "/api/crosswalk?from=rsp:ASL3-SS&as_of=2025-02-30",
    "/api/crosswalk?from=rsp:ASL3-SS&as_of=20250802",
    "/api/crosswalk?from=rsp:ASL3-SS&page=0",
    "/api/crosswalk?from=rsp:ASL3-SS&page=01",
    "/api/crosswalk?from=rsp:ASL3-SS&page=%2B2",
    "/api/crosswalk?from=rsp:ASL3-SS&size=0",
    "/api/crosswalk?from=rsp:ASL3-SS&size=100000",
    "/api/crosswalk?from=rsp:no-such-thing",
    "/api/crosswalk?from=rsp:ASL3-SS&to=no-such-scheme",
    "/api/crosswalk?from=" + "x" * 3000,
    "/api/provisions/eu-ai-act/no-such-article",
    "/api/provisions/no-such-scheme/art55-1-d",
    "/api/provisions/eu-ai-act/art55%2F1",
    "/api/provisions/eu-ai-act/" + "a" * 300,
    "/api/provisions/eu-ai-act",
    "/api/provisions/eu-ai-act/",
]
"""Requests the fast path hands to the route (or that reach no fast path at all)."""

ACCEPTS = [None, "application/ld+json", "application/json;q=0.5, application/ld+json", "*/*"]
REFUSED_ACCEPTS = ["text/html", "image/png"]


def _without_fast_paths(monkeypatch: pytest.MonkeyPatch) -> None:
    for module in (crosswalk, provisions):
        monkeypatch.setattr(module, "LOOKUP", Lookup(module.LOOKUP.path, lambda *_: None))


@pytest.fixture(scope="module")
def clients(settings: Settings) -> Iterator[tuple[TestClient, TestClient]]:
    """The shipped app, and the same app whose fast paths always hand over to the route."""
    with pytest.MonkeyPatch.context() as patch:
        _without_fast_paths(patch)
        assert crosswalk.LOOKUP.answer(None, "", []) is None
        routed_app = app_module.create_app(settings)
    fast_app = app_module.create_app(settings)
    with (
        TestClient(fast_app, raise_server_exceptions=False) as fast,
        TestClient(routed_app, raise_server_exceptions=False) as routed,
    ):
        yield fast, routed


def _fresh(client: TestClient) -> None:
    cache: ResponseCache = client.app.state.rest_cache  # type: ignore[attr-defined]
    cache.start_version(cache.version)  # drop every kept answer: this request is computed


def _both(
    clients: tuple[TestClient, TestClient], url: str, accept: str | None
) -> tuple[tuple[int, dict[str, str], bytes], ...]:
    headers = {} if accept is None else {"accept": accept}
    answers = []
    for client in clients:
        _fresh(client)
        response = client.get(url, headers=headers)
        answers.append((response.status_code, dict(response.headers), response.content))
    return tuple(answers)


def _fast_answer(client: TestClient, url: str) -> object:
    parts = urlsplit(url)
    lookup = crosswalk.LOOKUP if parts.path == crosswalk.LOOKUP.path else provisions.LOOKUP
    params = parse_qsl(parts.query, keep_blank_values=True)
    try:
        return lookup.answer(client.app.state, parts.path, params)  # type: ignore[attr-defined]
    except Exception as exc:  # the route answers what the fast path raises
        return exc


@pytest.mark.parametrize("accept", ACCEPTS)
@pytest.mark.parametrize("url", TAKEN + ROUTED)
def test_each_request_is_answered_as_the_route_answers_it(
    clients: tuple[TestClient, TestClient], url: str, accept: str | None
) -> None:
    fast, routed = _both(clients, url, accept)
    assert fast == routed


@pytest.mark.parametrize("url", TAKEN)
def test_the_plain_requests_are_the_fast_paths_own(
    clients: tuple[TestClient, TestClient], url: str
) -> None:
    fast, _ = clients
    answer = _fast_answer(fast, url)
    assert answer is not None and not isinstance(answer, Exception)
    status, _, body = _both(clients, url, None)[0]
    assert status == 200 and body


@pytest.mark.parametrize(
    "url", [u for u in ROUTED if u.startswith(("/api/crosswalk?", "/api/provisions/eu-ai-act/"))]
)
def test_the_others_are_handed_to_the_route(
    clients: tuple[TestClient, TestClient], url: str
) -> None:
    fast, _ = clients
    answer = _fast_answer(fast, url)
    assert answer is None or isinstance(answer, Exception)


@pytest.mark.parametrize("accept", REFUSED_ACCEPTS)
def test_an_accept_it_does_not_offer_is_the_routes_406(
    clients: tuple[TestClient, TestClient], accept: str
) -> None:
    fast, routed = _both(clients, TAKEN[0], accept)
    assert fast == routed
    assert fast[0] == 406


def test_a_fast_answer_is_kept_and_served_again_from_the_cache(
    clients: tuple[TestClient, TestClient],
) -> None:
    fast, _ = clients
    _fresh(fast)
    cache: ResponseCache = fast.app.state.rest_cache  # type: ignore[attr-defined]
    first = fast.get(TAKEN[1])
    assert len(cache) == 1
    again = fast.get(TAKEN[1])
    assert again.content == first.content and len(cache) == 1


def test_a_page_written_around_its_items_json_is_the_pages_json() -> None:
    for items in ([], [1], [1, 2, 3]):
        page = Page[int](items=items, page=2, size=3, total=9, next="/n?a=1", prev=None)
        assert with_items(to_json(items), page) == to_json(page)


def test_the_json_memo_answers_for_the_same_object_only_and_keeps_within_its_bytes() -> None:
    memo = JsonMemo(max_bytes=800)
    made: list[object] = []

    def make(value: list[int]) -> list[int]:
        made.append(value)
        return value

    first = [1, 2, 3]
    assert memo.json(first, "all", lambda: make(first)) == b"[1,2,3]"
    assert memo.json(first, "all", lambda: make(first)) == b"[1,2,3]"
    assert len(made) == 1  # the second came from the memo
    other = [4, 5]  # another object, the same part: its own JSON
    assert memo.json(other, "all", lambda: make(other)) == b"[4,5]"
    kept = [list(range(10)) for _ in range(100)]
    for value in kept:
        memo.json(value, "all", lambda v=value: v)  # type: ignore[misc]
    assert 0 < memo.bytes <= 800
