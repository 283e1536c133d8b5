"""What the posture service reads from the knowledge graph, computed once per catalog: the
obligations with their roles and dates, enforcement powers, scope statements, and the
containment walks (``dct:isPartOf``, versions of an instrument)."""

from __future__ import annotations

import threading
import weakref
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import pyoxigraph as ox

from aslgraph.kg.catalog import Catalog
from aslgraph.kg.errors import CatalogError
from aslgraph.kg.index import C, P, natural_key, short
from aslgraph.kg.model import CrosswalkEntry, Ref, TransitionalRef
from aslgraph.namespaces import ASL, scheme_namespace
from aslgraph.queries import load_queries

ENFORCEMENT_POWER = str(scheme_namespace("provision-kind")["enforcement-power"])
SAFETY_FRAMEWORK = str(ASL.SafetyFramework)


@dataclass(frozen=True)
class ObligationFacts:
    """An obligation of the knowledge graph, as the posture service needs it."""

    iri: str
    roles: tuple[str, ...]
    applies_from: date | None
    instrument: str | None
    owed_to: tuple[str, ...] = ()
    """Roles the duty is owed to (``asl:owedTo``): Art. 53(1)(b) to downstream providers."""
    binding: bool = True
    """False under a voluntary regime (the instrument is not legislation)."""
    reports_to: tuple[str, ...] = ()
    """Roles a reporting duty reports to (``asl:reportsTo``)."""
    shown_by: str | None = None
    """The organisation-graph property whose statement shows the duty done (``asl:shownBy``)."""
    due_within_days: int | None = None
    """Days within which the act falls due (``asl:dueWithinDays``)."""
    arises_on: str | None = None
    """The event a responsive duty arises on (``asl:arisesOn``)."""


DATED_KEPT = 100_000
"""Most entries kept in a memo keyed by a date (an upload chooses its date, so such a memo is
emptied when full instead of growing with every upload)."""


