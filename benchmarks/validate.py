"""Benchmark: validate generated organisation graphs with the fast engine and with pyshacl.

Run: ``.venv/bin/python -m benchmarks.validate [--sizes 1e3,1e4,1e5,1e6] [--pyshacl-max 1e4]``.
For each size it generates a graph (:mod:`benchmarks.orggen`, N-Triples), then runs each engine
in a fresh subprocess that parses the body as an upload is parsed
(:func:`aslgraph.org.upload.parse_upload`) and validates it as ``aslgraph validate`` does
(:func:`aslgraph.org.validate.validate`: the applicability engine decides every party's duties
and writes its determinations, then the shapes run; the duties decided in ``--processes``
processes, by default as many as ``aslgraph validate`` uses), and prints the parse, decide (the
applicability engine and the posture service), shapes and end-to-end wall times, the peak
memory (VmHWM of the subprocess), whether the results are identical to pyshacl's where pyshacl
ran; then ``aslgraph validate`` itself as a whole process (issue 11's measure: wall time and
peak memory) and the growth exponent of that time over the sizes; and for the largest size the
time of each compiled check of the fast engine. Not a test: it asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import math
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict
from pathlib import Path

from aslgraph.workers.cpus import usable_cpus
from benchmarks.cli import run_command
from benchmarks.orggen import generate


def _peak_rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def worker(engine_name: str, path: Path, out: Path, processes: int) -> None:
    """Parse ``path`` as an upload is parsed (:func:`aslgraph.org.upload.parse_upload`), validate it
    with ``engine_name`` deciding in ``processes`` processes, write JSON to ``out``."""
    from aslgraph.config import Settings
    from aslgraph.kg.catalog import Catalog
    from aslgraph.org.posture.tables import tables
    from aslgraph.org.upload import parse_upload
    from aslgraph.org.validate import validate
    from aslgraph.shacl import FastEngine, build_engine
    from aslgraph.store import OxigraphStore

    settings = Settings()
    engine = build_engine("fast" if engine_name == "fast" else "pyshacl", settings)
    catalog = Catalog(OxigraphStore.from_paths(settings.kg_dirs, root=settings.root), settings)
    tables(catalog)  # what a running service has read once, before any upload
    body = path.read_bytes()
    marks: dict[str, float] = {}

    def progress(stage: str, _done: int, _total: int) -> None:
        marks.setdefault(stage, time.perf_counter())

    start = time.perf_counter()
    upload = parse_upload(body, "application/n-triples")
    parsed = time.perf_counter()
    report = validate(upload, engine, catalog, progress=progress, processes=processes).report
    done = time.perf_counter()
    decided = marks.get("decided", parsed)
    timings = engine.last_timings if isinstance(engine, FastEngine) else []
    out.write_text(
        json.dumps(
            {
                "parse": parsed - start,
                "decide": decided - parsed,
                "validate": done - parsed,
                "peak_mb": _peak_rss_mb(),
                "conforms": report.conforms,
                "results": [asdict(r) for r in report.results],
                "timings": timings,
            }
        ),
        encoding="utf-8",
    )


def _run(engine: str, path: Path, processes: int) -> dict[str, object]:
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        command = [sys.executable, "-m", "benchmarks.validate", "--worker", engine]
        subprocess.run([*command, str(path), out.name, str(processes)], check=True)
        loaded: dict[str, object] = json.loads(Path(out.name).read_text(encoding="utf-8"))
        return loaded


def whole_process(path: Path) -> tuple[float, float]:
    """``aslgraph validate --format json FILE`` as a user runs it (its default processes): the
    wall time and the peak resident memory in MiB (:func:`benchmarks.cli.run_command`)."""
    args = ["validate", "--format", "json", "--no-progress", str(path)]
    seconds, peak, status = run_command(args)
    if status not in (0, 1):  # 1: the graph has violations, as generated
        raise SystemExit(f"aslgraph validate exited {status} on {path}")
    return seconds, peak


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1e3,1e4,1e5,1e6")
    parser.add_argument("--pyshacl-max", type=float, default=1e4)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--rate", type=float, default=0.3)
    parser.add_argument(
        "--processes",
        type=int,
        default=usable_cpus(),
        help="processes the duties are decided in (default: as aslgraph validate, the CPUs)",
    )
    parser.add_argument(
        "--worker", nargs=4, metavar=("ENGINE", "FILE", "OUT", "N"), help=argparse.SUPPRESS
    )
    args = parser.parse_args(argv)
    if args.worker:
        engine, file, out, processes = args.worker
        worker(engine, Path(file), Path(out), int(processes))
        return 0
    sizes = [int(float(s)) for s in args.sizes.split(",")]
    print(f"deciding in {args.processes} processes; 'process' columns: aslgraph validate as a "
          "whole process (start-up, catalog, report written)")  # fmt: skip
    print(f"{'triples':>9} {'engine':8} {'results':>8} {'parse s':>8} {'decide s':>8} "
          f"{'shapes s':>8} {'total s':>8} {'peak MB':>8} {'process s':>9} {'process MB':>10}"
          "  identical to pyshacl")  # fmt: skip
    last: dict[str, object] = {}
    wall: dict[int, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            data, injected = generate(size, seed=args.seed, rate=args.rate)
            path = Path(tmp) / f"org-{size}.nt"
            path.write_text(data, encoding="utf-8")
            runs = {"fast": _run("fast", path, args.processes)}
            if size <= args.pyshacl_max:
                runs["pyshacl"] = _run("pyshacl", path, args.processes)
            wall[size], peak_mb = whole_process(path)
            reference = runs.get("pyshacl")
            for name, run in runs.items():
                same = "-"
                if reference is not None:
                    same = str(
                        run["results"] == reference["results"]
                        and run["conforms"] == reference["conforms"]
                    )
                results = run["results"]
                assert isinstance(results, list)
                parse, validate = float(str(run["parse"])), float(str(run["validate"]))
                decide = float(str(run["decide"]))
                peak = float(str(run["peak_mb"]))
                whole = f"{wall[size]:>9.2f} {peak_mb:>10.0f}" if name == "fast" else " " * 20
                print(f"{size:>9} {name:8} {len(results):>8} {parse:>8.2f} {decide:>8.2f} "
                      f"{validate - decide:>8.2f} {parse + validate:>8.2f} {peak:>8.0f} "
                      f"{whole}  {same}")  # fmt: skip
            print(f"{'':>9} defects injected: {sum(injected.values())} "
                  f"({', '.join(f'{k} {v}' for k, v in sorted(injected.items()))})")  # fmt: skip
            last = runs["fast"]
    if len(wall) > 1:
        small, large = min(wall), max(wall)
        exponent = math.log(wall[large] / wall[small]) / math.log(large / small)
        print(f"\ngrowth exponent of the whole process from {small} to {large} triples: "
              f"{exponent:.2f}")  # fmt: skip
    timings = last.get("timings", [])
    assert isinstance(timings, list)
    print(f"\nfast engine, time per compiled check at {sizes[-1]} triples "
          "(wall time in its thread; checks run concurrently, so these add up to more than "
          "the validation):")  # fmt: skip
    for name, seconds, hits in sorted(timings, key=lambda t: -t[1]):
        print(f"  {seconds:7.3f} s  {hits:>6} results  {name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
