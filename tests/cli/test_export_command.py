"""``aslgraph export``: the same files as ``GET /api/export/{format}``, to stdout or -o FILE,
and exit status 2 with one line on stderr for bad usage (decision 0015)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient

from aslgraph.cli.main import main
from aslgraph.store import OxigraphStore

ROOT = Path(__file__).resolve().parents[2]


def test_writes_the_same_file_as_the_route(
    tmp_path: Path, client: TestClient, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "rsp.sssom.tsv"
    status = main(
        ["export", "--format", "sssom", "--from", "rsp", "--to", "eu-ai-act", "-o", str(out)]
    )
    said = capsys.readouterr()
    assert status == 0, said.err
    assert said.out.startswith(f"wrote {out} (sssom, ")
    served = client.get("/api/export/sssom", params={"from": "rsp", "to": "eu-ai-act"})
    assert out.read_bytes() == served.content


def test_stdout_is_the_dump(kg: OxigraphStore) -> None:
    """Run as a real process: the bytes on stdout parse back to the store's quads."""
    done = subprocess.run(
        [sys.executable, "-m", "aslgraph", "export", "--format", "trig"],
        capture_output=True,
        timeout=300,
        check=False,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr.decode()
    quads = list(ox.parse(done.stdout, format=ox.RdfFormat.TRIG))
    assert len(quads) == len(kg)


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (
            ["--format", "sssom", "--from", "nope"],
            "unknown scheme (from) 'nope'; known schemes: rsp",
        ),
        (["--format", "csv", "--to", "nope"], "unknown scheme (to) 'nope'"),
        (["--format", "nquads", "--from", "rsp"], "nquads dumps the whole graph"),
        (["--format", "coverage-csv", "--from", "rsp"], "give both from and to"),
        (["--format", "oscal-mapping", "--from", "uk-aisi", "--to", "rsp"], "no mapping record"),
    ],
)
def test_bad_usage_exits_2(args: list[str], says: str, capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["export", *args])
    said = capsys.readouterr()
    assert status == 2
    assert said.out == ""
    assert said.err.startswith("aslgraph: ") and says in said.err
    assert said.err.count("\n") == 1


def test_unknown_format_is_refused_by_the_parser(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["export", "--format", "xlsx"])
    assert stopped.value.code == 2
    assert "invalid choice: 'xlsx'" in capsys.readouterr().err


def test_unwritable_output_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["export", "--format", "csv", "-o", str(tmp_path / "missing" / "out.csv")])
    assert status == 2
    assert capsys.readouterr().err.startswith(f"aslgraph: cannot write {tmp_path}")
