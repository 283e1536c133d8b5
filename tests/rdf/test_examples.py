"""The organisation graphs under examples/ behave as labelled.

Every examples/valid/*.ttl has no violation, every examples/invalid/*.ttl has at least one, and
each file's results are exactly the ones its header lists on ``# expect:`` lines
(``# expect: SEVERITY FOCUS PATH-OR-SHAPE [VALUE]``); warnings are listed too.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from rdflib import Graph

from org_expect import OrgResult, header_expectations, matches

ROOT = Path(__file__).resolve().parents[2]
VALID = sorted((ROOT / "examples" / "valid").glob("*.ttl"))
INVALID = sorted((ROOT / "examples" / "invalid").glob("*.ttl"))


def test_there_are_enough_examples() -> None:
    assert len(VALID) + len(INVALID) >= 8
    assert VALID and INVALID


@pytest.mark.parametrize(
    "path", VALID + INVALID, ids=lambda p: p.relative_to(ROOT / "examples").as_posix()
)
def test_example_fails_exactly_where_its_header_says(
    path: Path, validate_org: Callable[[Path], set[OrgResult]]
) -> None:
    data = Graph().parse(path, format="turtle")
    expected = header_expectations(path, data)
    got = validate_org(path)
    violations = [r for r in got if r[0] == "violation"]
    if path in VALID:
        assert violations == [], "a valid example has violations"
        assert all(e[0] != "violation" for e in expected)
    else:
        assert violations, "an invalid example has no violation"
        assert any(e[0] == "violation" for e in expected)
    missing, extra = matches(got, expected)
    assert (missing, extra) == ([], [])


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
