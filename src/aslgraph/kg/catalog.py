"""The catalog: instruments, provisions, tiers, crosswalks, coverage and obligations.

:class:`Catalog` is what the REST routes and the CLI call. It reads the knowledge graph lazily:
the first call builds an in-memory :class:`~aslgraph.kg.index.GraphIndex` from the named
queries of ``queries/api/`` (tens of milliseconds), so start-up stays fast; every answer is a
frozen domain object (``aslgraph.kg.model``), memoised because the graph is read-only.
Bad input raises :class:`~aslgraph.kg.errors.InvalidRequestError` and unknown things
:class:`~aslgraph.kg.errors.NotFoundError`, each with a message naming what is accepted.
"""

from __future__ import annotations

import math
import re
import threading
from datetime import date
from functools import lru_cache

import pyoxigraph as ox

from aslgraph.config import Settings
from aslgraph.kg import coverage as coverage_service
from aslgraph.kg import matrix as matrix_service
from aslgraph.kg import tiers as tier_service
from aslgraph.kg.crosswalk import CrosswalkQuery
from aslgraph.kg.crosswalk import crosswalk as crosswalk_service
from aslgraph.kg.errors import InvalidRequestError, NotFoundError
from aslgraph.kg.index import (
    C,
    GraphIndex,
    P,
    natural_key,
    short,
    split_iri,
)
from aslgraph.kg.matrix import InstrumentMatrix, ProvisionGrid
from aslgraph.kg.model import (
    Concept,
    Coverage,
    Crosswalk,
    Instrument,
    MappingLink,
    ProvisionDetail,
    ProvisionSummary,
    Ref,
    ResourceView,
    Statement,
    Tier,
    Version,
)
from aslgraph.kg.views import Views
from aslgraph.namespaces import ID, PREFIXES, SCHEMES, scheme_namespace
from aslgraph.store import KnowledgeGraph

PROVISION_KIND = str(scheme_namespace("provision-kind"))
ROLE = str(scheme_namespace("role"))
INSTANCE_PREFIXES = {prefix: scheme for scheme, prefix in SCHEMES.items()}
CACHE_SIZE = 1024
"""Most answers of one kind kept (the domain objects share their parts, so each is small)."""


def _listing(names: list[str]) -> str:
    return ", ".join(names)


