"""The JSON report written in pieces (``org/report.py``'s ``report_json``, which ``aslgraph
validate`` streams and ``serialise`` joins) is the report model's JSON byte for byte, and an
upload handed over (``org/upload.py``'s ``Handed``) is let go once parsed."""

from __future__ import annotations

from pathlib import Path

import pytest
from benchmarks.orggen import generate

from aslgraph.config import Settings
from aslgraph.org.jobs import OrgJob, OrgServices, run, serialise
from aslgraph.org.report import report_json, report_model
from aslgraph.org.upload import Handed
from aslgraph.org.validate import OrgValidation

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*/*.ttl"))


@pytest.fixture(scope="module")
def services(settings: Settings) -> OrgServices:
    return OrgServices(settings)


def _validated(body: bytes, media: str, services: OrgServices) -> OrgValidation:
    outcome = run(OrgJob(op="validate", media_type=media), body, services)
    assert isinstance(outcome, OrgValidation)
    return outcome


def _whole(outcome: OrgValidation, services: OrgServices) -> bytes:
    model = report_model(outcome, services.catalog.views)
    return model.__pydantic_serializer__.to_json(model, indent=2)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_the_pieces_are_the_report_of_every_example(path: Path, services: OrgServices) -> None:
    outcome = _validated(path.read_bytes(), "text/turtle", services)
    pieces = list(report_json(outcome, services.catalog.views))
    assert b"".join(pieces) == _whole(outcome, services)
    assert serialise(outcome, "json", services)[1] == _whole(outcome, services)


def test_the_pieces_of_a_large_report(services: OrgServices) -> None:
    """Many groups and results, every severity and the structure group among them."""
    text, _ = generate(3_000, seed=5)
    outcome = _validated(text.encode(), "application/n-triples", services)
    whole = _whole(outcome, services)
    pieces = list(report_json(outcome, services.catalog.views))
    assert len(outcome.report.results) > 100
    assert len(pieces) > len(outcome.report.results)  # one piece a result, and the shells
    assert b"".join(pieces) == whole


def test_a_report_without_results_is_one_piece(services: OrgServices) -> None:
    conforming = next(p for p in EXAMPLES if "own-controls" in p.name)
    outcome = _validated(conforming.read_bytes(), "text/turtle", services)
    assert outcome.report.results == ()
    assert list(report_json(outcome, services.catalog.views)) == [_whole(outcome, services)]


def test_an_upload_handed_over_is_taken_once(services: OrgServices) -> None:
    body = next(p for p in EXAMPLES if "relying-on-rsp" in p.name).read_bytes()
    handed = Handed(body)
    assert handed.size == len(body)
    outcome = run(OrgJob(op="validate", media_type="text/turtle"), handed, services)
    with pytest.raises(RuntimeError, match="taken already"):
        handed.take()  # run took the bytes: nothing here holds them any more
    assert isinstance(outcome, OrgValidation)
    assert _whole(outcome, services) == _whole(_validated(body, "text/turtle", services), services)
