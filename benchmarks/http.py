"""HTTP benchmark: aslgraph's REST and SPARQL lookups beside two baselines, in one run.

Starts each server with uvicorn on 127.0.0.1 (a free port), loads it with ``wrk`` (Debian
package ``wrk``; falls back to a bounded Python load generator when wrk is missing) and prints
requests/s, p50 and p99 per case, the start-up time with the full knowledge graph (the median
of three spawns) and the resident memory of the aslgraph server (its worker processes shown
apart).

The REST lookups repeat one URL, so after the warm-up they measure answers from the server's
answer cache; the "uncached" lines (wrk only) send a fresh query string with every request, so
each one runs the route (information, not a target).

With ``--remote`` it also serves the same knowledge graph from the embedded store, from Oxigraph
server and from Virtuoso (started on free ports and filled with ``aslgraph load --store``,
:mod:`benchmarks.stores`; decision 0016) and prints, per store: the load, the start-up, the
snapshot the catalog reads, repeated REST lookups, and SPARQL cache misses (a new query text on
every request, so each is evaluated: by a worker, or forwarded to the remote store).

Run: ``.venv/bin/python -m benchmarks.http [--seconds 10] [--connections 16] [--remote]``.
Nothing here asserts: it is a runner, not a test.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import itertools
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SPARQL_LOOKUP = (
    "PREFIX asl: <https://w3id.org/aslgraph/ontology#> "
    "SELECT ?m ?o ?rel WHERE { ?m asl:mappingSubject <https://w3id.org/aslgraph/id/rsp/ASL3-SS> ; "
    "asl:mappingObject ?o ; asl:relation ?rel }"
)
SPARQL_PATH = "/sparql?" + urllib.parse.urlencode({"query": SPARQL_LOOKUP})
CROSSWALK_PATH = "/api/crosswalk?from=rsp:ASL3-SS"
PROVISION_PATH = "/api/provisions/eu-ai-act/art55-1-d"


@dataclass(frozen=True)
class Result:
    name: str
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int
    body_bytes: int = 0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_ready(url: str, timeout: float = 60.0) -> float:
    """Poll ``url`` until it answers 200; return the seconds it took."""
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        try:
            with urllib.request.urlopen(url, timeout=1) as response:  # noqa: S310 - loopback
                if response.status == 200:
                    return time.perf_counter() - start
        except OSError:
            time.sleep(0.01)
    raise TimeoutError(f"{url} did not answer within {timeout} s")


@contextmanager
def serve(
    target: str, ready_path: str, env: dict[str, str] | None = None
) -> Iterator[tuple[str, int, float]]:
    """Run ``uvicorn --factory target`` on a free port; yield (base URL, pid, seconds to ready)."""
    with run_server(
        lambda port: [
            sys.executable, "-m", "uvicorn", "--factory", target, "--host", "127.0.0.1",
            "--port", str(port), "--log-level", "warning", "--no-access-log",
        ],
        ready_path,
        env,
    ) as started:  # fmt: skip
        yield started


@contextmanager
def run_server(
    command: Callable[[int], list[str]], ready_path: str, env: dict[str, str] | None = None
) -> Iterator[tuple[str, int, float]]:
    """Run ``command(port)`` on a free port; yield (base URL, pid, seconds to ready); stop it
    with SIGTERM at the end."""
    port = free_port()
    process = subprocess.Popen(command(port), cwd=ROOT, env={**os.environ, **(env or {})})
    base = f"http://127.0.0.1:{port}"
    try:
        ready = wait_ready(base + ready_path)
        yield base, process.pid, ready
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def rss_mib(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    match = re.search(r"VmRSS:\s+(\d+) kB", status)
    return int(match.group(1)) / 1024 if match else float("nan")


def children(pid: int) -> list[int]:
    found = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                stat = (proc / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(stat[1]) == pid:
                found.append(int(proc.name))
    return found


def _ms(text: str) -> float:
    value = float(re.sub(r"[a-z]+$", "", text))
    unit = re.sub(r"^[\d.]+", "", text)
    return value * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


UNIQUE_QUERY_LUA = """
counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", wrk.path .. "&_n=" .. counter)
end
"""
"""A wrk script that appends a parameter no route reads, different on every request."""


def run_wrk(
    name: str, url: str, seconds: int, connections: int, script: Path | None = None
) -> Result:
    command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency"]
    if script is not None:
        command += ["-s", str(script)]
    out = subprocess.run(
        [*command, url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    # anchored: a "+/- Stdev" column such as "87.50%" must not pass for the 50% line
    p50 = _ms(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1))  # type: ignore[union-attr]
    p99 = _ms(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1))  # type: ignore[union-attr]
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = int(bad.group(1)) if bad else 0
    return Result(name, rps, p50, p99, errors)


async def _load(
    base: str, seconds: int, connections: int, request: Callable[[], bytes]
) -> tuple[list[float], int]:
    """``connections`` keep-alive connections to ``base``, each sending ``request()`` and reading
    the answer until ``seconds`` are up: the latencies, and the answers that were not 2xx."""
    parsed = urllib.parse.urlsplit(base)
    deadline = time.perf_counter() + seconds
    latencies: list[float] = []
    errors = 0

    async def one() -> None:
        nonlocal errors
        reader, writer = await asyncio.open_connection(parsed.hostname, parsed.port)
        while time.perf_counter() < deadline:
            start = time.perf_counter()
            writer.write(request())
            head = await reader.readuntil(b"\r\n\r\n")
            length = int(re.search(rb"content-length: (\d+)", head, re.I).group(1))  # type: ignore[union-attr]
            await reader.readexactly(length)
            latencies.append(time.perf_counter() - start)
            if not head.startswith(b"HTTP/1.1 2"):
                errors += 1
        writer.close()

    await asyncio.gather(*(one() for _ in range(connections)))
    return latencies, errors


def _python_load(url: str, seconds: int, connections: int) -> tuple[list[float], int]:
    """The same GET of ``url`` again and again."""
    parsed = urllib.parse.urlsplit(url)
    target = (parsed.path + ("?" + parsed.query if parsed.query else "")).encode()
    request = b"GET " + target + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    return asyncio.run(_load(url, seconds, connections, lambda: request))


def run_python(
    name: str, url: str, seconds: int, connections: int, script: Path | None = None
) -> Result:
    return _summary(name, *_python_load(url, seconds, connections), seconds)


def body_size(url: str) -> int:
    with urllib.request.urlopen(url) as response:  # noqa: S310 - loopback
        return len(response.read())


def _unique_sparql_load(base: str, seconds: int, connections: int) -> tuple[list[float], int]:
    """Like :func:`_python_load`, but each request's query text is new (a numbered comment),
    so that none is answered from the SPARQL answer cache."""
    counter = itertools.count(1)

    def request() -> bytes:
        query = urllib.parse.urlencode({"query": f"{SPARQL_LOOKUP} # {next(counter)}"})
        return f"GET /sparql?{query} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode()

    return asyncio.run(_load(base, seconds, connections, request))


def _summary(name: str, latencies: list[float], errors: int, seconds: int) -> Result:
    latencies.sort()
    return Result(
        name,
        len(latencies) / seconds,
        statistics.median(latencies) * 1000,
        latencies[max(int(len(latencies) * 0.99) - 1, 0)] * 1000,
        errors,
    )


def remote_cases(seconds: int, connections: int) -> None:
    """The same lookups served from the embedded store, Oxigraph server and Virtuoso."""
    import json
    from contextlib import nullcontext

    from benchmarks import stores

    print("\nremote stores (decision 0016): the same knowledge graph behind aslgraph")
    print(
        f"{'store':10} {'load s':>7} {'start s':>8} {'snap s':>7} {'REST r/s':>9} "
        f"{'p50':>6} {'p99':>6} {'miss r/s':>9} {'p50':>7} {'p99':>7} {'errors':>7}"
    )
    for name in ("embedded", "oxigraph", "virtuoso"):
        if name != "embedded" and not stores.available(name):
            print(f"{name:10} (not installed)")
            continue
        store = nullcontext(({}, 0.0)) if name == "embedded" else stores.remote_store(name)
        with (
            store as (env, load_seconds),
            serve("aslgraph.api.app:create_app", "/health", env) as (base, _pid, ready),
        ):
            wait_ready(base + "/api/instruments")  # the catalog is built
            with urllib.request.urlopen(base + "/health") as response:  # noqa: S310 - loopback
                health = json.loads(response.read())
            run_python(name, base + PROVISION_PATH, 2, connections)  # warm-up
            rest = run_python(name, base + PROVISION_PATH, seconds, connections)
            _unique_sparql_load(base, 2, connections)  # warm-up
            miss = _summary(name, *_unique_sparql_load(base, seconds, connections), seconds)
        print(
            f"{name:10} {load_seconds:7.2f} {ready:8.2f} {health['load_seconds']:7.3f} "
            f"{rest.rps:9.0f} {rest.p50_ms:6.2f} {rest.p99_ms:6.2f} {miss.rps:9.0f} "
            f"{miss.p50_ms:7.2f} {miss.p99_ms:7.2f} {rest.errors + miss.errors:7d}"
        )
    print(
        "load: aslgraph load --store; start: spawn to /health; snap: the catalog's copy "
        "(embedded: the file load); REST: a repeated provision lookup; miss: a new SPARQL "
        "lookup on every request"
    )


def start_up(runs: int) -> list[float]:
    """Seconds from process spawn to /health answering 200, for ``runs`` fresh servers."""
    times = []
    for _ in range(runs):
        with serve("aslgraph.api.app:create_app", "/health") as (_base, _pid, ready):
            times.append(ready)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--start-ups", type=int, default=3, help="spawns timed for start-up")
    parser.add_argument(
        "--remote",
        action="store_true",
        help="also serve from Oxigraph server and Virtuoso (the remote-store cases)",
    )
    parser.add_argument(
        "--remote-only", action="store_true", help="run only the remote-store cases"
    )
    args = parser.parse_args()
    if args.remote_only:
        remote_cases(args.seconds, args.connections)
        return
    load = run_wrk if shutil.which("wrk") else run_python
    print(
        f"load generator: {'wrk' if load is run_wrk else 'python (wrk not installed)'}; "
        f"{args.connections} connections, {args.seconds} s per case, {os.cpu_count()} cores"
    )

    results: list[Result] = []

    def bench(name: str, url: str, script: Path | None = None) -> None:
        size = body_size(url)
        load(name, url, 2, args.connections, script)  # warm-up: fills caches, page-hot
        result = load(name, url, args.seconds, args.connections, script)
        results.append(dataclasses.replace(result, body_bytes=size))

    with serve("benchmarks.apps:ceiling", "/health") as (base, _pid, _ready):
        bench("ceiling: FastAPI precomputed bytes", base + CROSSWALK_PATH)
    with serve("benchmarks.apps:rdflib_endpoint", SPARQL_PATH) as (base, _pid, _ready):
        bench("rdflib-endpoint: SPARQL lookup", base + SPARQL_PATH)
    with (
        tempfile.TemporaryDirectory() as scratch,
        serve("aslgraph.api.app:create_app", "/health") as (base, pid, ready),
    ):
        with urllib.request.urlopen(base + "/health") as response:  # noqa: S310 - loopback
            health = response.read().decode()
        bench("aslgraph: crosswalk lookup", base + CROSSWALK_PATH)
        bench("aslgraph: provision lookup", base + PROVISION_PATH)
        bench("aslgraph: SPARQL lookup", base + SPARQL_PATH)
        if load is run_wrk:
            unique = Path(scratch) / "unique.lua"
            unique.write_text(UNIQUE_QUERY_LUA)
            bench("(uncached) crosswalk lookup", base + CROSSWALK_PATH, unique)
            bench("(uncached) provision lookup", base + PROVISION_PATH + "?", unique)
        server_rss = rss_mib(pid)
        worker_rss = [rss_mib(child) for child in children(pid)]
    start_ups = [ready, *start_up(max(args.start_ups - 1, 0))]

    ceiling = results[0].rps
    rdflib_rps = results[1].rps
    print(
        f"\n{'case':40} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7} {'bytes':>7} "
        f"{'vs ref':>8}"
    )
    for r in results:
        ref = rdflib_rps if "SPARQL" in r.name else ceiling
        print(
            f"{r.name:40} {r.rps:9.0f} {r.p50_ms:8.2f} {r.p99_ms:8.2f} {r.errors:7d} "
            f"{r.body_bytes:7d} {r.rps / ref:7.2f}x"
        )
    print(
        f"\nstart-up, process spawn to /health answering: median {statistics.median(start_ups):.2f}"
        f" s of {len(start_ups)} ({', '.join(f'{t:.2f}' for t in start_ups)}); {health}"
    )
    print(
        f"resident memory: server {server_rss:.0f} MiB; worker processes "
        + (", ".join(f"{m:.0f}" for m in worker_rss) or "none")
        + " MiB"
    )
    print(
        "targets: REST >= 0.8x ceiling with p99 <= 10 ms; SPARQL >= 5x rdflib-endpoint; "
        "start-up <= 1 s; resident memory <= 150 MB"
    )
    if args.remote:
        remote_cases(args.seconds, args.connections)


if __name__ == "__main__":
    main()
