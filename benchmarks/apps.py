"""The baseline apps the HTTP benchmark compares aslgraph with, each served by uvicorn.

* ``ceiling``: a minimal FastAPI app that returns precomputed bytes, the same bytes aslgraph
  answers with when the benchmark lists them (the best any FastAPI route can do on this
  machine for that answer).
* ``floor``: a bare ASGI app (no framework, no routing, no parsing) that answers every request
  with the same bytes: the most requests one uvicorn process answers on this machine, whatever
  the Python behind it does.
* ``rdflib_endpoint``: rdflib-endpoint's SparqlEndpoint over the same files (the obvious Python
  building block).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request, Response
from starlette.types import Receive, Scope, Send

from aslgraph.config import Settings
from aslgraph.store import discover

PAYLOAD = b'{"ok": true, "items": [' + b",".join(b'{"n": %d}' % i for i in range(40)) + b"]}"


CEILING_BODIES = "ASLGRAPH_BENCH_CEILING_BODIES"
"""An environment variable naming a JSON file that maps requests (``path?query`` as sent,
without the benchmark's ``&_n=`` cache-buster) to files of bytes: the ceiling answers each
with those bytes (the same answer aslgraph gives)."""


def ceiling() -> FastAPI:
    """A FastAPI app answering every GET with precomputed JSON bytes: for a path listed in
    the file :data:`CEILING_BODIES` names, that path's bytes; for any other, a small payload.

    The route is ``async def`` so it runs on the event loop: a plain ``def`` would run in the
    thread pool and understate the ceiling."""
    import json
    import os
    from pathlib import Path

    app = FastAPI()
    bodies: dict[str, bytes] = {}
    listed = os.environ.get(CEILING_BODIES)
    if listed:
        for path, file in json.loads(Path(listed).read_text(encoding="utf-8")).items():
            bodies[path] = Path(file).read_bytes()

    @app.get("/{path:path}")
    async def precomputed(path: str, request: Request) -> Response:
        # the key: the path as sent and the query without the benchmark's cache-buster
        query = request.scope["query_string"].decode("latin-1").split("&_n=")[0]
        key = request.scope["raw_path"].decode("latin-1") + "?" + query
        return Response(content=bodies.get(key, PAYLOAD), media_type="application/json")

    return app


FLOOR_BODY = "ASLGRAPH_BENCH_FLOOR_BODY"
"""An environment variable naming a file of bytes the floor answers every request with."""


def floor() -> Callable[[Scope, Receive, Send], Awaitable[None]]:
    """A bare ASGI app answering every HTTP request with the bytes of the file
    :data:`FLOOR_BODY` names (and its media type from ``ASLGRAPH_BENCH_FLOOR_TYPE``)."""
    import os
    from pathlib import Path

    body = Path(os.environ[FLOOR_BODY]).read_bytes()
    start = {
        "type": "http.response.start",
        "status": 200,
        "headers": [
            (b"content-type", os.environ.get("ASLGRAPH_BENCH_FLOOR_TYPE", "text/plain").encode()),
            (b"content-length", str(len(body)).encode()),
        ],
    }
    done = {"type": "http.response.body", "body": body}

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        await send(start)
        await send(done)

    return app


def rdflib_endpoint() -> FastAPI:
    """rdflib-endpoint over the knowledge graph (ontology and data), union default graph."""
    from rdflib import Dataset
    from rdflib_endpoint import SparqlEndpoint

    settings = Settings()
    dataset = Dataset(default_union=True)
    for path in discover(settings.kg_dirs):
        dataset.graph(path.resolve().as_uri()).parse(path, format="turtle")
    return SparqlEndpoint(graph=dataset, path="/sparql", enable_update=False)  # type: ignore[no-any-return]