class Catalog:
    """The knowledge graph as the REST API and the CLI see it (domain objects, no HTTP)."""

    def __init__(self, store: KnowledgeGraph, settings: Settings):
        self.store = store
        self.settings = settings
        self._index: GraphIndex | None = None
        self._views: Views | None = None
        self._lock = threading.Lock()
        self._instruments = lru_cache(maxsize=1)(self._compute_instruments)
        self._provision = lru_cache(maxsize=CACHE_SIZE)(self._compute_provision)
        self._provisions = lru_cache(maxsize=256)(self._compute_provisions)
        self._tier = lru_cache(maxsize=64)(self._compute_tier)
        self._crosswalk = lru_cache(maxsize=CACHE_SIZE)(self._compute_crosswalk)
        self._coverage = lru_cache(maxsize=256)(self._compute_coverage)
        self._resource = lru_cache(maxsize=CACHE_SIZE)(self._compute_resource)
        self._triples = lru_cache(maxsize=CACHE_SIZE)(self._compute_triples)
        self._schemes = lru_cache(maxsize=1)(self._compute_schemes)
        self._all_provisions = lru_cache(maxsize=1)(self._compute_all_provisions)
        self._instrument_matrix = lru_cache(maxsize=1)(self._compute_instrument_matrix)

    # ------------------------------------------------------------ the index, built on first use

    @property
    def index(self) -> GraphIndex:
        """The in-memory index, built on first use (thread-safe)."""
        index = self._index
        if index is None:
            with self._lock:
                if self._index is None:
                    built = GraphIndex.load(self.store, self.settings.queries_dir)
                    self._views = Views(built)
                    self._index = built  # last: another thread may read it without the lock
                index = self._index
        return index

    def warm(self) -> None:
        """Build the index now (the app does it in a thread at start-up, so that no request
        pays for it and no ``async`` route blocks the event loop building it)."""
        self.index  # noqa: B018 - builds the index (and the views)

    @property
    def views(self) -> Views:
        self.index  # noqa: B018 - builds the index (and the views) when needed
        assert self._views is not None  # noqa: S101 - set together with the index
        return self._views

    # ------------------------------------------------------------ vocabularies and validation

    def schemes(self) -> list[str]:
        """The schemes that hold instruments or provisions, in design order."""
        return list(self._schemes())

    def _compute_schemes(self) -> list[str]:
        index = self.index
        used = {
            (split_iri(iri) or ("", ""))[0]
            for klass in (C.provision, C.instrument)
            for iri in index.by_class.get(klass, [])
        }
        return [scheme for scheme in SCHEMES if scheme in used]

    def check_scheme(self, scheme: str, *, what: str = "scheme", found: bool = False) -> str:
        """Return ``scheme`` when the graph holds provisions or instruments in it.

        Raises NotFoundError (``found``: the scheme names a resource in a path) or
        InvalidRequestError listing the known schemes.
        """
        known = self.schemes()
        if scheme in known:
            return scheme
        message = f"unknown {what} {scheme!r}; known schemes: {_listing(known)}"
        if found:
            raise NotFoundError(message, kind="unknown-scheme")
        raise InvalidRequestError(message, kind="unknown-scheme")

    def kinds(self) -> list[Concept]:
        """The provision kinds (``pk:``), by notation."""
        index = self.index
        kinds = [i for i in index.by_class.get(C.concept, []) if i.startswith(PROVISION_KIND)]
        return sorted((self.views.concept(k) for k in kinds), key=lambda c: c.id)

    def roles(self) -> list[Concept]:
        """The roles (``role:``) obligations can bind, by notation."""
        index = self.index
        roles = [i for i in index.by_class.get(C.concept, []) if i.startswith(ROLE)]
        roles = [r for r in roles if not r.endswith("/scheme")]
        return sorted((self.views.concept(r) for r in roles), key=lambda c: c.id)

    def resolve(self, iri_or_curie: str, *, what: str = "provision") -> str:
        """The IRI of the provision named by a CURIE (``aia:art55-1-d``) or an IRI.

        Raises InvalidRequestError for text that is neither, an unknown prefix, an IRI the
        graph does not mint, or a resource that is not a provision; NotFoundError for a
        well-formed IRI of ours that names nothing.
        """
        text = iri_or_curie.strip()
        if not text:
            raise InvalidRequestError(f"give a {what} as a CURIE (aia:art55-1-d) or an IRI")
        head, colon, tail = text.partition(":")
        if colon and tail.startswith("//"):
            iri = text
            if split_iri(iri) is None:
                raise InvalidRequestError(
                    f"{iri!r} is not an IRI of this knowledge graph: {what}s are named "
                    f"{ID}<scheme>/<local> (or by a CURIE such as aia:art55-1-d)",
                    kind="foreign-iri",
                )
        elif colon:
            if head not in INSTANCE_PREFIXES:
                provision_prefixes = [SCHEMES[scheme] for scheme in self.schemes()]
                raise InvalidRequestError(
                    f"unknown prefix {head!r} in {text!r}; {what}s have the prefixes "
                    f"{_listing(provision_prefixes)}",
                    kind="unknown-prefix",
                )
            iri = PREFIXES[head] + tail
        else:
            raise InvalidRequestError(
                f"{text!r} is neither a CURIE (prefix:local, e.g. aia:art55-1-d) nor an "
                "absolute IRI",
                kind="not-an-iri",
            )
        index = self.index
        if index.is_a(iri, C.provision):
            return iri
        if iri in index.minted:
            what_it_is = self._what_is(iri)
            raise InvalidRequestError(
                f"{short(iri)} is {what_it_is}, not a {what}", kind="not-a-provision"
            )
        raise NotFoundError(f"no {what} {short(iri)} in the knowledge graph", kind="not-found")

    def _what_is(self, iri: str) -> str:
        index = self.index
        for klass, name in (
            (C.version, "an instrument version"),
            (C.instrument, "an instrument"),
            (C.mapping, "a mapping record"),
            (C.concept, "a vocabulary concept"),
            (C.source, "a source document"),
            (C.claim, "a claim"),
        ):
            if index.is_a(iri, klass):
                return name
        return "a resource of another kind"

    # ------------------------------------------------------------ instruments

    def instruments(self, scheme: str | None = None) -> list[Instrument]:
        """Every instrument with its versions; with ``scheme``, those whose IRI or provisions
        lie in that scheme. Raises NotFoundError for an unknown scheme."""
        everything = self._instruments()
        if scheme is None:
            return list(everything)
        self.check_scheme(scheme, found=True)
        return [i for i in everything if scheme in i.schemes]

    def _compute_instruments(self) -> list[Instrument]:
        index, views = self.index, self.views
        schemes_of_version: dict[str, set[str]] = {}
        for provision in index.provisions():
            scheme = (split_iri(provision) or ("", ""))[0]
            for version in index.require(provision).links(P.in_version):
                schemes_of_version.setdefault(version, set()).add(scheme)
        order = {scheme: i for i, scheme in enumerate(SCHEMES)}
        result: list[Instrument] = []
        for iri in index.by_class.get(C.instrument, []):
            resource = index.require(iri)
            own = (split_iri(iri) or ("", ""))[0]
            versions = index.versions_of.get(iri, [])
            schemes = {own}.union(*(schemes_of_version.get(v, set()) for v in versions))
            result.append(
                Instrument(
                    iri=iri,
                    curie=short(iri),
                    scheme=own,
                    schemes=sorted(schemes, key=lambda s: order.get(s, len(order))),
                    notation=resource.notation,
                    label=resource.label,
                    paraphrase=resource.text(P.paraphrase),
                    types=views.types(iri),
                    sources=[views.source(s) for s in resource.links(P.source)],
                    verification=views.concept_of(resource.link(P.verification)),
                    see_also=resource.links(P.see_also),
                    versions=[self._version(v) for v in versions],
                )
            )
        result.sort(key=lambda i: (order.get(i.scheme, len(order)), natural_key(i.curie)))
        return result

    def _version(self, iri: str) -> Version:
        resource = self.index.require(iri)
        views = self.views
        revision = resource.link(P.revision_of)
        return Version(
            iri=iri,
            curie=short(iri),
            notation=resource.notation,
            label=resource.label,
            paraphrase=resource.text(P.paraphrase),
            issued=resource.date(P.issued),
            entry_into_force=resource.date(P.entry_into_force),
            applies_from=resource.date(P.applies_from),
            revision_of=views.ref(revision) if revision else None,
            amended_by=views.refs(resource.links(P.amended_by)),
            verification=views.concept_of(resource.link(P.verification)),
        )

    # ------------------------------------------------------------ provisions

    def provisions(
        self, scheme: str | None = None, kind: str | None = None, q: str | None = None
    ) -> list[ProvisionSummary]:
        """Provisions, filtered by scheme, kind (``article``, ``point`` ...) and a
        case-insensitive text in their notation, label or paraphrase. Raises
        InvalidRequestError for an unknown scheme or kind."""
        if scheme is not None:
            self.check_scheme(scheme)
        if kind is not None:
            known = [k.id for k in self.kinds()]
            if kind not in known:
                raise InvalidRequestError(
                    f"unknown provision kind {kind!r}; known kinds: {_listing(known)}",
                    kind="unknown-kind",
                )
        text = (q or "").strip().casefold() or None
        return list(self._provisions(scheme, kind, text))

    def _compute_provisions(
        self, scheme: str | None, kind: str | None, text: str | None
    ) -> list[ProvisionSummary]:
        views = self.views
        result = [views.provision_summary(p) for p in self._all_provisions()]
        if scheme is not None:
            result = [p for p in result if p.scheme == scheme]
        if kind is not None:
            result = [p for p in result if p.kind is not None and p.kind.id == kind]
        if text is not None:
            result = [
                p
                for p in result
                if any(text in (f or "").casefold() for f in (p.notation, p.label, p.paraphrase))
            ]
        return result

    def _compute_all_provisions(self) -> tuple[str, ...]:
        order = {scheme: i for i, scheme in enumerate(SCHEMES)}

        def key(iri: str) -> tuple[int, tuple[tuple[int, int | str], ...]]:
            scheme, local = split_iri(iri) or ("", iri)
            return order.get(scheme, len(order)), natural_key(local)

        return tuple(sorted((p for p in self.index.provisions() if split_iri(p)), key=key))

    def provision(self, scheme: str, local: str) -> ProvisionDetail:
        """One provision by scheme and local name. Raises NotFoundError (unknown scheme, unknown
        local name, or a resource that is not a provision)."""
        self.check_scheme(scheme, found=True)
        iri = f"{ID}{scheme}/{local}"
        index = self.index
        if not index.is_a(iri, C.provision):
            if iri in index.minted:
                raise NotFoundError(
                    f"{short(iri)} is {self._what_is(iri)}, not a provision; "
                    f"see /id/{scheme}/{local}",
                    kind="not-a-provision",
                )
            raise NotFoundError(
                f"no provision {local!r} in scheme {scheme!r}", kind="unknown-provision"
            )
        return self._provision(iri)

    def provision_by_iri(self, iri_or_curie: str) -> ProvisionDetail:
        """One provision by CURIE or IRI (see :meth:`resolve` for the errors)."""
        return self._provision(self.resolve(iri_or_curie))

    def _compute_provision(self, iri: str) -> ProvisionDetail:
        index, views = self.index, self.views
        resource = index.require(iri)
        summary = views.provision_summary(iri)
        versions = sorted(
            resource.links(P.in_version),
            key=lambda v: (index.version_date(v) or date.max, natural_key(v)),
        )
        obligations = [
            views.obligation_info(o)
            for o in [iri, *self._descendants(iri)]
            if index.of_type(o, C.obligation)
        ]
        return ProvisionDetail(
            **summary.model_dump(),
            sources=[views.source(s) for s in resource.links(P.source)],
            locator=resource.text(P.locator),
            in_version=[views.version_ref(v) for v in versions],
            see_also=resource.links(P.see_also),
            parents=self._parents(iri),
            children=views.refs(index.children.get(iri, [])),
            obligations=obligations,
            serves=views.refs(resource.links(P.serves), sort=True),
            served_by=views.refs(index.served_by.get(iri, []), sort=True),
            mappings=self._mappings(iri),
        )

    def _mappings(self, iri: str) -> list[MappingLink]:
        views = self.views
        links = [views.mapping_link(end) for end in self.index.mapping_ends.get(iri, [])]
        return sorted(links, key=lambda m: (-(m.confidence or 0.0), natural_key(m.curie)))

    def _descendants(self, iri: str) -> list[str]:
        children = self.index.children
        found: dict[str, None] = {}
        todo = list(children.get(iri, []))
        while todo:
            current = todo.pop(0)
            if current not in found and current != iri:
                found[current] = None
                todo.extend(children.get(current, []))
        return list(found)

    def _parents(self, iri: str) -> list[Ref]:
        """The chain of ``dct:isPartOf`` from the direct parent up to the instrument version(s)."""
        index, views = self.index, self.views
        chain: list[str] = []
        current = iri
        seen = {iri}
        while True:
            resource = index.get(current)
            parents = [p for p in resource.links(P.part_of) if p not in seen] if resource else []
            if not parents:
                break
            provisions = [p for p in parents if index.is_a(p, C.provision)]
            if not provisions:
                chain.extend(parents)
                break
            chain.append(provisions[0])
            seen.add(provisions[0])
            current = provisions[0]
        return views.refs(chain)

    # ------------------------------------------------------------ tiers

    def tiers(self) -> list[Tier]:
        """ASL-1 to ASL-4 (every safety level), lowest first."""
        return [self._tier(level) for level in tier_service.levels(self.index)]

    def tier(self, tier_id: str) -> Tier:
        """One tier by ``ASL-3``, ``asl-3``, ``asl3``, ``3`` or its CURIE; NotFoundError else."""
        levels = tier_service.levels(self.index)
        wanted = tier_id.strip().casefold().replace(" ", "").replace("_", "-")
        # ASCII digits only: str.isdigit() is also true of "²" and "①", which int() refuses
        if re.fullmatch(r"[0-9]{1,5}", wanted):
            wanted = f"asl-{int(wanted)}"
        elif re.fullmatch(r"asl[0-9]{1,5}", wanted):
            wanted = f"asl-{int(wanted[3:])}"
        for level in levels:
            resource = self.index.require(level)
            names = {
                (resource.notation or "").casefold(),
                short(level).casefold(),
                level.casefold(),
            }
            if wanted in names:
                return self._tier(level)
        known = [self.index.require(level).notation or short(level) for level in levels]
        raise NotFoundError(
            f"unknown tier {tier_id!r}; known tiers: {_listing(known)} (also accepted: asl-3, 3)",
            kind="unknown-tier",
        )

    def _compute_tier(self, level: str) -> Tier:
        return tier_service.tier(self.index, self.views, level)

    # ------------------------------------------------------------ crosswalk and coverage

    def crosswalk(
        self,
        iri_or_curie: str,
        to_scheme: str | None = None,
        min_confidence: float | None = None,
        as_of: date | None = None,
    ) -> Crosswalk:
        """Direct and derived mappings of a provision (CURIE or IRI).

        ``to_scheme`` keeps only targets in that scheme; ``min_confidence`` (0 to 1) drops
        entries below it (a derived entry's confidence is the weakest on its path); ``as_of``
        keeps mappings made against instrument versions issued on or before the date and drops
        superseded ones. Raises InvalidRequestError or NotFoundError (see :meth:`resolve`).
        """
        iri = self.resolve(iri_or_curie)
        if to_scheme is not None:
            self.check_scheme(to_scheme, what="target scheme")
        if min_confidence is not None and (
            math.isnan(min_confidence) or not 0.0 <= min_confidence <= 1.0
        ):
            raise InvalidRequestError(
                f"min_confidence must be between 0 and 1, got {min_confidence}",
                kind="invalid-parameter",
            )
        return self._crosswalk(CrosswalkQuery(iri, to_scheme, min_confidence, as_of))

    def _compute_crosswalk(self, query: CrosswalkQuery) -> Crosswalk:
        return crosswalk_service(self.index, self.views, query)

    def coverage(self, from_scheme: str, to_scheme: str) -> Coverage:
        """How the provisions of ``from_scheme`` and ``to_scheme`` are mapped to each other.
        Raises InvalidRequestError for an unknown scheme or twice the same one."""
        self.check_scheme(from_scheme, what="scheme (from)")
        self.check_scheme(to_scheme, what="scheme (to)")
        if from_scheme == to_scheme:
            raise InvalidRequestError(
                f"from and to are both {from_scheme!r}; coverage compares two different schemes",
                kind="invalid-parameter",
            )
        return self._coverage(from_scheme, to_scheme)

    def _compute_coverage(self, from_scheme: str, to_scheme: str) -> Coverage:
        return coverage_service.coverage(self.index, self.views, from_scheme, to_scheme)

    # ---- the crosswalk as matrices (issue 12, analyst UI): aslgraph.kg.matrix

    def instrument_matrix(self) -> InstrumentMatrix:
        """Every scheme against every other: the mapped provision pairs and their strength."""
        return self._instrument_matrix()

    def _compute_instrument_matrix(self) -> InstrumentMatrix:
        labels: dict[str, str] = {}
        for instrument in self.instruments():
            for scheme in (instrument.scheme, *instrument.schemes):
                labels.setdefault(scheme, instrument.label or instrument.curie)
        return matrix_service.instrument_matrix(self.index, self.schemes(), labels)

    def provision_grid(self, from_scheme: str, to_scheme: str) -> ProvisionGrid:
        """Provisions by provisions of two schemes, on their coverage (same errors as
        :meth:`coverage`)."""
        coverage = self.coverage(from_scheme, to_scheme)
        return matrix_service.provision_grid(self.index, self.views, coverage)

    # ---- end of the matrices

    # ------------------------------------------------------------ obligations

    def role_iri(self, role: str) -> str:
        """The IRI of the role named by ``role``: its id (``gpai-provider``), CURIE
        (``role:gpai-provider``) or IRI. Raises InvalidRequestError (``unknown-role``)."""
        roles = {concept.id: concept.iri for concept in self.roles()}
        wanted = role.strip()
        if wanted.startswith("role:"):
            wanted = wanted[len("role:") :]
        if wanted.startswith(ROLE):
            wanted = wanted[len(ROLE) :]
        iri = roles.get(wanted)
        if iri is None:
            raise InvalidRequestError(
                f"unknown role {role!r}; known roles: {_listing(sorted(roles))}",
                kind="unknown-role",
            )
        return iri

    # ------------------------------------------------------------ any minted resource (/id)

    def minted(self, scheme: str, local: str) -> str:
        """The IRI ``id/<scheme>/<local>`` when the graph describes it; NotFoundError else."""
        iri = f"{ID}{scheme}/{local}"
        if iri in self.index.minted:
            return iri
        if scheme not in SCHEMES:
            raise NotFoundError(
                f"unknown scheme {scheme!r}; known schemes: {_listing(list(SCHEMES))}",
                kind="unknown-scheme",
            )
        raise NotFoundError(
            f"the knowledge graph describes nothing as {scheme}/{local}", kind="not-found"
        )

    def triples(self, scheme: str, local: str) -> tuple[ox.Triple, ...]:
        """The description of a minted resource (see ``queries/api/describe.rq``)."""
        return self._triples(self.minted(scheme, local))

    def _compute_triples(self, iri: str) -> tuple[ox.Triple, ...]:
        def order(triple: ox.Triple) -> tuple[int, str, str, str]:
            subject = triple.subject
            first = 0 if isinstance(subject, ox.NamedNode) and subject.value == iri else 1
            return first, str(subject), str(triple.predicate), str(triple.object)

        return tuple(sorted(self.index.describe(iri), key=order))

    def resource(self, scheme: str, local: str) -> ResourceView:
        """What the HTML page of a minted resource shows."""
        return self._resource(self.minted(scheme, local))

    def _compute_resource(self, iri: str) -> ResourceView:
        index, views = self.index, self.views
        triples = self._triples(iri)
        labels: dict[str, str] = {}
        for triple in triples:
            if (
                triple.predicate.value == P.label
                and isinstance(triple.object, ox.Literal)
                and isinstance(triple.subject, ox.NamedNode)
            ):
                labels.setdefault(triple.subject.value, triple.object.value)

        def link(value: str) -> Ref:
            ref = views.ref(value)
            if ref.label is None and value in labels:
                return Ref(iri=value, curie=ref.curie, notation=ref.notation, label=labels[value])
            return ref

        statements: dict[str, list[Ref | str]] = {}
        own: dict[str, list[ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple]] = {}
        for triple in triples:
            if not (isinstance(triple.subject, ox.NamedNode) and triple.subject.value == iri):
                continue
            predicate = triple.predicate.value
            own.setdefault(predicate, []).append(triple.object)
            value = triple.object
            rendered: Ref | str = (
                link(value.value) if isinstance(value, ox.NamedNode) else _literal(value)
            )
            statements.setdefault(predicate, []).append(rendered)

        def text(predicate: str) -> str | None:
            for value in own.get(predicate, []):
                if isinstance(value, ox.Literal) and value.language in (None, "en"):
                    return value.value
            return None

        scheme, local = split_iri(iri) or ("", iri)
        is_provision = index.is_a(iri, C.provision)
        return ResourceView(
            iri=iri,
            curie=short(iri),
            scheme=scheme,
            local=local,
            label=text(P.label) or text(P.pref_label) or text(P.title),
            notation=text(P.notation),
            paraphrase=text(P.paraphrase) or text(P.definition),
            is_provision=is_provision,
            types=[link(v.value) for v in own.get(P.type, []) if isinstance(v, ox.NamedNode)],
            sources=[
                views.source(v.value) for v in own.get(P.source, []) if isinstance(v, ox.NamedNode)
            ],
            locator=text(P.locator),
            parents=self._parents(iri) if is_provision else [],
            children=views.refs(index.children.get(iri, [])),
            statements=[
                Statement(property=link(predicate), values=values)
                for predicate, values in sorted(
                    statements.items(), key=lambda item: _predicate_order(item[0])
                )
            ],
            mappings=self._mappings(iri),
        )


_FIRST_PREDICATES = (P.type, P.notation, P.label, P.paraphrase, P.kind, P.part_of, P.in_version)


def _predicate_order(predicate: str) -> tuple[int, str]:
    if predicate in _FIRST_PREDICATES:
        return _FIRST_PREDICATES.index(predicate), ""
    return len(_FIRST_PREDICATES), short(predicate)


def _literal(value: ox.BlankNode | ox.Literal | ox.Triple) -> str:
    if isinstance(value, ox.Literal):
        return value.value
    return str(value)
