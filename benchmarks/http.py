"""HTTP benchmark: issue 11's ratios for aslgraph's REST and SPARQL, from one run.

Starts on 127.0.0.1 (free ports): the raw-bytes FastAPI ceiling (``benchmarks.apps:ceiling``
under uvicorn), Oxigraph server (``oxigraph`` from PyPI, ``serve-read-only`` with the union
default graph, loaded with ``aslgraph export --format nquads``: the same data) and ``aslgraph
serve`` as shipped (its access log on, written to a file). Loads each with ``wrk`` (Debian
package ``wrk``; without it, a bounded Python load generator, which is slower than the servers
and so only a floor) and prints requests/s, p50, p99, errors and answer bytes per case, then
each of issue 11's targets with what was measured and whether it is met:

* REST uncached: a crosswalk and a provision lookup, each request with a new cache-buster
  parameter (so the answer cache never holds it), against the ceiling: >= 0.7x, p99 <= 10 ms;
* SPARQL fresh queries: the lookup (a different mapping subject each request) and the five
  analyst queries of ``benchmarks/queries/analyst-*.rq``, each request with a new comment, so
  no answer cache holds it, against Oxigraph server on the same data: >= 0.5x for the lookup,
  >= 0.3x for the analyst mix (the rows or triples of both answers are printed side by side);
* start-up: ``aslgraph serve`` spawned until ``/health/ready`` answers 200 (index built,
  workers up), the median of ``--start-ups`` spawns: <= 1 s;
* memory: the server's and its workers' resident memory after the run: <= 250 MiB.

``--rdflib`` adds rdflib-endpoint (slow: information only). With ``--remote`` it also serves
the same knowledge graph from the embedded store, from Oxigraph server and from Virtuoso as
aslgraph's store (:mod:`benchmarks.stores`; decision 0016) and prints, per store: the load, the
start-up, the snapshot the catalog reads, repeated REST lookups, and SPARQL cache misses.

Run: ``.venv/bin/python -m benchmarks.http [--seconds 10] [--connections 16] [--remote]``.
Nothing here asserts: it is a runner, not a test.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import itertools
import json
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
from typing import IO

from benchmarks.apps import CEILING_BODIES, FLOOR_BODY
from benchmarks.cli import ENV

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
    command: Callable[[int], list[str]],
    ready_path: str,
    env: dict[str, str] | None = None,
    *,
    quiet: bool = False,
    output: IO[bytes] | None = None,
) -> Iterator[tuple[str, int, float]]:
    """Run ``command(port)`` on a free port; yield (base URL, pid, seconds to ready); stop it
    with SIGTERM at the end. Its output goes to ``output`` (or nowhere when ``quiet``)."""
    port = free_port()
    out = output if output is not None else (subprocess.DEVNULL if quiet else None)
    # as a user's server runs: its bytecode written once, not compiled again at every start
    process = subprocess.Popen(
        command(port), cwd=ROOT, env={**ENV, **(env or {})}, stdout=out, stderr=out
    )
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


@dataclass(frozen=True)
class Case:
    """What one load sends: GETs of ``paths`` in turn; with ``fresh``, a number new on every
    request appended to each (so no answer cache ever holds it), with an Accept header."""

    name: str
    base: str
    paths: tuple[str, ...]
    fresh: str | None = None
    """What goes before the number: ``FRESH_PARAM`` or ``FRESH_COMMENT``; None: repeat."""
    accept: str | None = None

    def path(self, n: int) -> str:
        path = self.paths[n % len(self.paths)]
        return path if self.fresh is None else f"{path}{self.fresh}{n}"


FRESH_PARAM = "&_n="
"""A query parameter no route reads, as a cache-buster sends it."""
FRESH_COMMENT = "%0A%23%20"
"""A SPARQL comment on a line of its own (URL-encoded newline, ``#`` and space)."""


def _lua(case: Case) -> str:
    """A wrk script sending ``case``'s requests (one wrk thread: the counter is the run's)."""
    paths = ", ".join(f'"{p}"' for p in case.paths)  # URL-encoded: no quote or backslash
    accept = f'wrk.headers["Accept"] = "{case.accept}"\n' if case.accept else ""
    suffix = f'"{case.fresh}" .. counter' if case.fresh is not None else '""'
    return (
        f"local paths = {{{paths}}}\nlocal counter = 0\n{accept}"
        "request = function()\n"
        f"  local path = paths[(counter % #paths) + 1]\n"
        f"  local sent = path .. {suffix}\n"
        "  counter = counter + 1\n"
        '  return wrk.format("GET", sent)\n'
        "end\n"
    )


def run_wrk(case: Case, seconds: int, connections: int) -> Result:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(_lua(case))
    try:
        out = subprocess.run(
            ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", script.name,
             case.base + case.paths[0]],
            capture_output=True,
            text=True,
            check=True,
        ).stdout  # fmt: skip
    finally:
        os.unlink(script.name)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    # anchored: a "+/- Stdev" column such as "87.50%" must not pass for the 50% line
    p50 = _ms(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1))  # type: ignore[union-attr]
    p99 = _ms(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1))  # type: ignore[union-attr]
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = int(bad.group(1)) if bad else 0
    return Result(case.name, rps, p50, p99, errors)


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
            await _read_body(reader, head)
            latencies.append(time.perf_counter() - start)
            if not head.startswith(b"HTTP/1.1 2"):
                errors += 1
        writer.close()

    await asyncio.gather(*(one() for _ in range(connections)))
    return latencies, errors


