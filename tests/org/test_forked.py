"""Deciding a graph's many parties in forked processes (``workers/forked.py``, ``org/validate.py
decide``): the same answer in the same order as one process, a failed share raised, a lost share
never silently dropped."""

from __future__ import annotations

import os
import signal

import pytest
from benchmarks.orggen import generate

from aslgraph.kg.catalog import Catalog
from aslgraph.org import validate as validation
from aslgraph.org.upload import parse_upload
from aslgraph.workers.forked import ShareLostError, can_fork, fan_out

pytestmark = pytest.mark.skipif(not can_fork(), reason="no fork on this platform")


def _pid(index: int, count: int) -> tuple[int, int, int]:
    return index, count, os.getpid()


def test_shares_come_back_in_order_each_from_its_own_process() -> None:
    results = fan_out(_pid, 3)
    assert [(i, n) for i, n, _ in results] == [(0, 3), (1, 3), (2, 3)]
    assert results[0][2] == os.getpid()  # the first share is worked here
    assert len({pid for *_, pid in results}) == 3


def test_every_share_may_be_worked_in_a_child() -> None:
    """``here=False``: no share in this process (what the shares build never grows it)."""
    results = fan_out(_pid, 2, here=False)
    assert [(i, n) for i, n, _ in results] == [(0, 2), (1, 2)]
    pids = {pid for *_, pid in results}
    assert len(pids) == 2 and os.getpid() not in pids


def test_one_process_works_every_share_here() -> None:
    assert fan_out(_pid, 1) == [(0, 1, os.getpid())]


def _fails(index: int, _count: int) -> int:
    if index == 1:
        raise ValueError("share 1 cannot be done")
    return index


def test_a_share_that_raises_is_raised_in_the_caller() -> None:
    with pytest.raises(ValueError, match="share 1 cannot be done"):
        fan_out(_fails, 2)


def _dies(index: int, _count: int) -> int:
    if index == 1:
        os.kill(os.getpid(), signal.SIGKILL)
    return index


def test_a_share_whose_process_dies_is_an_error_not_a_gap() -> None:
    with pytest.raises(ShareLostError, match="killed by signal 9"):
        fan_out(_dies, 2)


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, bool]]:
    """The process counts work was fanned out over, and whether a share was worked here
    (``workers.forked.fan_out``, spied on)."""
    from aslgraph.workers import forked

    seen: list[tuple[int, bool]] = []

    def spied(work: object, processes: int, *, here: bool = True) -> object:
        seen.append((processes, here))
        return fan_out(work, processes, here=here)  # type: ignore[arg-type]

    monkeypatch.setattr(forked, "fan_out", spied)
    return seen


def test_deciding_in_two_processes_gives_what_one_gives(
    catalog: Catalog, monkeypatch: pytest.MonkeyPatch, calls: list[tuple[int, bool]]
) -> None:
    text, _ = generate(6_000, seed=3)
    monkeypatch.setattr(validation, "FAN_OUT_MIN", 4)
    decided = []
    for processes in (1, 2):
        upload = parse_upload(text.encode(), "application/n-triples")
        as_of = validation.apply_as_of(upload.store, None)
        decided.append(validation.decide(upload.store, catalog, as_of, processes=processes))
    one, two = decided
    # the second decision was split, the first was not; no share was decided here (the graph
    # read into dictionaries stays in the children)
    assert calls == [(2, False)]
    assert len(one.found) > 50  # enough parties and duties that both shares decide some
    assert two.found == one.found
    assert two.systemic == one.systemic
    assert [r.model_dump() for r in two.assessed] == [r.model_dump() for r in one.assessed]


def test_a_validation_in_two_processes_reports_what_one_does(
    catalog: Catalog, monkeypatch: pytest.MonkeyPatch, calls: list[tuple[int, bool]]
) -> None:
    """Deciding and the shapes' checks both split (their thresholds lowered for a small graph):
    the same results, each check's progress reported once."""
    from aslgraph.config import Settings
    from aslgraph.shacl import build_engine
    from aslgraph.shacl import engine as fast

    text, _ = generate(6_000, seed=3)
    monkeypatch.setattr(fast, "SPLIT_MIN_QUADS", 0)
    monkeypatch.setattr(validation, "FAN_OUT_MIN", 4)
    engine = build_engine("fast", Settings())
    reports = []
    for processes in (1, 2):
        upload = parse_upload(text.encode(), "application/n-triples")
        stages: list[str] = []
        reports.append(
            validation.validate(
                upload,
                engine,
                catalog,
                progress=lambda stage, _n, _t, seen=stages: seen.append(stage),
                processes=processes,
            ).report
        )
        assert sorted(stages) == sorted([*(c.name for c in engine.checks), "decided"])
    one, two = reports
    assert calls == [(2, False), (2, True)]  # the second split deciding, then the checks
    assert len(one.results) > 50 and not one.conforms
    assert two.results == one.results
