"""Named SPARQL queries: one ``.rq`` file per query under ``queries/``, read once.

A query's parameters are SPARQL variables bound by the store's substitutions, never text
pasted into the query.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path


@dataclass(frozen=True)
class NamedQuery:
    """A query read from ``queries/<name>.rq``; ``title`` is its first comment line."""

    name: str
    title: str
    text: str


def read_query(path: Path, name: str) -> NamedQuery:
    """Read one ``.rq`` file; its first ``#`` line (without the ``#``) is the title."""
    text = path.read_text(encoding="utf-8")
    first = next((line for line in text.splitlines() if line.strip()), "")
    title = first.lstrip("#").strip() if first.startswith("#") else name
    return NamedQuery(name=name, title=title, text=text)


@cache
def load_queries(folder: Path) -> dict[str, NamedQuery]:
    """Every ``.rq`` file below ``folder``, keyed by its path without suffix ("qa/foo")."""
    return {
        path.relative_to(folder).with_suffix("").as_posix(): read_query(
            path, path.relative_to(folder).with_suffix("").as_posix()
        )
        for path in sorted(folder.rglob("*.rq"))
    }


def qa_queries(folder: Path) -> list[NamedQuery]:
    """The "no rows expected" quality checks (``queries/qa/*.rq``)."""
    return [q for name, q in load_queries(folder).items() if name.startswith("qa/")]
