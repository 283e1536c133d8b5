"""What the SPARQL answer cache keeps: serialised answers (the map is
:class:`aslgraph.bounded.BytesLRU`).

The knowledge graph is read-only while the service runs, so an answer depends only on the query
text, the media type, the dataset and the base IRI: it can be computed once and served as bytes.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CachedAnswer:
    """A serialised answer and its Content-Type."""

    body: bytes
    content_type: str
