"""aslgraph: a knowledge graph mapping AI regulation to AI-safety safeguards."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("aslgraph")
except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
    __version__ = "0.0.0"

__all__ = ["__version__"]
