"""An in-memory index of the knowledge graph's resources, built once from named queries.

The graph is read-only at run time, so the catalog reads each class of resource once
(``queries/api/resources-of-class.rq``, bound to the class) and answers lookups from Python
dictionaries. :class:`Resource` keeps every property value of one resource; the index adds the
inverse links the catalog walks (children, mapping ends, versions of an instrument).
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from aslgraph import __version__
from aslgraph.namespaces import ASL, ID, SCHEMES, curie
from aslgraph.queries import NamedQuery, load_queries
from aslgraph.store import KnowledgeGraph, OxigraphStore, read_checked, write_checked

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCT = "http://purl.org/dc/terms/"
PROV = "http://www.w3.org/ns/prov#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SKOS_CONCEPT = SKOS + "Concept"

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple


class P:
    """The predicates the catalog reads (IRIs as strings)."""

    type = RDF_TYPE
    label = RDFS + "label"
    see_also = RDFS + "seeAlso"
    notation = SKOS + "notation"
    pref_label = SKOS + "prefLabel"
    definition = SKOS + "definition"
    broader = SKOS + "broader"
    part_of = DCT + "isPartOf"
    issued = DCT + "issued"
    created = DCT + "created"
    creator = DCT + "creator"
    title = DCT + "title"
    replaces = DCT + "replaces"
    derived_from = PROV + "wasDerivedFrom"
    revision_of = PROV + "wasRevisionOf"
    paraphrase = str(ASL.paraphrase)
    kind = str(ASL.provisionKind)
    in_version = str(ASL.inVersion)
    source = str(ASL.source)
    locator = str(ASL.locator)
    verification = str(ASL.verificationStatus)
    serves = str(ASL.servesProvision)
    binds_role = str(ASL.bindsRole)
    owed_to = str(ASL.owedTo)
    condition = str(ASL.condition)
    applies_from = str(ASL.appliesFrom)
    basis = str(ASL.applicationBasis)
    placed_before = str(ASL.appliesToPlacedBefore)
    deadline = str(ASL.complianceDeadline)
    modifies = str(ASL.modifies)
    version_of = str(ASL.versionOf)
    entry_into_force = str(ASL.entryIntoForce)
    amended_by = str(ASL.amendedBy)
    level_rank = str(ASL.levelRank)
    includes_level = str(ASL.includesLevel)
    requires_standard = str(ASL.requiresStandard)
    requirement_note = str(ASL.requirementNote)
    risk_domain = str(ASL.riskDomain)
    for_level = str(ASL.forLevel)
    dimension = str(ASL.dimension)
    specified = str(ASL.specified)
    implements = str(ASL.implementsStandard)
    adopted_on = str(ASL.adoptedOn)
    about_level = str(ASL.aboutLevel)
    about_dimension = str(ASL.aboutDimension)
    verdict = str(ASL.verdict)
    assessed_against = str(ASL.assessedAgainst)
    evidence = str(ASL.evidence)
    source_key = str(ASL.sourceKey)
    subject = str(ASL.mappingSubject)
    object = str(ASL.mappingObject)
    relation = str(ASL.relation)
    rationale = str(ASL.rationale)
    justification = str(ASL.justification)
    confidence = str(ASL.confidence)
    status = str(ASL.mappingStatus)
    subject_version = str(ASL.subjectVersion)
    object_version = str(ASL.objectVersion)
    inverse_relation = str(ASL.inverseRelation)
    condition_query = str(ASL.conditionQuery)
    condition_subject = str(ASL.conditionSubject)
    if_unknown = str(ASL.ifUnknown)
    set_by = str(ASL.setBy)
    all_of = str(ASL.allOf)
    negation_of = str(ASL.negationOf)
    applies_when = str(ASL.appliesWhen)
    exempts = str(ASL.exempts)
    exemption_when = str(ASL.exemptionWhen)
    held_when = str(ASL.heldWhen)
    duties_per_model = str(ASL.dutiesPerModel)
    reports_to = str(ASL.reportsTo)
    shown_by = str(ASL.shownBy)
    arises_on = str(ASL.arisesOn)
    due_within_days = str(ASL.dueWithinDays)


class C:
    """The classes the catalog reads."""

    provision = str(ASL.Provision)
    obligation = str(ASL.Obligation)
    transitional_rule = str(ASL.TransitionalRule)
    instrument = str(ASL.Instrument)
    version = str(ASL.InstrumentVersion)
    mapping = str(ASL.Mapping)
    source = str(ASL.SourceDocument)
    claim = str(ASL.Claim)
    condition = str(ASL.Condition)
    legislation = str(ASL.Legislation)
    safety_level = str(ASL.SafetyLevel)
    threshold = str(ASL.CapabilityThreshold)
    criterion = str(ASL.CapabilityCriterion)
    standard = str(ASL.SafeguardStandard)
    requirement = str(ASL.SafeguardRequirement)
    measure = str(ASL.SafeguardMeasure)
    concept = SKOS_CONCEPT


ASL_NS = str(ASL._NS)
INSTANCE_PREFIXES: dict[str, str] = {prefix: scheme for scheme, prefix in SCHEMES.items()}


def split_iri(iri: str) -> tuple[str, str] | None:
    """The (scheme, local name) of an IRI minted under ``id/``, or None for any other IRI."""
    if not iri.startswith(ID):
        return None
    scheme, slash, local = iri[len(ID) :].partition("/")
    if not slash or not scheme or not local:
        return None
    return scheme, local


@lru_cache(maxsize=8192)
def short(iri: str) -> str:
    """The CURIE of ``iri`` when a known prefix covers it, else the IRI."""
    return curie(iri)


_NATURAL = re.compile(r"(\d+)")


def natural_key(text: str) -> tuple[tuple[int, int | str], ...]:
    """Sort key that orders embedded numbers by value (art9 before art10)."""
    return tuple(
        (0, int(part)) if part.isdigit() else (1, part.casefold())
        for part in _NATURAL.split(text)
        if part
    )


def parse_date(text: str | None) -> date | None:
    """An ``xsd:date`` lexical form as a date; None when absent or not a full date."""
    if not text:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


@dataclass
class Resource:
    """One resource and every value of each of its properties, in the store's order."""

    iri: str
    props: dict[str, list[Term]] = field(default_factory=dict)

    def values(self, predicate: str) -> list[Term]:
        return self.props.get(predicate, [])

    def links(self, predicate: str) -> list[str]:
        """The IRI values of ``predicate`` (literals and blank nodes skipped), de-duplicated."""
        seen: dict[str, None] = {}
        for value in self.props.get(predicate, ()):
            if isinstance(value, ox.NamedNode):
                seen.setdefault(value.value, None)
        return list(seen)

    def link(self, predicate: str) -> str | None:
        found = self.links(predicate)
        return found[0] if found else None

    def literals(self, predicate: str) -> list[ox.Literal]:
        return [v for v in self.props.get(predicate, ()) if isinstance(v, ox.Literal)]

    def text(self, predicate: str) -> str | None:
        """The value of a text property, English or language-less first."""
        literals = self.literals(predicate)
        for literal in literals:
            if literal.language in (None, "en"):
                return literal.value
        return literals[0].value if literals else None

    def date(self, predicate: str) -> date | None:
        return parse_date(self.text(predicate))

    def number(self, predicate: str) -> float | None:
        value = self.text(predicate)
        if value is None:
            return None
        try:
            return float(value)
        except ValueError:
            return None

    def integer(self, predicate: str) -> int | None:
        value = self.number(predicate)
        return int(value) if value is not None else None

    def boolean(self, predicate: str) -> bool | None:
        value = self.text(predicate)
        if value is None:
            return None
        return value.strip().lower() in ("true", "1")

    @property
    def types(self) -> list[str]:
        return self.links(P.type)

    @property
    def label(self) -> str | None:
        return self.text(P.label) or self.text(P.pref_label) or self.text(P.title)

    @property
    def notation(self) -> str | None:
        return self.text(P.notation)


