"""The FastAPI app factory.

The lifespan loads the knowledge graph once (failing fast and loudly if a file does not parse),
builds the services over it and starts the SPARQL workers; routes only read ``app.state``. So
that /health answers soon after the process starts, the catalog's index is built in a thread and
the worker processes start in the background: a request that needs either waits for it.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI

from aslgraph import __version__
from aslgraph.api import openapi, problems, remote, uploads
from aslgraph.api.hygiene import RequestHygiene
from aslgraph.api.limits import BodySizeLimit
from aslgraph.api.rest import CachedAnswers, ResponseCache
from aslgraph.api.routes import (
    coverage,
    crosswalk,
    export,
    frameworks,
    health,
    ids,
    instruments,
    obligations,
    pages,
    provisions,
    sparql,
    suppliers,
    tiers,
    ui,
    validate,
)
from aslgraph.api.routes import store as graph_store  # /store; "store" names the KG below
from aslgraph.config import Settings
from aslgraph.kg.catalog import Catalog
from aslgraph.org.runner import OrgRunner
from aslgraph.sparql.engine import SparqlEngine

DESCRIPTION = """
Maps AI regulation to AI-safety safeguards, provision by provision: the RSP's AI Safety Levels,
the EU AI Act's obligations for general-purpose AI models, the GPAI Code of Practice, UK
guidance and other labs' frameworks, with reified crosswalk mappings (NIST IR 8477).

* `/sparql`: a read-only SPARQL 1.1 Protocol endpoint.
* `/api/...`: this REST API (JSON; JSON-LD with `Accept: application/ld+json`).
* `POST /api/validate`, `POST /api/posture`: check an organisation's graph and its
  supplier's posture against the regulations that apply to it.
* `/id/{scheme}/{local}`: every IRI the graph mints dereferences here.

Errors are RFC 9457 problem documents.
"""


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app; the knowledge graph is loaded when the app starts."""
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # the embedded store; or a remote one and the snapshot the catalog reads (decision 0016)
        store, remote_store = remote.open_stores(settings)
        engine = SparqlEngine(settings, remote_store or store)
        catalog = Catalog(store, settings)
        app.state.settings = settings
        app.state.store = store
        app.state.catalog = catalog
        # Built in a thread while the service already answers; REST routes wait for it.
        app.state.catalog_ready = asyncio.ensure_future(asyncio.to_thread(catalog.warm))
        app.state.sparql = engine
        org_runner = OrgRunner(settings)
        app.state.org_runner = org_runner
        app.state.remote_store = remote_store
        watch = remote.StoreWatch(app, settings) if remote_store is not None else None
        try:
            if watch is not None:
                watch.start()  # the remote store's marker, read every store_check_seconds
            await engine.start(wait=False)  # the first query waits for the workers
            # the validation workers too, at the same time: each worker's start is mostly its
            # own imports and load, so together they are ready sooner (decision 0020)
            await org_runner.start()
            yield
        finally:
            with contextlib.suppress(Exception):
                await app.state.catalog_ready
            if watch is not None:
                await watch.stop()
            await org_runner.stop()
            await engine.stop()

    app = FastAPI(
        title="aslgraph",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        license_info={"name": "Apache-2.0", "identifier": "Apache-2.0"},
    )
    # Innermost: GET and POST /sparql answered before routing, inside every middleware below
    # (decision 0020); the FastAPI routes describe them in the OpenAPI document.
    app.add_middleware(sparql.SparqlEndpoint)
    app.add_middleware(
        BodySizeLimit,
        max_bytes=settings.max_body_bytes,
        overrides={path: settings.max_upload_bytes for path in uploads.UPLOAD_PATHS},
    )
    # Outermost: a repeated REST GET is answered from the answer cache before anything else.
    app.state.rest_cache = ResponseCache()
    app.add_middleware(
        CachedAnswers,
        cache=app.state.rest_cache,
        prefixes=("/api/", "/id/"),
        lookups=(crosswalk.LOOKUP, provisions.LOOKUP),  # the hot routes' fast paths (0020)
    )
    if settings.store_url:  # a remote store that is away: 503, even for cached answers
        app.add_middleware(remote.StoreGate)
        remote.install(app)
    # Outside even the cache: malformed URLs and compressed bodies refused, nosniff on all.
    app.add_middleware(RequestHygiene)
    problems.install(app)
    for module in (
        health,
        sparql,
        graph_store,
        instruments,
        provisions,
        tiers,
        crosswalk,
        coverage,
        export,
        obligations,
        frameworks,
        validate,
        suppliers,
        ids,
    ):
        app.include_router(module.router)
    app.include_router(frameworks.upload_router)
    app.include_router(pages.router)  # /, /docs, /redoc, /static, /favicon, /examples
    app.include_router(ui.router)  # the analyst UI: /crosswalk, /coverage, /validate (issue 12)

    def described() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = openapi.document(app)
        return app.openapi_schema

    app.openapi = described  # type: ignore[method-assign]
    return app
