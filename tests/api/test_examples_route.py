"""``/examples/{valid|invalid}/{name}``: the shipped example graphs, read-only, as Turtle; no
other file can be reached by any name."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient

from aslgraph.api.examples import Examples

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = sorted((ROOT / "examples").glob("*/*.ttl"))


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_an_example_is_served_as_turtle(client: TestClient, path: Path) -> None:
    response = client.get(f"/examples/{path.parent.name}/{path.name}")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/turtle; charset=utf-8"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.content == path.read_bytes()
    assert list(ox.parse(response.content, format=ox.RdfFormat.TURTLE))


def test_both_folders_are_served() -> None:
    assert {p.parent.name for p in SHIPPED} == {"valid", "invalid"}


@pytest.mark.parametrize(
    "path",
    [
        "/examples/valid/no-such-example.ttl",
        "/examples/other/bank-deploying-agents.ttl",
        "/examples/valid/structural-errors.ttl",  # it is in invalid/
        "/examples/valid/bank-deploying-agents",
        "/examples/valid/BANK-DEPLOYING-AGENTS.TTL",
        "/examples/valid/..%2Finvalid%2Fstructural-errors.ttl",
        "/examples/valid/%2e%2e%2f%2e%2e%2fpyproject.toml",
        "/examples/%2e%2e/%2e%2e%2fREADME.md",
        "/examples/valid/%2Fetc%2Fpasswd",
        "/examples/valid/",
        "/examples/valid",
    ],
)
def test_any_other_name_is_a_404_problem(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"


def test_only_plain_turtle_names_in_the_two_folders_are_listed(tmp_path: Path) -> None:
    for folder in ("valid", "invalid", "other"):
        (tmp_path / "examples" / folder).mkdir(parents=True)
    (tmp_path / "examples" / "valid" / "good-one.ttl").write_text("<a:b> <c:d> <e:f> .\n")
    (tmp_path / "examples" / "invalid" / "bad-2.ttl").write_text("# broken on purpose\n")
    for name in ("Upper.ttl", ".hidden.ttl", "spaced name.ttl", "notes.txt", "x.ttl.bak"):
        (tmp_path / "examples" / "valid" / name).write_text("")
    (tmp_path / "examples" / "valid" / "folder.ttl").mkdir()
    (tmp_path / "examples" / "other" / "elsewhere.ttl").write_text("")
    examples = Examples.load(tmp_path)
    assert [e.path for e in examples.items] == [
        "examples/valid/good-one.ttl",
        "examples/invalid/bad-2.ttl",
    ]
    assert examples.get("valid", "good-one.ttl") is not None
    assert examples.get("valid", "Upper.ttl") is None
    assert examples.get("other", "elsewhere.ttl") is None


def test_a_root_without_examples_lists_none(tmp_path: Path) -> None:
    assert Examples.load(tmp_path).items == ()