@dataclass(frozen=True)
class MappingEnd:
    """A mapping record seen from one end: ``forward`` when that end is the subject."""

    mapping: Resource
    forward: bool

    @property
    def other(self) -> str:
        found = self.mapping.link(P.object if self.forward else P.subject)
        return found or ""


class GraphIndex:
    """Every resource the catalog reads, by IRI, plus the inverse links it walks.

    Build it with :meth:`load`; it is immutable afterwards and safe to share between threads.
    """

    def __init__(self, store: KnowledgeGraph, queries: dict[str, NamedQuery]):
        self.store = store
        self.queries = queries
        self.resources: dict[str, Resource] = {}
        self.by_class: dict[str, list[str]] = {}
        self.member_sets: dict[str, frozenset[str]] = {}
        self.minted: frozenset[str] = frozenset()
        self.children: dict[str, list[str]] = defaultdict(list)
        self.served_by: dict[str, list[str]] = defaultdict(list)
        self.mapping_ends: dict[str, list[MappingEnd]] = defaultdict(list)
        self.versions_of: dict[str, list[str]] = defaultdict(list)
        self.modified_by: dict[str, list[str]] = defaultdict(list)
        self.claims_about: dict[str, list[str]] = defaultdict(list)
        self.overlaid: frozenset[str] = frozenset()
        """The resources an :meth:`overlay` added (empty for an index of the graph)."""
        self.load_seconds = 0.0

    CLASSES = (
        C.provision,
        C.instrument,
        C.version,
        C.mapping,
        C.concept,
        C.source,
        C.claim,
        C.condition,
    )
    """What :meth:`load` reads, in this order."""
    QUERIES = ("api/resources-of-class", "api/minted")
    """The queries :meth:`load` reads the graph with (their texts key :class:`IndexCache`)."""

    @classmethod
    def load(cls, store: KnowledgeGraph, queries_dir: Path) -> GraphIndex:
        """Read the graph's provisions, instruments, versions, mappings, concepts, sources and
        claims. Raises KeyError when a query the catalog needs is missing from ``queries_dir``.

        The index of an embedded store that is kept on disk (``OxigraphStore.cache``) is kept
        beside it (:class:`IndexCache`) and read back from there: the same index, in a fifth of
        the time of querying the store for it."""
        start = time.perf_counter()
        index = cls(store, load_queries(queries_dir))
        cache = IndexCache.beside(store, index.queries)
        if cache is None or not cache.read(index):
            for klass in cls.CLASSES:
                index._read_class(klass)
            index.minted = frozenset(index._minted())
            if cache is not None:
                cache.write(index)
        index.member_sets = {k: frozenset(v) for k, v in index.by_class.items()}
        index._link()
        index.load_seconds = time.perf_counter() - start
        return index

    OVERLAY_CLASSES = (C.provision, C.instrument, C.version, C.mapping)
    """What :meth:`overlay` reads from another graph: an instrument, its versions, its
    provisions and mappings."""

    def overlay(self, store: KnowledgeGraph) -> GraphIndex:
        """A new index: this one with the instruments, versions, provisions and mappings of
        ``store`` added (an organisation's own framework, mapped to the graph's provisions).

        This index is left as it is; the new one shares its resources (they are never changed
        after loading) and copies only the links the added resources touch. A resource of
        ``store`` with the IRI of one of this index's resources replaces it; callers that must
        not allow that check first (:mod:`aslgraph.org.framework`).
        """
        added = GraphIndex(store, self.queries)
        for klass in self.OVERLAY_CLASSES:
            added._read_class(klass)
        merged = GraphIndex(self.store, self.queries)
        merged.resources = {**self.resources, **added.resources}
        merged.by_class = {
            klass: list(dict.fromkeys([*members, *added.by_class.get(klass, [])]))
            for klass, members in self.by_class.items()
        }
        merged.member_sets = {k: frozenset(v) for k, v in merged.by_class.items()}
        merged.minted = self.minted
        for name in ("children", "served_by", "mapping_ends", "versions_of", "modified_by"):
            setattr(merged, name, defaultdict(list, getattr(self, name)))
        merged.claims_about = self.claims_about
        merged.overlaid = frozenset(added.resources)
        merged._link_added(added)
        merged.load_seconds = added.load_seconds
        return merged

    def _link_added(self, added: GraphIndex) -> None:
        """Link the resources of ``added`` into this index, copying each list it extends (the
        lists are shared with the index this one overlays)."""

        def extend(links: dict[str, list[Any]], key: str, value: Any) -> None:
            links[key] = [*links.get(key, []), value]

        for iri in added.by_class.get(C.provision, []):
            resource = self.resources[iri]
            for parent in resource.links(P.part_of):
                extend(self.children, parent, iri)
            for target in resource.links(P.serves):
                extend(self.served_by, target, iri)
        for iri in added.by_class.get(C.mapping, []):
            mapping = self.resources[iri]
            subject, obj = mapping.link(P.subject), mapping.link(P.object)
            if subject:
                extend(self.mapping_ends, subject, MappingEnd(mapping, forward=True))
            if obj:
                extend(self.mapping_ends, obj, MappingEnd(mapping, forward=False))
        for iri in added.by_class.get(C.version, []):
            for instrument in self.resources[iri].links(P.version_of):
                extend(self.versions_of, instrument, iri)
        for parent in {
            p
            for i in added.by_class.get(C.provision, [])
            for p in self.resources[i].links(P.part_of)
        }:
            self.children[parent] = sorted(
                self.children[parent], key=lambda c: natural_key(short(c))
            )

    def query(self, name: str) -> str:
        """The text of ``queries/api/<name>.rq``."""
        return self.queries[f"api/{name}"].text

    def _read_class(self, klass: str) -> None:
        result = self.store.query(
            self.query("resources-of-class"), substitutions={"class": ox.NamedNode(klass)}
        )
        assert isinstance(result, ox.QuerySolutions)  # noqa: S101 - a SELECT gives solutions
        members: dict[str, None] = {}
        for row in result:
            subject, predicate, value = row["resource"], row["property"], row["value"]
            if not isinstance(subject, ox.NamedNode) or not isinstance(predicate, ox.NamedNode):
                continue
            if value is None:
                continue
            resource = self.resources.get(subject.value)
            if resource is None:
                resource = self.resources[subject.value] = Resource(subject.value)
            values = resource.props.setdefault(predicate.value, [])
            if value not in values:
                values.append(value)
            members.setdefault(subject.value, None)
        self.by_class[klass] = list(members)

    def _minted(self) -> Iterable[str]:
        result = self.store.query(self.query("minted"), substitutions={"base": ox.NamedNode(ID)})
        assert isinstance(result, ox.QuerySolutions)  # noqa: S101 - a SELECT gives solutions
        for row in result:
            resource = row["resource"]
            if isinstance(resource, ox.NamedNode):
                yield resource.value

    def _link(self) -> None:
        for iri in self.by_class[C.provision]:
            resource = self.resources[iri]
            for parent in resource.links(P.part_of):
                self.children[parent].append(iri)
            for target in resource.links(P.serves):
                self.served_by[target].append(iri)
            for modified in resource.links(P.modifies):
                self.modified_by[modified].append(iri)
        for iri in self.by_class[C.mapping]:
            mapping = self.resources[iri]
            subject, obj = mapping.link(P.subject), mapping.link(P.object)
            if subject:
                self.mapping_ends[subject].append(MappingEnd(mapping, forward=True))
            if obj:
                self.mapping_ends[obj].append(MappingEnd(mapping, forward=False))
        for iri in self.by_class[C.version]:
            for instrument in self.resources[iri].links(P.version_of):
                self.versions_of[instrument].append(iri)
        for iri in self.by_class[C.claim]:
            for level in self.resources[iri].links(P.about_level):
                self.claims_about[level].append(iri)
        for children in self.children.values():
            children.sort(key=lambda c: natural_key(short(c)))
        for versions in self.versions_of.values():
            versions.sort(key=lambda v: (self.version_date(v) or date.max, natural_key(v)))

    # ------------------------------------------------------------ lookups

    def get(self, iri: str) -> Resource | None:
        return self.resources.get(iri)

    def require(self, iri: str) -> Resource:
        """The indexed resource ``iri``; raises KeyError when the index does not hold it."""
        return self.resources[iri]

    def is_a(self, iri: str, klass: str) -> bool:
        """True when ``iri`` is an instance of ``klass`` or of one of its subclasses (for the
        classes the index reads)."""
        return iri in self.member_sets.get(klass, frozenset())

    def of_type(self, iri: str, klass: str) -> bool:
        """True when ``iri`` is asserted to be of ``klass`` itself (not a subclass)."""
        resource = self.resources.get(iri)
        return resource is not None and klass in resource.types

    def provisions(self) -> Sequence[str]:
        return self.by_class[C.provision]

    def version_date(self, iri: str) -> date | None:
        """The date a version was issued, or else entered into force; None when undated."""
        version = self.resources.get(iri)
        if version is None:
            return None
        return version.date(P.issued) or version.date(P.entry_into_force)

    def label(self, iri: str) -> str | None:
        resource = self.resources.get(iri)
        return resource.label if resource is not None else None

    def notation(self, iri: str) -> str | None:
        resource = self.resources.get(iri)
        return resource.notation if resource is not None else None

    def instruments_of_version(self, version: str) -> list[str]:
        resource = self.resources.get(version)
        return resource.links(P.version_of) if resource is not None else []

    def describe(self, iri: str) -> list[ox.Triple]:
        """The resource's own triples, the labels and notations of what it links to and the
        mapping records that point at it (``queries/api/describe.rq``)."""
        result = self.store.query(
            self.query("describe"), substitutions={"resource": ox.NamedNode(iri)}
        )
        assert isinstance(result, ox.QueryTriples)  # noqa: S101 - a CONSTRUCT gives triples
        return list(result)

    def included_levels(self, level: str) -> list[str]:
        """Every level ``level`` includes, directly or through others (``asl:includesLevel+``)."""
        result = self.store.query(
            self.query("included-levels"), substitutions={"level": ox.NamedNode(level)}
        )
        assert isinstance(result, ox.QuerySolutions)  # noqa: S101 - a SELECT gives solutions
        found: dict[str, None] = {}
        for row in result:
            lower = row["lower"]
            if isinstance(lower, ox.NamedNode):
                found.setdefault(lower.value, None)
        return list(found)


