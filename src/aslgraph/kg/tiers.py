"""AI Safety Levels: thresholds, safeguards by dimension (cumulative) and tier-summary claims."""

from __future__ import annotations

from aslgraph.kg.index import C, GraphIndex, P, natural_key, short
from aslgraph.kg.model import (
    Claim,
    DimensionSafeguards,
    Measure,
    Standard,
    SummaryClaim,
    Threshold,
    Tier,
)
from aslgraph.kg.views import Views
from aslgraph.namespaces import scheme_namespace

DIMENSION = str(scheme_namespace("dimension"))
DIMENSION_ORDER = ("pre-deployment-evaluation", "deployment", "security", "disclosure")
"""The columns of the tier summary, in its order; other dimensions follow alphabetically."""


def levels(index: GraphIndex) -> list[str]:
    """Every safety level, lowest rank first."""
    found = [p for p in index.provisions() if index.of_type(p, C.safety_level)]
    return sorted(
        found,
        key=lambda p: (index.require(p).integer(P.level_rank) or 0, natural_key(p)),
    )


def _dimensions(index: GraphIndex) -> list[str]:
    """Every dimension of the tier summary (the concepts of the ``dimension`` scheme)."""
    return [
        c
        for c in index.by_class.get(C.concept, [])
        if c.startswith(DIMENSION) and not c.endswith("/scheme")
    ]


def _descendants(index: GraphIndex, iri: str) -> list[str]:
    found: dict[str, None] = {}
    todo = list(index.children.get(iri, []))
    while todo:
        current = todo.pop(0)
        if current in found:
            continue
        found[current] = None
        todo.extend(index.children.get(current, []))
    return list(found)


def _standard(index: GraphIndex, views: Views, standard: str, level: str, own: str) -> Standard:
    resource = index.require(standard)
    requirements = [d for d in _descendants(index, standard) if index.of_type(d, C.requirement)]
    targets = {standard, *requirements}
    measures = [
        m
        for m in index.provisions()
        if index.of_type(m, C.measure)
        and targets.intersection(index.require(m).links(P.implements))
    ]
    return Standard(
        **views.ref(standard).model_dump(),
        level=views.ref(level),
        inherited=level != own,
        specified=resource.boolean(P.specified),
        paraphrase=resource.text(P.paraphrase),
        requirements=views.refs(requirements, sort=True),
        measures=[
            Measure(**views.ref(m).model_dump(), adopted_on=views.date_of(m, P.adopted_on))
            for m in sorted(measures, key=lambda m: natural_key(short(m)))
        ],
    )


def _claim(index: GraphIndex, views: Views, iri: str) -> Claim:
    resource = index.require(iri)
    dimension = resource.link(P.about_dimension)
    return Claim(
        iri=iri,
        curie=short(iri),
        label=resource.label,
        paraphrase=resource.text(P.paraphrase),
        about_dimension=views.concept_of(dimension),
        sources=[views.source(s) for s in resource.links(P.source)],
        locator=resource.text(P.locator),
        verification=views.concept_of(resource.link(P.verification)),
        verdict=views.concept_of(resource.link(P.verdict)),
        evidence=views.refs(resource.links(P.evidence)),
    )


def _claims(index: GraphIndex, views: Views, level: str) -> list[SummaryClaim]:
    """Claims about ``level``: each summary claim (one with a verdict) with the source-backed
    claim it was assessed against; claims that only serve as such a counter-claim are not
    listed on their own."""
    about = index.claims_about.get(level, [])
    counters = {
        counter for claim in about for counter in index.require(claim).links(P.assessed_against)
    }
    result: list[SummaryClaim] = []
    for claim in about:
        if claim in counters:
            continue
        base = _claim(index, views, claim)
        counter = index.require(claim).link(P.assessed_against)
        result.append(
            SummaryClaim(
                **base.model_dump(),
                counter_claim=(
                    _claim(index, views, counter)
                    if counter is not None and counter in index.resources
                    else None
                ),
            )
        )

    def order(claim: SummaryClaim) -> tuple[int, str]:
        dim = claim.about_dimension.id if claim.about_dimension else ""
        position = DIMENSION_ORDER.index(dim) if dim in DIMENSION_ORDER else len(DIMENSION_ORDER)
        return position, claim.curie

    return sorted(result, key=order)


def tier(index: GraphIndex, views: Views, level: str) -> Tier:
    """One level with its thresholds, its own and inherited standards, and its claims."""
    resource = index.require(level)
    included = index.included_levels(level)
    rank = {lv: index.require(lv).integer(P.level_rank) or 0 for lv in [level, *included]}
    included.sort(key=lambda lv: -rank[lv])

    standards_by_level: dict[str, str] = {}
    for standard in index.provisions():
        if not index.of_type(standard, C.standard):
            continue
        for owner in index.require(standard).links(P.for_level):
            if owner == level or owner in included:
                standards_by_level[standard] = owner
    own_standards = {s for s, owner in standards_by_level.items() if owner == level}

    thresholds: list[Threshold] = []
    for criterion in index.provisions():
        required = index.require(criterion).links(P.requires_standard)
        if not own_standards.intersection(required):
            continue
        crit = index.require(criterion)
        thresholds.append(
            Threshold(
                **views.ref(criterion).model_dump(),
                risk_domains=[views.concept(d) for d in crit.links(P.risk_domain)],
                requires=views.refs(required),
                requirement_note=crit.text(P.requirement_note),
            )
        )
    thresholds.sort(key=lambda t: natural_key(t.curie))

    by_dimension: dict[str, list[Standard]] = {}
    for standard, owner in standards_by_level.items():
        built = _standard(index, views, standard, owner, level)
        for dimension in index.require(standard).links(P.dimension) or [""]:
            by_dimension.setdefault(dimension, []).append(built)
    for dimension in _dimensions(index):
        by_dimension.setdefault(dimension, [])
    dimensions: list[DimensionSafeguards] = []
    for dimension, standards in by_dimension.items():
        if not dimension:
            continue
        standards.sort(key=lambda s: (-rank.get(s.level.iri, 0), natural_key(s.curie)))
        dimensions.append(
            DimensionSafeguards(dimension=views.concept(dimension), standards=standards)
        )

    def dim_order(d: DimensionSafeguards) -> tuple[int, str]:
        ident = d.dimension.id
        return (
            DIMENSION_ORDER.index(ident) if ident in DIMENSION_ORDER else len(DIMENSION_ORDER),
            ident,
        )

    dimensions.sort(key=dim_order)
    notation = resource.notation or short(level)
    return Tier(
        iri=level,
        curie=short(level),
        id=notation,
        rank=resource.integer(P.level_rank),
        notation=resource.notation,
        label=resource.label,
        paraphrase=resource.text(P.paraphrase),
        includes=views.refs(included),
        thresholds=thresholds,
        dimensions=dimensions,
        claims=_claims(index, views, level),
    )
