"""Benchmark: memory the service keeps after one large validation (issue 9).

Starts the shipped server (``python -m aslgraph serve``), then POSTs one N-Triples graph of
``--mib`` MiB (default 255, just under the 256 MiB upload cap) to /api/validate and prints the
resident memory (VmRSS) of the server process and of each worker before, at the peak (sampled
every 0.1 s) and after the answer, once idle. The graph is plain triples no shape targets, so
the time goes to receiving, screening and parsing it, which is where the memory goes.

Run: ``.venv/bin/python -m benchmarks.memory [--mib 255] [--env NAME=VALUE]``. Asserts nothing.
"""

from __future__ import annotations

import argparse
import sys
import threading
import time

import httpx

from benchmarks.http import children, rss_mib, run_server

LINE = '<urn:x:s{n:09d}> <urn:x:p> "a literal of some forty-odd bytes, {n:09d}" .\n'


def _graph(mib: float) -> bytes:
    size = int(mib * 1_048_576)
    one = len(LINE.format(n=0))
    return "".join(LINE.format(n=n) for n in range(size // one)).encode("ascii")


def _snapshot(server: int) -> dict[str, float]:
    found = {"server": rss_mib(server)}
    for pid in children(server):
        try:
            found[f"worker {pid}"] = rss_mib(pid)
        except OSError:
            continue
    return found


def _show(label: str, snapshot: dict[str, float]) -> None:
    parts = ", ".join(f"{name} {mib:.0f}" for name, mib in sorted(snapshot.items()))
    total = sum(snapshot.values())
    print(f"{label:<8} total {total:6.0f} MiB  ({parts})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mib", type=float, default=255.0)
    parser.add_argument("--env", action="append", default=[], metavar="NAME=VALUE")
    args = parser.parse_args()
    body = _graph(args.mib)
    env = {"ASLGRAPH_ACCESS_LOG": "false"}
    env.update(item.split("=", 1) for item in args.env)
    command = [sys.executable, "-m", "aslgraph", "serve", "--host", "127.0.0.1", "--port"]
    with (
        run_server(lambda port: [*command, str(port)], "/health/ready", env) as (base, pid, _),
        httpx.Client(base_url=base, timeout=600) as client,
    ):
        client.post(  # warm the validation worker
            "/api/validate", content=b"", headers={"Content-Type": "application/n-triples"}
        )
        time.sleep(1)
        _show("before", _snapshot(pid))
        peak: dict[str, float] = {}
        done = threading.Event()

        def sample() -> None:
            while not done.is_set():
                for name, mib in _snapshot(pid).items():
                    peak[name] = max(peak.get(name, 0.0), mib)
                time.sleep(0.1)

        sampler = threading.Thread(target=sample)
        sampler.start()
        start = time.perf_counter()
        response = client.post(
            "/api/validate", content=body, headers={"Content-Type": "application/n-triples"}
        )
        seconds = time.perf_counter() - start
        done.set()
        sampler.join()
        print(
            f"POST {len(body) / 1_048_576:.0f} MiB -> {response.status_code} in "
            f"{seconds:.1f} s ({response.json().get('triples', '?')} triples)"
        )
        _show("peak", peak)
        time.sleep(5)  # a recycled worker is replaced in the background
        _show("after", _snapshot(pid))


if __name__ == "__main__":
    main()
