"""The crosswalk as matrices: instruments by instruments, and provisions by provisions of a pair.

:func:`instrument_matrix` counts, for every pair of schemes, the provision pairs a mapping
record links (records that are superseded do not count; a pair is *positive* when one of its
records asserts a relation other than no-relationship) and how strong those links are.
:func:`provision_grid` lays out one pair of schemes, built on the coverage of that pair
(:func:`aslgraph.kg.coverage.coverage`, computed once and passed in), so that a row or column
the grid shows as a gap is exactly a provision the coverage calls unmapped. The records that
assert no relationship are added as cells of their own (compared, nothing found).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from statistics import fmean
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from aslgraph.kg.coverage import NO_RELATIONSHIP
from aslgraph.kg.crosswalk import SUPERSEDED
from aslgraph.kg.index import C, GraphIndex, P, split_iri
from aslgraph.kg.model import Concept, Coverage, CoverageRow, Ref
from aslgraph.kg.views import Views


def _example(**example: Any) -> ConfigDict:
    return ConfigDict(frozen=True, json_schema_extra={"examples": [example]})


class SchemeInfo(BaseModel):
    """One axis entry of the instrument matrix: a scheme, what it is, how many provisions."""

    model_config = _example(
        scheme="rsp", label="Anthropic Responsible Scaling Policy", provisions=87
    )

    scheme: str
    label: str
    provisions: int


class PairCell(BaseModel):
    """How two schemes are mapped: provision pairs linked by a record that is not superseded,
    how many of them positively (a relation other than no-relationship), their mean confidence
    and a strength from 0 to 1 (share of positive pairs times their mean confidence)."""

    model_config = _example(
        a="rsp",
        b="eu-ai-act",
        pairs=40,
        positive=38,
        no_relationship=2,
        mean_confidence=0.62,
        strength=0.59,
    )

    a: str
    b: str
    pairs: int
    positive: int
    no_relationship: int
    mean_confidence: float | None = None
    strength: float


class InstrumentMatrix(BaseModel):
    """Every scheme against every other; ``cells`` holds each unordered pair once (a < b in
    the order of ``schemes``) when at least one record links them."""

    model_config = ConfigDict(frozen=True)

    schemes: list[SchemeInfo]
    cells: list[PairCell]

    def cell(self, a: str, b: str) -> PairCell | None:
        """The cell of ``a`` and ``b`` in either order, or None when nothing links them."""
        for cell in self.cells:
            if {cell.a, cell.b} == {a, b} and (a != b or cell.a == cell.b):
                return cell
        return None


class GridCell(BaseModel):
    """One mapping record between a row provision and a column provision, read from the row."""

    model_config = ConfigDict(frozen=True)

    row: str
    column: str
    relation: Concept
    confidence: float | None = None
    status: Concept | None = None
    justification: str | None = None
    mapping: str


class ProvisionGrid(BaseModel):
    """Provisions of ``from_scheme`` (rows) by provisions of ``to_scheme`` (columns).

    ``cells`` are the records (strongest first within a pair); a row or column with no
    positive record is a gap, listed in ``unmapped_rows`` / ``unmapped_columns``."""

    model_config = ConfigDict(frozen=True)

    from_scheme: str
    to_scheme: str
    rows: list[Ref]
    columns: list[Ref]
    cells: list[GridCell]
    unmapped_rows: list[str]
    unmapped_columns: list[str]


def _scheme(iri: str) -> str:
    return (split_iri(iri) or ("", ""))[0]


def _rank(order: dict[str, int], pair: tuple[str, str]) -> tuple[int, int]:
    return order[pair[0]], order[pair[1]]


def instrument_matrix(
    index: GraphIndex, schemes: Sequence[str], labels: dict[str, str]
) -> InstrumentMatrix:
    """Count the mapped provision pairs of every pair of ``schemes`` (see :class:`PairCell`);
    ``labels`` names each scheme (its instrument)."""
    order = {scheme: i for i, scheme in enumerate(schemes)}
    provisions: dict[str, int] = defaultdict(int)
    for iri in index.provisions():
        provisions[_scheme(iri)] += 1
    pairs: dict[tuple[str, str], dict[tuple[str, str], list[tuple[bool, float | None]]]]
    pairs = defaultdict(lambda: defaultdict(list))
    for iri in index.by_class[C.mapping]:
        mapping = index.require(iri)
        subject, obj = mapping.link(P.subject), mapping.link(P.object)
        if not subject or not obj or mapping.link(P.status) == SUPERSEDED:
            continue
        if not (index.is_a(subject, C.provision) and index.is_a(obj, C.provision)):
            continue
        a, b = _scheme(subject), _scheme(obj)
        if a not in order or b not in order:
            continue
        if order[a] > order[b] or (a == b and subject > obj):
            a, b, subject, obj = b, a, obj, subject
        relation = mapping.link(P.relation) or ""
        positive = not relation.endswith("/" + NO_RELATIONSHIP)
        pairs[a, b][subject, obj].append((positive, mapping.number(P.confidence)))
    cells = []
    for (a, b), linked in sorted(pairs.items(), key=lambda item: _rank(order, item[0])):
        positive_pairs = [records for records in linked.values() if any(p for p, _ in records)]
        confidences = [c for records in positive_pairs for p, c in records if p and c is not None]
        mean = fmean(confidences) if confidences else None
        share = len(positive_pairs) / len(linked)
        cells.append(
            PairCell(
                a=a,
                b=b,
                pairs=len(linked),
                positive=len(positive_pairs),
                no_relationship=len(linked) - len(positive_pairs),
                mean_confidence=round(mean, 3) if mean is not None else None,
                strength=round(share * (mean or 0.0), 3),
            )
        )
    return InstrumentMatrix(
        schemes=[
            SchemeInfo(scheme=s, label=labels.get(s, s), provisions=provisions.get(s, 0))
            for s in schemes
        ],
        cells=cells,
    )


def provision_grid(index: GraphIndex, views: Views, coverage: Coverage) -> ProvisionGrid:
    """The grid of the pair ``coverage`` is about: rows its ``from`` side, columns its ``to``
    side, cells its links (plus the no-relationship records, which coverage leaves out)."""
    rows = [r for r in coverage.rows if r.side == "from"]
    columns = [r for r in coverage.rows if r.side == "to"]
    in_columns = {c.iri for c in columns}
    cells: list[GridCell] = []
    for row in rows:
        for link in row.links:
            if link.other.iri not in in_columns:
                continue
            mapping = index.get(link.mapping)
            cells.append(
                GridCell(
                    row=row.iri,
                    column=link.other.iri,
                    relation=link.relation,
                    confidence=link.confidence,
                    status=link.status,
                    justification=mapping.text(P.justification) if mapping else None,
                    mapping=link.mapping,
                )
            )
        for end in index.mapping_ends.get(row.iri, []):
            if end.other not in in_columns or end.mapping.link(P.status) == SUPERSEDED:
                continue
            relation = views.read_relation(end)
            if relation.id != NO_RELATIONSHIP:
                continue
            cells.append(
                GridCell(
                    row=row.iri,
                    column=end.other,
                    relation=relation,
                    confidence=end.mapping.number(P.confidence),
                    status=views.concept_of(end.mapping.link(P.status)),
                    justification=end.mapping.text(P.justification),
                    mapping=end.mapping.iri,
                )
            )

    def ref(row: Ref) -> Ref:
        return Ref(iri=row.iri, curie=row.curie, notation=row.notation, label=row.label)

    return ProvisionGrid(
        from_scheme=coverage.from_scheme,
        to_scheme=coverage.to_scheme,
        rows=[ref(r) for r in rows],
        columns=[ref(c) for c in columns],
        cells=cells,
        unmapped_rows=[r.iri for r in rows if not r.covered],
        unmapped_columns=[c.iri for c in columns if not c.covered],
    )


FULL_RELATIONS = frozenset({"equal", "subset-of"})
"""Relations, read from a provision to the other side, that cover the provision entirely."""
Extent = Literal["covered", "partly", "unmapped"]


def coverage_extent(row: CoverageRow) -> Extent:
    """How far a coverage row's provision is covered by the other scheme: ``covered`` when a
    link says it is equal to or a subset of a provision there, ``partly`` when it is only
    linked otherwise (superset of, intersects with, supports, is supported by), ``unmapped``
    when the coverage found no link."""
    if not row.links:
        return "unmapped"
    if any(link.relation.id in FULL_RELATIONS for link in row.links):
        return "covered"
    return "partly"
