"""The example organisation graphs (``examples/valid/`` and ``examples/invalid/``), read once.

Only Turtle files directly in those two folders whose name matches :data:`NAME` are listed;
a request is answered from that list and nothing else, so no name can reach another file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Verdict = Literal["valid", "invalid"]
FOLDERS: tuple[Verdict, ...] = ("valid", "invalid")
NAME = re.compile(r"[a-z0-9][a-z0-9-]{0,99}\.ttl")
"""A listed file's name: lower-case letters, digits and hyphens, then ``.ttl``."""


@dataclass(frozen=True)
class Example:
    """One example graph: whether it conforms to ``shapes/org/``, its file name, its Turtle."""

    verdict: Verdict
    name: str
    body: bytes

    @property
    def path(self) -> str:
        """Its path on the service, without the leading slash."""
        return f"examples/{self.verdict}/{self.name}"


@dataclass(frozen=True)
class Examples:
    """The examples found under a root, valid ones first, each folder sorted by name."""

    items: tuple[Example, ...]

    @classmethod
    def load(cls, root: Path) -> Examples:
        """Read ``root/examples/{valid,invalid}/*.ttl``; a missing folder lists nothing (an
        installed package may ship without examples). Raises OSError for a file that exists but
        cannot be read."""
        items: list[Example] = []
        for verdict in FOLDERS:
            folder = root / "examples" / verdict
            if not folder.is_dir():
                continue
            for path in sorted(folder.iterdir()):
                if NAME.fullmatch(path.name) and path.is_file():
                    items.append(Example(verdict, path.name, path.read_bytes()))
        return cls(tuple(items))

    def get(self, verdict: str, name: str) -> Example | None:
        """The example at ``examples/{verdict}/{name}``, or None."""
        return next((e for e in self.items if e.verdict == verdict and e.name == name), None)

    def of(self, verdict: Verdict) -> tuple[Example, ...]:
        return tuple(e for e in self.items if e.verdict == verdict)
