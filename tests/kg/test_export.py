"""The exports (decision 0015), each checked with its ecosystem's own tools: SSSOM/TSV with
sssom-py (validation and a round trip back to the records), the OSCAL mapping collection with
the OSCAL 1.2.1 JSON schema and compliance-trestle's models, the dumps with pyoxigraph."""

from __future__ import annotations

import csv
import io
import json
import warnings
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import jsonschema_rs
import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef

from aslgraph.kg.catalog import Catalog
from aslgraph.kg.errors import InvalidRequestError, NotFoundError
from aslgraph.kg.export import FORMATS
from aslgraph.kg.export.service import ExportFile, export
from aslgraph.kg.export.tables import MAPPING_COLUMNS
from aslgraph.media import EXPORT_OFFERS
from aslgraph.namespaces import ASL, ID, expand
from aslgraph.store import OxigraphStore

ROOT = Path(__file__).resolve().parents[2]
OSCAL_SCHEMA = ROOT / "tests" / "fixtures" / "oscal" / "oscal_mapping_schema_1.2.1.json"
RELATION_SHAPE = ROOT / "shapes" / "kg" / "relation.ttl"
SKOS = "http://www.w3.org/2004/02/skos/core#"

RECORDS = """
PREFIX asl: <https://w3id.org/aslgraph/ontology#>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX prov: <http://www.w3.org/ns/prov#>
SELECT ?m ?s ?o ?rel ?rat ?j ?c ?d ?st ?sv ?ov ?skos
       (GROUP_CONCAT(DISTINCT STR(?a); separator=" ") AS ?authors)
       (GROUP_CONCAT(DISTINCT STR(?src); separator=" ") AS ?sources)
WHERE {
  ?m a asl:Mapping ; asl:mappingSubject ?s ; asl:mappingObject ?o ; asl:relation ?rel ;
     asl:rationale ?rat ; asl:justification ?j ; asl:confidence ?c ; dct:created ?d ;
     asl:mappingStatus ?st ; dct:creator ?a ; prov:wasDerivedFrom ?src .
  OPTIONAL { ?m asl:subjectVersion ?sv } OPTIONAL { ?m asl:objectVersion ?ov }
  OPTIONAL { ?rel asl:skosMatch ?skos }
}
GROUP BY ?m ?s ?o ?rel ?rat ?j ?c ?d ?st ?sv ?ov ?skos
"""
"""Every record as the store holds it (written here independently of the export's query)."""


