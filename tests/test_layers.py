"""The layers of ``src/aslgraph`` go one way: ``api`` and ``cli`` over ``kg`` and ``org`` over
``store``, ``shacl``, ``sparql`` and ``workers`` (decision 0011). Read from the source's
imports (at any depth, type-checking ones too), not from what happens to be imported."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "aslgraph"
TOP = {"config", "namespaces", "queries", "store", "media", "remote", "bounded"}
MAY_IMPORT: dict[str, set[str]] = {
    "api": {"api", "kg", "org", "shacl", "sparql", "workers", *TOP},
    "cli": {"cli", "kg", "org", "shacl", "sparql", "workers", *TOP},
    "org": {"org", "kg", "shacl", "workers", *TOP},
    "kg": {"kg", "shacl", *TOP},
    "shacl": {"shacl", *TOP},
    "sparql": {"sparql", "workers", *TOP},
    "workers": {"workers"},
    **{name: TOP for name in TOP},
    "__main__": {"cli"},  # ``python -m aslgraph`` is the command line and nothing else
}
"""For each part, the parts it may import (``aslgraph`` itself, the version, is free)."""
MAY_ALSO_IMPORT: dict[str, set[str]] = {"cli": {"aslgraph.api.server"}}
"""Single modules a part may import beyond its layers: ``aslgraph serve`` starts the HTTP
server, and that is all the command line takes from ``api``."""
HTTP = {"fastapi", "starlette", "uvicorn", "httpx"}


def _part(path: Path) -> str:
    relative = path.relative_to(SRC)
    return relative.parts[0] if len(relative.parts) > 1 else relative.stem


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


MODULES = sorted(p for p in SRC.rglob("*.py") if p.name != "__init__.py" or p.parent != SRC)


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.relative_to(SRC).as_posix())
def test_imports_go_down_the_layers(path: Path) -> None:
    part = _part(path)
    allowed = MAY_IMPORT[part]
    wrong = sorted(
        name
        for name in _imports(path)
        if name.startswith("aslgraph.")
        and name.split(".")[1] not in allowed
        and name not in MAY_ALSO_IMPORT.get(part, set())
    )
    assert wrong == [], f"{part} may import only {sorted(allowed)}"


@pytest.mark.parametrize(
    "path",
    [p for p in MODULES if _part(p) in {"kg", "org", "shacl", "sparql", "workers", *TOP}],
    ids=lambda p: p.relative_to(SRC).as_posix(),
)
def test_no_http_below_the_api(path: Path) -> None:
    assert not {name.split(".")[0] for name in _imports(path)} & HTTP
