"""Benchmark: fair scheduling under a mixed load (issue 9 item 6).

Starts the shipped server (``python -m aslgraph serve``) on 127.0.0.1 and runs 64 clients at
once for ``--seconds``, each sending its next request when the previous one is answered:

* 50 send cheap REST lookups (a provision or the crosswalk of one, rotating, with a fresh
  query string each time so that the answer cache does not answer them);
* 8 send a medium SPARQL query (a three-way chain over the whole graph; a nonce comment makes
  each one fresh);
* 4 send a Cartesian product (``{ ?a ?b ?c . ?d ?e ?f }``, 2 x 10^8 rows: only the time
  budget ends it), fresh each time;
* 2 POST a generated organisation graph (``--triples``) to /api/validate.

It prints, per class, the requests answered, the statuses and p50 / p99 latency, and the
medium query's latency alone first. ``--env NAME=VALUE`` passes settings to the server, e.g.
``--env ASLGRAPH_QUERY_RESERVED_WORKERS=0 --env ASLGRAPH_SLOW_QUERY_SECONDS=1e9`` to see the
one-queue behaviour this replaced.

Run: ``.venv/bin/python -m benchmarks.mixed [--seconds 40] [--triples 1e5]``. Asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import math
import statistics
import sys
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import httpx

from benchmarks.http import run_server
from benchmarks.orggen import generate

PREFIX = "PREFIX asl: <https://w3id.org/aslgraph/ontology#>\n"
MEDIUM = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o . ?o ?q ?r . ?r ?x ?y }"
CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f }"
PROVISIONS = [
    "eu-ai-act/art53-1-a",
    "eu-ai-act/art53-1-b",
    "eu-ai-act/art55-1-a",
    "eu-ai-act/art55-1-d",
    "rsp/ASL3-SS",
    "rsp/ASL3-DS",
]
CROSSWALKS = ["rsp:ASL3-SS", "rsp:ASL3-DS", "aia:art55-1-a", "aia:art55-1-b"]


@dataclass
class Tally:
    """Latencies and statuses of one class of client."""

    latencies: list[float] = field(default_factory=list)
    statuses: Counter[str] = field(default_factory=Counter)

    def line(self, name: str) -> str:
        done = sorted(self.latencies)
        if not done:
            return f"{name:<12} none answered"
        p50 = statistics.median(done)
        p99 = done[min(math.ceil(len(done) * 0.99), len(done)) - 1]
        statuses = ", ".join(f"{k}: {v}" for k, v in sorted(self.statuses.items()))
        return f"{name:<12} {len(done):>6}  p50 {p50:7.3f} s  p99 {p99:7.3f} s  {statuses}"


async def _client(
    deadline: float, tally: Tally, send: Callable[[int], Awaitable[httpx.Response]]
) -> None:
    for n in itertools.count():
        if time.perf_counter() >= deadline:
            return
        start = time.perf_counter()
        try:
            response = await send(n)
            label = str(response.status_code)
            if response.status_code >= 400:
                kind = response.json().get("type", "").rsplit("/", 1)[-1]
                label += f" {kind}"
        except httpx.HTTPError as exc:
            label = type(exc).__name__
        tally.latencies.append(time.perf_counter() - start)
        tally.statuses[label] += 1


async def _load(base: str, seconds: float, graph: bytes) -> dict[str, Tally]:
    limits = httpx.Limits(max_connections=100, max_keepalive_connections=100)
    timeout = httpx.Timeout(120.0)
    tallies = {name: Tally() for name in ("cheap REST", "medium", "cartesian", "validation")}
    nonce = itertools.count()
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=timeout) as client:
        alone = []
        for _ in range(5):
            start = time.perf_counter()
            await client.get("/sparql", params={"query": f"{MEDIUM} # alone {next(nonce)}"})
            alone.append(time.perf_counter() - start)
        print(f"medium query alone: median {statistics.median(alone):.3f} s of 5")

        def cheap(n: int) -> Awaitable[httpx.Response]:
            if n % 2:
                path = "/api/provisions/" + PROVISIONS[n % len(PROVISIONS)]
                return client.get(path, params={"n": next(nonce)})
            source = CROSSWALKS[n % len(CROSSWALKS)]
            return client.get("/api/crosswalk", params={"from": source, "n": next(nonce)})

        def medium(_: int) -> Awaitable[httpx.Response]:
            return client.get("/sparql", params={"query": f"{MEDIUM} # {next(nonce)}"})

        def cartesian(_: int) -> Awaitable[httpx.Response]:
            return client.get("/sparql", params={"query": f"{CARTESIAN} # {next(nonce)}"})

        def validation(_: int) -> Awaitable[httpx.Response]:
            return client.post(
                "/api/validate",
                content=graph,
                headers={"Content-Type": "application/n-triples"},
                params={"as_of": "2026-11-30"},
            )

        deadline = time.perf_counter() + seconds
        clients = (
            [_client(deadline, tallies["cheap REST"], cheap) for _ in range(50)]
            + [_client(deadline, tallies["medium"], medium) for _ in range(8)]
            + [_client(deadline, tallies["cartesian"], cartesian) for _ in range(4)]
            + [_client(deadline, tallies["validation"], validation) for _ in range(2)]
        )
        await asyncio.gather(*clients)
    return tallies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=40.0)
    parser.add_argument("--triples", type=float, default=1e5)
    parser.add_argument("--env", action="append", default=[], metavar="NAME=VALUE")
    args = parser.parse_args()
    graph = generate(int(args.triples))[0].encode("utf-8")
    env = {"ASLGRAPH_ACCESS_LOG": "false"}
    env.update(item.split("=", 1) for item in args.env)
    with run_server(
        lambda port: [
            sys.executable, "-m", "aslgraph", "serve", "--host", "127.0.0.1", "--port", str(port)
        ],
        "/health/ready",
        env,
    ) as (base, _, _):  # fmt: skip
        print(
            f"64 clients for {args.seconds:g} s; validation graph {len(graph) / 1e6:.1f} MB "
            f"({args.triples:.0e} triples); settings {' '.join(args.env) or 'default'}"
        )
        tallies = asyncio.run(_load(base, args.seconds, graph))
        for name, tally in tallies.items():
            print(tally.line(name))


if __name__ == "__main__":
    main()
