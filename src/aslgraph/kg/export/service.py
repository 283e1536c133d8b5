"""The one call behind ``aslgraph export`` and ``GET /api/export/{format}``: it checks the
request (format, schemes, filters) and hands it to the module of the format."""

from __future__ import annotations

import json
from dataclasses import dataclass

from aslgraph.kg.catalog import Catalog
from aslgraph.kg.errors import InvalidRequestError, NotFoundError
from aslgraph.kg.export import FORMATS
from aslgraph.kg.export.dumps import DUMP_FORMATS, dump
from aslgraph.kg.export.oscal import oscal_mapping_collection
from aslgraph.kg.export.records import MappingRecords, read_records
from aslgraph.kg.export.sssom import sssom_tsv
from aslgraph.kg.export.tables import coverage_csv, mappings_csv
from aslgraph.kg.model import Coverage
from aslgraph.store import OxigraphStore

SUFFIXES = {
    "sssom": "sssom.tsv",
    "oscal-mapping": "oscal-mapping.json",
    "csv": "mappings.csv",
    "coverage-csv": "coverage.csv",
    "nquads": "nq",
    "trig": "trig",
}


@dataclass(frozen=True)
class ExportFile:
    """An export: its bytes, a file name for it, and how many records, rows or quads it has."""

    format: str
    body: bytes
    filename: str
    items: int


def _filename(name: str, from_scheme: str | None, to_scheme: str | None) -> str:
    parts = ["aslgraph"]
    if from_scheme or to_scheme:
        parts.append(f"{from_scheme or 'any'}__{to_scheme or 'any'}")
    return "-".join(parts) + "." + SUFFIXES[name]


def _records(catalog: Catalog, from_scheme: str | None, to_scheme: str | None) -> MappingRecords:
    return read_records(
        catalog.store,
        catalog.settings.queries_dir,
        from_scheme=from_scheme,
        to_scheme=to_scheme,
    )


def export(
    name: str,
    *,
    catalog: Catalog,
    store: OxigraphStore,
    from_scheme: str | None = None,
    to_scheme: str | None = None,
) -> ExportFile:
    """Export the knowledge graph as ``name`` (one of :data:`FORMATS`).

    ``from_scheme`` and ``to_scheme`` keep the mapping records whose subject (object) lies in
    that scheme; ``coverage-csv`` needs both, the dumps take neither. Raises NotFoundError for
    an unknown format (``unknown-format``) and InvalidRequestError for an unknown scheme, a
    filter the format does not take, or an OSCAL export with no record to write (SSSOM and
    CSV are then a header alone).
    """
    if name not in FORMATS:
        raise NotFoundError(
            f"unknown export format {name!r}; formats: {', '.join(FORMATS)}",
            kind="unknown-format",
        )
    if from_scheme is not None:
        catalog.check_scheme(from_scheme, what="scheme (from)")
    if to_scheme is not None:
        catalog.check_scheme(to_scheme, what="scheme (to)")
    filename = _filename(name, from_scheme, to_scheme)
    if name in DUMP_FORMATS:
        if from_scheme is not None or to_scheme is not None:
            raise InvalidRequestError(
                f"{name} dumps the whole graph (one named graph per source file); from and to "
                "filter the mapping exports (sssom, oscal-mapping, csv, coverage-csv)",
                kind="invalid-parameter",
            )
        return ExportFile(name, dump(store, name), filename, len(store))
    if name == "coverage-csv":
        if from_scheme is None or to_scheme is None:
            raise InvalidRequestError(
                "coverage-csv compares two schemes: give both from and to (e.g. from=rsp, "
                "to=eu-ai-act)",
                kind="invalid-parameter",
            )
        coverage = catalog.coverage(from_scheme, to_scheme)
        return ExportFile(name, coverage_csv(coverage), filename, _coverage_lines(coverage))
    records = _records(catalog, from_scheme, to_scheme)
    if name == "csv":
        return ExportFile(name, mappings_csv(records), filename, len(records.records))
    if name == "sssom":  # an empty mapping set is a valid SSSOM file
        return ExportFile(name, sssom_tsv(records), filename, len(records.records))
    if not records.records:
        raise InvalidRequestError(
            f"no mapping record has its subject in {from_scheme or 'any scheme'} and its object "
            f"in {to_scheme or 'any scheme'}; an OSCAL mapping collection needs at least one",
            kind="no-mappings",
        )

    def coverage_of(source: str, target: str) -> Coverage | None:
        return None if source == target else catalog.coverage(source, target)

    document = oscal_mapping_collection(records, coverage_of)
    body = json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8") + b"\n"
    return ExportFile(name, body, filename, len(records.records))


def _coverage_lines(coverage: Coverage) -> int:
    return sum(max(1, len(row.links)) for row in coverage.rows)
