"""``aslgraph load --store URL`` and the remote-store half of ``aslgraph serve --store URL``
(decision 0016): thin over :mod:`aslgraph.remote`."""

from __future__ import annotations

import argparse
import os
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from aslgraph.config import Settings

EXIT_OK, EXIT_USAGE = 0, 2

_STORE_HELP = (
    "SPARQL 1.1 Protocol query URL of the store (default: ASLGRAPH_STORE_URL); update and "
    "Graph Store URLs are derived by the engine's dialect unless ASLGRAPH_STORE_UPDATE_URL / "
    "ASLGRAPH_STORE_GSP_URL say otherwise; credentials come from ASLGRAPH_STORE_USER and "
    "ASLGRAPH_STORE_PASSWORD"
)


def add_load_command(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The ``load`` subcommand."""
    load = commands.add_parser(
        "load",
        help="push the knowledge graph and the shapes into a remote SPARQL store",
        description="Push every file of ontology/, data/ and shapes/ into the SPARQL store at "
        "URL, one named graph per file (a Graph Store Protocol PUT, which replaces the graph), "
        "remove the graphs of files an earlier load pushed that are gone, and write the "
        "version marker last. Serve it with `aslgraph serve --store URL`. Exit 2 when the "
        "store cannot be reached or refuses the load.",
    )
    load.add_argument("--store", metavar="URL", help=_STORE_HELP)
    load.add_argument("--quiet", action="store_true", help="print only the summary, not each file")


def add_serve_argument(serve: argparse.ArgumentParser) -> None:
    """``serve --store URL``."""
    serve.add_argument(
        "--store",
        metavar="URL",
        help="serve from the remote SPARQL store at URL, loaded by `aslgraph load --store` "
        "(default: ASLGRAPH_STORE_URL; none: the embedded store)",
    )


def _settings_for(url: str | None, settings: Settings) -> Settings:
    if url:
        return settings.model_copy(update={"store_url": url})
    return settings


def load_command(args: argparse.Namespace, settings: Settings) -> int:
    """Run ``aslgraph load``."""
    from aslgraph.remote.client import RemoteStoreError, StoreClient
    from aslgraph.remote.load import load

    settings = _settings_for(args.store, settings)
    if not settings.store_url:
        _error("name the store: --store URL or ASLGRAPH_STORE_URL")
        return EXIT_USAGE
    try:
        client = StoreClient.from_settings(settings)
        report = load(settings, client, progress=None if args.quiet else _progress)
    except RemoteStoreError as exc:
        _error(f"the load did not finish: {exc}")
        return EXIT_USAGE
    marker = report.marker
    print(
        f"loaded {report.files} files into {client.endpoints.query} ({client.dialect.name}): "
        f"{len(marker.graphs)} knowledge-graph graphs, {len(marker.shapes)} shapes graphs, "
        f"{len(report.removed)} old graphs removed, in {report.seconds:.2f} s; "
        f"version {marker.version}"
    )
    return EXIT_OK


def serve_settings(url: str | None, settings: Settings) -> Settings | None:
    """The settings to serve with: for a remote store (``url`` or ASLGRAPH_STORE_URL), after
    checking that it answers and holds a marker this code can serve (None after saying why
    not). The URL is put in the environment, which uvicorn's app factory and the worker
    processes read their settings from."""
    settings = _settings_for(url, settings)
    if not settings.store_url:
        return settings
    from aslgraph.remote.client import RemoteStoreError
    from aslgraph.remote.marker import MarkerError
    from aslgraph.remote.store import RemoteStore

    try:
        RemoteStore.open(settings)
    except (RemoteStoreError, MarkerError) as exc:
        _error(f"cannot serve from this store: {exc}")
        return None
    os.environ["ASLGRAPH_STORE_URL"] = settings.store_url
    return settings


def _progress(relative: str) -> None:
    print(f"  {relative}", file=sys.stderr)


def _error(message: str) -> None:
    print(f"aslgraph: {message}", file=sys.stderr)
