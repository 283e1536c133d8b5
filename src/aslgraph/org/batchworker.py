"""What runs on a Dask worker for ``aslgraph validate-batch`` (:mod:`aslgraph.org.batch`).

:class:`BatchWorkerPlugin` is registered with the cluster once per batch: on every worker (and
on each that joins later) its ``setup`` builds the SHACL engine and loads the knowledge graph,
from the settings of the process that started the batch, before the first task. Tasks call
:func:`check_on_worker`, which validates one graph with them. The workers must run the same
``aslgraph`` version and see the same shapes and data directories (``Settings.root``); the
graphs themselves travel with the tasks.

A worker checks one graph at a time (the services are not shared between threads: a worker
with several threads gains nothing, since validation holds the interpreter lock): scale out
with worker processes (``dask worker --nworkers N --nthreads 1``).
"""

from __future__ import annotations

import threading
from datetime import date
from typing import TYPE_CHECKING

from distributed import WorkerPlugin, get_worker

from aslgraph.config import Settings
from aslgraph.org.batch import check
from aslgraph.org.jobs import OrgServices

if TYPE_CHECKING:
    from distributed import Worker

PLUGIN = "aslgraph-batch"
"""The plugin's name on the workers."""


class BatchWorkerPlugin(WorkerPlugin):
    """A worker's validation services, built once when the plugin is set up."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.services: OrgServices | None = None
        self.lock = threading.Lock()

    def __getstate__(self) -> dict[str, Settings]:
        return {"settings": self.settings}  # the services are built on the worker, not sent

    def __setstate__(self, state: dict[str, Settings]) -> None:
        self.settings = state["settings"]
        self.services = None
        self.lock = threading.Lock()

    def setup(self, worker: Worker) -> None:
        # Dask's statistical profiler samples the task thread's frames from the event loop
        # thread; a frame it holds as the task returns keeps the frame's locals alive, and they
        # are then freed on that thread. pyoxigraph's query-solution iterators may only be freed
        # on the thread that made them (PyO3 "unsendable": "PyQuerySolutions is unsendable, but
        # is being dropped on another thread", seen once in 10,000 graphs), so the profiler is
        # stopped on the workers of a batch. Only the dashboard's profile view loses by it.
        for name in ("profile", "profile-cycle"):
            callback = worker.periodic_callbacks.get(name)
            if callback is not None:
                callback.stop()
        services = OrgServices(self.settings)
        services.engine  # noqa: B018 - load the shapes and the knowledge graph now, once
        services.catalog  # noqa: B018
        self.services = services


def check_on_worker(key: str, body: bytes, media_type: str, as_of: date | None) -> str:
    """Validate one graph with this worker's services; its line of OUT as JSON."""
    plugin = get_worker().plugins[PLUGIN]
    if not isinstance(plugin, BatchWorkerPlugin) or plugin.services is None:
        raise RuntimeError(f"the {PLUGIN} worker plugin is not set up on this worker")
    with plugin.lock:
        line = check(key, body, media_type, as_of, plugin.services)
    return line.model_dump_json()