def _sssom_py() -> tuple[Callable[..., Any], Callable[..., Any]]:
    """sssom-py's parser and validator. Importing sssom-py 0.4.21 sets pandas' deprecated
    ``mode.copy_on_write`` option (pandas 3 warns): that one warning is let through here."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="The 'mode.copy_on_write' option is deprecated")
        from sssom.parsers import parse_sssom_table
        from sssom.validators import validate
    return parse_sssom_table, validate


SSSOM_PY_WARNINGS = pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning")
"""sssom-py 0.4.21 still calls pandas APIs that pandas 3.1 deprecates (``inplace=``,
``mode.copy_on_write``); those warnings are about sssom-py, not about the file it reads."""


def _value(row: ox.QuerySolution, name: str) -> str:
    term = row[name]
    return "" if term is None else str(term.value)


@pytest.fixture(scope="module")
def store_records(kg: OxigraphStore) -> dict[str, dict[str, Any]]:
    """Record IRI -> the fields a lossless export must carry."""
    result = kg.query(RECORDS)
    assert isinstance(result, ox.QuerySolutions)
    records: dict[str, dict[str, Any]] = {}
    for row in result:
        records[_value(row, "m")] = {
            "subject": _value(row, "s"),
            "object": _value(row, "o"),
            "relation": _value(row, "rel"),
            "rationale": _value(row, "rat"),
            "justification": _value(row, "j"),
            "confidence": Decimal(_value(row, "c")),
            "date": _value(row, "d"),
            "status": _value(row, "st"),
            "authors": frozenset(_value(row, "authors").split()),
            "sources": frozenset(_value(row, "sources").split()),
            "subject_version": _value(row, "sv"),
            "object_version": _value(row, "ov"),
            "skos": _value(row, "skos"),
        }
    return records


def _export(catalog: Catalog, kg: OxigraphStore, name: str, **filters: str) -> ExportFile:
    return export(
        name,
        catalog=catalog,
        store=kg,
        from_scheme=filters.get("from_scheme"),
        to_scheme=filters.get("to_scheme"),
    )


@pytest.fixture(scope="module")
def sssom_file(
    catalog: Catalog, kg: OxigraphStore, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    path = tmp_path_factory.mktemp("sssom") / "aslgraph.sssom.tsv"
    path.write_bytes(_export(catalog, kg, "sssom").body)
    return path


@pytest.fixture(scope="module")
def oscal(catalog: Catalog, kg: OxigraphStore) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(_export(catalog, kg, "oscal-mapping").body)
    return document


def test_every_format_has_a_media_type() -> None:
    assert set(EXPORT_OFFERS) == set(FORMATS)


# ---------------------------------------------------------------- SSSOM


@SSSOM_PY_WARNINGS
def test_sssom_passes_sssom_validate(sssom_file: Path) -> None:
    parse_sssom_table, validate = _sssom_py()
    reports = validate(parse_sssom_table(sssom_file), fail_on_error=False)
    problems = [r.message for report in reports.values() for r in report.results]
    assert problems == []


@SSSOM_PY_WARNINGS
def test_sssom_validate_sees_a_missing_prefix(sssom_file: Path, tmp_path: Path) -> None:
    """The check above can fail: drop the prefix of the AI Act from the curie map."""
    broken = tmp_path / "broken.sssom.tsv"
    text = sssom_file.read_text(encoding="utf-8")
    assert '#  aia: "https://w3id.org/aslgraph/id/eu-ai-act/"\n' in text
    broken.write_text(
        text.replace('#  aia: "https://w3id.org/aslgraph/id/eu-ai-act/"\n', ""),
        encoding="utf-8",
    )
    parse_sssom_table, validate = _sssom_py()
    reports = validate(parse_sssom_table(broken), fail_on_error=False)
    problems = [r.message for report in reports.values() for r in report.results]
    assert "Missing prefix: aia" in problems


RECORD_GRAPH = """
PREFIX asl: <https://w3id.org/aslgraph/ontology#>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX prov: <http://www.w3.org/ns/prov#>
CONSTRUCT {
  ?m asl:mappingSubject ?s ; asl:mappingObject ?o ; asl:relation ?rel ; asl:rationale ?rat ;
     asl:justification ?j ; asl:confidence ?c ; dct:created ?d ; asl:mappingStatus ?st ;
     dct:creator ?a ; prov:wasDerivedFrom ?src ; asl:subjectVersion ?sv ; asl:objectVersion ?ov .
} WHERE {
  ?m a asl:Mapping ; asl:mappingSubject ?s ; asl:mappingObject ?o ; asl:relation ?rel ;
     asl:rationale ?rat ; asl:justification ?j ; asl:confidence ?c ; dct:created ?d ;
     asl:mappingStatus ?st ; dct:creator ?a ; prov:wasDerivedFrom ?src .
  OPTIONAL { ?m asl:subjectVersion ?sv } OPTIONAL { ?m asl:objectVersion ?ov }
}
"""
"""The fields of every record (decision 0002) as the store holds them."""
DCT = "http://purl.org/dc/terms/"
PROV = "http://www.w3.org/ns/prov#"
XSD = "http://www.w3.org/2001/XMLSchema#"


def _extension_columns(path: Path) -> dict[str, dict[str, str]]:
    """The extension slots' values by record_id, read from the table itself: sssom-py 0.4.21
    parses declared extension slots but drops their values ("No attr for ..."; its RDF
    converter's ``_extension_from_rdf`` is marked not implemented)."""
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line[:1] != "#"]
    names = ("ir8477_relation", "rationale", "mapping_status")
    return {
        row["record_id"]: {name: row[name] for name in names}
        for row in csv.DictReader(lines, delimiter="\t")
    }


