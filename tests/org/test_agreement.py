"""validate and posture cannot contradict each other (docs/decisions/0012).

On every example and organisation shape case, as of every date it is run on, each verdict the
posture service gives on a duty of the assessed organisation or of its suppliers is reported by
validate exactly as the table of severities says (``org.determinations.reported_as``), on both
SHACL engines; and validate reports no obligation result posture does not give.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from aslgraph.org import determinations
from org_expect import Judged, run_dates

ROOT = Path(__file__).resolve().parents[2]
FILES = sorted((ROOT / "examples").rglob("*.ttl")) + sorted(
    p
    for p in (ROOT / "tests" / "rdf" / "cases").glob("org-*/*.ttl")
    # shape cases that state the computed terms themselves test the shapes alone
    if not any(
        term in p.read_text(encoding="utf-8") for term in ("asl:determin", "asl:policyFinding")
    )
)
RUNS = [(path, when) for path in FILES for when in run_dates(path)]
OBLIGATION_SHAPES = {
    determinations.SHORG + name
    for name in (
        "UnmetObligationShape",
        "CompensatedGapShape",
        "VoluntaryCommitmentUnmetShape",
        "PartlyMetObligationShape",
        "PartlyMetCommitmentShape",
        "UndecidedObligationShape",
        "NotAssessedObligationShape",
        "FrameworkOnlyEvidenceShape",
    )
}


def _id(run: tuple[Path, str | None]) -> str:
    path, when = run
    return path.relative_to(ROOT).as_posix() + (f"@{when}" if when else "")


# the reference engine only in the full suite: the quick loop compares engines on raw files
@pytest.mark.parametrize("engine", ["fast", pytest.param("pyshacl", marks=pytest.mark.large)])
@pytest.mark.parametrize("run", RUNS, ids=_id)
def test_validate_reports_what_posture_decides(
    run: tuple[Path, str | None], engine: str, judge_file: Callable[..., Judged]
) -> None:
    path, when = run
    judged = judge_file(path, engine, when)
    if judged.posture is None:  # no single organisation to assess: validate says why
        assert not judged.validation.report.conforms
        return
    assessed = judged.posture.organisation.iri
    # posture's side, for the assessed organisation and its suppliers
    report = next((p for p in judged.validation.postures if p.organisation.iri == assessed), None)
    expected: set[tuple[str, str, str, str]] = set()
    for item in determinations.of_report(judged.posture):
        reported = determinations.reported_as(item)
        if reported is not None:
            shape, severity = reported
            focus = item.focus[2:] if item.focus.startswith("_:") else item.focus
            expected.add((focus, item.obligation, shape, severity))
    if report is not None:  # the same decisions feed validate
        assert determinations.of_report(report) == determinations.of_report(judged.posture)
    scope = {f for f, *_ in expected} | {assessed}
    got = {
        (r.focus, r.value or "", r.source_shape, r.severity)
        for r in judged.validation.report.results
        if r.source_shape in OBLIGATION_SHAPES and r.focus in scope
    }
    assert sorted(got - expected) == []
    assert sorted(expected - got) == []
