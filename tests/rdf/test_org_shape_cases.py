"""Each shapes/org family has a clean case and a failing case (tests/rdf/cases/org-<family>/).

Every case is validated against all of shapes/org with the ontology mixed in; its results must
be exactly the (severity, focus, path or shape, value) its manifest lists. Also checks that
every IRI a rule rests on exists in the knowledge graph, and that the mapping table written into
the Art. 55 rules agrees with the mapping records of data/mappings/.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import SH

from aslgraph.namespaces import ASL, PREFIXES
from aslgraph.shacl.reference import Validator
from aslgraph.store import OxigraphStore
from org_expect import OrgResult, expected_result, matches

ROOT = Path(__file__).resolve().parents[2]
CASES_DIR = Path(__file__).parent / "cases"
FAMILIES = sorted(p.stem for p in (ROOT / "shapes" / "org").glob("*.ttl"))


def _cases() -> list[tuple[str, dict[str, Any]]]:
    found = []
    for manifest in sorted(CASES_DIR.glob("org-*/manifest.toml")):
        for case in tomllib.loads(manifest.read_text(encoding="utf-8"))["case"]:
            found.append((manifest.parent.name.removeprefix("org-"), case))
    return found


CASES = _cases()


def test_every_org_shape_family_has_both_cases() -> None:
    covered: dict[str, set[bool]] = {}
    for family, case in CASES:
        covered.setdefault(family, set()).add(bool(case.get("results")))
    assert {f for f, kinds in covered.items() if kinds == {True, False}} == set(FAMILIES)


@pytest.mark.parametrize(("family", "case"), CASES, ids=[f"org-{f}/{c['file']}" for f, c in CASES])
def test_org_case_results(
    family: str, case: dict[str, Any], validate_org: Callable[[Path], set[OrgResult]]
) -> None:
    path = CASES_DIR / f"org-{family}" / case["file"]
    data = Graph().parse(path, format="turtle")
    got = validate_org(path)
    expected = [
        expected_result(
            r["severity"], r["focus"], r.get("path") or r["shape"], r.get("value"), data
        )
        for r in case.get("results", [])
    ]
    missing, extra = matches(got, expected)
    assert (missing, extra) == ([], [])
    assert (not any(r[0] == "violation" for r in got)) is case["conforms"]


def test_rules_rest_on_iris_the_knowledge_graph_defines(
    org_validator: Validator, kg: OxigraphStore
) -> None:
    cited = {str(o) for o in org_validator.shapes.objects(None, URIRef(ASL.restsOn))}
    assert cited
    undefined = sorted(iri for iri in cited if not kg.query(f"ASK {{ <{iri}> a ?type }}"))
    assert undefined == []


def test_every_regime_rule_names_what_it_rests_on(org_validator: Validator) -> None:
    """A shape with a SPARQL rule that is not purely structural cites its provisions; the
    obligation shapes (targeting determinations) and the fleet shapes (targeting policy
    findings) rest, result by result, on what each verdict or finding cites
    (tests/org/test_agreement.py, tests/org/test_policy.py)."""
    shapes = org_validator.shapes
    sh_sparql = URIRef("http://www.w3.org/ns/shacl#sparql")
    reporting = set(shapes.subjects(SH.targetSubjectsOf, URIRef(ASL.determination)))
    assert len(reporting) >= 8
    findings = set(shapes.subjects(SH.targetSubjectsOf, URIRef(ASL.policyFinding)))
    assert len(findings) == 3
    reporting |= findings
    structural = {
        "AssessedOrganisationPresentShape",
        "AssessedOrganisationShape",
        "RegimeDeclaredShape",
        "FutureEvidenceShape",
        # the organisation's own policy: its form, not a regime's rule
        "InternalPolicyShape",
        "PolicyLevelShape",
        "PolicyTriggerShape",
        "AssignedPolicyLevelShape",
    }
    lacking = sorted(
        str(shape).rsplit("#", 1)[1]
        for shape in set(shapes.subjects(sh_sparql, None))
        if str(shape).rsplit("#", 1)[1] not in structural
        and shape not in reporting
        and shapes.value(shape, URIRef(ASL.restsOn)) is None
    )
    assert lacking == []


def test_supplier_level_rule_rests_on_what_its_standards_are_mapped_to(
    kg: OxigraphStore, org_validator: Validator
) -> None:
    """The supplier-level rule cites the AI Act provisions it stands for, and those are the ones
    the crosswalk maps its RSP standards and Code measures (or their parts) to: every cited
    provision is reached by a mapping (other than no-relationship) from one of them, and every
    Art. 55(1) point they are mapped to is cited."""
    shape = URIRef("https://w3id.org/aslgraph/shapes/org#SupplierSafeguardLevelShape")
    cited = {str(o) for o in org_validator.shapes.objects(shape, URIRef(ASL.restsOn))}
    aia = PREFIXES["aia"]
    named = sorted(iri for iri in cited if not iri.startswith(aia))
    assert named, "the rule names the standards it compares"
    values = " ".join(f"<{iri}>" for iri in named)
    rows = kg.query(
        f"PREFIX asl: <{PREFIXES['asl']}> PREFIX dct: <{PREFIXES['dct']}> "
        f"SELECT DISTINCT ?provision WHERE {{ VALUES ?named {{ {values} }} "
        "?mapping a asl:Mapping ; asl:mappingSubject ?part ; asl:mappingObject ?provision ; "
        f"asl:relation ?relation . ?part dct:isPartOf* ?named . "
        f"FILTER(?relation != <{PREFIXES['rel']}no-relationship>) "
        f'FILTER(STRSTARTS(STR(?provision), "{aia}")) }}'
    )
    reached = {str(row["provision"].value) for row in rows}
    cited_provisions = {iri for iri in cited if iri.startswith(aia)}
    assert cited_provisions <= reached
    art55 = {iri for iri in reached if iri.startswith(aia + "art55-1-")}
    assert art55 and art55 <= cited_provisions


@pytest.mark.parametrize("rank", [2, 3, 4])
def test_level_ranks_written_into_rules_agree_with_the_rsp_data(
    rank: int, kg: OxigraphStore
) -> None:
    """shapes/org/supplier-level.ttl ranks rsp:ASL-N and the ASLN standards as N."""
    assert kg.query(
        f"PREFIX asl: <{PREFIXES['asl']}> PREFIX rsp: <{PREFIXES['rsp']}> "
        f"PREFIX dim: <{PREFIXES['dim']}> "
        f"ASK {{ rsp:ASL-{rank} asl:levelRank {rank} . "
        f"rsp:ASL{rank}-SS asl:forLevel rsp:ASL-{rank} ; asl:dimension dim:security . "
        f"rsp:ASL{rank}-DS asl:forLevel rsp:ASL-{rank} ; asl:dimension dim:deployment }}"
    )