def _lift(path: Path) -> Graph:
    """The SSSOM file, parsed by sssom-py and expanded with its curie map, back as our RDF."""
    parse_sssom_table, _validate = _sssom_py()
    msdf = parse_sssom_table(path)
    expand_curie = msdf.converter.expand_strict
    extensions = _extension_columns(path)
    graph = Graph()
    for row in msdf.df.to_dict(orient="records"):
        record = URIRef(expand_curie(row["record_id"]))
        extra = extensions[row["record_id"]]
        links = [
            (URIRef(ASL.mappingSubject), expand_curie(row["subject_id"])),
            (URIRef(ASL.mappingObject), expand_curie(row["object_id"])),
            (URIRef(ASL.relation), expand_curie(extra["ir8477_relation"])),
            (URIRef(ASL.rationale), expand_curie(extra["rationale"])),
            (URIRef(ASL.mappingStatus), expand_curie(extra["mapping_status"])),
            *((URIRef(DCT + "creator"), expand_curie(a)) for a in row["author_id"].split("|")),
            *((URIRef(PROV + "wasDerivedFrom"), s) for s in str(row["see_also"]).split("|")),
        ]
        if row.get("subject_source_version"):
            links.append((URIRef(ASL.subjectVersion), row["subject_source_version"]))
        if row.get("object_source_version"):
            links.append((URIRef(ASL.objectVersion), row["object_source_version"]))
        for prop, iri in links:
            graph.add((record, prop, URIRef(iri)))
        graph.add((record, URIRef(ASL.justification), Literal(row["comment"], lang="en")))
        graph.add((record, URIRef(ASL.confidence), Literal(Decimal(str(row["confidence"])))))
        day = str(row["mapping_date"])[:10]
        graph.add((record, URIRef(DCT + "created"), Literal(day, datatype=URIRef(XSD + "date"))))
    return graph


@SSSOM_PY_WARNINGS
def test_sssom_round_trip_gives_back_every_record(sssom_file: Path, kg: OxigraphStore) -> None:
    """Through sssom-py and back into RDF, every field of every record is the store's."""
    result = kg.query(RECORD_GRAPH)
    assert isinstance(result, ox.QueryTriples)
    expected = Graph().parse(data=result.serialize(format=ox.RdfFormat.N_TRIPLES), format="nt")
    lifted = _lift(sssom_file)
    assert len(set(expected.subjects())) >= 150
    assert set(lifted) - set(expected) == set()
    assert set(expected) - set(lifted) == set()


@SSSOM_PY_WARNINGS
def test_sssom_predicates_follow_the_relation_vocabulary(
    sssom_file: Path, store_records: dict[str, dict[str, Any]]
) -> None:
    """predicate_id is the relation's asl:skosMatch; no-relationship is Not mappingRelation;
    every record is a manual curation."""
    parse_sssom_table, _validate = _sssom_py()
    msdf = parse_sssom_table(sssom_file)
    expand_curie = msdf.converter.expand_strict
    negated = 0
    for row in msdf.df.to_dict(orient="records"):
        fields = store_records[expand_curie(row["record_id"])]
        predicate = expand_curie(row["predicate_id"])
        assert row["mapping_justification"] == "semapv:ManualMappingCuration"
        if fields["relation"].endswith("/no-relationship"):
            negated += 1
            assert (predicate, row["predicate_modifier"]) == (SKOS + "mappingRelation", "Not")
        else:
            assert (predicate, row.get("predicate_modifier") or "") == (fields["skos"], "")
    assert negated > 0
    assert msdf.metadata["mapping_set_id"] == "https://w3id.org/aslgraph/export/sssom"
    assert msdf.metadata["license"] == "https://creativecommons.org/licenses/by/4.0/"


def test_sssom_filters_by_scheme(
    catalog: Catalog, kg: OxigraphStore, store_records: dict[str, dict[str, Any]]
) -> None:
    answer = _export(catalog, kg, "sssom", from_scheme="rsp", to_scheme="eu-ai-act")
    rows = [line for line in answer.body.decode().splitlines() if not line.startswith("#")]
    table = list(csv.DictReader(rows, delimiter="\t"))
    expected = {
        iri
        for iri, f in store_records.items()
        if f["subject"].startswith(ID + "rsp/") and f["object"].startswith(ID + "eu-ai-act/")
    }
    assert {expand(row["record_id"]) for row in table} == expected
    assert answer.items == len(expected) > 0
    assert b'#mapping_set_id: "https://w3id.org/aslgraph/export/sssom?from=rsp&to=eu-ai-act"' in (
        answer.body
    )


# ---------------------------------------------------------------- OSCAL


