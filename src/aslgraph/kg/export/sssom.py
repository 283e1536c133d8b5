"""Mapping records as an SSSOM/TSV mapping set (SSSOM 1.1), with its YAML metadata block.

One row per record (decision 0015): the record's IRI is ``record_id``; the relation becomes the
SKOS match predicate the relation vocabulary names (``asl:skosMatch``), and no-relationship
becomes ``skos:mappingRelation`` with ``predicate_modifier: Not``; the NIST IR 8477 relation,
the rationale and the review status, which SSSOM has no slot for, are declared extension slots
(``ir8477_relation``, ``rationale``, ``mapping_status``) whose values are CURIEs. Every record
is hand-made, so ``mapping_justification`` is ``semapv:ManualMappingCuration`` and the prose
justification is the ``comment``.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable

from aslgraph.kg.export.records import MappingRecord, MappingRecords
from aslgraph.namespaces import ASL, BASE, PREFIXES, curie

SSSOM_VERSION = "1.1"
SKOS = "http://www.w3.org/2004/02/skos/core#"
SEMAPV = "https://w3id.org/semapv/vocab/"
LINKML = "https://w3id.org/linkml/"
NEGATED_PREDICATE = SKOS + "mappingRelation"
"""The predicate a no-relationship record is written with, negated: no SKOS mapping relation
of any kind holds."""
MANUAL_CURATION = SEMAPV + "ManualMappingCuration"
EXPORT_PREFIXES = {**PREFIXES, "semapv": SEMAPV, "linkml": LINKML}
"""The prefixes the export may use: the project's, SEMAPV's and LinkML's (for a type hint)."""

EXTENSIONS = (
    ("ir8477_relation", str(ASL.relation)),
    ("rationale", str(ASL.rationale)),
    ("mapping_status", str(ASL.mappingStatus)),
)
"""The extension slots (SSSOM 1.1 ``extension_definitions``): name and property."""

COLUMNS = (
    "record_id",
    "subject_id",
    "subject_label",
    "predicate_id",
    "predicate_modifier",
    "object_id",
    "object_label",
    "mapping_justification",
    "confidence",
    "author_id",
    "author_label",
    "mapping_date",
    "subject_source",
    "subject_source_version",
    "object_source",
    "object_source_version",
    "see_also",
    "comment",
    *(name for name, _property in EXTENSIONS),
)


def mapping_set_id(from_scheme: str | None, to_scheme: str | None) -> str:
    """The IRI of the mapping set: one per choice of filters."""
    query = "&".join(
        f"{name}={value}" for name, value in (("from", from_scheme), ("to", to_scheme)) if value
    )
    return f"{BASE}export/sssom" + (f"?{query}" if query else "")


class _Curies:
    """Shortens IRIs with the export's prefixes and remembers which prefixes it used."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def __call__(self, iri: str) -> str:
        short = curie(iri, EXPORT_PREFIXES)
        if short != iri:
            self.used.add(short.partition(":")[0])
        return short

    def all(self, iris: Iterable[str]) -> str:
        return "|".join(self(iri) for iri in iris)


def _row(record: MappingRecord, records: MappingRecords, curies: _Curies) -> list[str]:
    negated = record.skos_match is None
    predicate = NEGATED_PREDICATE if negated else record.skos_match
    assert predicate is not None  # noqa: S101 - set on both branches
    authors = [records.label(a).label or "" for a in record.creators]
    return [
        curies(record.iri),
        curies(record.subject),
        records.label(record.subject).label or "",
        curies(predicate),
        "Not" if negated else "",
        curies(record.object),
        records.label(record.object).label or "",
        curies(MANUAL_CURATION),
        record.confidence,
        curies.all(record.creators),
        "|".join(authors) if all(authors) else "",
        record.created.isoformat(),
        curies(record.subject_instrument) if record.subject_instrument else "",
        record.subject_version or "",
        curies(record.object_instrument) if record.object_instrument else "",
        record.object_version or "",
        "|".join(record.sources),
        record.justification or "",
        curies(record.relation),
        curies(record.rationale),
        curies(record.status),
    ]


def _yaml(value: object) -> str:
    """A YAML scalar: JSON's double-quoted strings are YAML's too."""
    return json.dumps(value, ensure_ascii=False)


def sssom_tsv(records: MappingRecords) -> bytes:
    """The records as SSSOM/TSV: a ``#``-prefixed YAML metadata block, then one row each.

    The ``curie_map`` holds exactly the prefixes the set uses (SKOS and SEMAPV included).
    """
    curies = _Curies()
    rows = [_row(record, records, curies) for record in records.records]
    extension_properties = [curies(prop) for _name, prop in EXTENSIONS]
    creators = sorted({c for r in records.records for c in r.creators})
    creator_ids = [curies(c) for c in creators]
    type_hint = curies(LINKML + "uriorcurie")
    lines = ["curie_map:"]
    for prefix in sorted(curies.used):
        lines.append(f"  {prefix}: {_yaml(EXPORT_PREFIXES[prefix])}")
    title = "aslgraph crosswalk mappings"
    if records.from_scheme or records.to_scheme:
        title += f" ({records.from_scheme or 'any'} to {records.to_scheme or 'any'})"
    lines += [
        f"mapping_set_id: {_yaml(mapping_set_id(records.from_scheme, records.to_scheme))}",
        f"mapping_set_version: {_yaml(records.info.version or '')}",
        f"mapping_set_title: {_yaml(title)}",
        "mapping_set_description: "
        + _yaml(
            "Reified crosswalk mapping records of the aslgraph knowledge graph (NIST IR 8477 "
            "relations), one row per record; record_id is the record's IRI."
        ),
        f"sssom_version: {_yaml(SSSOM_VERSION)}",
    ]
    if records.info.license:
        lines.append(f"license: {_yaml(records.info.license)}")
    if creator_ids:
        lines.append("creator_id:")
        lines += [f"  - {_yaml(c)}" for c in creator_ids]
    if records.records:
        newest = max(r.created for r in records.records)
        lines.append(f"publication_date: {_yaml(newest.isoformat())}")
    lines.append("extension_definitions:")
    for (name, _prop), prop in zip(EXTENSIONS, extension_properties, strict=True):
        lines += [
            f"  - slot_name: {_yaml(name)}",
            f"    property: {_yaml(prop)}",
            f"    type_hint: {_yaml(type_hint)}",
        ]
    out = io.StringIO()
    out.writelines(f"#{line}\n" for line in lines)
    writer = csv.writer(out, delimiter="\t", lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")
