"""The FastAPI app factory.

The lifespan loads the knowledge graph once (failing fast and loudly if a file does not parse),
builds the services over it and starts the SPARQL workers; routes only read ``app.state``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from aslgraph import __version__
from aslgraph.api import problems
from aslgraph.api.limits import BodySizeLimit
from aslgraph.api.routes import (
    coverage,
    crosswalk,
    health,
    ids,
    instruments,
    obligations,
    provisions,
    sparql,
    tiers,
)
from aslgraph.config import Settings
from aslgraph.services.catalog import Catalog
from aslgraph.sparql.engine import SparqlEngine
from aslgraph.store import OxigraphStore

DESCRIPTION = """
Maps AI regulation to AI-safety safeguards, provision by provision: the RSP's AI Safety Levels,
the EU AI Act's obligations for general-purpose AI models, the GPAI Code of Practice, UK
guidance and other labs' frameworks, with reified crosswalk mappings (NIST IR 8477).

* `/sparql`: a read-only SPARQL 1.1 Protocol endpoint.
* `/api/...`: this REST API (JSON; JSON-LD with `Accept: application/ld+json`).
* `/id/{scheme}/{local}`: every IRI the graph mints dereferences here.

Errors are RFC 9457 problem documents.
"""


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app; the knowledge graph is loaded when the app starts."""
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        store = OxigraphStore.from_paths(settings.kg_dirs, root=settings.root)
        engine = SparqlEngine(settings, store)
        app.state.settings = settings
        app.state.store = store
        app.state.catalog = Catalog(store, settings)
        app.state.sparql = engine
        await engine.start()
        try:
            yield
        finally:
            await engine.stop()

    app = FastAPI(
        title="aslgraph",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        license_info={"name": "Apache-2.0", "identifier": "Apache-2.0"},
    )
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    problems.install(app)
    for module in (
        health,
        sparql,
        instruments,
        provisions,
        tiers,
        crosswalk,
        coverage,
        obligations,
        ids,
    ):
        app.include_router(module.router)
    return app
