"""Coverage of one scheme by another: which provisions are mapped to which, and which are not."""

from __future__ import annotations

from aslgraph.kg.crosswalk import SUPERSEDED
from aslgraph.kg.index import GraphIndex, P, natural_key, short, split_iri
from aslgraph.kg.model import Coverage, CoverageLink, CoverageRow, CoverageSide
from aslgraph.kg.views import Views

NO_RELATIONSHIP = "no-relationship"


def provisions_of(index: GraphIndex, scheme: str) -> list[str]:
    """The provisions minted in ``scheme``, in natural order of their local names."""
    found = [p for p in index.provisions() if (split_iri(p) or ("", ""))[0] == scheme]
    return sorted(found, key=lambda p: natural_key(short(p)))


def _links(
    index: GraphIndex, views: Views, provision: str, other_scheme: str
) -> list[CoverageLink]:
    links: list[CoverageLink] = []
    for end in index.mapping_ends.get(provision, []):
        if (split_iri(end.other) or ("", ""))[0] != other_scheme:
            continue
        if end.mapping.link(P.status) == SUPERSEDED:
            continue
        relation = views.read_relation(end)
        if relation.id == NO_RELATIONSHIP:
            continue
        links.append(
            CoverageLink(
                other=views.ref(end.other),
                relation=relation,
                confidence=end.mapping.number(P.confidence),
                status=views.concept_of(end.mapping.link(P.status)),
                mapping=end.mapping.iri,
            )
        )
    links.sort(key=lambda link: (-(link.confidence or 0.0), natural_key(link.other.curie)))
    return links


def coverage(index: GraphIndex, views: Views, from_scheme: str, to_scheme: str) -> Coverage:
    """Every provision of both schemes with the provisions of the other that cover it.

    A provision is covered when a mapping that is not superseded and not ``no-relationship``
    links it to a provision of the other scheme (in either direction; the relation is read
    from the row's side).
    """
    rows: list[CoverageRow] = []
    summary: list[CoverageSide] = []
    for side, scheme, other in (("from", from_scheme, to_scheme), ("to", to_scheme, from_scheme)):
        covered = 0
        provisions = provisions_of(index, scheme)
        for provision in provisions:
            links = _links(index, views, provision, other)
            covered += bool(links)
            resource = index.get(provision)
            kind = resource.link(P.kind) if resource is not None else None
            rows.append(
                CoverageRow(
                    **views.ref(provision).model_dump(),
                    side="from" if side == "from" else "to",
                    kind=views.concept_of(kind),
                    covered=bool(links),
                    links=links,
                )
            )
        summary.append(
            CoverageSide(
                scheme=scheme,
                provisions=len(provisions),
                covered=covered,
                unmapped=len(provisions) - covered,
            )
        )
    return Coverage(from_scheme=from_scheme, to_scheme=to_scheme, summary=summary, rows=rows)