def test_oscal_validates_against_the_oscal_schema(oscal: dict[str, Any]) -> None:
    schema = json.loads(OSCAL_SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema_rs.validator_for(schema, validate_formats=True)
    errors = [str(error) for error in validator.iter_errors(oscal)]
    assert errors == []
    broken = json.loads(json.dumps(oscal))
    broken["mapping-collection"]["mappings"][0]["maps"][0]["relationship"] = "not a token"
    assert not validator.is_valid(broken)


def test_oscal_loads_in_compliance_trestle(
    oscal: dict[str, Any], store_records: dict[str, dict[str, Any]]
) -> None:
    from trestle.oscal import OSCAL_VERSION
    from trestle.oscal.mapping import Model

    model = Model.model_validate(oscal)
    collection = model.mapping_collection
    dumped = json.loads(model.model_dump_json(by_alias=True, exclude_none=True))
    assert dumped["mapping-collection"]["metadata"]["oscal-version"] == OSCAL_VERSION == "1.2.1"
    mappings = collection.mappings if isinstance(collection.mappings, list) else []
    assert len(mappings) == len(oscal["mapping-collection"]["mappings"])
    maps = [m for mapping in mappings for m in mapping.maps]
    assert len(maps) == len(store_records)


def _props(entry: dict[str, Any]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for prop in entry.get("props", []):
        found.setdefault(prop["name"], []).append(prop["value"])
    return found


def test_oscal_maps_carry_every_field(
    oscal: dict[str, Any], kg: OxigraphStore, store_records: dict[str, dict[str, Any]]
) -> None:
    tokens = kg.query(
        "PREFIX asl: <https://w3id.org/aslgraph/ontology#> "
        "SELECT ?r ?t WHERE { ?r asl:oscalRelationship ?t }"
    )
    assert isinstance(tokens, ox.QuerySolutions)
    oscal_token = {_value(row, "r"): _value(row, "t") for row in tokens}
    seen = set()
    for mapping in oscal["mapping-collection"]["mappings"]:
        for entry in mapping["maps"]:
            props = _props(entry)
            (iri,) = props["mapping-record"]
            fields = store_records[iri]
            seen.add(iri)
            assert entry["relationship"] == oscal_token[fields["relation"]]
            assert props["ir8477-relation"] == [fields["relation"].rsplit("/", 1)[1]]
            assert entry["matching-rationale"] == fields["rationale"].rsplit("/", 1)[1]
            assert Decimal(str(entry["confidence-score"]["percentage"])) == fields["confidence"]
            assert entry["remarks"] == fields["justification"]
            assert props["mapping-status"] == [fields["status"].rsplit("/", 1)[1]]
            assert props["mapping-date"] == [fields["date"]]
            assert frozenset(props["author"]) == fields["authors"]
            assert frozenset(link["href"] for link in entry["links"]) == fields["sources"]
            (source,) = entry["sources"]
            (target,) = entry["targets"]
            assert _props(source)["iri"] == [fields["subject"]]
            assert _props(target)["iri"] == [fields["object"]]
    assert seen == set(store_records)


def test_oscal_coverage_is_what_api_coverage_gives(oscal: dict[str, Any], catalog: Catalog) -> None:
    pairs = 0
    for mapping in oscal["mapping-collection"]["mappings"]:
        source = _props(mapping["source-resource"])["scheme"][0]
        target = _props(mapping["target-resource"])["scheme"][0]
        coverage = catalog.coverage(source, target)
        props = _props(mapping)
        for side_name, side in zip(("source", "target"), coverage.summary, strict=True):
            assert props[f"{side_name}-provisions"] == [str(side.provisions)]
            assert props[f"{side_name}-covered"] == [str(side.covered)]
            assert props[f"{side_name}-unmapped"] == [str(side.unmapped)]
        to_side = coverage.summary[1]
        share = mapping["coverage"]["target-coverage"]
        assert share == pytest.approx(to_side.covered / to_side.provisions, abs=1e-4)
        for key, side_id in (("source-gap-summary", "from"), ("target-gap-summary", "to")):
            unmapped = {
                row.iri.rsplit("/", 1)[1]
                for row in coverage.rows
                if row.side == side_id and not row.covered
            }
            listed: set[str] = set()
            for select in mapping.get(key, {}).get("unmapped-controls", []):
                listed |= set(select.get("with-ids", []))
                listed |= {m["pattern"] for m in select.get("matching", [])}
            assert listed == unmapped
        pairs += 1
    assert pairs >= 10


def _relationships_as_rdf(oscal: dict[str, Any]) -> Graph:
    """Each exported map's relationship, lifted back onto a node named by the map's UUID."""
    graph = Graph()
    for mapping in oscal["mapping-collection"]["mappings"]:
        for entry in mapping["maps"]:
            node = URIRef(f"urn:uuid:{entry['uuid']}")
            graph.add((node, URIRef(ASL.oscalRelationship), Literal(entry["relationship"])))
    return graph


def test_oscal_relationships_conform_to_our_shape(oscal: dict[str, Any]) -> None:
    """The schema accepts any token; shapes/kg/relation.ttl accepts OSCAL's six."""
    from pyshacl import validate as shacl_validate

    shapes = Graph().parse(RELATION_SHAPE, format="turtle")
    lifted = _relationships_as_rdf(oscal)
    conforms, _report, text = shacl_validate(lifted, shacl_graph=shapes)
    assert conforms, text
    first = oscal["mapping-collection"]["mappings"][0]["maps"][0]
    node = URIRef(f"urn:uuid:{first['uuid']}")
    lifted.set((node, URIRef(ASL.oscalRelationship), Literal("related-to")))
    conforms, report, _text = shacl_validate(lifted, shacl_graph=shapes)
    assert not conforms
    sh = "http://www.w3.org/ns/shacl#"
    focus = set(report.objects(None, URIRef(sh + "focusNode")))
    assert focus == {node}


# ---------------------------------------------------------------- CSV


def test_mappings_csv_one_row_per_record(
    catalog: Catalog, kg: OxigraphStore, store_records: dict[str, dict[str, Any]]
) -> None:
    answer = _export(catalog, kg, "csv")
    table = list(csv.DictReader(io.StringIO(answer.body.decode("utf-8"))))
    assert tuple(table[0]) == MAPPING_COLUMNS
    assert {row["mapping"] for row in table} == set(store_records)
    row = next(r for r in table if r["mapping"] == ID + "map/rsp__eu-ai-act-001")
    assert (row["subject"], row["relation"], row["object"]) == (
        "rsp:ASL3-SS",
        "subset-of",
        "aia:art55-1-d",
    )
    assert (row["confidence"], row["status"], row["skos_match"]) == (
        "0.8",
        "reviewed",
        "skos:broadMatch",
    )


def test_coverage_csv_needs_both_schemes(catalog: Catalog, kg: OxigraphStore) -> None:
    with pytest.raises(InvalidRequestError, match="give both from and to"):
        _export(catalog, kg, "coverage-csv", from_scheme="rsp")
    answer = _export(catalog, kg, "coverage-csv", from_scheme="rsp", to_scheme="eu-ai-act")
    lines = answer.body.decode("utf-8").splitlines()
    assert lines[0].startswith("side,provision,") and len(lines) == answer.items + 1


# ---------------------------------------------------------------- dumps


@pytest.mark.parametrize(("name", "syntax"), [("nquads", "N_QUADS"), ("trig", "TRIG")])
def test_dump_parses_back_with_one_graph_per_source(
    catalog: Catalog, kg: OxigraphStore, name: str, syntax: str
) -> None:
    answer = _export(catalog, kg, name)
    quads = list(ox.parse(answer.body, format=getattr(ox.RdfFormat, syntax)))
    assert len(quads) == len(kg) == answer.items
    per_graph: dict[str, int] = {}
    for quad in quads:
        assert isinstance(quad.graph_name, ox.NamedNode)
        per_graph[quad.graph_name.value] = per_graph.get(quad.graph_name.value, 0) + 1
    assert set(per_graph) == {source.graph for source in kg.sources}
    mappings = next(s for s in kg.sources if s.relative == "data/mappings/rsp__eu-ai-act.ttl")
    in_store = kg.raw.quads_for_pattern(None, None, None, ox.NamedNode(mappings.graph))
    assert per_graph[mappings.graph] == sum(1 for _ in in_store)
    assert answer.body == _export(catalog, kg, name).body  # the same bytes each time


# ---------------------------------------------------------------- bad requests


def test_unknown_format_and_scheme(catalog: Catalog, kg: OxigraphStore) -> None:
    with pytest.raises(NotFoundError, match="unknown export format 'xlsx'"):
        _export(catalog, kg, "xlsx")
    with pytest.raises(InvalidRequestError, match="unknown scheme \\(from\\) 'nope'"):
        _export(catalog, kg, "sssom", from_scheme="nope")
    with pytest.raises(InvalidRequestError, match="dumps the whole graph"):
        _export(catalog, kg, "trig", to_scheme="rsp")
    with pytest.raises(InvalidRequestError, match="no mapping record"):
        _export(catalog, kg, "oscal-mapping", from_scheme="uk-aisi", to_scheme="rsp")
