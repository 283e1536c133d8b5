"""``GET /health``: liveness and what is loaded; ``GET /health/ready``: whether the service can
answer every kind of request now (for load balancers and orchestrators)."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, ConfigDict

from aslgraph import __version__
from aslgraph.api.deps import StoreDep
from aslgraph.api.rest import problem_responses
from aslgraph.org.runner import OrgRunner
from aslgraph.sparql.engine import SparqlEngine
from aslgraph.workers.pool import PoolStatus

router = APIRouter(tags=["health"])


class Health(BaseModel):
    """The service is up; what it serves."""

    status: str
    version: str
    files: int
    triples: int
    load_seconds: float
    store_version: str | None = None
    """A remote store's version marker (the content hash of its load); null: embedded."""


@router.get(
    "/health",
    response_model=Health,
    summary="Liveness and what is loaded",
    description="200 whenever the process answers, whatever its workers are doing: use it "
    "to tell whether to restart the process. Whether to send it traffic: /health/ready.",
)
async def health(request: Request, store: StoreDep) -> Health:
    return Health(
        status="ok",
        version=__version__,
        files=len(store.sources),
        triples=len(store),
        load_seconds=round(store.load_seconds, 4),
        store_version=getattr(getattr(request.app.state, "store_status", None), "version", None),
    )


class Pool(BaseModel):
    """A pool of worker processes now: ``live`` workers started, ``busy`` answering (their
    process ids), ``starting`` being (re)started, ``waiting`` jobs queued for a worker,
    ``crashed`` workers that ended while answering since start, ``recycled`` workers replaced
    after a job because they held more memory than the threshold, ``heavy`` expensive jobs
    running now, of at most ``heavy_limit`` at once (the other workers are kept for short
    ones)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"size": 2, "live": 2, "busy": [41734], "idle": 1, "starting": 0,
                 "waiting": 0, "crashed": 0, "recycled": 0, "heavy": 0, "heavy_limit": 1}
            ]
        }
    )  # fmt: skip

    size: int
    live: int
    busy: list[int]
    idle: int
    starting: int
    waiting: int
    crashed: int
    recycled: int = 0
    heavy: int = 0
    heavy_limit: int = 0

    @classmethod
    def of(cls, status: PoolStatus) -> Pool:
        return cls(
            size=status.size,
            live=status.live,
            busy=list(status.busy),
            idle=status.idle,
            starting=status.starting,
            waiting=status.waiting,
            crashed=status.crashed,
            recycled=status.recycled,
            heavy=status.heavy,
            heavy_limit=status.heavy_limit,
        )


class Readiness(BaseModel):
    """Whether the service can answer every kind of request now, and why not when it cannot:
    the knowledge graph is loaded and indexed (``catalog``), the SPARQL and validation worker
    pools have live workers, and a small graph was validated end to end (``validation``,
    checked at most every 15 s)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "ready": False,
                    "reasons": ["no validation worker is live (1 starting)"],
                    "triples": 14374,
                    "catalog": True,
                    "sparql": {"size": 2, "live": 2, "busy": [], "idle": 2, "starting": 0,
                               "waiting": 0, "crashed": 0, "recycled": 0, "heavy": 0,
                               "heavy_limit": 1},
                    "validation": {"size": 1, "live": 0, "busy": [], "idle": 0,
                                   "starting": 1, "waiting": 0, "crashed": 1},
                    "validation_works": False,
                    "validation_check": "the validation workers have not started yet",
                }
            ]
        }
    )  # fmt: skip

    ready: bool
    reasons: list[str]
    triples: int
    catalog: bool
    sparql: Pool | None
    validation: Pool | None
    validation_works: bool
    validation_check: str | None = None


@router.get(
    "/health/ready",
    response_model=Readiness,
    summary="Readiness: can every kind of request be answered now?",
    description="200 when the knowledge graph is indexed, both worker pools have live workers "
    "and a small validation succeeds end to end; 503 (the same document, with the reasons) "
    "otherwise. Point a load balancer's readiness probe here and its liveness probe at "
    "/health.",
    responses={503: {"description": "Not ready.", "model": Readiness}, **problem_responses(406)},
)
async def ready(request: Request, response: Response, store: StoreDep) -> Readiness:
    state = request.app.state
    engine: SparqlEngine = state.sparql
    runner: OrgRunner = state.org_runner
    catalog_task: asyncio.Future[None] = state.catalog_ready
    reasons: list[str] = []
    catalog = catalog_task.done() and catalog_task.exception() is None
    if not catalog:
        reasons.append("the knowledge graph is still being indexed")
    sparql, validation = engine.pool_status(), runner.pool_status()
    away = getattr(getattr(state, "store_status", None), "away", None)
    if away is not None:  # a remote store (decision 0016), which answers the queries itself
        reasons.append(f"the knowledge graph's store cannot be read: {away}")
    for name, status in (("SPARQL", sparql), ("validation", validation)):
        if status is None and name == "SPARQL" and engine.remote:
            continue
        if status is None:
            reasons.append(f"the {name} workers have not started yet")
        elif status.live == 0:
            reasons.append(f"no {name} worker is live ({status.starting} starting)")
    check = await runner.check()
    if not check.ok:
        reasons.append(f"validation does not work: {check.reason}")
    if reasons:
        response.status_code = 503
        response.headers["Retry-After"] = "5"
    return Readiness(
        ready=not reasons,
        reasons=reasons,
        triples=len(store),
        catalog=catalog,
        sparql=Pool.of(sparql) if sparql else None,
        validation=Pool.of(validation) if validation else None,
        validation_works=check.ok,
        validation_check=check.reason,
    )
