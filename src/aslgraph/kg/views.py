"""Turn indexed resources into the catalog's domain objects (refs, concepts, citations ...)."""

from __future__ import annotations

from datetime import date

from aslgraph.kg.index import ASL_NS, C, GraphIndex, MappingEnd, P, natural_key, short
from aslgraph.kg.index import split_iri as _split
from aslgraph.kg.model import (
    Citation,
    Concept,
    MappingLink,
    ObligationInfo,
    ProvisionSummary,
    Ref,
    SourceRef,
    TransitionalRef,
    VersionRef,
)
from aslgraph.namespaces import curie


class Views:
    """Builds domain objects from a :class:`GraphIndex`; pure functions of the index.

    The objects are immutable, so the small ones every answer repeats (refs, concepts,
    citations, mapping links) are built once and shared.
    """

    def __init__(self, index: GraphIndex, prefixes: dict[str, str] | None = None):
        self.index = index
        self.prefixes = prefixes or {}
        """Prefixes beyond the project's (an uploaded document's own) for the CURIEs of refs."""
        self._refs: dict[str, Ref] = {}
        self._concepts: dict[str, Concept] = {}
        self._citations: dict[tuple[str, str | None], Citation] = {}
        self._links: dict[tuple[str, bool], MappingLink] = {}
        self._summaries: dict[str, ProvisionSummary] = {}

    def curie(self, iri: str) -> str:
        """The CURIE of ``iri``, with the extra prefixes when there are any."""
        return curie(iri, self.prefixes) if self.prefixes else short(iri)

    def ref(self, iri: str) -> Ref:
        found = self._refs.get(iri)
        if found is None:
            found = self._refs[iri] = self._ref(iri)
        return found

    def _ref(self, iri: str) -> Ref:
        resource = self.index.get(iri)
        name = self.curie(iri)
        if resource is None:
            return Ref(iri=iri, curie=name)
        return Ref(iri=iri, curie=name, notation=resource.notation, label=resource.label)

    def refs(self, iris: list[str], *, sort: bool = False) -> list[Ref]:
        if sort:
            iris = sorted(iris, key=lambda i: natural_key(short(i)))
        return [self.ref(i) for i in iris]

    def concept(self, iri: str) -> Concept:
        found = self._concepts.get(iri)
        if found is None:
            found = self._concepts[iri] = self._concept(iri)
        return found

    def _concept(self, iri: str) -> Concept:
        resource = self.index.get(iri)
        split = _split(iri)
        fallback = split[1] if split else short(iri)
        if resource is None:
            return Concept(iri=iri, id=fallback, label=fallback)
        ident = resource.notation or fallback
        return Concept(iri=iri, id=ident, label=resource.label or ident)

    def concept_of(self, iri: str | None) -> Concept | None:
        return self.concept(iri) if iri else None

    def source(self, iri: str) -> SourceRef:
        resource = self.index.get(iri)
        if resource is None:
            return SourceRef(iri=iri)
        return SourceRef(iri=iri, key=resource.text(P.source_key), title=resource.text(P.title))

    def version_ref(self, iri: str) -> VersionRef:
        resource = self.index.get(iri)
        if resource is None:
            return VersionRef(iri=iri, curie=short(iri))
        return VersionRef(
            iri=iri,
            curie=short(iri),
            notation=resource.notation,
            label=resource.label,
            issued=resource.date(P.issued),
        )

    def citation(self, iri: str, version: str | None) -> Citation:
        found = self._citations.get((iri, version))
        if found is None:
            found = self._citations[iri, version] = self._citation(iri, version)
        return found

    def _citation(self, iri: str, version: str | None) -> Citation:
        ref = self.ref(iri)
        return Citation(
            iri=iri,
            curie=ref.curie,
            notation=ref.notation,
            label=ref.label,
            version=self.version_ref(version) if version else None,
        )

    def types(self, iri: str) -> list[str]:
        """The ontology classes ``iri`` is asserted to belong to, by local name."""
        resource = self.index.get(iri)
        if resource is None:
            return []
        return [t[len(ASL_NS) :] for t in resource.types if t.startswith(ASL_NS)]

    def relation(self, iri: str | None) -> Concept:
        """The relation concept (``rel:``); an absent relation reads as no-relationship."""
        if iri is None:
            return Concept(iri="", id="no-relationship", label="no relationship")
        return self.concept(iri)

    def inverse_relation(self, iri: str | None) -> str | None:
        """The relation read backwards, from the vocabulary's ``asl:inverseRelation``."""
        if iri is None:
            return None
        relation = self.index.get(iri)
        return relation.link(P.inverse_relation) if relation is not None else None

    def read_relation(self, end: MappingEnd) -> Concept:
        """The relation of a mapping read from ``end``'s side (the inverse when backwards)."""
        asserted = end.mapping.link(P.relation)
        return self.relation(asserted if end.forward else self.inverse_relation(asserted))

    def mapping_link(self, end: MappingEnd) -> MappingLink:
        """A mapping read from one end (see :class:`MappingLink`)."""
        key = (end.mapping.iri, end.forward)
        found = self._links.get(key)
        if found is None:
            found = self._links[key] = self._mapping_link(end)
        return found

    def _mapping_link(self, end: MappingEnd) -> MappingLink:
        mapping = end.mapping
        subject = mapping.link(P.subject) or ""
        obj = mapping.link(P.object) or ""
        asserted = mapping.link(P.relation)
        read = asserted if end.forward else self.inverse_relation(asserted)
        subject_cite = self.citation(subject, mapping.link(P.subject_version))
        object_cite = self.citation(obj, mapping.link(P.object_version))
        return MappingLink(
            mapping=mapping.iri,
            curie=self.curie(mapping.iri),
            direction="forward" if end.forward else "inverse",
            relation=self.relation(read),
            asserted_relation=self.relation(asserted),
            rationale=self.concept_of(mapping.link(P.rationale)),
            confidence=mapping.number(P.confidence),
            justification=mapping.text(P.justification),
            status=self.concept_of(mapping.link(P.status)),
            created=mapping.date(P.created),
            subject=subject_cite,
            object=object_cite,
            other=object_cite if end.forward else subject_cite,
            derived_from=[self.source(s) for s in mapping.links(P.derived_from)],
        )

    def provision_summary(self, iri: str) -> ProvisionSummary:
        found = self._summaries.get(iri)
        if found is None:
            found = self._summaries[iri] = self._provision_summary(iri)
        return found

    def _provision_summary(self, iri: str) -> ProvisionSummary:
        resource = self.index.get(iri)
        split = _split(iri) or ("", iri)
        if resource is None:
            return ProvisionSummary(iri=iri, curie=short(iri), scheme=split[0], local=split[1])
        return ProvisionSummary(
            iri=iri,
            curie=short(iri),
            scheme=split[0],
            local=split[1],
            notation=resource.notation,
            label=resource.label,
            paraphrase=resource.text(P.paraphrase),
            kind=self.concept_of(resource.link(P.kind)),
            types=self.types(iri),
            verification=self.concept_of(resource.link(P.verification)),
        )

    def transitional(self, rule: str) -> TransitionalRef:
        resource = self.index.get(rule)
        return TransitionalRef(
            **self.ref(rule).model_dump(),
            placed_before=resource.date(P.placed_before) if resource else None,
            compliance_deadline=resource.date(P.deadline) if resource else None,
        )

    def deferred_by(self, obligation: str) -> list[TransitionalRef]:
        return [
            self.transitional(rule)
            for rule in self.index.modified_by.get(obligation, [])
            if self.index.is_a(rule, C.provision)
        ]

    def obligation_info(self, iri: str) -> ObligationInfo:
        resource = self.index.get(iri)
        assert resource is not None  # noqa: S101 - callers pass indexed obligations
        basis = resource.link(P.basis)
        return ObligationInfo(
            **self.ref(iri).model_dump(),
            roles=[self.concept(r) for r in resource.links(P.binds_role)],
            condition=resource.text(P.condition),
            applies_from=resource.date(P.applies_from),
            basis=self.ref(basis) if basis else None,
            deferred_by=self.deferred_by(iri),
        )

    def date_of(self, iri: str, predicate: str) -> date | None:
        resource = self.index.get(iri)
        return resource.date(predicate) if resource is not None else None
