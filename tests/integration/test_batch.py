"""``aslgraph validate-batch`` on real Dask processes: a scheduler and two workers started here on
127.0.0.1, and the command's own local cluster.

Every line of OUT is compared with the same validation ``aslgraph validate --format json``
runs (:func:`aslgraph.org.jobs.run` and :func:`~aslgraph.org.jobs.serialise`), and with what the
examples' ``# expect:`` lines say (a file expecting a violation does not conform). One worker
is killed (SIGKILL) mid-batch: every file is still in OUT, exactly once.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from aslgraph.config import Settings
from aslgraph.media import FILE_SUFFIXES
from aslgraph.org.jobs import OrgJob, OrgServices, run, serialise
from aslgraph.org.validate import OrgValidation
from integration.conftest import ROOT, free_port
from org_expect import EXPECT_LINE

DASK = Path(sys.executable).with_name("dask")
EXAMPLES = sorted((ROOT / "examples").glob("*/*.ttl"))
START_TIMEOUT = 60.0
BATCH_TIMEOUT = 300.0
ENV = {**os.environ, "ASLGRAPH_ROOT": str(ROOT)}
WORKER = ["--nworkers", "1", "--nthreads", "1", "--no-nanny", "--host", "127.0.0.1"]


def expects_violation(path: Path) -> bool:
    """Whether the example's own ``# expect:`` lines name a violation (on its own date)."""
    for line in path.read_text(encoding="utf-8").splitlines():
        match = EXPECT_LINE.match(line)
        if match and match.group(1) is None and match.group(2).split()[0] == "violation":
            return True
    return False


@dataclass
class Cluster:
    address: str
    scheduler: subprocess.Popen[bytes]
    workers: list[subprocess.Popen[bytes]]