class IndexCache:
    """What :meth:`GraphIndex.load` read from a store, kept on disk as JSON beside the store's
    own cache (:class:`aslgraph.store.StoreCache`).

    The file is named by a digest of everything the index depends on: this layout, the package
    version, the pyoxigraph version, the store's key (its files' names and contents), the texts
    of the queries that read it and the source of this module; so a changed data file, query or
    index code is never served from an old copy. Its SHA-256 heads it and is checked on every
    read. It holds IRIs and literals only: an index with a value it cannot give back exactly (a
    blank node, whose name differs between two parses of the same files; a triple term; a
    literal with a base direction) is not kept. JSON, never pickle: a cache folder may be shared,
    and reading it runs no code. Nothing here is ever an error: a copy that is missing, damaged,
    stale or cannot be written is a miss, and the index is read from the store.
    """

    LAYOUT = "aslgraph-index-cache/1"
    KEEP = 8
    """Copies kept (the most recently written), as for the store's cache."""

    def __init__(self, path: Path):
        self.path = path

    @classmethod
    def beside(cls, store: KnowledgeGraph, queries: dict[str, NamedQuery]) -> IndexCache | None:
        """The cache of the index of ``store``; None when the store is not kept on disk (no
        cache folder, or a remote store's snapshot) or this module's source cannot be read."""
        kept = store.cache if isinstance(store, OxigraphStore) else None
        if kept is None:
            return None
        try:
            code = Path(__file__).read_bytes()
        except OSError:
            return None
        digest = hashlib.sha256(
            f"{cls.LAYOUT}\n{__version__}\n{ox.__version__}\n{kept.key}\n".encode()
        )
        digest.update(hashlib.sha256(code).digest())
        for name in GraphIndex.QUERIES:
            digest.update(hashlib.sha256(queries[name].text.encode("utf-8")).digest())
        return cls(kept.directory / f"index-{digest.hexdigest()[:32]}.json")

    def read(self, index: GraphIndex) -> bool:
        """Fill ``index`` (its resources, classes and minted IRIs) from the kept copy; False,
        leaving ``index`` as it was, when there is no usable copy."""
        body = read_checked(self.path)
        if body is None:
            return False
        try:
            resources, by_class, minted = _decode(json.loads(body))
        except (ValueError, TypeError, KeyError, IndexError, AttributeError):
            return False
        index.resources, index.by_class, index.minted = resources, by_class, minted
        return True

    def write(self, index: GraphIndex) -> None:
        """Keep what ``index`` read, unless it holds a value the cache cannot give back exactly
        (the copy is decoded and compared before it is written)."""
        try:
            document = _encode(index)
        except TypeError:
            return
        body = json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        resources, by_class, minted = _decode(json.loads(body))
        same = (
            list(resources) == list(index.resources)
            and all(resources[iri].props == r.props for iri, r in index.resources.items())
            and by_class == index.by_class
            and minted == index.minted
        )
        if same:
            write_checked(self.path, body, keep=self.KEEP, kind="index-*.json")


