"""Composing two mapping relations into the relation of a derived mapping.

A derived mapping runs A -> B -> C through one intermediate provision B. The table below gives,
for the relation of A to B (row) and of B to C (column), the relation of A to C that follows
*for certain*, or None when nothing follows and no derived mapping is offered. The reasoning,
cell by cell, is in ``docs/decisions/0005-crosswalk-composition.md``. In short, reading each
relation as one between the sets of requirements two provisions make (never empty):

* ``equal`` is neutral; ``no-relationship`` blocks every chain.
* ``subset-of`` and ``superset-of`` compose with themselves (A < B < C gives A < C).
* ``superset-of`` then ``subset-of`` (A > B < C): A and C both contain B, so they overlap:
  ``intersects-with``. ``subset-of`` then ``superset-of`` (A < B > C) says nothing: A and C
  may be disjoint.
* ``intersects-with`` survives only where the overlap provably carries over: A > B, B ~ C gives
  A ~ C and A ~ B, B < C gives A ~ C. A derived ``intersects-with`` means "provably
  overlapping"; whether one contains the other is not known.
* ``supports`` (A helps achieve B) carries through a superset before it (A > B, B supports C:
  meeting A meets B) and a subset after it (A supports B, B < C: helping B helps C), and
  chains with itself; ``is-supported-by`` (a supports mapping read backwards) mirrors it.
  Anything else involving them says nothing certain.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

EQUAL: Final = "equal"
SUBSET: Final = "subset-of"
SUPERSET: Final = "superset-of"
INTERSECTS: Final = "intersects-with"
SUPPORTS: Final = "supports"
SUPPORTED_BY: Final = "is-supported-by"
NONE: Final = "no-relationship"

RELATIONS: tuple[str, ...] = (EQUAL, SUBSET, SUPERSET, INTERSECTS, SUPPORTS, SUPPORTED_BY, NONE)
"""Every relation a mapping can be read as (``is-supported-by`` only when read backwards)."""

INVERSE: Mapping[str, str] = {
    EQUAL: EQUAL,
    SUBSET: SUPERSET,
    SUPERSET: SUBSET,
    INTERSECTS: INTERSECTS,
    SUPPORTS: SUPPORTED_BY,
    SUPPORTED_BY: SUPPORTS,
    NONE: NONE,
}
"""The relation read from object to subject (mirrors ``asl:inverseRelation`` in the vocabulary;
used to check the table's symmetry)."""

_E, _SUB, _SUP, _I, _S, _SB = EQUAL, SUBSET, SUPERSET, INTERSECTS, SUPPORTS, SUPPORTED_BY

COMPOSITION: Mapping[tuple[str, str], str | None] = {
    # A equal B: A -> C is whatever B -> C is.
    (_E, _E): _E,
    (_E, _SUB): _SUB,
    (_E, _SUP): _SUP,
    (_E, _I): _I,
    (_E, _S): _S,
    (_E, _SB): _SB,
    (_E, NONE): None,
    # A subset-of B.
    (_SUB, _E): _SUB,
    (_SUB, _SUB): _SUB,
    (_SUB, _SUP): None,  # A < B > C: A and C may be disjoint
    (_SUB, _I): None,  # A may be the part of B that C lacks
    (_SUB, _S): None,  # A may be the part of B that does not help C
    (_SUB, _SB): None,  # C may help only the part of B outside A
    (_SUB, NONE): None,
    # A superset-of B.
    (_SUP, _E): _SUP,
    (_SUP, _SUB): _I,  # A > B < C: both contain B, so they overlap
    (_SUP, _SUP): _SUP,
    (_SUP, _I): _I,  # A contains B, which overlaps C
    (_SUP, _S): _S,  # meeting A meets B, which helps C
    (_SUP, _SB): _SB,  # C helps B, a part of A
    (_SUP, NONE): None,
    # A intersects-with B.
    (_I, _E): _I,
    (_I, _SUB): _I,  # the overlap of A and B lies in C
    (_I, _SUP): None,  # C may lie in the part of B that A lacks
    (_I, _I): None,  # the two overlaps may be disjoint
    (_I, _S): None,
    (_I, _SB): None,
    (_I, NONE): None,
    # A supports B.
    (_S, _E): _S,
    (_S, _SUB): _S,  # helping B helps C, which contains B
    (_S, _SUP): None,  # A may help only the part of B outside C
    (_S, _I): None,
    (_S, _S): _S,
    (_S, _SB): None,  # A and C both help B: nothing about A and C
    (_S, NONE): None,
    # A is-supported-by B (B supports A).
    (_SB, _E): _SB,
    (_SB, _SUB): _SB,  # C contains B, which helps A
    (_SB, _SUP): None,  # C may be the part of B that does not help A
    (_SB, _I): None,
    (_SB, _S): None,  # B helps both A and C: nothing about A and C
    (_SB, _SB): _SB,  # C helps B, which helps A
    (_SB, NONE): None,
    # A no-relationship B: a recorded "do not link" blocks the chain.
    **{(NONE, second): None for second in RELATIONS},
}
"""Relation of A to C for (relation of A to B, relation of B to C); None: nothing follows."""


def compose(first: str, second: str) -> str | None:
    """The relation of A to C given A ``first`` B and B ``second`` C, or None.

    Raises KeyError for a relation outside :data:`RELATIONS`.
    """
    return COMPOSITION[first, second]