class PostureTables:
    """What the posture service reads from the knowledge graph, computed once per catalog.

    The containment walks (``dct:isPartOf``, versions of an instrument) are memoised as they are
    asked for; the graph is read-only, so the tables never go stale.
    """

    def __init__(self, catalog: Catalog):
        self.catalog = catalog
        index = catalog.index
        self.index = index
        self.views = catalog.views
        self.route_plans: dict[tuple[str, ...], object] = {}
        """What the knowledge graph contributes to a route, by (kind of link, target,
        obligation, date): filled by :class:`~aslgraph.org.posture.routes.RouteFinder`, for
        targets of the knowledge graph only and at most :data:`DATED_KEPT` of them."""
        self._crosswalks: dict[tuple[str, date], list[CrosswalkEntry]] = {}
        self._ancestors: dict[str, tuple[str, ...]] = {}
        self._descendants: dict[str, frozenset[str]] = {}
        self._served_within: dict[str, dict[str, tuple[str, ...]]] = {}
        self._reports_to: dict[str, frozenset[str]] = {}
        self._deferred_by: dict[str, list[TransitionalRef]] = {}
        obligations: list[ObligationFacts] = []
        powers: list[str] = []
        for iri in index.provisions():
            resource = index.require(iri)
            if index.of_type(iri, C.obligation):
                instrument = self.instrument_of(iri)
                obligations.append(
                    ObligationFacts(
                        iri=iri,
                        roles=tuple(resource.links(P.binds_role)),
                        applies_from=resource.date(P.applies_from),
                        instrument=instrument,
                        owed_to=tuple(resource.links(P.owed_to)),
                        binding=instrument is not None and index.of_type(instrument, C.legislation),
                        reports_to=tuple(resource.links(P.reports_to)),
                        shown_by=resource.link(P.shown_by),
                        due_within_days=resource.integer(P.due_within_days),
                        arises_on=resource.text(P.arises_on),
                    )
                )
            elif resource.link(P.kind) == ENFORCEMENT_POWER and resource.date(P.applies_from):
                powers.append(iri)
        obligations.sort(key=lambda o: natural_key(short(o.iri)))
        self.obligations: tuple[ObligationFacts, ...] = tuple(obligations)
        self.enforcement_powers: tuple[str, ...] = tuple(sorted(powers, key=curie_key))
        self.code_guidance: tuple[str, ...] = tuple(self._code_guidance())
        """Guideline provisions that say what Code adherence is worth (mapped to Art. 53(4) or
        Art. 55(2)); cited on every verdict that rests on Code adherence."""
        self.out_of_scope: dict[str, list[tuple[str, str, str | None]]] = {}
        query = load_queries(catalog.settings.queries_dir)["posture/out-of-scope-threats"]
        result = catalog.store.query(query.text)
        assert isinstance(result, ox.QuerySolutions)  # noqa: S101 - a SELECT gives solutions
        for row in result:
            statement, standard, actor = row["statement"], row["standard"], row["actor"]
            version = row["version"]
            if not all(isinstance(t, ox.NamedNode) for t in (statement, standard, actor)):
                continue
            assert isinstance(standard, ox.NamedNode)  # noqa: S101 - checked above
            self.out_of_scope.setdefault(standard.value, []).append(
                (
                    str(statement.value),
                    str(actor.value),
                    version.value if isinstance(version, ox.NamedNode) else None,
                )
            )

    def instrument_of(self, iri: str) -> str | None:
        """The instrument whose version holds ``iri`` (``asl:inVersion`` / ``asl:versionOf``)."""
        resource = self.index.get(iri)
        if resource is None:
            return None
        for version in resource.links(P.in_version):
            instruments = self.index.instruments_of_version(version)
            if instruments:
                return instruments[0]
        return None

    def ancestors(self, iri: str) -> tuple[str, ...]:
        """Everything ``iri`` is part of: ``dct:isPartOf`` upwards, then the instruments of the
        versions reached (nearest first)."""
        found = self._ancestors.get(iri)
        if found is not None:
            return found
        seen: dict[str, None] = {}
        todo = [iri]
        while todo:
            current = todo.pop(0)
            resource = self.index.get(current)
            if resource is None:
                continue
            parents = [*resource.links(P.part_of), *resource.links(P.version_of)]
            for parent in parents:
                if parent not in seen and parent != iri:
                    seen[parent] = None
                    todo.append(parent)
        found = tuple(seen)
        if self.known(iri):
            self._ancestors[iri] = found
        return found

    def known(self, iri: str) -> bool:
        """Whether ``iri`` is the knowledge graph's: only what is known about those is kept
        (an upload names what it likes, and the tables live as long as the catalog)."""
        return self.index.get(iri) is not None

    def descendants(self, iri: str) -> frozenset[str]:
        """Every provision inside ``iri`` (through its versions when it is an instrument)."""
        found = self._descendants.get(iri)
        if found is not None:
            return found
        result: set[str] = set()
        todo = [*self.index.children.get(iri, []), *self.index.versions_of.get(iri, [])]
        while todo:
            current = todo.pop()
            if current in result or current == iri:
                continue
            result.add(current)
            todo.extend(self.index.children.get(current, []))
        found = frozenset(result)
        if self.known(iri):
            self._descendants[iri] = found
        return found

    def serves(self, iri: str) -> list[str]:
        resource = self.index.get(iri)
        return resource.links(P.serves) if resource is not None else []

    def served_within(self, container: str) -> dict[str, tuple[str, ...]]:
        """For each provision served (``asl:servesProvision``) by ``container`` or a provision
        inside it, the serving provisions (by CURIE)."""
        found = self._served_within.get(container)
        if found is not None:
            return found
        targets: dict[str, list[str]] = {}
        for member in sorted({container, *self.descendants(container)}, key=curie_key):
            for target in self.serves(member):
                targets.setdefault(target, []).append(member)
        found = {k: tuple(v) for k, v in targets.items()}
        if self.known(container):
            self._served_within[container] = found
        return found

    def crosswalk(self, iri: str, as_of: date) -> list[CrosswalkEntry]:
        """The crosswalk entries of ``iri`` on ``as_of`` (cached by the catalog); none for an
        IRI that is not a provision of the knowledge graph."""
        key = (iri, as_of)
        found = self._crosswalks.get(key)
        if found is not None:
            return found
        found = []
        if self.index.is_a(iri, C.provision):
            try:
                found = self.catalog.crosswalk(iri, as_of=as_of).entries
            except CatalogError:
                found = []
            if len(self._crosswalks) >= DATED_KEPT:  # an upload chooses its date
                self._crosswalks.clear()
            self._crosswalks[key] = found
        return found

    def _code_guidance(self) -> list[str]:
        targets = {str(scheme_namespace("eu-ai-act")[p]) for p in ("art53-4", "art55-2")}
        guidelines = str(scheme_namespace("eu-gpai-guidelines"))
        found: dict[str, None] = {}
        for target in sorted(targets):
            for end in self.index.mapping_ends.get(target, []):
                mapping = end.mapping
                relation = mapping.link(P.relation) or ""
                if end.other.startswith(guidelines) and not relation.endswith("no-relationship"):
                    found.setdefault(end.other, None)
        return sorted(found, key=curie_key)

    def reports_to(self, iri: str) -> frozenset[str]:
        """The addressees the provision, or one containing it, reports to (kept for the
        provisions of the knowledge graph)."""
        cached = self._reports_to.get(iri)
        if cached is not None:
            return cached
        found: set[str] = set()
        for carrier in (iri, *self.ancestors(iri)):
            resource = self.index.get(carrier)
            if resource is not None:
                found.update(resource.links(P.reports_to))
        result = frozenset(found)
        if self.known(iri):  # an upload's own IRIs are not kept
            self._reports_to[iri] = result
        return result

    def deferred_by(self, obligation: str) -> list[TransitionalRef]:
        """The transitional rules that modify ``obligation`` (read once per obligation; the
        same objects each time: do not change them)."""
        found = self._deferred_by.get(obligation)
        if found is None:
            found = self.views.deferred_by(obligation)
            if self.known(obligation):
                self._deferred_by[obligation] = found
        return found

    def ref(self, iri: str) -> Ref:
        return self.views.ref(iri)

    def is_framework(self, instrument: str | None) -> bool:
        resource = self.index.get(instrument) if instrument else None
        return resource is not None and SAFETY_FRAMEWORK in resource.types


_TABLES: weakref.WeakKeyDictionary[Catalog, PostureTables] = weakref.WeakKeyDictionary()
_TABLES_LOCK = threading.Lock()


def tables(catalog: Catalog) -> PostureTables:
    """The posture tables of ``catalog``, built on first use (thread-safe)."""
    found = _TABLES.get(catalog)
    if found is None:
        with _TABLES_LOCK:
            found = _TABLES.get(catalog)
            if found is None:
                found = _TABLES[catalog] = PostureTables(catalog)
    return found


@lru_cache(maxsize=65536)
def curie_key(iri: str) -> tuple[tuple[int, int | str], ...]:
    return natural_key(short(iri))
