"""The crosswalk matrices (``aslgraph.kg.matrix``) against the data, read independently with
SPARQL: every pair of schemes counts the provision pairs its records link, and the provision
grid of a pair is the pair's coverage."""

from __future__ import annotations

from collections import defaultdict

import pyoxigraph as ox
import pytest

from aslgraph.kg.catalog import Catalog
from aslgraph.kg.matrix import coverage_extent
from aslgraph.kg.model import Concept, CoverageLink, CoverageRow, Ref
from aslgraph.namespaces import ID
from aslgraph.store import OxigraphStore

LINKED = """
PREFIX asl: <https://w3id.org/aslgraph/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT DISTINCT ?s ?o ?r WHERE {
  ?m a asl:Mapping ; asl:mappingSubject ?s ; asl:mappingObject ?o ; asl:relation ?r .
  FILTER NOT EXISTS {
    ?m asl:mappingStatus <https://w3id.org/aslgraph/id/mapping-status/superseded>
  }
  ?s a/rdfs:subClassOf* asl:Provision .
  ?o a/rdfs:subClassOf* asl:Provision .
}
"""
NO_RELATIONSHIP = ID + "relation/no-relationship"


def _scheme(iri: str) -> str:
    return iri[len(ID) :].split("/", 1)[0]


@pytest.fixture(scope="module")
def linked(kg: OxigraphStore) -> dict[frozenset[str], dict[frozenset[str], bool]]:
    """Per unordered pair of schemes: each linked pair of provisions, and whether positively."""
    result = kg.query(LINKED)
    assert isinstance(result, ox.QuerySolutions)
    found: dict[frozenset[str], dict[frozenset[str], bool]] = defaultdict(dict)
    for row in result:
        s, o, r = (row[name] for name in ("s", "o", "r"))
        assert isinstance(s, ox.NamedNode) and isinstance(o, ox.NamedNode)
        assert isinstance(r, ox.NamedNode)
        pair, ends = frozenset({_scheme(s.value), _scheme(o.value)}), frozenset({s.value, o.value})
        positive = r.value != NO_RELATIONSHIP
        found[pair][ends] = found[pair].get(ends, False) or positive
    return found


def test_every_cell_counts_the_pairs_the_data_links(
    catalog: Catalog, linked: dict[frozenset[str], dict[frozenset[str], bool]]
) -> None:
    matrix = catalog.instrument_matrix()
    schemes = [s.scheme for s in matrix.schemes]
    assert len(matrix.cells) > 20
    for i, a in enumerate(schemes):
        for b in schemes[i + 1 :]:
            pairs = linked.get(frozenset({a, b}), {})
            cell = matrix.cell(a, b)
            if not pairs:
                assert cell is None, (a, b)
                continue
            assert cell is not None, (a, b)
            assert cell.pairs == len(pairs), (a, b)
            assert cell.positive == sum(pairs.values()), (a, b)
            assert cell.no_relationship == cell.pairs - cell.positive
            assert 0 < cell.strength <= 1 or cell.positive == 0


def test_the_axis_counts_each_scheme_s_provisions(catalog: Catalog) -> None:
    for scheme in catalog.instrument_matrix().schemes:
        coverage_side = catalog.coverage(scheme.scheme, "rsp" if scheme.scheme != "rsp" else "rsp3")
        (side,) = [s for s in coverage_side.summary if s.scheme == scheme.scheme]
        assert scheme.provisions == side.provisions


def _row(*relations: str) -> CoverageRow:
    links = [
        CoverageLink(
            mapping=ID + "map/x",
            other=Ref(iri=ID + "rsp/x", curie="rsp:x"),
            relation=Concept(iri=ID + "relation/" + r, id=r, label=r),
        )
        for r in relations
    ]
    return CoverageRow(
        iri=ID + "eu-ai-act/x", curie="aia:x", side="from", covered=bool(links), links=links
    )


@pytest.mark.parametrize(
    ("relations", "extent"),
    [
        ((), "unmapped"),
        (("equal",), "covered"),
        (("subset-of",), "covered"),
        (("superset-of",), "partly"),
        (("intersects-with", "supports"), "partly"),
        (("is-supported-by", "subset-of"), "covered"),
    ],
)
def test_how_far_a_provision_is_covered(relations: tuple[str, ...], extent: str) -> None:
    assert coverage_extent(_row(*relations)) == extent
