"""Mapping records as an OSCAL 1.2 mapping collection (JSON), with coverage and gap summaries.

One ``mapping`` per pair of schemes (the subject's and the object's: one instrument each, the
unit /api/coverage counts), one ``map`` per record (decision 0015): ``relationship`` is the
OSCAL token the relation vocabulary names (``asl:oscalRelationship``), ``matching-rationale``
the record's rationale, ``confidence-score`` its confidence, ``remarks`` its justification;
what OSCAL has no field for (the NIST IR 8477 relation itself, status, date, author, versions,
the record's IRI) is kept in ``props`` in the ontology's namespace, the sources it was made
from in ``links``. Each mapping carries the coverage of the pair (the share of the target
scheme's provisions covered, as /api/coverage counts it) and the unmapped provisions of each
side as gap summaries. UUIDs are name-based (version 5) from IRIs, so the same graph gives the
same document.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, time
from typing import Any

from aslgraph.kg.export.records import MappingRecord, MappingRecords
from aslgraph.kg.model import Coverage
from aslgraph.namespaces import ASL, BASE, ID, curie

OSCAL_VERSION = "1.2.1"
NS = str(ASL._NS)
"""The namespace of the props this export adds (the ontology's)."""
AUTHOR_ROLE = "mapping-author"
_TOKEN = re.compile(r"[^\W\d][\w.\-]*")
_GLOB = re.compile(r"([*?\[\]])")
RATIONALES = ("syntactic", "semantic", "functional")
CoverageOf = Callable[[str, str], Coverage | None]
"""The coverage of a pair of schemes (None when there is none to give)."""


def uuid_of(iri: str) -> str:
    """A version 5 UUID named by ``iri`` (stable across exports)."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, iri))


def is_token(text: str) -> bool:
    """Whether ``text`` is an OSCAL token (an XML NCName without colons)."""
    return _TOKEN.fullmatch(text) is not None


def local_id(iri: str) -> str:
    """The id of a provision within its scheme (its local name; the IRI where there is none)."""
    return iri[len(ID) :].partition("/")[2] if iri.startswith(ID) else iri


def _prop(name: str, value: str) -> dict[str, str]:
    return {"name": name, "ns": NS, "value": value}


def _item(iri: str, version: str | None) -> dict[str, Any]:
    item: dict[str, Any] = {"type": "control", "id-ref": local_id(iri)}
    props = [_prop("iri", iri)]
    if version:
        props.append(_prop("version", version))
    item["props"] = props
    return item


QUALIFIED = {
    "subset-of": (
        "target",
        "the target asks for more than the source: meeting the source "
        "does not meet the target in full",
    ),
    "superset-of": (
        "source",
        "the source asks for more than the target: meeting the target "
        "does not meet the source in full",
    ),
    "intersects-with": ("both", "each side asks for something the other does not"),
    "supports": (
        "target",
        "the source helps achieve the target without meeting it: the "
        "target's requirements stay to be met",
    ),
}
"""The gap each NIST IR 8477 relation implies by itself (equal and no-relationship imply none):
which side has requirements the other does not meet, and why."""


def _qualifiers(record: MappingRecord) -> list[dict[str, str]]:
    implied = QUALIFIED.get(record.relation_id)
    if implied is None:
        return []
    subject, why = implied
    description = f"{why} ({record.relation_id}); the remarks give the justification."
    return [
        {
            "subject": subject,
            "predicate": "has-requirement",
            "category": "addressable",
            "description": description,
        }
    ]


def _map(record: MappingRecord) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "uuid": uuid_of(record.iri),
        "relationship": record.oscal_relationship or record.relation_id,
        "sources": [_item(record.subject, record.subject_version)],
        "targets": [_item(record.object, record.object_version)],
    }
    if record.rationale_id in RATIONALES:
        entry["matching-rationale"] = record.rationale_id
    qualifiers = _qualifiers(record)
    if qualifiers:
        entry["qualifiers"] = qualifiers
    entry["confidence-score"] = {"percentage": float(record.confidence)}
    props = [
        _prop("mapping-record", record.iri),
        _prop("ir8477-relation", record.relation_id),
        _prop("mapping-status", record.status_id),
        _prop("mapping-date", record.created.isoformat()),
    ]
    props += [_prop("author", author) for author in record.creators]
    entry["props"] = props
    if record.sources:
        entry["links"] = [{"href": source, "rel": "reference"} for source in record.sources]
    if record.justification:
        entry["remarks"] = record.justification
    return entry


def _resource(scheme: str, instruments: Iterable[str | None]) -> dict[str, Any]:
    """The catalog a side of a mapping refers to: its instrument when the records name one,
    else the scheme's namespace."""
    named = sorted({i for i in instruments if i})
    href = named[0] if len(named) == 1 else f"{ID}{scheme}/"
    resource: dict[str, Any] = {"type": "catalog", "href": href}
    resource["props"] = [_prop("scheme", scheme)] + [_prop("instrument", i) for i in named]
    return resource


def _gap(side: str, scheme: str, coverage: Coverage) -> dict[str, Any] | None:
    """The unmapped provisions of one side as a gap summary (None when every one is mapped)."""
    unmapped = [row.iri for row in coverage.rows if row.side == side and not row.covered]
    if not unmapped:
        return None
    ids = [local_id(iri) for iri in unmapped]
    select: dict[str, Any] = {}
    tokens = [i for i in ids if is_token(i)]
    others = [i for i in ids if not is_token(i)]
    if tokens:
        select["with-ids"] = tokens
    if others:  # ids such as "22757.10" are not tokens: matched by a glob naming only them
        select["matching"] = [{"pattern": _GLOB.sub(r"[\1]", i)} for i in others]
    name = f"{BASE}export/oscal-mapping/{coverage.from_scheme}__{coverage.to_scheme}#{side}"
    return {"uuid": uuid_of(name), "unmapped-controls": [select]}


def _coverage_props(coverage: Coverage) -> list[dict[str, str]]:
    props = []
    for side_name, side in zip(("source", "target"), coverage.summary, strict=True):
        props += [
            _prop(f"{side_name}-provisions", str(side.provisions)),
            _prop(f"{side_name}-covered", str(side.covered)),
            _prop(f"{side_name}-unmapped", str(side.unmapped)),
        ]
    return props


def _status(records: Iterable[MappingRecord]) -> str:
    """``draft`` while any record is a draft, else ``complete``."""
    return "draft" if any(r.status_id == "draft" for r in records) else "complete"


def _mapping(
    pair: tuple[str, str], records: list[MappingRecord], coverage_of: CoverageOf
) -> dict[str, Any]:
    source, target = pair
    mapping: dict[str, Any] = {
        "uuid": uuid_of(f"{BASE}export/oscal-mapping/{source}__{target}"),
        "method": "human",
        "status": _status(records),
        "source-resource": _resource(source, (r.subject_instrument for r in records)),
        "target-resource": _resource(target, (r.object_instrument for r in records)),
        "maps": [_map(record) for record in records],
    }
    coverage = coverage_of(source, target)
    if coverage is not None:
        mapping["props"] = _coverage_props(coverage)
        for key, side, scheme in (
            ("source-gap-summary", "from", source),
            ("target-gap-summary", "to", target),
        ):
            gap = _gap(side, scheme, coverage)
            if gap is not None:
                mapping[key] = gap
        target_side = coverage.summary[1]
        share = target_side.covered / target_side.provisions if target_side.provisions else 0.0
        mapping["coverage"] = {
            "generation-method": "provisions-covered",
            "target-coverage": round(share, 4),
        }
    return mapping


def _digest(records: MappingRecords) -> str:
    hashed = hashlib.sha256()
    for record in records.records:
        hashed.update(repr(record).encode("utf-8"))
    return hashed.hexdigest()


def oscal_mapping_collection(records: MappingRecords, coverage_of: CoverageOf) -> dict[str, Any]:
    """The records as an OSCAL 1.2 ``mapping-collection`` document (a JSON value).

    The collection's UUID is named by the content (it changes when a record does); the
    metadata's ``last-modified`` is the newest record's date, so the same graph gives the same
    document. Raises ValueError when there is no record to export (OSCAL needs one mapping).
    """
    if not records.records:
        raise ValueError("no mapping records to export")
    parties = {a: uuid_of(a) for r in records.records for a in r.creators}
    pairs: dict[tuple[str, str], list[MappingRecord]] = {}
    for record in records.records:
        pairs.setdefault((record.subject_scheme, record.object_scheme), []).append(record)
    newest: date = max(r.created for r in records.records)
    rationale = Counter(r.rationale_id for r in records.records if r.rationale_id in RATIONALES)
    default_rationale = max(RATIONALES, key=lambda name: (rationale[name], -RATIONALES.index(name)))
    title = "aslgraph crosswalk mappings"
    if records.from_scheme or records.to_scheme:
        title += f" ({records.from_scheme or 'any'} to {records.to_scheme or 'any'})"
    metadata: dict[str, Any] = {
        "title": title,
        "last-modified": datetime.combine(newest, time(0, 0), UTC)
        .isoformat()
        .replace("+00:00", "Z"),
        "version": records.info.version or "0",
        "oscal-version": OSCAL_VERSION,
        "roles": [{"id": AUTHOR_ROLE, "title": "Author of mapping records"}],
        "parties": [
            {
                "uuid": party,
                "type": "organization" if records.label(agent).organisation else "person",
                "name": records.label(agent).label or curie(agent),
                "links": [{"href": agent, "rel": "reference"}],
            }
            for agent, party in sorted(parties.items())
        ],
    }
    if records.info.license:
        metadata["links"] = [{"href": records.info.license, "rel": "license"}]
    provenance: dict[str, Any] = {
        "method": "human",
        "matching-rationale": default_rationale,
        "status": _status(records.records),
        "mapping-description": "Reified crosswalk mapping records of the aslgraph knowledge "
        "graph, one map per record, NIST IR 8477 relations; each map states its own "
        "matching rationale.",
    }
    if parties:
        provenance["responsible-parties"] = [
            {"role-id": AUTHOR_ROLE, "party-uuids": sorted(parties.values())}
        ]
    return {
        "mapping-collection": {
            "uuid": uuid_of(f"{BASE}export/oscal-mapping#{_digest(records)}"),
            "metadata": metadata,
            "provenance": provenance,
            "mappings": [_mapping(pair, pairs[pair], coverage_of) for pair in pairs],
        }
    }
