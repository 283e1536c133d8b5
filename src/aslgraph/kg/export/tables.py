"""Tables for spreadsheets: the mapping records and the coverage of a pair, as CSV.

Cells a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@``, a tab or a carriage
return first) are prefixed with ``'``; lines end in CRLF (RFC 4180).
"""

from __future__ import annotations

import csv
import io

from aslgraph.kg.export.records import MappingRecords
from aslgraph.kg.index import short
from aslgraph.kg.model import Coverage

COVERAGE_COLUMNS = (
    "side",
    "provision",
    "notation",
    "label",
    "kind",
    "covered",
    "relation",
    "confidence",
    "status",
    "other",
    "other_notation",
    "other_label",
    "mapping",
)
MAPPING_COLUMNS = (
    "mapping",
    "subject",
    "subject_label",
    "relation",
    "skos_match",
    "oscal_relationship",
    "object",
    "object_label",
    "rationale",
    "confidence",
    "justification",
    "author",
    "created",
    "status",
    "subject_version",
    "object_version",
    "sources",
)
"""One column per field of a record (decision 0002); several values are space-separated."""


def csv_cell(value: str | None) -> str:
    """A cell a spreadsheet will not run as a formula."""
    text = value or ""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def coverage_csv(coverage: Coverage) -> bytes:
    """Every row (not paged): one line per link, one line for an uncovered provision."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COVERAGE_COLUMNS)
    for row in coverage.rows:
        head = [
            row.side,
            row.curie,
            csv_cell(row.notation),
            csv_cell(row.label),
            row.kind.id if row.kind else "",
            "true" if row.covered else "false",
        ]
        if not row.links:
            writer.writerow([*head, "", "", "", "", "", "", ""])
        for link in row.links:
            writer.writerow(
                [
                    *head,
                    link.relation.id,
                    "" if link.confidence is None else f"{link.confidence:g}",
                    link.status.id if link.status else "",
                    link.other.curie,
                    csv_cell(link.other.notation),
                    csv_cell(link.other.label),
                    link.mapping,
                ]
            )
    return out.getvalue().encode("utf-8")


def mappings_csv(records: MappingRecords) -> bytes:
    """One line per mapping record: CURIEs for what it links, the vocabularies' notations
    (``subset-of``, ``semantic``, ``reviewed``) for relation, rationale and status, the
    record's full IRI first."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(MAPPING_COLUMNS)
    for record in records.records:
        writer.writerow(
            [
                record.iri,
                short(record.subject),
                csv_cell(records.label(record.subject).label),
                record.relation_id,
                short(record.skos_match) if record.skos_match else "",
                record.oscal_relationship or "",
                short(record.object),
                csv_cell(records.label(record.object).label),
                record.rationale_id,
                record.confidence,
                csv_cell(record.justification),
                " ".join(short(a) for a in record.creators),
                record.created.isoformat(),
                record.status_id,
                short(record.subject_version) if record.subject_version else "",
                short(record.object_version) if record.object_version else "",
                " ".join(short(s) for s in record.sources),
            ]
        )
    return out.getvalue().encode("utf-8")
