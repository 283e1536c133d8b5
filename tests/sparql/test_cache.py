"""The answer cache keeps to its bounds and evicts the least recently used."""

from __future__ import annotations

from aslgraph.sparql.cache import AnswerCache, CachedAnswer


def answer(size: int) -> CachedAnswer:
    return CachedAnswer(b"x" * size, "text/csv")


def test_least_recently_used_goes_first() -> None:
    cache = AnswerCache(max_entries=2, max_bytes=1000)
    cache.put("a", answer(1))
    cache.put("b", answer(1))
    assert cache.get("a") is not None  # "a" is now the most recent
    cache.put("c", answer(1))
    assert cache.get("b") is None
    assert cache.get("a") is not None
    assert cache.get("c") is not None
    assert len(cache) == 2


def test_bytes_bound_holds_and_large_answers_are_not_kept() -> None:
    cache = AnswerCache(max_entries=100, max_bytes=800)
    assert not cache.put("big", answer(101))  # more than an eighth of the bytes
    for i in range(20):
        assert cache.put(i, answer(100))
    assert cache.size <= 800
    assert len(cache) == 8
    assert cache.get(19) is not None
    assert cache.get(0) is None


def test_replacing_a_key_keeps_the_size_right() -> None:
    cache = AnswerCache(max_entries=10, max_bytes=8000)
    cache.put("a", answer(100), key_size=10)
    cache.put("a", answer(50), key_size=10)
    assert cache.size == 60
    cache.clear()
    assert (len(cache), cache.size) == (0, 0)
