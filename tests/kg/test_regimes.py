"""One framework against several regimes: the sections serving each obligation come from the
crosswalk, gaps are the obligations nothing serves, and deadlines that differ are named."""

from __future__ import annotations

import pytest

from aslgraph.kg.catalog import Catalog
from aslgraph.kg.errors import InvalidRequestError, NotFoundError
from aslgraph.kg.regimes import REGIMES, matrix


def test_every_obligation_of_each_regime_has_a_row(catalog: Catalog) -> None:
    found = matrix(catalog, "rsp")
    assert found.regimes == list(REGIMES)
    regimes = {row.regime for row in found.rows}
    assert regimes == set(REGIMES)
    curies = {row.obligation.curie for row in found.rows}
    assert {"aia:art55-1-a", "sb53:22757.12-a", "raise:1421-1"} <= curies
    assert {row.obligation.curie for row in found.gaps} == {
        row.obligation.curie for row in found.rows if not row.served_by
    }


def test_a_section_serves_a_duty_only_through_a_mapping_that_is_not_no_relationship(
    catalog: Catalog,
) -> None:
    found = matrix(catalog, "rsp", ["ca-sb53"])
    for row in found.rows:
        crosswalk = catalog.crosswalk(row.obligation.iri, to_scheme="rsp")
        reached = {e.target.curie for e in crosswalk.entries if e.relation.id != "no-relationship"}
        direct = {s.section.curie for s in row.served_by if s.part is None}
        assert direct == reached
        assert all(s.relation.id != "no-relationship" for s in row.served_by)
    framework = next(r for r in found.rows if r.obligation.curie == "sb53:22757.12-a")
    parts = {s.part.curie for s in framework.served_by if s.part is not None}
    assert "sb53:22757.12-a-2" in parts  # served through its items (1)-(10)


def test_clocks_are_read_from_the_data(catalog: Catalog) -> None:
    rows = {r.obligation.curie: r for r in matrix(catalog, "rsp", ["ca-sb53", "ny-raise"]).rows}
    assert rows["sb53:22757.13-c-1"].clock is not None
    assert rows["sb53:22757.13-c-1"].clock.days == 15
    assert rows["raise:1422-3-a"].clock is not None
    assert rows["raise:1422-3-a"].clock.hours == 72


def test_differing_clocks_are_named_for_a_section_serving_both(catalog: Catalog) -> None:
    found = matrix(catalog, "ca-sb53", ["ny-raise", "gpai-cop"])
    differences = {d.section.curie: d for d in found.clocks_differ}
    incident = differences["sb53:22757.13-c-1"]  # 15 days in California, 72 hours in New York
    assert incident.section_clock is not None and incident.section_clock.days == 15
    assert any(o.obligation.curie == "raise:1422-3-a" for o in incident.obligations)
    assert "sb53:22757.13-c-2" not in differences  # 24 hours in both


def test_bad_requests(catalog: Catalog) -> None:
    with pytest.raises(NotFoundError):
        matrix(catalog, "no-such-framework")
    with pytest.raises(InvalidRequestError, match="unknown regime"):
        matrix(catalog, "rsp", ["nowhere"])
    with pytest.raises(InvalidRequestError, match="is the framework"):
        matrix(catalog, "rsp", ["rsp"])
