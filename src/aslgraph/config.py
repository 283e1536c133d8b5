"""Settings, in one class, overridable from the environment (``ASLGRAPH_*``)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

_GIB = 1_073_741_824


def physical_memory(meminfo: Path = Path("/proc/meminfo")) -> int:
    """The machine's memory in bytes (MemTotal), or 0 where it cannot be read."""
    try:
        for line in meminfo.read_text(encoding="ascii").splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return 0
    return 0


def default_validation_memory() -> int:
    """8 GiB, or half the machine's memory where that is less: one large upload must not make
    the machine swap."""
    total = physical_memory()
    return min(8 * _GIB, total // 2) if total else 8 * _GIB


def default_cache_dir() -> str:
    """``$XDG_CACHE_HOME/aslgraph``, else ``~/.cache/aslgraph``; empty (no cache) without a home."""
    base = os.environ.get("XDG_CACHE_HOME")
    if not base:
        try:
            base = str(Path.home() / ".cache")
        except RuntimeError:  # no home directory to be found
            return ""
    return str(Path(base) / "aslgraph")


def resource_root() -> Path:
    """Return the folder that holds ``ontology/``, ``data/``, ``shapes/`` and ``queries/``.

    An installed wheel carries them in ``aslgraph/_resources``; a source checkout (or an editable
    install) has them at the project root, two levels above this package.
    """
    packaged = Path(__file__).resolve().parent / "_resources"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2]


ENV_PREFIX = "ASLGRAPH_"


class SettingsError(ValueError):
    """An ``ASLGRAPH_*`` environment variable holds a value its setting cannot take."""


