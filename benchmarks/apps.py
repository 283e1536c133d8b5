"""The baseline apps the HTTP benchmark compares aslgraph with, each served by uvicorn.

* ``ceiling``: a minimal FastAPI app that returns precomputed bytes (the best any FastAPI route
  can do on this machine).
* ``rdflib_endpoint``: rdflib-endpoint's SparqlEndpoint over the same files (the obvious Python
  building block).
"""

from __future__ import annotations

from fastapi import FastAPI, Response

from aslgraph.config import Settings
from aslgraph.store import discover

PAYLOAD = b'{"ok": true, "items": [' + b",".join(b'{"n": %d}' % i for i in range(40)) + b"]}"


def ceiling() -> FastAPI:
    """A FastAPI app answering every GET with the same precomputed JSON bytes.

    The route is ``async def`` so it runs on the event loop: a plain ``def`` would run in the
    thread pool and understate the ceiling."""
    app = FastAPI()

    @app.get("/{path:path}")
    async def precomputed(path: str) -> Response:
        return Response(content=PAYLOAD, media_type="application/json")

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
