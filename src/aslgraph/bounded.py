"""A least-recently-used map bounded by the bytes of what it keeps: the one mechanism behind
every answer cache of the service (SPARQL answers, REST answers, the JSON of crosswalk items,
graph documents), so that each cache's memory has a bound in bytes, not in entries alone.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class BytesLRU(Generic[K, V]):
    """At most ``max_bytes`` bytes of values (each put with its size), and at most
    ``max_entries`` of them when given; the least recently used go first.

    A value larger than ``max_bytes // largest_share`` is not kept, so that one large value
    cannot flush the rest. Safe to use from several threads.
    """

    def __init__(self, max_bytes: int, *, largest_share: int = 8, max_entries: int | None = None):
        self.max_bytes = max_bytes
        self.max_entries = max_entries
        self.largest = max_bytes // max(largest_share, 1)
        """The largest value kept, in bytes."""
        self._entries: OrderedDict[K, tuple[V, int]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def bytes(self) -> int:
        """What the kept values hold now, in bytes (as their sizes were given)."""
        return self._bytes

    def get(self, key: K) -> V | None:
        """The value kept under ``key`` (now the most recently used), or None."""
        with self._lock:
            found = self._entries.get(key)
            if found is None:
                return None
            self._entries.move_to_end(key)
            return found[0]

    def put(self, key: K, value: V, size: int) -> bool:
        """Keep ``value`` (``size`` bytes) under ``key``, evicting the least recently used
        until the bounds hold; False when it is too large to keep (or nothing may be kept)."""
        if size > self.largest or self.max_entries == 0:
            return False
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._bytes -= old[1]
            self._entries[key] = (value, size)
            self._bytes += size
            limit = self.max_entries
            while self._entries and (
                self._bytes > self.max_bytes or (limit is not None and len(self._entries) > limit)
            ):
                _, (_, dropped) = self._entries.popitem(last=False)
                self._bytes -= dropped
        return True

    def clear(self) -> None:
        """Forget every value."""
        with self._lock:
            self._entries.clear()
            self._bytes = 0
