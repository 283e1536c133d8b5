"""The organisation graphs under examples/ behave as labelled, through both commands.

Every examples/valid/*.ttl has no violation, every examples/invalid/*.ttl has at least one (as
of its own date); each file's validation results are exactly the ones its ``# expect[@DATE]:``
lines list (``SEVERITY FOCUS PATH-OR-SHAPE [VALUE]``, warnings and infos too), on both SHACL
engines, and its posture verdicts exactly the ones its ``# verdict[@DATE]:`` lines list
(``FOCUS OBLIGATION VERDICT [DATE]``; not-applicable verdicts where a line names them). An
example that describes a framework of its own has its regimes matrix exactly as its ``#
regimes:``, ``# serves:`` and ``# deadlines-differ:`` lines say, and every example without
them describes none.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from rdflib import Graph

from aslgraph.kg.catalog import Catalog
from aslgraph.org.errors import UnassessableError
from aslgraph.org.framework import regimes
from aslgraph.org.upload import parse_upload
from org_expect import (
    Judged,
    header_expectations,
    matches,
    matrix_label,
    org_results,
    posture_verdicts,
    regimes_label,
    run_dates,
    verdict_expectations,
    verdicts_match,
)

ROOT = Path(__file__).resolve().parents[2]
VALID = sorted((ROOT / "examples" / "valid").glob("*.ttl"))
INVALID = sorted((ROOT / "examples" / "invalid").glob("*.ttl"))
RUNS = [(path, when) for path in VALID + INVALID for when in run_dates(path)]


def _id(run: tuple[Path, str | None]) -> str:
    path, when = run
    name = path.relative_to(ROOT / "examples").as_posix()
    return f"{name}@{when}" if when else name


def test_there_are_enough_examples() -> None:
    assert len(VALID) + len(INVALID) >= 20
    assert VALID and INVALID


# the reference engine only in the full suite: the quick loop compares engines on raw files
@pytest.mark.parametrize("engine", ["fast", pytest.param("pyshacl", marks=pytest.mark.large)])
@pytest.mark.parametrize("run", RUNS, ids=_id)
def test_example_validates_exactly_as_its_header_says(
    run: tuple[Path, str | None], engine: str, judge_file: Callable[..., Judged]
) -> None:
    path, when = run
    data = Graph().parse(path, format="turtle")
    expected = header_expectations(path, data, when)
    validation = judge_file(path, engine, when).validation
    got = org_results(validation.report.to_graph())
    if when is None:
        violations = [r for r in got if r[0] == "violation"]
        if path in VALID:
            assert violations == [], "a valid example has violations"
        else:
            assert violations, "an invalid example has no violation"
    assert validation.report.conforms is not any(r[0] == "violation" for r in got)
    assert matches(got, expected) == ([], [])


@pytest.mark.parametrize("run", RUNS, ids=_id)
def test_example_posture_is_as_its_header_says(
    run: tuple[Path, str | None], judge_file: Callable[..., Judged]
) -> None:
    path, when = run
    data = Graph().parse(path, format="turtle")
    expected = verdict_expectations(path, data, when)
    posture = judge_file(path, "fast", when).posture
    if posture is None:
        assert expected == [], "verdict lines for a graph with no organisation to assess"
        return
    got = posture_verdicts(posture)
    assert verdicts_match(got, expected) == ([], [])


@pytest.mark.parametrize("path", VALID + INVALID, ids=lambda p: p.name)
def test_example_framework_matrix_is_as_its_header_says(path: Path, catalog: Catalog) -> None:
    label = regimes_label(path, Graph().parse(path, format="turtle"))
    upload = parse_upload(path.read_bytes(), "text/turtle")
    if label is None:
        with pytest.raises(UnassessableError) as raised:
            regimes(upload, catalog)
        assert raised.value.kind == "no-framework"
        return
    assert matrix_label(regimes(upload, catalog)) == label


def test_some_example_labels_a_framework_matrix() -> None:
    assert any(regimes_label(p, Graph().parse(p, format="turtle")) for p in VALID)


@pytest.mark.parametrize("path", VALID + INVALID, ids=lambda p: p.name)
def test_example_header_says_what_it_is(path: Path) -> None:
    header = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            header.append(line)
        elif header and not line.strip():
            break
    assert len(header) >= 3, "a header comment says what the example is"
    if path in INVALID:
        assert any("expect: violation" in line for line in header)
