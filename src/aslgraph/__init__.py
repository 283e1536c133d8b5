"""aslgraph: a knowledge graph mapping AI regulation to AI-safety safeguards."""

__version__ = "0.1.0"
"""The one place the version is written: the package's metadata is built from it (pyproject's
``[tool.hatch.version]``). Asking ``importlib.metadata`` instead cost every command 37 ms of
start-up (issue 11)."""

__all__ = ["__version__"]
