"""What a SHACL validation returns, whichever engine ran it: a typed report.

A :class:`ValidationReport` holds :class:`ValidationResult` objects that name focus node, path,
severity, message, the shape that raised them and the provisions that shape rests on
(``asl:restsOn``); the standard report graph is built on demand. Both engines
(:mod:`aslgraph.shacl.engine`, :mod:`aslgraph.shacl.reference`) return it. The terms of
results read from rdflib graphs are made text by :mod:`aslgraph.shacl.terms`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # not at run time: the service reads reports without importing rdflib
    from rdflib import Graph


@dataclass(frozen=True)
class ValidationResult:
    """One SHACL result; ``path`` and ``value`` are None where the constraint has none.

    ``focus``, ``source_shape`` and ``value`` are an IRI or a literal's lexical form as text, a
    blank node as ``_:id`` (``focus`` and ``source_shape``: the bare id). ``path`` is an IRI,
    ``^p`` for an inverse path, ``a / b`` for a sequence. ``rests_on`` holds the IRIs in
    ``asl:restsOn`` of the shape that raised the result (for a property shape, of the node
    shapes that hold it), sorted.
    """

    focus: str
    path: str | None
    severity: str
    message: str
    source_shape: str
    constraint: str
    value: str | None
    rests_on: tuple[str, ...] = ()

    def sort_key(self) -> tuple[str, ...]:
        """The deterministic order of results in a report."""
        return (
            self.focus,
            self.path or "",
            self.message,
            self.severity,
            self.source_shape,
            self.constraint,
            self.value or "",
            " ".join(self.rests_on),
        )


@dataclass(frozen=True)
class ValidationReport:
    """The outcome of a validation: conforms, and every result (sorted by ``sort_key``).

    The standard SHACL report graph is built on first use of :meth:`to_graph`, so a large
    validation does not pay for it unless it is asked for.
    """

    conforms: bool
    results: tuple[ValidationResult, ...]
    graph_factory: Callable[[], Graph] = field(repr=False, compare=False)

    @property
    def violations(self) -> tuple[ValidationResult, ...]:
        return tuple(r for r in self.results if r.severity == "violation")

    @cached_property
    def _graph(self) -> Graph:
        return self.graph_factory()

    def to_graph(self) -> Graph:
        """The SHACL validation report (``sh:ValidationReport``) as an rdflib graph."""
        return self._graph