async def _read_body(reader: asyncio.StreamReader, head: bytes) -> None:
    """Read the body of an answer whose head is ``head``: by its length, or chunk by chunk."""
    length = re.search(rb"content-length: (\d+)", head, re.I)
    if length is not None:
        await reader.readexactly(int(length.group(1)))
        return
    while True:  # Transfer-Encoding: chunked
        size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
        await reader.readexactly(size + 2)
        if size == 0:
            return


def _requests(case: Case) -> Callable[[], bytes]:
    counter = itertools.count()
    accept = f"Accept: {case.accept}\r\n" if case.accept else ""

    def request() -> bytes:
        path = case.path(next(counter))
        return f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{accept}\r\n".encode()

    return request


def run_python(case: Case, seconds: int, connections: int) -> Result:
    """The same load as :func:`run_wrk`, from Python (slower: a floor, not a measure)."""
    found = asyncio.run(_load(case.base, seconds, connections, _requests(case)))
    return _summary(case.name, *found, seconds)


def fetch(base: str, path: str, accept: str | None = None) -> tuple[int, bytes]:
    """GET ``base + path`` (a loopback server this benchmark started): status and body."""
    headers = {"Accept": accept} if accept else {}
    request = urllib.request.Request(base + path, headers=headers)  # noqa: S310 - loopback
    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 - loopback
        return response.status, response.read()


def _unique_sparql_load(base: str, seconds: int, connections: int) -> tuple[list[float], int]:
    """Like :func:`_python_load`, but each request's query text is new (a numbered comment),
    so that none is answered from the SPARQL answer cache."""
    case = Case("", base, (SPARQL_PATH,), FRESH_COMMENT)
    return asyncio.run(_load(base, seconds, connections, _requests(case)))


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
            provision = Case(name, base, (PROVISION_PATH,))
            run_python(provision, 2, connections)  # warm-up
            rest = run_python(provision, seconds, connections)
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


SPARQL_JSON = "application/sparql-results+json"
TURTLE = "text/turtle"
ANALYST = sorted((ROOT / "benchmarks" / "queries").glob("analyst-*.rq"))
"""The five-query analyst mix of issue 11 (join with OPTIONAL, aggregate, path, regex, DESCRIBE)."""
LOOKUP_SUBJECTS = (
    "PREFIX asl: <https://w3id.org/aslgraph/ontology#> "
    "SELECT DISTINCT ?s WHERE { ?m asl:mappingSubject ?s } ORDER BY ?s"
)


