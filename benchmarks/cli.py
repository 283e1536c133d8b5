"""Benchmark: the command line as users run it, whole processes (issue 11, item 4).

Runs each command ``--runs`` times (default 5) as a fresh ``python -m aslgraph.cli.main``
process and prints the median and the slowest wall time and the peak resident memory of the
process (``ru_maxrss`` of the child, as ``/usr/bin/time`` reports it), beside the issue's
target where it names one. The 10^3-triple graph is generated (:mod:`benchmarks.orggen`).

The processes run as an installed command does: with bytecode caches written (the benchmark
drops ``PYTHONDONTWRITEBYTECODE`` from their environment) and the store cache of
``ASLGRAPH_CACHE_DIR``. A first, untimed run of each command fills both; its time is printed
apart ("first s"), since a user pays it once after installing or changing the data.

Run: ``.venv/bin/python -m benchmarks.cli [--runs 5]``. Not a test: it asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.orggen import generate

ROOT = Path(__file__).resolve().parents[1]
HEALTH = "examples/invalid/health-agents-short-of-their-policy.ttl"
THREE = "examples/valid/us-large-frontier-developer-three-regimes.ttl"
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def _commands(graph: Path) -> list[tuple[str, list[str], float | None]]:
    """(name, arguments, target seconds or None)."""
    return [
        ("--help", ["--help"], 0.2),
        ("validate 10^3", ["validate", str(graph)], 0.5),
        ("crosswalk rsp:ASL3-SS", ["crosswalk", "rsp:ASL3-SS"], 0.5),
        ("check", ["check"], 2.0),
        ("regimes rsp", ["regimes", "rsp"], None),
        ("regimes FILE", ["regimes", THREE], None),
        ("posture example", ["posture", HEALTH], None),
        ("suppliers example", ["suppliers", HEALTH], None),
        ("plan example", ["plan", HEALTH], None),
        ("report example", ["report", HEALTH, "-o", os.devnull], None),
    ]


def run_command(args: list[str]) -> tuple[float, float, int]:
    """``aslgraph ARGS`` as a whole process: wall seconds, peak RSS in MiB (``ru_maxrss``: the
    largest of the process and those it forked, as ``/usr/bin/time`` reports it), exit status."""
    start = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-m", "aslgraph.cli.main", *args],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=ENV,
    )
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    return seconds, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        graph = Path(tmp) / "org-1000.nt"
        data, _ = generate(1000, seed=7, rate=0.3)
        graph.write_text(data, encoding="utf-8")
        print(f"load average {os.getloadavg()[0]:.2f}; {args.runs} runs each")
        print(
            f"{'command':24} {'first s':>8} {'median s':>9} {'max s':>7} {'peak MiB':>9} "
            f"{'target s':>9}  exit"
        )
        for name, command, target in _commands(graph):
            first = run_command(command)[0]
            runs = [run_command(command) for _ in range(args.runs)]
            times = [r[0] for r in runs]
            peak = max(r[1] for r in runs)
            codes = sorted({r[2] for r in runs})
            goal = f"{target:>9.1f}" if target is not None else f"{'-':>9}"
            print(
                f"{name:24} {first:>8.2f} {statistics.median(times):>9.2f} {max(times):>7.2f} "
                f"{peak:>9.0f} "
                f"{goal}  {','.join(map(str, codes))}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
