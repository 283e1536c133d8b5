"""SHACL engines for organisation graphs: the set-at-a-time engine and the pyshacl reference.

:func:`build_engine` reads the shapes of ``shapes/org`` and the ontology once; each engine's
``validate`` then takes a pyoxigraph store holding an uploaded graph in its default graph (the
engine owns it afterwards: the ontology is added to it) and returns a
:class:`aslgraph.shacl.report.ValidationReport`. Both engines give the same results; see
``docs/decisions/0009-fast-shacl-engine.md``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Literal, Protocol

import pyoxigraph as ox

from aslgraph.config import Settings
from aslgraph.shacl.report import ValidationReport

if TYPE_CHECKING:  # imported on first use (:func:`__getattr__`): the engines import rdflib
    from aslgraph.shacl.compiler import EvaluationError, UnsupportedShapeError
    from aslgraph.shacl.engine import FastEngine
    from aslgraph.shacl.reference import PyshaclEngine

__all__ = [
    "EvaluationError",
    "FastEngine",
    "OrgEngine",
    "PyshaclEngine",
    "UnsupportedShapeError",
    "build_engine",
]


class OrgEngine(Protocol):
    """A SHACL engine for organisation graphs."""

    name: str

    def validate(
        self,
        data: ox.Store,
        *,
        progress: Callable[[str, int, int], None] | None = None,
        split: Callable[[Callable[[int, int], Any]], list[Any]] | None = None,
    ) -> ValidationReport:
        """Validate the default graph of ``data`` (with the ontology added) against the shapes.

        ``progress(stage, done, total)`` is called as each stage finishes; ``split`` may run the
        work in shares in other processes (an engine may ignore it).
        """
        ...


def build_engine(name: Literal["fast", "pyshacl"], settings: Settings) -> OrgEngine:
    """The engine ``name`` over ``settings.shapes_dir / "org"`` and ``settings.ontology_dir``.

    Raises :class:`UnsupportedShapeError` when the fast engine cannot compile a shape, rdflib's or
    pyoxigraph's parser errors on a bad shapes or ontology file, ValueError on an unknown name.
    """
    shapes_dir = settings.shapes_dir / "org"
    if name == "fast":
        from aslgraph.shacl.engine import FastEngine

        return FastEngine.from_paths(
            shapes_dir,
            settings.ontology_dir,
            settings.queries_dir / "shacl",
            threads=settings.validation_threads,
        )
    if name == "pyshacl":
        from aslgraph.shacl.reference import PyshaclEngine

        return PyshaclEngine.from_paths(shapes_dir, settings.ontology_dir)
    raise ValueError(f"unknown SHACL engine {name!r}")


_LAZY = {
    "EvaluationError": "aslgraph.shacl.compiler",
    "UnsupportedShapeError": "aslgraph.shacl.compiler",
    "FastEngine": "aslgraph.shacl.engine",
    "PyshaclEngine": "aslgraph.shacl.reference",
}
"""What this package gives on first use, and from where: the engines import rdflib (about 0.2
s), and pyshacl most of a second, which a process that only reads reports never needs."""


def __getattr__(name: str) -> Any:
    """An engine or its errors, imported on first use (:data:`_LAZY`)."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)