_XSD_STRING = XSD + "string"


def _encode_term(term: Term) -> str | list[str]:
    """An IRI as its text; a literal as [lexical form], [lexical form, "@" language] or
    [lexical form, datatype]. Raises TypeError for anything else."""
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.Literal) and term.direction is None:
        if term.language is not None:
            return [term.value, "@" + term.language]
        datatype = term.datatype.value
        return [term.value] if datatype == _XSD_STRING else [term.value, datatype]
    raise TypeError(f"an index cache keeps IRIs and literals, not {term!r}")


def _encode(index: GraphIndex) -> dict[str, Any]:
    return {
        "resources": [
            [iri, [[p, [_encode_term(v) for v in values]] for p, values in r.props.items()]]
            for iri, r in index.resources.items()
        ],
        "classes": [[klass, members] for klass, members in index.by_class.items()],
        "minted": sorted(index.minted),
    }


def _decode(
    document: dict[str, Any],
) -> tuple[dict[str, Resource], dict[str, list[str]], frozenset[str]]:
    """What :func:`_encode` wrote; raises ValueError, TypeError, KeyError, IndexError or
    AttributeError on anything else."""
    named = ox.NamedNode
    literal = ox.Literal
    datatypes: dict[str, ox.NamedNode] = {}
    resources: dict[str, Resource] = {}
    for iri, props in document["resources"]:
        resource = Resource(_text(iri))
        for predicate, values in props:
            terms: list[Term] = []
            for value in values:
                if type(value) is str:
                    terms.append(named(value))
                elif len(value) == 1:
                    terms.append(literal(_text(value[0])))
                else:
                    lexical, kind = _text(value[0]), _text(value[1])
                    if kind.startswith("@"):
                        terms.append(literal(lexical, language=kind[1:]))
                    else:
                        datatype = datatypes.get(kind)
                        if datatype is None:
                            datatype = datatypes[kind] = named(kind)
                        terms.append(literal(lexical, datatype=datatype))
            resource.props[_text(predicate)] = terms
        resources[resource.iri] = resource
    by_class = {
        _text(klass): [_text(m) if m in resources else _missing(m) for m in members]
        for klass, members in document["classes"]
    }
    minted = frozenset(_text(iri) for iri in document["minted"])
    return resources, by_class, minted


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(f"not a string: {value!r}")
    return value


def _missing(member: object) -> str:
    raise KeyError(f"a class member the index does not hold: {member!r}")
