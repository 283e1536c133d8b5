"""Serving from a remote SPARQL store (decision 0016): watch its version marker, refuse with 503
while it is away, and see a reload without a restart.

:class:`StoreWatch` reads the store's marker every ``store_check_seconds``. When the read fails
the store is *away*: :class:`StoreGate` answers every request that reads the knowledge graph
(``/api/``, ``/id/``, ``/sparql``, ``/store``) with a 503 problem saying so, before the answer
cache (an answer kept from before could be stale by the time the store is back), and a request
whose own query to the store fails gets the same 503 (:func:`install`). When the marker can be
read again the store is back, and nothing needs restarting. When the marker's version has
changed (``aslgraph load --store`` ran again, from any machine), a new catalog is built over the
new load in a thread and swapped in, the SPARQL engine answers from it and the REST answer cache
starts a new version: every replica watching the same store does the same within one period.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from aslgraph.api.problems import problem_response
from aslgraph.api.rest import ResponseCache
from aslgraph.config import Settings
from aslgraph.kg.catalog import Catalog
from aslgraph.remote.client import RemoteStoreError, StoreUnavailableError
from aslgraph.remote.marker import MarkerError, check
from aslgraph.remote.store import RemoteStore, read_marker
from aslgraph.sparql.engine import SparqlEngine
from aslgraph.store import OxigraphStore

log = logging.getLogger(__name__)


def open_stores(settings: Settings) -> tuple[OxigraphStore, RemoteStore | None]:
    """The store the catalog reads and, with ``settings.store_url``, the remote store the SPARQL
    endpoint forwards to (the first is then its snapshot). Raises the errors of
    :meth:`RemoteStore.open` and :meth:`~aslgraph.store.OxigraphStore.from_paths`."""
    if not settings.store_url:
        return OxigraphStore.from_paths(
            settings.kg_dirs, root=settings.root, cache_dir=settings.store_cache
        ), None
    remote = RemoteStore.open(settings)
    return remote.snapshot(), remote


GATED = ("/api/", "/id/", "/sparql", "/store")
"""Paths whose answers come from the knowledge graph (refused while the store is away)."""


@dataclass
class StoreStatus:
    """The remote store as last seen: ``away`` with the reason, and the version served."""

    url: str
    version: str
    away: str | None = None
    reloads: int = 0

    def message(self) -> str:
        return (
            f"the knowledge graph's store at {self.url} cannot be read now ({self.away}); "
            "the service answers again as soon as it is back; try again shortly"
        )


class StoreWatch:
    """Reads the marker of ``app.state.store`` every ``settings.store_check_seconds``."""

    def __init__(self, app: FastAPI, settings: Settings):
        self.app = app
        self.settings = settings
        store: RemoteStore = app.state.remote_store
        self.status = StoreStatus(url=store.url, version=store.version)
        app.state.store_status = self.status
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self.settings.store_check_seconds)
            try:
                await self.check()
            except Exception:  # the watch must outlive any one failure; the log says what
                log.exception("reading the remote store's marker failed")

    async def check(self) -> None:
        """Read the marker once and act on what it says (see the module docstring)."""
        state = self.app.state
        store: RemoteStore = state.remote_store
        try:
            marker = await asyncio.to_thread(read_marker, store.client, self.settings)
            marker = check(marker, where=store.url)
        except (RemoteStoreError, MarkerError) as exc:
            if self.status.away is None:
                log.warning("the remote store is away: %s", exc)
            self.status.away = str(exc)
            return
        came_back = self.status.away is not None
        if marker.version != store.version:
            await self._reload(store.with_marker(marker))
        elif _failed(state.catalog_ready):  # the store left while the index was built
            await self._rebuild(state.store)
        if came_back:
            log.warning("the remote store is back")
        self.status.away = None

    async def _reload(self, store: RemoteStore) -> None:
        """Serve ``store`` (a new load): its snapshot and catalog are built before anything is
        swapped."""
        snapshot = await asyncio.to_thread(store.snapshot)
        await self._rebuild(snapshot)
        state = self.app.state
        state.store = snapshot
        state.remote_store = store
        engine: SparqlEngine = state.sparql
        engine.use(store)
        cache: ResponseCache = state.rest_cache
        cache.start_version(store.version)
        state.graph_store = None  # the Graph Store routes' documents, rebuilt on first use
        self.status.version = store.version
        self.status.reloads += 1
        log.warning("the remote store was reloaded: now serving %s", store.version)

    async def _rebuild(self, store: OxigraphStore) -> None:
        """A new catalog over ``store``, indexed in a thread, then swapped in."""
        catalog = Catalog(store, self.settings)
        await asyncio.to_thread(catalog.warm)
        state = self.app.state
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        done.set_result(None)
        state.catalog = catalog
        state.catalog_ready = done


def _failed(task: asyncio.Future[None]) -> bool:
    return task.done() and not task.cancelled() and task.exception() is not None


class StoreGate:
    """Pure ASGI middleware: while the store is away (``app.state.store_status.away``), a
    request for a path in :data:`GATED` gets 503 with ``Retry-After``, before the cache."""

    def __init__(self, app: ASGIApp, status: StoreStatus | None = None):
        self.app = app
        self.status = status

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"].startswith(GATED):
            status: StoreStatus | None = getattr(scope["app"].state, "store_status", None)
            if status is not None and status.away is not None:
                response = _unavailable(status.message(), scope["path"])
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


def _unavailable(detail: str, path: str) -> JSONResponse:
    return problem_response(
        503, detail, kind="store-unavailable", instance=path, headers={"Retry-After": "2"}
    )


def install(app: FastAPI) -> None:
    """A request whose query to the store fails gets 503 (and the store is taken as away
    until the next marker read says otherwise)."""

    @app.exception_handler(StoreUnavailableError)
    async def _store_away(request: Request, exc: StoreUnavailableError) -> JSONResponse:
        status: StoreStatus | None = getattr(request.app.state, "store_status", None)
        if status is not None:
            status.away = str(exc)
            return _unavailable(status.message(), request.url.path)
        return _unavailable(f"the knowledge graph's store cannot be read now: {exc}", "")
