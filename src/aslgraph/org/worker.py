"""A validation worker: a child process that validates uploaded organisation graphs.

Run by :class:`aslgraph.org.runner.OrgRunner` as ``python -m
aslgraph.org.worker``; it uses the same framing as the SPARQL workers
(:mod:`aslgraph.workers.framing`): every frame is a 4-byte big-endian length and that many bytes.

1. parent -> worker, once: a JSON frame ``{"engine", "max_memory", "max_bytes"}`` and an empty
   dataset frame; the worker builds the SHACL engine and the catalog (it loads the knowledge
   graph itself, from the same settings) and answers ``{"ready": true}``. From then on its
   address space may grow by at most ``max_memory`` bytes (0: no cap).
2. parent -> worker, per job: a JSON frame ``{"op", "content_type", "as_of", "format"}`` and a
   frame holding the uploaded body; worker -> parent: ``{"ok": true, "content_type"}`` and the
   answer, or ``{"ok": false, "status", "kind", "message", "line", "column"}`` and an empty
   frame.

A validation that runs past its budget is stopped by killing this process; the parent starts
another.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import date
from typing import Any

from aslgraph.config import Settings
from aslgraph.kg.catalog import Catalog
from aslgraph.kg.errors import CatalogError
from aslgraph.org.upload import UploadError
from aslgraph.org.validate import Job, answer
from aslgraph.shacl import OrgEngine, build_engine
from aslgraph.store import OxigraphStore
from aslgraph.workers.framing import cap_memory, open_channel, read_frame, write_frame

log = logging.getLogger(__name__)


def _build_engine(name: str, settings: Settings) -> OrgEngine:
    return build_engine("pyshacl" if name == "pyshacl" else "fast", settings)


def run_job(
    header: dict[str, Any], body: bytes, *, engine: OrgEngine, catalog: Catalog, max_bytes: int
) -> tuple[dict[str, Any], bytes]:
    """Answer one job; every failure becomes an error header, never an exception."""
    try:
        job = Job(
            op="posture" if header.get("op") == "posture" else "validate",
            content_type=header.get("content_type"),
            as_of=date.fromisoformat(header["as_of"]) if header.get("as_of") else None,
            format=header.get("format") or "json",
        )
        content_type, data = answer(job, body, engine=engine, catalog=catalog, max_bytes=max_bytes)
    except UploadError as exc:
        return {
            "ok": False,
            "status": exc.status,
            "kind": exc.kind,
            "message": exc.message,
            "line": exc.line,
            "column": exc.column,
        }, b""
    except CatalogError as exc:  # the graph is readable but cannot be assessed as it is
        return {"ok": False, "status": 422, "kind": exc.kind, "message": exc.message}, b""
    except MemoryError:
        return {
            "ok": False,
            "status": 400,
            "kind": "too-large-to-validate",
            "message": "validating this graph needs more memory than a validation may use; "
            "split the graph or validate it with the command line",
        }, b""
    except Exception as exc:  # an engine failure on this input: say so, keep serving
        log.exception("validation failed")
        return {
            "ok": False,
            "status": 422,
            "kind": "validation-failed",
            "message": f"the graph could not be validated: {type(exc).__name__}: {exc}",
        }, b""
    return {"ok": True, "content_type": content_type}, data


def main() -> int:
    """Serve jobs from standard input until it ends; returns the exit status."""
    source, channel = open_channel()

    config_frame = read_frame(source)
    if config_frame is None or read_frame(source) is None:
        return 1
    config = json.loads(config_frame)
    settings = Settings()
    engine = _build_engine(str(config.get("engine", "fast")), settings)
    catalog = Catalog(OxigraphStore.from_paths(settings.kg_dirs, root=settings.root), settings)
    catalog.views  # noqa: B018 - build the index now, not on the first job
    cap_memory(int(config.get("max_memory", 0)))
    max_bytes = int(config.get("max_bytes", 0))
    write_frame(channel, json.dumps({"ready": True}).encode())
    channel.flush()
    while (frame := read_frame(source)) is not None:
        body = read_frame(source)
        if body is None:
            break
        header, data = run_job(
            json.loads(frame), body, engine=engine, catalog=catalog, max_bytes=max_bytes
        )
        write_frame(channel, json.dumps(header).encode())
        write_frame(channel, data)
        channel.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