def _open(path: str) -> str:
    """``path`` ready for another query parameter (:data:`FRESH_PARAM`)."""
    return path if "?" in path else path + "?"


def _uncached(name: str, base: str, paths: list[str]) -> Case:
    """GETs of ``paths`` in turn, each with a new cache-buster."""
    return Case(name, base, tuple(_open(p) for p in paths), FRESH_PARAM)


def _query_path(endpoint: str, query: str) -> str:
    return f"{endpoint}?{urllib.parse.urlencode({'query': query})}"


def _lookup_query(subject: str) -> str:
    return SPARQL_LOOKUP.replace("<https://w3id.org/aslgraph/id/rsp/ASL3-SS>", f"<{subject}>")


def _rows(body: bytes, accept: str) -> int:
    """Solutions in a SPARQL JSON answer, or triples in a Turtle one (to check two servers
    answer the same)."""

    import pyoxigraph as ox

    if accept == SPARQL_JSON:
        return len(json.loads(body)["results"]["bindings"])
    return len(list(ox.parse(body, format=ox.RdfFormat.TURTLE)))


@contextmanager
def oxigraph_server() -> Iterator[str]:
    """Oxigraph server (``oxigraph`` from PyPI) serving the knowledge graph read-only, its
    default graph the union of the graphs (as aslgraph's is); yields its base URL."""
    from benchmarks import stores

    with tempfile.TemporaryDirectory(prefix="aslgraph-oxigraph-") as scratch:
        folder = Path(scratch)
        dump = folder / "kg.nq"
        subprocess.run(
            [sys.executable, "-m", "aslgraph", "export", "--format", "nquads", "-o", str(dump)],
            cwd=ROOT, check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip
        store = folder / "store"
        subprocess.run(
            [str(stores.OXIGRAPH), "load", "--location", str(store), "--file", str(dump)],
            check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        with run_server(
            lambda port: [str(stores.OXIGRAPH), "serve-read-only", "--location", str(store),
                          "--bind", f"127.0.0.1:{port}", "--union-default-graph"],
            "/query?query=ASK%7B%7D",
            quiet=True,
        ) as (base, _pid, _ready):  # fmt: skip
            yield base


@contextmanager
def aslgraph_serve(log: Path) -> Iterator[tuple[str, int, float]]:
    """``aslgraph serve`` as shipped (its access log on, written to ``log``); yields (base URL,
    pid, seconds from spawn until /health/ready answers 200: index built, workers up)."""
    with (
        log.open("ab") as out,
        run_server(
            lambda port: [sys.executable, "-m", "aslgraph", "serve", "--port", str(port)],
            "/health/ready",
            output=out,
        ) as started,
    ):
        yield started


def start_up(runs: int, log: Path) -> list[float]:
    """Seconds from ``aslgraph serve``'s spawn to /health/ready answering 200, ``runs`` times."""
    times = []
    for _ in range(runs):
        with aslgraph_serve(log) as (_base, _pid, ready):
            times.append(ready)
    return times


@dataclass(frozen=True)
class Ratio:
    """One of issue 11's targets, as measured."""

    name: str
    value: float
    target: float
    unit: str
    at_least: bool = True

    @property
    def met(self) -> bool:
        return self.value >= self.target if self.at_least else self.value <= self.target

    def line(self) -> str:
        sign = ">=" if self.at_least else "<="
        value = f"{self.value:.2f}{self.unit}"
        verdict = "met" if self.met else "NOT MET"
        return f"{self.name:48} {value:>10} {sign} {self.target:g}{self.unit:4} {verdict:>8}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--start-ups", type=int, default=3, help="spawns timed for start-up")
    parser.add_argument("--rdflib", action="store_true", help="also load rdflib-endpoint")
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
        f"{args.connections} connections, {args.seconds} s per case, {os.cpu_count()} cores; "
        f"load average before: {os.getloadavg()[0]:.2f}"
    )
    results: dict[str, Result] = {}

    def bench(case: Case) -> Result:
        load(case, 2, args.connections)  # warm-up: fills caches, page-hot, JIT-free
        result = load(case, args.seconds, args.connections)
        _status, body = fetch(case.base, case.path(10**9), case.accept)
        results[case.name] = dataclasses.replace(result, body_bytes=len(body))
        return results[case.name]

    ratios: list[Ratio] = []
    floors: list[str] = []
    with tempfile.TemporaryDirectory() as scratch:
        log = Path(scratch) / "access.log"
        if args.rdflib:
            with serve("benchmarks.apps:rdflib_endpoint", SPARQL_PATH) as (base, _pid, _ready):
                bench(Case("rdflib-endpoint: SPARQL lookup", base, (SPARQL_PATH,)))
        with oxigraph_server() as oxigraph, aslgraph_serve(log) as (base, pid, ready):
            subjects = json_subjects(base)
            # uncached: a different resource each request, with a cache-buster besides; the
            # ceiling answers each path with the very bytes aslgraph gives for it
            rest = {
                "crosswalk": [
                    "/api/crosswalk?" + urllib.parse.urlencode({"from": s}) for s in subjects
                ],
                "provision": provision_paths(base),
            }
            listed = {}
            for name, paths in rest.items():
                for n, path in enumerate(paths):
                    body_file = Path(scratch) / f"{name}-{n}.body"
                    body_file.write_bytes(fetch(base, path)[1])
                    parts = urllib.parse.urlsplit(path)
                    listed[f"{parts.path}?{parts.query}"] = str(body_file)
            bodies = Path(scratch) / "ceiling.json"
            bodies.write_text(json.dumps(listed), encoding="utf-8")
            ceilings = {}
            with serve("benchmarks.apps:ceiling", "/health", {CEILING_BODIES: str(bodies)}) as (
                ceiling_base,
                _pid,
                _ready,
            ):
                for name, paths in rest.items():
                    ceilings[name] = bench(
                        _uncached(f"ceiling: FastAPI, {name} bytes", ceiling_base, paths)
                    )
            bench(Case("aslgraph: crosswalk lookup (cached)", base, (CROSSWALK_PATH,)))
            for name, paths in rest.items():
                found = bench(_uncached(f"aslgraph: {name} lookup (uncached)", base, paths))
                ratio = found.rps / ceilings[name].rps
                ratios.append(Ratio(f"REST {name} uncached / ceiling", ratio, 0.7, "x"))
                ratios.append(
                    Ratio(f"REST {name} uncached p99", found.p99_ms, 10, " ms", at_least=False)
                )
            queries = [("lookup", [_lookup_query(s) for s in subjects], SPARQL_JSON, 0.5)]
            for path in ANALYST:
                text = path.read_text(encoding="utf-8")
                accept = TURTLE if "DESCRIBE" in text else SPARQL_JSON
                queries.append((path.stem.removeprefix("analyst-"), [text], accept, 0.3))
            for name, texts, accept, target in queries:
                pair = []
                for server, endpoint, url in (
                    ("oxigraph", "/query", oxigraph),
                    ("aslgraph", "/sparql", base),
                ):
                    paths = tuple(_query_path(endpoint, t) for t in texts)
                    case = Case(
                        f"{server}: SPARQL {name} (fresh)", url, paths, FRESH_COMMENT, accept
                    )
                    pair.append(bench(case))
                    rows = _rows(fetch(url, case.path(0), accept)[1], accept)
                    print(f"  {case.name}: {pair[-1].rps:.0f} req/s, {rows} rows or triples")
                ratio = pair[1].rps / pair[0].rps
                ratios.append(Ratio(f"SPARQL {name} fresh / Oxigraph server", ratio, target, "x"))
                if name == "lookup":
                    floors.append(_floor(bench, scratch, base, case, pair[0]))
            server_rss = rss_mib(pid)
            worker_rss = [rss_mib(child) for child in children(pid)]
        start_ups = [ready, *start_up(max(args.start_ups - 1, 0), log)]
        log_lines = sum(1 for _ in log.open("rb"))

    print(f"\n{'case':44} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7} {'bytes':>7}")
    for r in results.values():
        figures = f"{r.rps:9.0f} {r.p50_ms:8.2f} {r.p99_ms:8.2f} {r.errors:7d} {r.body_bytes:7d}"
        print(f"{r.name:44} {figures}")
    total = server_rss + sum(worker_rss)
    ratios.append(
        Ratio(
            "aslgraph serve: spawn to /health/ready (median)",
            statistics.median(start_ups),
            1.0,
            " s",
            at_least=False,
        )
    )
    ratios.append(
        Ratio(
            "resident memory, server + workers, after the run", total, 250, " MiB", at_least=False
        )
    )
    print(
        f"\nstart-up to ready: {', '.join(f'{t:.2f}' for t in start_ups)} s; memory: server "
        f"{server_rss:.0f} MiB, workers {', '.join(f'{m:.0f}' for m in worker_rss) or 'none'} MiB; "
        f"access log: {log_lines} lines written"
    )
    for line in floors:
        print(line)
    print(f"\n{'issue 11 target':48} {'measured':>10} {'target':>9} {'':>8}")
    for ratio in ratios:
        print(ratio.line())
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    if args.remote:
        remote_cases(args.seconds, args.connections)


