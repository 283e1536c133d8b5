"""The one bounded map behind every answer cache keeps to its bounds in bytes and in entries,
evicts the least recently used, and stays consistent under threads."""

from __future__ import annotations

import threading

from aslgraph.bounded import BytesLRU


def test_least_recently_used_goes_first() -> None:
    cache: BytesLRU[str, str] = BytesLRU(1000, max_entries=2)
    cache.put("a", "A", 1)
    cache.put("b", "B", 1)
    assert cache.get("a") == "A"  # "a" is now the most recent
    cache.put("c", "C", 1)
    assert cache.get("b") is None
    assert (cache.get("a"), cache.get("c"), len(cache)) == ("A", "C", 2)


def test_bytes_bound_holds_and_large_values_are_not_kept() -> None:
    cache: BytesLRU[int, bytes] = BytesLRU(800, max_entries=100)
    assert not cache.put(-1, b"x" * 101, 101)  # more than an eighth of the bytes
    assert cache.get(-1) is None
    for i in range(20):
        assert cache.put(i, b"x" * 100, 100)
    assert cache.bytes <= 800
    assert len(cache) == 8
    assert cache.get(19) is not None
    assert cache.get(0) is None


def test_the_largest_share_is_the_callers() -> None:
    half: BytesLRU[str, bytes] = BytesLRU(600, largest_share=2)
    assert half.put("a", b"", 300)
    assert not half.put("b", b"", 301)
    assert half.largest == 300


def test_replacing_a_key_keeps_the_size_right_and_clear_forgets_all() -> None:
    cache: BytesLRU[str, str] = BytesLRU(8000, max_entries=10)
    cache.put("a", "first", 110)
    cache.put("a", "second", 60)
    assert (cache.get("a"), cache.bytes, len(cache)) == ("second", 60, 1)
    cache.clear()
    assert (len(cache), cache.bytes, cache.get("a")) == (0, 0, None)


def test_no_entries_allowed_keeps_nothing() -> None:
    cache: BytesLRU[str, str] = BytesLRU(8000, max_entries=0)
    assert not cache.put("a", "A", 1)
    assert len(cache) == 0


def test_many_threads_keep_the_accounting_exact() -> None:
    cache: BytesLRU[tuple[int, int], int] = BytesLRU(5_000, max_entries=64)

    def work(thread: int) -> None:
        for i in range(2_000):
            cache.put((thread, i % 97), i, 1 + i % 50)
            cache.get((thread, (i * 7) % 97))

    threads = [threading.Thread(target=work, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    kept = [(key, cache.get(key)) for key in [(t, k) for t in range(6) for k in range(97)]]
    sizes = [1 + value % 50 for _, value in kept if value is not None]
    assert cache.bytes == sum(sizes) <= 5_000
    assert len(cache) == len(sizes) <= 64
