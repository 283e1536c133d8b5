"""What a process imports to start: the service and the knowledge graph's readers need no rdflib.

rdflib costs about 0.2 s and 20 MiB of every process that imports it (decision 0020): only the
SHACL engines, the exports that serialise with it and the tests use it. The SPARQL worker has its
own test (tests/sparql/test_worker.py).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _loaded(module: str) -> set[str]:
    code = f"import sys, {module}; print('\\n'.join(sorted(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
    ).stdout
    return set(out.split())


@pytest.mark.parametrize(
    "module",
    [
        "aslgraph.api.app",  # aslgraph serve: the server process
        "aslgraph.kg.catalog",  # aslgraph crosswalk, regimes, the REST answers
        "aslgraph.org.situation",  # aslgraph regimes FILE
        "aslgraph.shacl.report",  # a report read without the engine that made it
    ],
)
def test_imports_no_rdflib(module: str) -> None:
    loaded = _loaded(module)
    assert module in loaded
    assert not {m for m in loaded if m == "rdflib" or m.startswith("rdflib.")}
    assert "pyshacl" not in loaded


def test_the_engines_still_come_on_first_use() -> None:
    """The package gives its engines lazily; asking for one imports it."""
    import aslgraph.shacl as shacl

    assert shacl.FastEngine.__module__ == "aslgraph.shacl.engine"
    assert shacl.UnsupportedShapeError.__module__ == "aslgraph.shacl.compiler"
    with pytest.raises(AttributeError, match="no attribute 'Nope'"):
        shacl.Nope  # noqa: B018


def test_settings_and_version_need_neither_pydantic_settings_nor_asyncio() -> None:
    """Every command reads its settings first: pydantic-settings (with asyncio) was a fifth of
    a command's start-up. The package's version is written in it, not read from its metadata
    (importlib.metadata, 37 ms; pydantic's plugin loader still imports it for models)."""
    loaded = _loaded("aslgraph.config")
    assert not {m for m in loaded if m.startswith(("pydantic_settings", "asyncio"))}
    assert "importlib.metadata" not in _loaded("aslgraph")


def test_the_installed_version_is_the_package_s() -> None:
    from importlib.metadata import version

    import aslgraph

    assert version("aslgraph") == aslgraph.__version__
