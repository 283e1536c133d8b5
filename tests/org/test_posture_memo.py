"""A supplied model's posture is judged once per way of relying on it and reused, within a
bound (``org/posture/assess.py``): the bound changes memory, never an answer."""

from __future__ import annotations

from pathlib import Path

import pytest
from benchmarks.orggen import generate

from aslgraph.kg.catalog import Catalog
from aslgraph.org import determinations
from aslgraph.org import validate as validation
from aslgraph.org.posture import assess
from aslgraph.org.posture.tables import tables
from aslgraph.org.upload import parse_upload

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _reports(catalog: Catalog, text: str) -> tuple[list[dict[str, object]], int]:
    upload = parse_upload(text.encode(), "application/n-triples")
    as_of = validation.apply_as_of(upload.store, None)
    assert as_of is not None
    assessor = assess.Assessor(upload.store, catalog)
    reports = [assessor.assess(p, as_of).model_dump() for p in assessor.parties()]
    return reports, len(assessor.supplier_postures)


def test_the_kept_postures_are_bounded_and_the_answers_do_not_depend_on_the_bound(
    catalog: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    text, _ = generate(4_000, seed=5)
    unbounded, kept = _reports(catalog, text)
    assert kept > 2  # several suppliers' postures were judged
    monkeypatch.setattr(assess, "SUPPLIER_POSTURES_KEPT", 2)
    bounded, kept = _reports(catalog, text)
    assert kept == 2
    assert any(r["suppliers"] for r in bounded)
    assert bounded == unbounded


@pytest.mark.parametrize("mixed", [False, True], ids=["duties-alone", "beside-reports"])
def test_the_duties_are_those_of_the_full_report(catalog: Catalog, mixed: bool) -> None:
    """validate writes the determinations of every party but the assessed one from
    ``Assessor.duties`` (decision 0020): the same determinations as the party's full report
    gives, whether or not reports of the same graph were judged first with the same assessor."""
    text, _ = generate(4_000, seed=7)
    upload = parse_upload(text.encode(), "application/n-triples")
    as_of = validation.apply_as_of(upload.store, None)
    assert as_of is not None
    reference = assess.Assessor(upload.store, catalog)
    lean = reference if mixed else assess.Assessor(upload.store, catalog)
    parties = reference.parties()
    assert len(parties) > 3
    compared = 0
    for party in parties:
        full = determinations.of_report(reference.assess(party, as_of))
        duties = determinations.of_verdicts(lean.duties(party, as_of))
        assert duties == full
        compared += len(full)
    assert compared > 0


def test_what_an_upload_names_is_not_kept_in_the_catalogs_tables(catalog: Catalog) -> None:
    """The posture tables live as long as the catalog (a validation worker's life): what they
    learn about the upload's own IRIs, and under the dates it chooses, is not kept there (it
    would grow with every upload); the reports are the same as when it was."""
    base = (EXAMPLES / "valid" / "gpai-sr-provider-own-controls.ttl").read_text(encoding="utf-8")
    unknown = ", ".join(f"<https://example.org/not-in-the-graph/{i}>" for i in range(40))
    text = base + f"\nex:tech-docs asl:addresses {unknown} .\n"
    upload = parse_upload(text.encode(), "text/turtle")
    as_of = validation.apply_as_of(upload.store, None)
    assert as_of is not None
    assessor = assess.Assessor(upload.store, catalog)
    report = assessor.assess(assessor.parties()[0], as_of)
    assert report.obligations
    t = tables(catalog)
    kept = [
        *(key[1] for key in t.route_plans),
        *t._ancestors,
        *t._descendants,
        *t._served_within,
        *(iri for iri, _ in t._crosswalks),
    ]
    assert kept  # the catalog's own are kept
    assert not [iri for iri in kept if "example.org" in iri]
    assert all(t.known(iri) for iri in kept)
