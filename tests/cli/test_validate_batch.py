"""``aslgraph validate-batch``'s usage errors, which start no cluster (the batch itself:
tests/integration/test_batch.py)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from aslgraph.cli.main import EXIT_USAGE, main

ROOT = Path(__file__).resolve().parents[2]


def test_without_dask_the_message_names_the_extra(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # as if it were not installed
    status = main(["validate-batch", str(ROOT / "examples"), "-o", str(tmp_path / "out.jsonl")])
    assert status == EXIT_USAGE
    err = capsys.readouterr().err
    assert "Dask distributed" in err
    assert "pip install 'aslgraph[batch]'" in err
    assert not (tmp_path / "out.jsonl").exists()


@pytest.mark.parametrize(
    ("target", "extra", "message"),
    [
        ("absent", [], "no such directory or manifest"),
        ("examples/valid/bank-deploying-agents.ttl", [], "is a graph, not a directory"),
        ("examples", ["--scheduler", "127.0.0.1:8786"], "--scheduler wants an address"),
        (
            "examples",
            ["--scheduler", "tcp://127.0.0.1:8786", "--workers", "4"],
            "--workers sizes the local cluster",
        ),
    ],
)
def test_bad_usage_exits_2_before_any_cluster(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    target: str,
    extra: list[str],
    message: str,
) -> None:
    out = tmp_path / "out.jsonl"
    status = main(["validate-batch", str(ROOT / target), "-o", str(out), *extra])
    assert status == EXIT_USAGE
    assert message in capsys.readouterr().err
    assert not out.exists()


def test_out_is_required(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["validate-batch", str(ROOT / "examples")])
    assert stopped.value.code == EXIT_USAGE
    assert "-o/--output" in capsys.readouterr().err