def _floor(
    bench: Callable[[Case], Result], scratch: str, base: str, lookup: Case, oxigraph: Result
) -> str:
    """Serve aslgraph's answer to ``lookup`` from the bare ASGI floor app (one uvicorn
    process, nothing behind it), load it as ``lookup`` was, and say what share of Oxigraph
    server's rate that is: the most a one-process Python server could reach here."""
    body = Path(scratch) / "floor.body"
    body.write_bytes(fetch(base, lookup.path(0), lookup.accept)[1])
    env = {FLOOR_BODY: str(body), "ASLGRAPH_BENCH_FLOOR_TYPE": lookup.accept or "text/plain"}
    with serve("benchmarks.apps:floor", "/", env) as (floor_base, _pid, _ready):
        name = "floor: bare ASGI, uvicorn, lookup bytes"
        found = bench(Case(name, floor_base, lookup.paths, FRESH_COMMENT, lookup.accept))
    return (
        f"one uvicorn process answering fixed bytes: {found.rps:.0f} req/s, "
        f"{found.rps / oxigraph.rps:.2f}x Oxigraph server's fresh lookups (the ceiling of any "
        "one-process Python server here)"
    )


def provision_paths(base: str, most: int = 600) -> list[str]:
    """The detail path of every provision (at most ``most``), from the REST listing."""
    paths: list[str] = []
    page = 1
    while len(paths) < most:
        _status, body = fetch(base, f"/api/provisions?size=100&page={page}")
        listing = json.loads(body)
        paths += [f"/api/provisions/{i['scheme']}/{i['local']}" for i in listing["items"]]
        if not listing["next"]:
            break
        page += 1
    return [urllib.parse.quote(p) for p in paths[:most]]


def json_subjects(base: str) -> list[str]:
    """The subjects of mappings, for lookups about a different subject in turn."""

    _status, body = fetch(base, _query_path("/sparql", LOOKUP_SUBJECTS), SPARQL_JSON)
    return [row["s"]["value"] for row in json.loads(body)["results"]["bindings"]]


if __name__ == "__main__":
    main()
