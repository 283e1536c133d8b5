"""The composition table of derived crosswalk mappings, one test per cell.

The expected table is written out here independently of the code's table, so a change to a
cell has to be made (and justified, docs/decisions/0005) in both places.
"""

from __future__ import annotations

import pytest

from aslgraph.kg.catalog import Catalog
from aslgraph.kg.composition import COMPOSITION, INVERSE, RELATIONS, compose
from aslgraph.namespaces import REL

E, SUB, SUP, INT, S, SB, N = (
    "equal",
    "subset-of",
    "superset-of",
    "intersects-with",
    "supports",
    "is-supported-by",
    "no-relationship",
)
COLUMNS = (E, SUB, SUP, INT, S, SB, N)
EXPECTED: dict[str, tuple[str | None, ...]] = {
    # A->B    B->C:  equal  subset-of  superset-of  intersects-with  supports  is-supported-by  none
    E: (E, SUB, SUP, INT, S, SB, None),
    SUB: (SUB, SUB, None, None, None, None, None),
    SUP: (SUP, INT, SUP, INT, S, SB, None),
    INT: (INT, INT, None, None, None, None, None),
    S: (S, S, None, None, S, None, None),
    SB: (SB, SB, None, None, None, SB, None),
    N: (None, None, None, None, None, None, None),
}
CELLS = [
    pytest.param(first, second, EXPECTED[first][j], id=f"{first}+{second}")
    for first in COLUMNS
    for j, second in enumerate(COLUMNS)
]


@pytest.mark.parametrize(("first", "second", "expected"), CELLS)
def test_cell(first: str, second: str, expected: str | None) -> None:
    assert compose(first, second) == expected


def test_the_table_covers_every_pair_and_nothing_else() -> None:
    assert set(COMPOSITION) == {(a, b) for a in RELATIONS for b in RELATIONS}
    assert set(RELATIONS) == set(COLUMNS)


@pytest.mark.parametrize(("first", "second"), [(a, b) for a in RELATIONS for b in RELATIONS])
def test_reading_a_chain_backwards_gives_the_inverse(first: str, second: str) -> None:
    """C -> B -> A composes to the inverse of A -> B -> C (or to nothing when that is nothing)."""
    forward = compose(first, second)
    backward = compose(INVERSE[second], INVERSE[first])
    assert backward == (INVERSE[forward] if forward is not None else None)


@pytest.mark.parametrize("relation", RELATIONS)
def test_no_relationship_blocks_from_either_side(relation: str) -> None:
    assert compose(N, relation) is None
    assert compose(relation, N) is None


@pytest.mark.parametrize("relation", [r for r in RELATIONS if r != N])
def test_equal_is_neutral(relation: str) -> None:
    assert compose(E, relation) == relation
    assert compose(relation, E) == relation


def test_inverse_matches_the_vocabulary(catalog: Catalog) -> None:
    """INVERSE mirrors asl:inverseRelation in ontology/vocab/relation.ttl."""
    views = catalog.views
    for relation in RELATIONS:
        inverse = views.inverse_relation(str(REL[relation]))
        assert inverse is not None, relation
        assert views.concept(inverse).id == INVERSE[relation]


def test_unknown_relation_is_a_key_error() -> None:
    with pytest.raises(KeyError):
        compose("overlaps", E)