def _wait_for(log: Path, text: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if text in log.read_text(encoding="utf-8", errors="replace"):
            return
        if process.poll() is not None:
            break
        time.sleep(0.1)
    raise RuntimeError(f"{log.name}: no {text!r} within {START_TIMEOUT} s:\n{log.read_text()}")


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.kill()  # nothing of theirs is kept: no need to wait for a graceful close
        process.wait(timeout=15)


@pytest.fixture
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    """A ``dask scheduler`` and two ``dask worker`` processes (no nanny: a killed worker stays
    dead), every listener on 127.0.0.1."""
    logs = tmp_path_factory.mktemp("dask")
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    quiet = ["--no-dashboard", "--dashboard-address", "127.0.0.1:0"]
    started: list[subprocess.Popen[bytes]] = []
    try:
        log = logs / "scheduler.log"
        with log.open("wb") as sink:
            scheduler = subprocess.Popen(
                [str(DASK), "scheduler", "--host", "127.0.0.1", "--port", str(port), *quiet],
                env=ENV,
                stdout=sink,
                stderr=subprocess.STDOUT,
            )
        started.append(scheduler)
        _wait_for(log, "Scheduler at:", scheduler)
        workers = []
        for n in range(2):
            log = logs / f"worker-{n}.log"
            with log.open("wb") as sink:
                worker = subprocess.Popen(
                    [str(DASK), "worker", address, *WORKER, "--local-directory", str(logs), *quiet],
                    env=ENV,
                    stdout=sink,
                    stderr=subprocess.STDOUT,
                )
            started.append(worker)
            workers.append(worker)
            _wait_for(log, "Registered to:", worker)
        yield Cluster(address, scheduler, workers)
    finally:
        for process in reversed(started):
            _stop(process)


@pytest.fixture(scope="module")
def services() -> OrgServices:
    return OrgServices(Settings())


def _batch(*args: str) -> list[str]:
    return [sys.executable, "-m", "aslgraph", "validate-batch", *args]


def _lines(out: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


def _expected(path: Path, services: OrgServices, as_of: date | None = None) -> dict[str, object]:
    """What ``aslgraph validate --format json [--as-of]`` reports for ``path``."""
    job = OrgJob(op="validate", media_type=FILE_SUFFIXES[path.suffix], as_of=as_of)
    outcome = run(job, path.read_bytes(), services)
    assert isinstance(outcome, OrgValidation)
    report = json.loads(serialise(outcome, "json", services)[1])
    report["findings"] = [
        [group["provision"]["curie"] if group["provision"] else None, result["severity"],
         result["message"], result["focus"], result["path"], result["value"]]
        for group in report.pop("groups")
        for result in group["results"]
    ]  # fmt: skip
    report["verdicts"] = [p.verdicts for p in outcome.postures]
    return report


def _as_reported(line: dict[str, object]) -> dict[str, object]:
    findings = line["findings"]
    verdicts = line["verdicts"]
    assert isinstance(findings, list) and isinstance(verdicts, list)
    return {
        "conforms": line["conforms"],
        "as_of": line["as_of"],
        "triples": line["triples"],
        "counts": line["counts"],
        "findings": [
            [f["provision"], f["severity"], f["message"], f["focus"], f["path"], f["value"]]
            for f in findings
        ],
        "verdicts": [v["verdicts"] for v in verdicts],
    }


def test_a_batch_on_a_scheduler_gives_what_validate_gives_each_file(
    cluster: Cluster, services: OrgServices, tmp_path: Path
) -> None:
    manifest = tmp_path / "graphs.txt"
    listed = [os.path.relpath(path, tmp_path) for path in EXAMPLES]
    manifest.write_text(
        "# every example, one listed twice\n\n" + "\n".join([*listed, listed[0]]) + "\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.jsonl"
    done = subprocess.run(
        _batch(str(manifest), "--scheduler", cluster.address, "-o", str(out)),
        env=ENV,
        capture_output=True,
        text=True,
        timeout=BATCH_TIMEOUT,
        check=False,
    )
    assert done.returncode == 1, done.stderr  # the invalid examples violate
    lines = _lines(out)
    assert sorted(str(line["file"]) for line in lines) == sorted(listed)
    for line in lines:
        path = (tmp_path / str(line["file"])).resolve()
        assert line["error"] is None, line
        assert line["conforms"] is not expects_violation(path), path.name
        expected = _expected(path, services)
        for key in ("groups", "engine"):
            expected.pop(key, None)
        assert _as_reported(line) == expected, path.name
    summary = done.stdout.splitlines()
    assert summary[0].split() == [
        "graphs", "conforming", "violating", "unreadable", "seconds", "graphs/s"
    ]  # fmt: skip
    valid = sum(1 for path in EXAMPLES if not expects_violation(path))
    counted = [len(EXAMPLES), valid, len(EXAMPLES) - valid, 0]
    assert summary[1].split()[:4] == [str(n) for n in counted]

    # the workers' profiler is stopped: it frees sampled frames, and the pyoxigraph iterators
    # they hold, on the event loop's thread (PyO3 refuses: "PyQuerySolutions is unsendable")
    from distributed import Client

    with Client(cluster.address, timeout=30) as client:
        running = client.run(
            lambda dask_worker: sorted(
                name
                for name in ("profile", "profile-cycle")
                if dask_worker.periodic_callbacks[name].is_running()
            )
        )
    assert all(names == [] for names in running.values()), running
    assert len(running) == len(cluster.workers)

    # --as-of passes through to every graph, as with aslgraph validate --as-of
    later = date(2028, 1, 1)
    out_later = tmp_path / "later.jsonl"
    again = subprocess.run(
        _batch(
            str(ROOT / "examples" / "valid"),
            *("--scheduler", cluster.address, "--as-of", later.isoformat(), "-o", str(out_later)),
        ),
        env=ENV,
        capture_output=True,
        text=True,
        timeout=BATCH_TIMEOUT,
        check=False,
    )
    assert again.returncode in (0, 1), again.stderr
    later_lines = _lines(out_later)
    assert len(later_lines) == sum(1 for path in EXAMPLES if path.parent.name == "valid")
    changed = 0
    for line in later_lines:
        path = ROOT / "examples" / "valid" / str(line["file"])
        expected = _expected(path, services, later)
        expected.pop("engine", None)
        assert _as_reported(line) == expected, path.name
        changed += _as_reported(line) != {
            k: v for k, v in _expected(path, services).items() if k != "engine"
        }
    assert all(line["as_of"] == later.isoformat() for line in later_lines)
    assert changed  # the later date changes some answers: it really was passed on


def _copies(graphs: Path, count: int, nest: bool) -> list[str]:
    """``count`` copies of every example under ``graphs`` (``copy-N/valid/NAME`` when ``nest``,
    else ``copy-N/NAME``); their paths relative to ``graphs``, sorted."""
    for n in range(count):
        for path in EXAMPLES:
            where = graphs / f"copy-{n:02d}"
            target = where / path.parent.name / path.name if nest else where / path.name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
    return sorted(p.relative_to(graphs).as_posix() for p in graphs.rglob("*.ttl"))


def _started(graphs: Path, cluster: Cluster, out: Path) -> subprocess.Popen[bytes]:
    """A batch over ``graphs`` on ``cluster``, once it has written its first line (a batch that
    ended before is returned as it is: the caller asserts it still runs)."""
    batch = subprocess.Popen(
        _batch(str(graphs), "--scheduler", cluster.address, "-o", str(out)),
        env=ENV,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + BATCH_TIMEOUT
    while time.monotonic() < deadline and batch.poll() is None:
        if out.exists() and out.read_bytes().count(b"\n") >= 1:
            break
        time.sleep(0.02)
    return batch


def test_a_worker_killed_mid_batch_loses_nothing_and_doubles_nothing(
    cluster: Cluster, tmp_path: Path
) -> None:
    graphs = tmp_path / "graphs"
    files = _copies(graphs, 6, nest=True)  # enough that work remains when the first line appears
    out = tmp_path / "out.jsonl"
    batch = _started(graphs, cluster, out)
    try:
        assert batch.poll() is None, "the batch ended before a worker could be killed"
        victim = cluster.workers[0]
        victim.send_signal(signal.SIGKILL)
        assert victim.wait(timeout=15) == -signal.SIGKILL
        written_at_kill = out.read_bytes().count(b"\n")
        stdout, stderr = batch.communicate(timeout=BATCH_TIMEOUT)
    finally:
        if batch.poll() is None:
            batch.kill()
            batch.wait()
    assert written_at_kill < len(files), "no work was left when the worker was killed"
    assert batch.returncode == 1, stderr.decode()
    lines = _lines(out)
    written = [str(line["file"]) for line in lines]
    assert len(written) == len(set(written)), "a file was written twice"
    assert sorted(written) == files, "a file is missing"
    for line in lines:
        assert line["error"] is None, line
        copy = Path(str(line["file"]))
        original = ROOT / "examples" / copy.relative_to(copy.parts[0])
        assert line["conforms"] is not expects_violation(original), line["file"]
    assert stdout.decode().splitlines()[1].split()[0] == str(len(files))


def test_a_local_cluster_writes_unreadable_graphs_as_lines_and_resumes(tmp_path: Path) -> None:
    graphs = tmp_path / "graphs"
    graphs.mkdir()
    valid = [path for path in EXAMPLES if path.parent.name == "valid"][:3]
    for path in valid:
        shutil.copyfile(path, graphs / path.name)
    (graphs / "broken.ttl").write_text("@prefix ex: <https://example.org/> .\nex:a ex:b", "utf-8")
    (graphs / "empty.nt").write_bytes(b"")
    (graphs / "notes.txt").write_text("not a graph", encoding="utf-8")  # not by its suffix
    out = tmp_path / "out.jsonl"
    first = subprocess.run(
        _batch(str(graphs), "--workers", "1", "-o", str(out)),
        env=ENV,
        capture_output=True,
        text=True,
        timeout=BATCH_TIMEOUT,
        check=False,
    )
    assert first.returncode == 2, first.stderr  # a graph could not be read
    lines = {str(line["file"]): line for line in _lines(out)}
    assert sorted(lines) == sorted([*(p.name for p in valid), "broken.ttl", "empty.nt"])
    for path in valid:
        assert lines[path.name]["conforms"] is True
    broken, empty = lines["broken.ttl"], lines["empty.nt"]
    assert broken["conforms"] is None and empty["conforms"] is None
    assert isinstance(broken["error"], dict) and isinstance(empty["error"], dict)
    assert broken["error"]["kind"] == "invalid-rdf"
    assert broken["error"]["line"] == 2
    assert empty["error"]["kind"] == "empty-body"
    assert first.stdout.splitlines()[1].split()[:4] == ["5", "3", "0", "2"]

    # resume: a partial last line (a crash mid-write) is cut off, kept lines are not redone
    (graphs / "empty.nt").unlink()
    added = next(path for path in EXAMPLES if path.parent.name == "invalid")
    shutil.copyfile(added, graphs / added.name)
    with out.open("ab") as sink:
        sink.write(b'{"file":"half-writ')
    second = subprocess.run(
        _batch(str(graphs), "--workers", "1", "--resume", "-o", str(out)),
        env=ENV,
        capture_output=True,
        text=True,
        timeout=BATCH_TIMEOUT,
        check=False,
    )
    assert second.returncode == 2, second.stderr  # broken.ttl is still among OUT's lines
    resumed = _lines(out)
    files = [str(line["file"]) for line in resumed]
    assert len(files) == len(set(files))
    assert files[:5] == list(lines)  # the earlier lines, unchanged and first
    assert files[5:] == [added.name]
    assert resumed[5]["conforms"] is False
    assert second.stdout.splitlines()[1].split()[0] == "1"
    assert "(4 already in OUT, skipped)" in second.stdout


def test_a_lost_scheduler_stops_the_batch_with_3_and_a_resume_finishes_it(
    cluster: Cluster, tmp_path: Path
) -> None:
    graphs = tmp_path / "graphs"
    files = _copies(graphs, 3, nest=False)
    out = tmp_path / "out.jsonl"
    batch = _started(graphs, cluster, out)
    try:
        assert batch.poll() is None, "the batch ended before the scheduler could be killed"
        cluster.scheduler.send_signal(signal.SIGKILL)
        _stdout, stderr = batch.communicate(timeout=BATCH_TIMEOUT)
    finally:
        if batch.poll() is None:
            batch.kill()
            batch.wait()
    assert batch.returncode == 3, stderr.decode()
    assert "run again with --resume" in stderr.decode()
    kept = [str(line["file"]) for line in _lines(out)]
    assert 0 < len(kept) < len(files)
    assert all(line["error"] is None for line in _lines(out))  # nothing written as failed

    resumed = subprocess.run(
        _batch(str(graphs), "--workers", "1", "--resume", "-o", str(out)),
        env=ENV,
        capture_output=True,
        text=True,
        timeout=BATCH_TIMEOUT,
        check=False,
    )
    assert resumed.returncode == 1, resumed.stderr
    written = [str(line["file"]) for line in _lines(out)]
    assert written[: len(kept)] == kept
    assert len(written) == len(set(written)), "a file was written twice"
    assert sorted(written) == files, "a file is missing"
    assert resumed.stdout.splitlines()[1].split()[0] == str(len(files) - len(kept))
