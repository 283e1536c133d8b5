"""Benchmark: validate generated organisation graphs with the fast engine and with pyshacl.

Run: ``.venv/bin/python -m benchmarks.validate [--sizes 1e3,1e4,1e5,1e6] [--pyshacl-max 1e4]``.
For each size it generates a graph (:mod:`benchmarks.orggen`, N-Triples), then runs each engine
in a fresh subprocess that parses the body as an upload is parsed
(:func:`aslgraph.org.upload.parse_upload`) and validates it as ``aslgraph validate`` does
(:func:`aslgraph.org.validate.validate`: the applicability engine decides every party's duties
and writes its determinations, then the shapes run), and prints the parse, decide (the
applicability engine and the posture service), shapes and end-to-end wall times, the peak
memory (VmHWM of the subprocess),
whether the results are identical to pyshacl's where pyshacl ran, and for the largest size the
time of each compiled check of the fast engine. Not a test: it asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict
from pathlib import Path

from benchmarks.orggen import generate


def _peak_rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def worker(engine_name: str, path: Path, out: Path) -> None:
    """Parse ``path`` as an upload is parsed (:func:`aslgraph.org.upload.parse_upload`), validate it
    with ``engine_name``, write JSON to ``out``."""
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
    report = validate(upload, engine, catalog, progress=progress).report
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


def _run(engine: str, path: Path) -> dict[str, object]:
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        subprocess.run(
            [sys.executable, "-m", "benchmarks.validate", "--worker", engine, str(path), out.name],
            check=True,
        )
        loaded: dict[str, object] = json.loads(Path(out.name).read_text(encoding="utf-8"))
        return loaded


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1e3,1e4,1e5,1e6")
    parser.add_argument("--pyshacl-max", type=float, default=1e4)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--rate", type=float, default=0.3)
    parser.add_argument(
        "--worker", nargs=3, metavar=("ENGINE", "FILE", "OUT"), help=argparse.SUPPRESS
    )
    args = parser.parse_args(argv)
    if args.worker:
        worker(args.worker[0], Path(args.worker[1]), Path(args.worker[2]))
        return 0
    sizes = [int(float(s)) for s in args.sizes.split(",")]
    print(f"{'triples':>9} {'engine':8} {'results':>8} {'parse s':>8} {'decide s':>8} "
          f"{'shapes s':>8} {'total s':>8} {'peak MB':>8}  identical to pyshacl")  # fmt: skip
    last: dict[str, object] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            data, injected = generate(size, seed=args.seed, rate=args.rate)
            path = Path(tmp) / f"org-{size}.nt"
            path.write_text(data, encoding="utf-8")
            runs = {"fast": _run("fast", path)}
            if size <= args.pyshacl_max:
                runs["pyshacl"] = _run("pyshacl", path)
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
                print(f"{size:>9} {name:8} {len(results):>8} {parse:>8.2f} {decide:>8.2f} "
                      f"{validate - decide:>8.2f} {parse + validate:>8.2f} {peak:>8.0f}  "
                      f"{same}")  # fmt: skip
            print(f"{'':>9} defects injected: {sum(injected.values())} "
                  f"({', '.join(f'{k} {v}' for k, v in sorted(injected.items()))})")  # fmt: skip
            last = runs["fast"]
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
