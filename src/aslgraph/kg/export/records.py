"""The mapping records as the exports read them: one typed record each, from named queries.

``queries/export/mapping-records.rq`` reads every field of every ``asl:Mapping`` (the relation's
SKOS and OSCAL equivalents included, from the relation vocabulary), ``labels.rq`` the labels and
notations of what the records name, and ``mapping-set.rq`` the licence and version the ontology
header states. Nothing here knows a file format.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pyoxigraph as ox

from aslgraph.kg.index import natural_key, parse_date, short, split_iri
from aslgraph.queries import load_queries
from aslgraph.store import KnowledgeGraph


@dataclass(frozen=True)
class MappingRecord:
    """One ``asl:Mapping``: IRIs as strings, ``confidence`` as its lexical form (lossless)."""

    iri: str
    subject: str
    object: str
    relation: str
    relation_id: str
    skos_match: str | None
    oscal_relationship: str | None
    rationale: str
    rationale_id: str
    justification: str | None
    confidence: str
    created: date
    status: str
    status_id: str
    creators: tuple[str, ...]
    sources: tuple[str, ...]
    subject_version: str | None
    object_version: str | None
    subject_instrument: str | None
    object_instrument: str | None

    @property
    def subject_scheme(self) -> str:
        return scheme_of(self.subject)

    @property
    def object_scheme(self) -> str:
        return scheme_of(self.object)


@dataclass(frozen=True)
class Label:
    """What a resource is called: its label and its notation (the official citation); and,
    for an agent, whether it is an organisation."""

    label: str | None
    notation: str | None
    organisation: bool = False


@dataclass(frozen=True)
class MappingSetInfo:
    """The mapping set's metadata the graph states: licence, version and title."""

    license: str | None
    version: str | None
    title: str | None


@dataclass(frozen=True)
class MappingRecords:
    """The records chosen for an export, with the labels of what they name."""

    records: tuple[MappingRecord, ...]
    labels: dict[str, Label]
    info: MappingSetInfo
    from_scheme: str | None = None
    to_scheme: str | None = None

    def label(self, iri: str) -> Label:
        return self.labels.get(iri, Label(None, None))


def scheme_of(iri: str) -> str:
    """The scheme of an IRI minted under ``id/`` (empty for any other IRI)."""
    return (split_iri(iri) or ("", ""))[0]


def _text(row: ox.QuerySolution, name: str) -> str | None:
    value = row[name]
    return value.value if value is not None else None


def _required(row: ox.QuerySolution, name: str) -> str:
    value = row[name]
    if value is None:  # the query binds it in every row; a store without it is a bug
        raise ValueError(f"mapping-records.rq returned a row without ?{name}")
    return str(value.value)


def _solutions(store: KnowledgeGraph, sparql: str) -> ox.QuerySolutions:
    result = store.query(sparql)
    if not isinstance(result, ox.QuerySolutions):
        raise TypeError("an export query must be a SELECT query")
    return result


def read_records(
    store: KnowledgeGraph,
    queries_dir: Path,
    *,
    from_scheme: str | None = None,
    to_scheme: str | None = None,
) -> MappingRecords:
    """Every mapping record whose subject lies in ``from_scheme`` and object in ``to_scheme``
    (each filter optional), in natural order of their CURIEs (map:a__b-2 before map:a__b-10).

    The schemes are not checked here: the caller checks them against the graph first.
    """
    queries = load_queries(queries_dir)
    records: list[MappingRecord] = []
    for row in _solutions(store, queries["export/mapping-records"].text):
        created = parse_date(_required(row, "created"))
        if created is None:
            raise ValueError(f"{_required(row, 'mapping')} has no dct:created date")
        record = MappingRecord(
            iri=_required(row, "mapping"),
            subject=_required(row, "subject"),
            object=_required(row, "object"),
            relation=_required(row, "relation"),
            relation_id=_required(row, "relationId"),
            skos_match=_text(row, "skosMatch"),
            oscal_relationship=_text(row, "oscalRelationship"),
            rationale=_required(row, "rationale"),
            rationale_id=_required(row, "rationaleId"),
            justification=_text(row, "justification"),
            confidence=_required(row, "confidence"),
            created=created,
            status=_required(row, "status"),
            status_id=_required(row, "statusId"),
            creators=tuple(sorted((_text(row, "creators") or "").split())),
            sources=tuple(sorted((_text(row, "sources") or "").split(), key=natural_key)),
            subject_version=_text(row, "subjectVersion"),
            object_version=_text(row, "objectVersion"),
            subject_instrument=_text(row, "subjectInstrument"),
            object_instrument=_text(row, "objectInstrument"),
        )
        if from_scheme is not None and record.subject_scheme != from_scheme:
            continue
        if to_scheme is not None and record.object_scheme != to_scheme:
            continue
        records.append(record)
    records.sort(key=lambda r: natural_key(short(r.iri)))
    labels = {
        _required(row, "resource"): Label(
            _text(row, "label"), _text(row, "notation"), _text(row, "organisation") == "true"
        )
        for row in _solutions(store, queries["export/labels"].text)
    }
    info = MappingSetInfo(None, None, None)
    for row in _solutions(store, queries["export/mapping-set"].text):
        info = MappingSetInfo(_text(row, "license"), _text(row, "version"), _text(row, "title"))
    return MappingRecords(
        records=tuple(records),
        labels=labels,
        info=info,
        from_scheme=from_scheme,
        to_scheme=to_scheme,
    )
