"""Benchmark: batch validation of many generated supplier graphs, in one process and on Dask.

Run: ``.venv/bin/python -m benchmarks.batch [--count 10000] [--triples 1000] [--workers 1,2]``.
It generates ``--count`` organisation graphs of about ``--triples`` triples each
(:func:`benchmarks.orggen.generate`, one seed per graph, N-Triples files), then checks them all
as ``aslgraph validate-batch`` does (:mod:`aslgraph.org.batch`): once in this process with the
same :func:`~aslgraph.org.batch.check` and OUT writer, and once on a local Dask cluster of each
``--workers`` count (processes, one thread each, 127.0.0.1). It prints the wall time, graphs/s,
the speed-up over the single process, the time spent validating per graph (for Dask, the
workers' task compute time), the load average around each run (the machine may be shared) and
whether every run wrote the same lines. The times leave out building the engine and loading
the knowledge graph (once per process) and the cluster's start; they include reading each
file, sending it to a worker and writing its line.
Not a test: it asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from aslgraph.config import Settings
from aslgraph.org.batch import (
    BatchSummary,
    Output,
    Source,
    check,
    error_line,
    open_client,
    read_graph,
    run_batch,
    sources,
)
from aslgraph.org.errors import UploadError
from aslgraph.org.jobs import OrgServices
from benchmarks.orggen import generate


def _generate(folder: Path, count: int, triples: int, rate: float, seed: int) -> int:
    """Write ``count`` graphs under ``folder`` (1,000 per sub-folder); their total triples."""
    total = 0
    for n in range(count):
        data, _injected = generate(triples, seed=seed + n, rate=rate)
        path = folder / f"{n // 1000:03d}" / f"supplier-{n:05d}.nt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(data, encoding="utf-8")
        total += data.count("\n")
    return total


def single_process(todo: list[Source], out: Path, settings: Settings) -> BatchSummary:
    """Check every graph here, one after the other, as a worker does."""
    services = OrgServices(settings)
    services.engine  # noqa: B018 - built before the clock starts, as on a worker
    services.catalog  # noqa: B018
    output = Output.open(out)
    summary = BatchSummary(workers=0)
    start = time.perf_counter()
    for source in todo:
        try:
            body, media = read_graph(source, max_bytes=settings.max_upload_bytes)
        except UploadError as exc:
            line = error_line(source.key, exc)
        else:
            line = check(source.key, body, media, None, services)
        if output.write(line):
            summary.count(line)
    summary.seconds = time.perf_counter() - start
    output.close()
    return summary


def on_dask(
    todo: list[Source], out: Path, settings: Settings, workers: int
) -> tuple[BatchSummary, float]:
    """Check every graph on a local cluster of ``workers`` processes; the summary and the
    seconds the workers spent in the tasks (Dask's task stream)."""
    from distributed import get_task_stream

    with open_client(None, workers=workers) as client:
        output = Output.open(out)
        try:
            with get_task_stream(client) as stream:
                summary = run_batch(todo, output, client, settings)
        finally:
            output.close()
    busy = sum(
        part["stop"] - part["start"]
        for task in stream.data
        for part in task["startstops"]
        if part["action"] == "compute"
    )
    return summary, busy


def _load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def _sorted_lines(path: Path) -> list[bytes]:
    return sorted(path.read_bytes().splitlines())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000, help="graphs to generate")
    parser.add_argument("--triples", type=float, default=1e3, help="triples per graph")
    parser.add_argument("--workers", default="1,2", help="Dask worker counts to run")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--rate", type=float, default=0.3)
    args = parser.parse_args(argv)
    settings = Settings()
    counts = [int(n) for n in args.workers.split(",") if n]
    with tempfile.TemporaryDirectory(prefix="aslgraph-batch-") as tmp:
        folder = Path(tmp) / "graphs"
        start = time.perf_counter()
        triples = _generate(folder, args.count, int(args.triples), args.rate, args.seed)
        print(f"generated {args.count:,} graphs, {triples:,} triples "
              f"({triples / args.count:,.0f} per graph) in {time.perf_counter() - start:.1f} s; "
              f"{os.cpu_count()} CPUs", flush=True)  # fmt: skip
        todo = sources(folder)
        print(f"\n{'run':20} {'graphs':>7} {'conform':>8} {'violate':>8} {'unread':>7} "
              f"{'seconds':>8} {'graphs/s':>9} {'speed-up':>9} {'busy ms/graph':>14}  "
              "same lines  load avg before / after", flush=True)  # fmt: skip
        reference: list[bytes] = []
        base = 0.0
        for workers in [0, *counts]:
            out = Path(tmp) / f"run-{workers}.jsonl"
            before = _load()
            if workers == 0:
                name = "single process"
                summary = single_process(todo, out, settings)
                busy = summary.seconds
                reference, base = _sorted_lines(out), summary.rate
            else:
                name = f"dask, {workers} worker(s)"
                summary, busy = on_dask(todo, out, settings, workers)
            same = _sorted_lines(out) == reference
            speed = summary.rate / base if base else 0.0
            per_graph = 1000 * busy / summary.graphs if summary.graphs else 0.0
            print(f"{name:20} {summary.graphs:>7} {summary.conforming:>8} "
                  f"{summary.violating:>8} {summary.unreadable:>7} {summary.seconds:>8.1f} "
                  f"{summary.rate:>9.1f} {speed:>8.2f}x {per_graph:>14.1f}  {same!s:10}  "
                  f"{before} / {_load()}", flush=True)  # fmt: skip
        print("\nbusy: time in the validation itself (for Dask: the workers' task compute time, "
              "from the task stream), summed over workers; seconds: wall time")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