class Settings(BaseModel):
    """aslgraph's settings; each can be set as an environment variable ``ASLGRAPH_<NAME>``
    (the name in any case). A value given to the constructor wins over the environment's.

    Read from the environment here rather than by pydantic-settings, which took a fifth of a
    command's start-up to import (with asyncio, issue 11), and whose error for a bad value was a
    traceback naming the field, not the variable: a bad value is a :class:`SettingsError` that
    names the variable and what it must be."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    def __init__(self, **values: Any) -> None:
        named = {
            name: (key, value)
            for name, (key, value) in _environment(os.environ).items()
            if name not in values
        }
        try:
            super().__init__(**{name: value for name, (_key, value) in named.items()}, **values)
        except ValidationError as exc:
            bad = [e for e in exc.errors() if e["loc"] and e["loc"][0] in named]
            if not bad:
                raise
            raise SettingsError(
                "; ".join(
                    f"{named[str(e['loc'][0])][0]}={named[str(e['loc'][0])][1]!r}: {e['msg']}"
                    for e in bad
                )
            ) from None

    root: Path = resource_root()
    """Folder holding ontology/, data/, shapes/ and queries/."""
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 1
    """uvicorn worker processes for ``aslgraph serve``."""
    max_url_bytes: int = 262_144
    """Longest request line (method, URL, version) the server reads (414 beyond)."""
    max_header_bytes: int = 32_768
    """Largest header block the server reads (431 beyond)."""
    max_header_count: int = 100
    """Most header fields in one request (431 beyond)."""
    header_timeout: float = 10.0
    """Seconds a client has to send the request line and headers (408 beyond; a silent
    connection is closed)."""
    body_timeout: float = 30.0
    """Seconds a request body may pause between two chunks (408 beyond)."""
    max_concurrent_requests: int = 256
    """Requests one server process answers at once (503 with Retry-After beyond)."""
    keep_alive_timeout: float = 5.0
    """Seconds an idle keep-alive connection is kept open."""
    shutdown_timeout: float = 10.0
    """Seconds a stopping server (SIGTERM) waits for the requests in flight."""
    access_log: bool = True
    """Log each request (uvicorn's access log)."""
    public_base: str = ""
    """Public URL of the service (for links in pages); empty means relative links."""
    query_timeout: float = 10.0
    """Seconds a SPARQL query may run before its work is stopped and the client gets 503."""
    query_workers: int = 2
    """Worker processes that evaluate SPARQL queries (each can be stopped on time-out)."""
    query_reserved_workers: int = 1
    """SPARQL workers kept for light queries: heavy ones (a Cartesian product, or a shape that
    ran slowly before) run on at most the others (at least one)."""
    slow_query_seconds: float = 1.0
    """A query that ran this long marks its shape heavy for its next runs."""
    worker_nice: int = 10
    """Niceness added to the SPARQL and validation worker processes, so that under load the
    server process, which answers every client, gets the CPU first (0: none)."""
    max_body_bytes: int = 1_048_576
    """Largest request body accepted (413 beyond)."""
    max_query_nesting: int = 64
    """Deepest nesting of braces and parentheses accepted in a query (400 beyond)."""
    max_result_rows: int = 100_000
    """Most solutions or triples one SPARQL answer may hold."""
    quick_queries_here: bool = True
    """Answer SPARQL queries that provably finish quickly (a short star of triple patterns, or
    a DESCRIBE, whose size the store bounds: ``sparql/quick.py``) in the server process rather
    than a worker (decision 0020); false: every query goes to a worker."""
    max_response_bytes: int = 64 * 1_048_576
    """Largest serialised SPARQL answer."""
    max_query_memory_bytes: int = 1_073_741_824
    """Memory (address space) a SPARQL worker may add while answering; past it the worker stops
    and the client gets 400. 0 means no cap."""
    max_upload_bytes: int = 256 * 1_048_576
    """Largest organisation graph POST /api/validate and /api/posture accept (413 beyond)."""
    max_upload_depth: int = 100
    """Deepest nesting an uploaded graph may have (JSON-LD objects and arrays, Turtle blank
    nodes and collections, RDF/XML elements); measured before parsing (400 beyond)."""
    max_upload_triples: int = 10_000_000
    """Most triples an uploaded graph may hold (400 beyond)."""
    max_literal_bytes: int = 1_048_576
    """Longest literal an uploaded graph may hold, in UTF-8 bytes (400 beyond)."""
    validation_timeout: float = 60.0
    """Seconds a validation or posture assessment may run before its work is stopped (503)."""
    validation_workers: int = 1
    """Worker processes that validate uploaded graphs (each can be stopped on time-out)."""
    validation_engine: Literal["fast", "pyshacl"] = "fast"
    """SHACL engine for organisation graphs: the set-at-a-time engine or the pyshacl reference."""
    validation_threads: int = 0
    """Checks the fast engine runs at once within one validation (0: one per CPU, at most 4)."""
    max_validation_memory_bytes: int = Field(default_factory=default_validation_memory)
    """Memory (address space) a validation worker may add while validating; past it the
    upload is refused with 400 and the worker replaced. 0 means no cap. Default: 8 GiB, or
    half the machine's memory where that is less."""
    validation_worker_recycle_bytes: int = 1_073_741_824
    """Resident memory past which a validation worker is replaced after its job, so that one
    large upload does not leave its memory held (0: never)."""
    cache_dir: str = Field(default_factory=default_cache_dir)
    """Folder where the store built from the knowledge-graph files is kept between runs, named by
    a digest of the files' contents (``store.StoreCache``), so that a command or a server starts
    without parsing them again; empty: nothing is kept."""
    page_size: int = 50
    """Default page size of REST lists."""
    max_page_size: int = 500
    """Largest page size a client may ask for."""
    # --- a remote SPARQL store (aslgraph.remote, decision 0016) ---
    store_url: str = ""
    """SPARQL 1.1 Protocol query URL of a remote store to serve from, loaded by ``aslgraph load
    --store``; empty: the embedded store, loaded from the files at start-up."""
    store_update_url: str = ""
    """SPARQL Update URL of the remote store (empty: derived from the query URL by its dialect)."""
    store_gsp_url: str = ""
    """Graph Store Protocol URL of the remote store, used to load it (empty: derived from the
    query URL by its dialect)."""
    store_user: str = ""
    """User name for the remote store's update and Graph Store URLs (empty: no credentials)."""
    store_password: str = ""
    """Password for ``store_user``."""
    store_auth: Literal["digest", "basic"] = "digest"
    """How the credentials are sent (Virtuoso's authenticated endpoints use digest)."""
    store_dialect: Literal["auto", "oxigraph", "virtuoso", "generic"] = "auto"
    """What differs per engine (derived URLs, a quirk of its answers); auto: told from the
    store's Server header."""
    store_check_seconds: float = 2.0
    """Seconds between two reads of the remote store's version marker: a reload is seen, and a
    store that went away or came back is noticed, within this time."""
    store_connections: int = 16
    """Requests sent to the remote store at once by one server process."""
    # --- end of remote store settings ---

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
    def store_cache(self) -> Path | None:
        """:attr:`cache_dir` as a folder, or None when no cache is kept."""
        return Path(self.cache_dir) if self.cache_dir else None

    @property
    def kg_dirs(self) -> tuple[Path, ...]:
        """The folders whose Turtle files make up the knowledge graph."""
        return (self.ontology_dir, self.data_dir)


def _environment(environ: Mapping[str, str]) -> dict[str, tuple[str, str]]:
    """The settings ``environ`` sets: field name -> (variable, value). A variable that names no
    setting is left alone, as before."""
    fields = Settings.model_fields
    found: dict[str, tuple[str, str]] = {}
    for key, value in environ.items():
        if key[: len(ENV_PREFIX)].upper() == ENV_PREFIX:
            name = key[len(ENV_PREFIX) :].lower()
            if name in fields:
                found[name] = (key, value)
    return found
