"""The version marker of a remote store: which files were loaded, by which code, when.

``aslgraph load --store`` writes it last, in its own named graph
(:data:`~aslgraph.namespaces.STORE_MARKER`), so a store whose load broke off has the marker of the
load before (or none). It names the knowledge graph's graphs (``dct:hasPart``, and in load order
as ``dct:tableOfContents``: the files of ``ontology/`` and ``data/``, the dataset every query
reads) and the shapes' graphs (``dct:references``), a content hash of every file pushed
(``dct:identifier``, the *version* that caches are keyed by), the store layout
(``dct:hasVersion``), the aslgraph version that loaded it (``owl:versionInfo``), and when
(``dct:modified``).

``aslgraph serve --store`` accepts a store whose layout and aslgraph version are this code's
(:func:`check`): the named queries and the ontology the code carries must be the ones the store
was loaded with. The content hash may differ (a reload with other data), and is what replicas
watch to see a reload.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox

from aslgraph import __version__
from aslgraph.namespaces import DCT, GRAPH, OWL, STORE_MARKER, XSD
from aslgraph.store import StoreError

LAYOUT = "1"
"""The store layout this code reads: one named graph per file, named by
``namespaces.graph_iri``, and this marker. Changes when that does."""

_HAS_PART = DCT["hasPart"]
_REFERENCES = DCT["references"]
_IDENTIFIER = DCT["identifier"]
_HAS_VERSION = DCT["hasVersion"]
_MODIFIED = DCT["modified"]
_CONTENTS = DCT["tableOfContents"]
_VERSION_INFO = OWL["versionInfo"]


class MarkerError(StoreError):
    """The store holds no marker, or one this code cannot serve; the message says what to do."""


@dataclass(frozen=True)
class StoreMarker:
    """What a load put in a store (see the module docstring)."""

    version: str
    """Content hash of the files pushed (``sha256:<hex>``)."""
    graphs: tuple[str, ...]
    """The knowledge graph's named graphs (ontology/ and data/), in load order."""
    shapes: tuple[str, ...] = ()
    """The shapes' named graphs."""
    layout: str = LAYOUT
    software: str = __version__
    loaded: str = ""
    """When the load ended (ISO 8601, UTC)."""

    def triples(self) -> list[ox.Triple]:
        """The marker as triples about :data:`STORE_MARKER`."""
        subject = ox.NamedNode(str(STORE_MARKER))
        out = [
            ox.Triple(subject, ox.NamedNode(_IDENTIFIER), ox.Literal(self.version)),
            ox.Triple(subject, ox.NamedNode(_HAS_VERSION), ox.Literal(self.layout)),
            ox.Triple(subject, ox.NamedNode(_VERSION_INFO), ox.Literal(self.software)),
        ]
        if self.loaded:
            out.append(
                ox.Triple(
                    subject,
                    ox.NamedNode(_MODIFIED),
                    ox.Literal(self.loaded, datatype=ox.NamedNode(XSD["dateTime"])),
                )
            )
        order = "\n".join(self.graphs)
        out.append(ox.Triple(subject, ox.NamedNode(_CONTENTS), ox.Literal(order)))
        out += [ox.Triple(subject, ox.NamedNode(_HAS_PART), ox.NamedNode(g)) for g in self.graphs]
        out += [ox.Triple(subject, ox.NamedNode(_REFERENCES), ox.NamedNode(g)) for g in self.shapes]
        return out

    def turtle(self) -> bytes:
        """The marker graph as N-Triples (a subset of Turtle every store reads)."""
        data = ox.serialize(self.triples(), format=ox.RdfFormat.N_TRIPLES)
        assert data is not None  # noqa: S101 - serialize without output returns bytes
        return data

    @classmethod
    def from_rows(cls, rows: Iterable[tuple[str, ox.NamedNode | ox.Literal]]) -> StoreMarker | None:
        """The marker read back from (property, value) rows; None when there is none.

        A store keeps no order: the knowledge graph's graphs come back in load order from
        ``dct:tableOfContents`` (one IRI a line), the shapes' in IRI order.
        """
        found: dict[str, list[ox.NamedNode | ox.Literal]] = {}
        for prop, value in rows:
            found.setdefault(prop, []).append(value)
        if _IDENTIFIER not in found:
            return None

        def text(prop: str) -> str:
            values = found.get(prop, [])
            return values[0].value if values else ""

        def iris(prop: str) -> tuple[str, ...]:
            return tuple(
                sorted(v.value for v in found.get(prop, []) if isinstance(v, ox.NamedNode))
            )

        parts = set(iris(_HAS_PART))
        listed = [g for g in text(_CONTENTS).split("\n") if g in parts]
        return cls(
            version=text(_IDENTIFIER),
            graphs=tuple(listed) + tuple(sorted(parts - set(listed))),
            shapes=iris(_REFERENCES),
            layout=text(_HAS_VERSION),
            software=text(_VERSION_INFO),
            loaded=text(_MODIFIED),
        )

    def relative(self, graph: str) -> str:
        """The file path a graph of this marker was loaded from."""
        return graph.removeprefix(str(GRAPH))


def content_hash(files: Sequence[tuple[str, Path]]) -> str:
    """``sha256:<hex>`` over each (relative path, bytes) in the order given."""
    digest = hashlib.sha256()
    for relative, path in files:
        data = path.read_bytes()
        digest.update(f"{relative}\n{len(data)}\n".encode())
        digest.update(data)
    return "sha256:" + digest.hexdigest()


def now() -> str:
    """The current time, as the marker writes it."""
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def check(marker: StoreMarker | None, *, where: str) -> StoreMarker:
    """``marker`` when this code can serve the store it came from; raises MarkerError saying
    what to do otherwise (``where`` names the store in the message)."""
    reload = f"load it with `aslgraph load --store {where}`"
    if marker is None:
        raise MarkerError(
            f"the store at {where} holds no aslgraph version marker (graph <{STORE_MARKER}>): "
            f"it was never loaded, or its load did not finish; {reload}"
        )
    if marker.layout != LAYOUT or marker.software != __version__:
        raise MarkerError(
            f"the store at {where} was loaded by aslgraph {marker.software or '?'} (store "
            f"layout {marker.layout or '?'}); this is aslgraph {__version__} (store layout "
            f"{LAYOUT}), whose queries and ontology may not match what it holds; re{reload}"
        )
    if not marker.graphs:
        raise MarkerError(f"the marker of the store at {where} names no graphs; re{reload}")
    return marker
