"""Settings, in one class, overridable from the environment (``ASLGRAPH_*``)."""

from __future__ import annotations

from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict


def resource_root() -> Path:
    """Return the folder that holds ``ontology/``, ``data/``, ``shapes/`` and ``queries/``.

    An installed wheel carries them in ``aslgraph/_resources``; a source checkout (or an editable
    install) has them at the project root, two levels above this package.
    """
    packaged = Path(__file__).resolve().parent / "_resources"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2]


class Settings(BaseSettings):
    """aslgraph's settings; each can be set as an environment variable ``ASLGRAPH_<NAME>``."""

    model_config = SettingsConfigDict(env_prefix="ASLGRAPH_", frozen=True)

    root: Path = resource_root()
    """Folder holding ontology/, data/, shapes/ and queries/."""
    host: str = "127.0.0.1"
    port: int = 8000

    @property
    def ontology_dir(self) -> Path:
        return self.root / "ontology"

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def shapes_dir(self) -> Path:
        return self.root / "shapes"

    @property
    def queries_dir(self) -> Path:
        return self.root / "queries"

    @property
    def kg_dirs(self) -> tuple[Path, ...]:
        """The folders whose Turtle files make up the knowledge graph."""
        return (self.ontology_dir, self.data_dir)
