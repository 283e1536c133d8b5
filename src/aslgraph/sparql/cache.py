"""A bounded least-recently-used cache of serialised SPARQL answers.

The knowledge graph is read-only while the service runs, so an answer depends only on the query
text, the media type, the dataset and the base IRI: it can be computed once and served as bytes.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass


@dataclass(frozen=True)
class CachedAnswer:
    """A serialised answer and its Content-Type."""

    body: bytes
    content_type: str


class AnswerCache:
    """At most ``max_entries`` answers and ``max_bytes`` bytes (bodies plus query texts).

    An answer larger than an eighth of ``max_bytes`` is not kept, so that one large answer
    cannot flush the rest.
    """

    def __init__(self, *, max_entries: int, max_bytes: int):
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self.size = 0
        self._entries: OrderedDict[Hashable, tuple[CachedAnswer, int]] = OrderedDict()

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: Hashable) -> CachedAnswer | None:
        """The answer kept under ``key`` (now the most recently used), or None."""
        entry = self._entries.get(key)
        if entry is None:
            return None
        self._entries.move_to_end(key)
        return entry[0]

    def put(self, key: Hashable, answer: CachedAnswer, *, key_size: int = 0) -> bool:
        """Keep ``answer`` under ``key``; ``key_size`` is what the key holds in bytes.

        Returns False when the answer is too large to keep. Evicts the least recently used
        answers until the bounds hold.
        """
        cost = len(answer.body) + key_size
        if cost > self.max_bytes // 8 or self.max_entries <= 0:
            return False
        old = self._entries.pop(key, None)
        if old is not None:
            self.size -= old[1]
        self._entries[key] = (answer, cost)
        self.size += cost
        while len(self._entries) > self.max_entries or self.size > self.max_bytes:
            _, (_, evicted) = self._entries.popitem(last=False)
            self.size -= evicted
        return True

    def clear(self) -> None:
        """Forget every answer."""
        self._entries.clear()
        self.size = 0
