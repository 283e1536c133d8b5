"""Facts the fact sheet marks [V], pinned by asking the store with SPARQL.

Each test names the fact and where the fact sheet has it. A failing test here means the data
says something other than the sources.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from aslgraph.namespaces import PREFIXES
from aslgraph.store import OxigraphStore

HEADER = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())


def ask(kg: OxigraphStore, body: str) -> bool:
    return bool(kg.query(HEADER + f"ASK {{ {body} }}"))


def select(kg: OxigraphStore, query: str) -> list[tuple[str, ...]]:
    result = kg.query(HEADER + query)
    assert isinstance(result, ox.QuerySolutions)
    names = [v.value for v in result.variables]
    return [tuple(row[n].value if row[n] is not None else "" for n in names) for row in result]


# --- EU AI Act ---------------------------------------------------------------------------


def test_art101_fine_ceiling(kg: OxigraphStore) -> None:
    """Art. 101: up to 3% of worldwide turnover or EUR 15 000 000 (fact sheet 2.12)."""
    assert ask(
        kg,
        "aia:art101 asl:maxFineTurnoverPercent ?p ; asl:maxFineAmountEUR ?e . "
        "FILTER(?p = 3 && ?e = 15000000)",
    )


def test_chapter_v_applies_from_2_august_2025(kg: OxigraphStore) -> None:
    """Art. 113(b): Chapter V applies from 2 Aug 2025, in both texts (fact sheet 2.12)."""
    assert ask(kg, 'aia:art113-b asl:appliesFrom "2025-08-02"^^xsd:date')
    assert ask(kg, "aia:art113-b asl:inVersion aia:oj-2024, aia:cons-2026-07-27")


@pytest.mark.parametrize(
    ("obligation", "role"),
    [
        ("aia:art53-1-a", "role:gpai-provider"),
        ("aia:art53-1-b", "role:gpai-provider"),
        ("aia:art53-1-c", "role:gpai-provider"),
        ("aia:art53-1-d", "role:gpai-provider"),
        ("aia:art55-1-a", "role:gpai-sr-provider"),
        ("aia:art55-1-b", "role:gpai-sr-provider"),
        ("aia:art55-1-c", "role:gpai-sr-provider"),
        ("aia:art55-1-d", "role:gpai-sr-provider"),
    ],
)
def test_gpai_obligations_role_and_date(kg: OxigraphStore, obligation: str, role: str) -> None:
    """Arts 53(1) and 55(1) bind their providers from 2 Aug 2025 under Art. 113(b)."""
    assert ask(
        kg,
        f"{obligation} a asl:Obligation ; asl:bindsRole {role} ; "
        'asl:appliesFrom "2025-08-02"^^xsd:date ; asl:applicationBasis aia:art113-b',
    )


def test_art111_3_legacy_models(kg: OxigraphStore) -> None:
    """Art. 111(3): models placed before 2 Aug 2025 comply by 2 Aug 2027 (fact sheet 2.12)."""
    assert ask(
        kg,
        "aia:art111-3 a asl:TransitionalRule ; "
        'asl:appliesToPlacedBefore "2025-08-02"^^xsd:date ; '
        'asl:complianceDeadline "2027-08-02"^^xsd:date ; asl:modifies aia:art55-1-a',
    )


def test_art73_is_not_art55_1_c(kg: OxigraphStore) -> None:
    """Art. 73 binds high-risk system providers, 55(1)(c) GPAI-SR providers (fact sheet 2.11)."""
    assert ask(kg, "aia:art73 asl:bindsRole role:high-risk-provider")
    assert not ask(kg, "aia:art73 asl:bindsRole role:gpai-sr-provider")
    assert ask(
        kg,
        "?m asl:mappingSubject aia:art73 ; asl:relation rel:no-relationship ; "
        "asl:mappingObject ?o . FILTER(STRSTARTS(STR(?o), STR(cop:SS-C9)))",
    )


def test_art56_6_changed_in_consolidation(kg: OxigraphStore) -> None:
    """Art. 56(6) was amended by Regulation (EU) 2026/1744 (fact sheet 2.2)."""
    assert ask(
        kg,
        "aia:art56-6-cons2026 dct:replaces aia:art56-6 ; asl:inVersion aia:cons-2026-07-27 . "
        "FILTER NOT EXISTS { aia:art56-6 asl:inVersion aia:cons-2026-07-27 }",
    )


def test_eu_provisions_link_to_eli(kg: OxigraphStore) -> None:
    assert ask(
        kg,
        "aia:art55-1-d rdfs:seeAlso <http://data.europa.eu/eli/reg/2024/1689/oj>, "
        "<https://eur-lex.europa.eu/eli/reg/2024/1689/oj#art_55>",
    )


def test_art51_annex_xiii_points(kg: OxigraphStore) -> None:
    rows = select(kg, "SELECT ?p WHERE { ?p dct:isPartOf aia:anx13 }")
    assert len(rows) == 7


# --- GPAI Code of Practice ---------------------------------------------------------------


def test_serious_incident_timelines(kg: OxigraphStore) -> None:
    """Code Measure 9.3: 2, 5, 10 and 15 days (fact sheet 3.4)."""
    rows = select(
        kg,
        "SELECT ?d WHERE { ?x a asl:ReportingDeadline ; dct:isPartOf cop:SS-M9.3 ; asl:days ?d }",
    )
    assert sorted(int(d) for (d,) in rows) == [2, 5, 10, 15]


def test_five_day_deadline_covers_weight_exfiltration(kg: OxigraphStore) -> None:
    assert ask(
        kg,
        "?x dct:isPartOf cop:SS-M9.3 ; asl:days 5 ; asl:trigger ?t . "
        'FILTER(CONTAINS(LCASE(STR(?t)), "exfiltration"))',
    )


def test_ten_safety_and_security_commitments(kg: OxigraphStore) -> None:
    rows = select(kg, "SELECT ?c WHERE { ?c a asl:Obligation ; dct:isPartOf cop:SS }")
    assert sorted(c for (c,) in rows) == sorted(PREFIXES["cop"] + f"SS-C{n}" for n in range(1, 11))


def test_commitment_6_serves_art55_1(kg: OxigraphStore) -> None:
    assert ask(kg, "cop:SS-C6 asl:servesProvision aia:art55-1")


# --- RSP -------------------------------------------------------------------------------


def test_asl3_security_insider_scope_v2_2(kg: OxigraphStore) -> None:
    """RSP v2.2 fn 11: basic insiders in scope; sophisticated and state-compromised out."""
    assert ask(
        kg,
        "?a asl:scopeOf rsp:ASL3-SS ; asl:threatActor rsp:TA-BasicInsider ; asl:inScope true ; "
        "asl:inVersion rsp:v2.2",
    )
    for actor in ("rsp:TA-SophisticatedInsider", "rsp:TA-StateCompromisedInsider"):
        assert ask(
            kg,
            f"?a asl:scopeOf rsp:ASL3-SS ; asl:threatActor {actor} ; asl:inScope false ; "
            "asl:inVersion rsp:v2.2",
        )


def test_v2_2_insider_change(kg: OxigraphStore) -> None:
    """RSP v2.2 changelog: sophisticated insiders were in scope in v2.1 (fact sheet 1.1)."""
    assert ask(
        kg,
        "?a asl:scopeOf rsp:ASL3-SS ; asl:threatActor rsp:TA-SophisticatedInsider ; "
        "asl:inScope true ; asl:inVersion rsp:v2.1",
    )


@pytest.mark.parametrize(
    ("version", "issued"),
    [
        ("v1.0", "2023-09-19"),
        ("v2.0", "2024-10-15"),
        ("v2.1", "2025-03-31"),
        ("v2.2", "2025-05-14"),
        ("v3.0", "2026-02-24"),
        ("v3.1", "2026-04-02"),
        ("v3.2", "2026-04-29"),
        ("v3.3", "2026-05-26"),
        ("v3.4", "2026-07-08"),
    ],
)
def test_rsp_versions(kg: OxigraphStore, version: str, issued: str) -> None:
    assert ask(kg, f'rsp:{version} asl:versionOf rsp:RSP ; dct:issued "{issued}"^^xsd:date')


def test_levels_are_ordered_and_cumulative(kg: OxigraphStore) -> None:
    rows = select(kg, "SELECT ?l ?r WHERE { ?l a asl:SafetyLevel ; asl:levelRank ?r } ORDER BY ?r")
    assert [(row[0].rsplit("/", 1)[1], int(row[1])) for row in rows] == [
        ("ASL-1", 1),
        ("ASL-2", 2),
        ("ASL-3", 3),
        ("ASL-4", 4),
    ]
    assert ask(kg, "rsp:ASL-4 asl:includesLevel+ rsp:ASL-1")


def test_cbrn3_requires_asl3_standards(kg: OxigraphStore) -> None:
    """RSP v2.2 Table 1: CBRN-3 requires the ASL-3 Deployment and Security Standards."""
    assert ask(kg, "rsp:CT-CBRN-3 asl:requiresStandard rsp:ASL3-DS, rsp:ASL3-SS")


def test_asl4_deployment_standard_unspecified(kg: OxigraphStore) -> None:
    assert ask(kg, "rsp:ASL4-DS asl:specified false")


def test_activation_measures(kg: OxigraphStore) -> None:
    """22 May 2025 activation: ten measures, deployment and security (fact sheet 1.5)."""
    rows = select(
        kg,
        "SELECT ?m ?std WHERE { ?m a asl:SafeguardMeasure ; asl:implementsStandard ?std ; "
        'asl:adoptedOn "2025-05-22"^^xsd:date }',
    )
    assert len(rows) == 10
    assert {std.rsplit("/", 1)[1] for _, std in rows} == {"ASL3-DS", "ASL3-SS"}


SEED = [
    ("eval", "ASL2", "partly-agrees"),
    ("eval", "ASL3", "partly-agrees"),
    ("eval", "ASL4plus", "unsupported"),
    ("deployment", "ASL2", "agrees"),
    ("deployment", "ASL3", "agrees"),
    ("deployment", "ASL4plus", "unsupported"),
    ("security", "ASL2", "agrees"),
    ("security", "ASL3", "partly-agrees"),
    ("security", "ASL4plus", "agrees"),
    ("disclosure", "ASL2", "agrees"),
    ("disclosure", "ASL3", "disagrees"),
    ("disclosure", "ASL4plus", "partly-agrees"),
]


@pytest.mark.parametrize(("dim", "tier", "verdict"), SEED)
def test_seed_claims(kg: OxigraphStore, dim: str, tier: str, verdict: str) -> None:
    """The tier summary's 12 claims and their verdicts (fact sheet 1.9)."""
    status = {"agrees": "verified", "disagrees": "contradicted"}.get(verdict, "unverified")
    assert ask(
        kg,
        f"rsp:SEED-{dim}-{tier} a asl:Claim ; asl:source src:SEED ; "
        f"asl:verdict verdict:{verdict} ; asl:verificationStatus vst:{status} ; "
        "asl:assessedAgainst ?c . ?c asl:source ?s . FILTER(?s != src:SEED)",
    )


def test_exactly_twelve_tier_summary_claims(kg: OxigraphStore) -> None:
    """4 dimensions x 3 tiers; the seed's claims about v3 are kept too, without a dimension."""
    rows = select(
        kg, "SELECT ?c WHERE { ?c a asl:Claim ; asl:source src:SEED ; asl:aboutDimension ?d }"
    )
    assert len(rows) == 12


# --- Commission GPAI guidelines ------------------------------------------------------------


def test_guidelines_are_non_binding_guidance(kg: OxigraphStore) -> None:
    """The guidelines are the Commission's non-binding reading (fact sheet 3.5)."""
    assert ask(
        kg,
        "gpaigl:GL a asl:Instrument, asl:GovernmentGuidance ; asl:source src:C5 ; "
        'asl:paraphrase ?p . FILTER(CONTAINS(STR(?p), "not binding"))',
    )
    assert not ask(kg, "gpaigl:GL a asl:Legislation")


def test_guidelines_july_text(kg: OxigraphStore) -> None:
    """C(2025) 5045 final of 18.7.2025 is the text read (fact sheet 9, source C5)."""
    assert ask(
        kg,
        'gpaigl:c-2025-5045 asl:versionOf gpaigl:GL ; dct:issued "2025-07-18"^^xsd:date ; '
        'skos:notation "C(2025) 5045 final" ; asl:source src:C5 ; '
        "asl:verificationStatus vst:verified",
    )


def test_guidelines_adopted_text_is_secondary(kg: OxigraphStore) -> None:
    """Adoption as C(2025) 7719 final is only reported (fact sheet 3.5 and 7 item 9), and
    no guideline item is placed in a text nobody read."""
    assert ask(
        kg,
        "gpaigl:c-2025-7719 asl:versionOf gpaigl:GL ; asl:source src:C9 ; "
        "asl:verificationStatus vst:secondary",
    )
    assert not ask(kg, "gpaigl:c-2025-7719 asl:verificationStatus vst:verified")
    assert not ask(kg, "?p asl:inVersion gpaigl:c-2025-7719")


def test_gpai_indicative_criterion_10_23_flop(kg: OxigraphStore) -> None:
    """Indicative GPAI criterion: more than 10^23 FLOP (fact sheet 3.5)."""
    assert ask(
        kg,
        "gpaigl:gpai-indicative-criterion asl:paraphrase ?p ; asl:verificationStatus vst:verified "
        '. FILTER(CONTAINS(STR(?p), "more than 10^23 FLOP"))',
    )


def test_downstream_modifier_one_third(kg: OxigraphStore) -> None:
    """Downstream modifier: more than one third of the original's training compute, else
    one third of 10^25 or 10^23 FLOP (fact sheet 3.5)."""
    assert ask(
        kg,
        "gpaigl:downstream-modifier asl:paraphrase ?p ; asl:verificationStatus vst:verified . "
        'FILTER(CONTAINS(STR(?p), "more than one third of the compute used to train the") '
        '&& CONTAINS(STR(?p), "one third of 10^25 FLOP") '
        '&& CONTAINS(STR(?p), "one third of 10^23 FLOP"))',
    )


def test_notify_when_10_25_flop_is_foreseeable(kg: OxigraphStore) -> None:
    """Notification may be due before training completes, once 10^25 FLOP is foreseeable
    (fact sheet 2.5, 3.5)."""
    assert ask(
        kg,
        "gpaigl:notify-before-training asl:paraphrase ?p ; asl:verificationStatus vst:verified . "
        'FILTER(CONTAINS(STR(?p), "foreseeable") && CONTAINS(STR(?p), "10^25 FLOP"))',
    )


def test_enforcement_powers_and_fines_from_2_august_2026(kg: OxigraphStore) -> None:
    """Guidelines §5.2-5.3: enforcement powers and fines from 2 Aug 2026 (fact sheet 2.12),
    and the Art. 101 it reads carries the same date."""
    assert ask(
        kg,
        'gpaigl:s5-2-enforcement-from-2026 skos:notation "Guidelines §5.2-5.3" ; '
        'asl:locator "§5.2-5.3" ; asl:paraphrase ?p ; asl:verificationStatus vst:verified . '
        'FILTER(CONTAINS(STR(?p), "2 August 2026"))',
    )
    assert ask(
        kg,
        "?m asl:mappingSubject gpaigl:s5-2-enforcement-from-2026 ; asl:relation rel:supports ; "
        'asl:mappingObject aia:art101 . aia:art101 asl:appliesFrom "2026-08-02"^^xsd:date',
    )


def test_art52_decisions_from_2_august_2025(kg: OxigraphStore) -> None:
    """Art. 52 decisions from 2 Aug 2025 (fact sheet 3.5), the date Chapter V applies."""
    assert ask(
        kg,
        "gpaigl:art52-decisions-from-2025 asl:paraphrase ?p ; asl:verificationStatus vst:verified "
        '. FILTER(CONTAINS(STR(?p), "from 2 August 2025"))',
    )
    assert ask(
        kg,
        "?m asl:mappingSubject gpaigl:art52-decisions-from-2025 ; asl:mappingObject aia:art52 . "
        'aia:art113-b asl:appliesFrom "2025-08-02"^^xsd:date',
    )


def test_entry_into_force_1_august_2024(kg: OxigraphStore) -> None:
    """Guidelines para. 1: the AI Act entered into force on 1 Aug 2024 (fact sheet 2.12),
    the date the Act's own version carries."""
    assert ask(
        kg,
        'gpaigl:p1-entry-into-force asl:locator "para. 1" ; asl:paraphrase ?p . '
        'FILTER(CONTAINS(STR(?p), "1 August 2024")) '
        'aia:oj-2024 asl:entryIntoForce "2024-08-01"^^xsd:date',
    )


def test_every_guideline_item_is_sourced_and_marked(kg: OxigraphStore) -> None:
    """Every gpaigl provision has a source document, a locator and a verification status."""
    items = "?p a asl:Provision . FILTER(STRSTARTS(STR(?p), STR(gpaigl:)))"
    assert select(kg, f"SELECT ?p WHERE {{ {items} }}")
    unmarked = select(
        kg,
        f"SELECT ?p WHERE {{ {items} FILTER NOT EXISTS {{ ?p asl:source ?s ; asl:locator ?l ; "
        "asl:verificationStatus ?v . ?s a asl:SourceDocument . ?v skos:inScheme vst:scheme } }",
    )
    assert unmarked == []


@pytest.mark.parametrize(
    ("item", "source", "locator", "status"),
    [
        ("s5-1-straightforward", "C5", "§5.1", "verified"),
        ("s5-1-opt-out", "C5", "§5.1", "verified"),
        ("s5-3-no-retraining", "C5", "§5.3", "verified"),
        ("lifecycle", "C5", None, "secondary"),
        ("training-summary-template", "C10", None, "secondary"),
    ],
)
def test_guideline_items_marked_as_the_sheet_marks_them(
    kg: OxigraphStore, item: str, source: str, locator: str | None, status: str
) -> None:
    """Fact sheet 3.1 (§5.1 [V]), 2.12 (§5.3 [V]), 3.5 (lifecycle [S], template [S])."""
    assert ask(kg, f"gpaigl:{item} asl:source src:{source} ; asl:verificationStatus vst:{status}")
    if locator is not None:
        assert ask(kg, f'gpaigl:{item} asl:locator "{locator}"')
    if status != "verified":
        assert not ask(kg, f"gpaigl:{item} asl:verificationStatus vst:verified")


def test_unverified_notification_precision_is_not_stated(kg: OxigraphStore) -> None:
    """Fact sheet 2.5: the two-significant-figures detail is UNVERIFIED, so no verified
    guideline item may state it."""
    assert not ask(
        kg,
        "?p a asl:Provision ; asl:verificationStatus vst:verified ; asl:paraphrase ?t . "
        "FILTER(STRSTARTS(STR(?p), STR(gpaigl:))) "
        'FILTER(CONTAINS(LCASE(STR(?t)), "significant figure"))',
    )


GUIDELINE_LINKS = [
    ("s5-1-straightforward", "aia:art53-4", "supports"),
    ("s5-1-straightforward", "aia:art55-2", "supports"),
    ("s5-1-opt-out", "aia:art53-4", "intersects-with"),
    ("s5-1-opt-out", "aia:art55-2", "intersects-with"),
    ("serious-incident-reading", "aia:art55-1-c", "supports"),
    ("serious-incident-reading", "aia:art73", "no-relationship"),
    ("notify-before-training", "aia:art52-1", "supports"),
    ("mitigations-not-rebuttal", "aia:art52-2", "intersects-with"),
    ("s5-2-enforcement-from-2026", "aia:art113-b", "supports"),
    ("s5-3-legacy-lifecycle", "aia:art111-3", "supports"),
    ("downstream-modifier", "aia:art3-3", "supports"),
    ("downstream-modifier", "aia:art3-68", "no-relationship"),
]


@pytest.mark.parametrize(("item", "target", "relation"), GUIDELINE_LINKS)
def test_guideline_items_read_their_articles(
    kg: OxigraphStore, item: str, target: str, relation: str
) -> None:
    """Each guideline item is linked to the article it reads, made against the July text."""
    assert ask(
        kg,
        f"?m asl:mappingSubject gpaigl:{item} ; asl:mappingObject {target} ; "
        f"asl:relation rel:{relation} ; asl:subjectVersion gpaigl:c-2025-5045",
    )


# --- UK and verification discipline --------------------------------------------------------


def test_fasc_eight_commitments(kg: OxigraphStore) -> None:
    rows = select(kg, "SELECT ?c WHERE { ?c a asl:Obligation ; asl:inVersion fasc:2024-05-21 }")
    assert len(rows) == 8


def test_secondary_and_unverified_are_not_verified(kg: OxigraphStore) -> None:
    assert ask(kg, "aisi:SafeguardEvalPrinciples asl:verificationStatus vst:unverified")
    assert ask(kg, "ukep:4 asl:verificationStatus vst:secondary")
    assert ask(kg, "dsit-cs:P7 asl:verificationStatus vst:secondary")


def test_contradicted_claims_are_kept_as_contradicted(kg: OxigraphStore) -> None:
    """Fact sheet 7 item 13: "ASL-3 = RAND SL2" comes from an inaccurate summary."""
    assert ask(
        kg,
        "?c a asl:Claim ; asl:verificationStatus vst:contradicted ; asl:paraphrase ?p ; "
        "asl:assessedAgainst ?v . ?v asl:verificationStatus vst:verified . "
        'FILTER(CONTAINS(STR(?p), "RAND SL2"))',
    )


# --- mappings ---------------------------------------------------------------------------


def test_at_least_150_mappings(kg: OxigraphStore) -> None:
    assert len(select(kg, "SELECT ?m WHERE { ?m a asl:Mapping }")) >= 150


COVERAGE = {
    "every ASL-2/ASL-3 standard item": "?x a asl:SafeguardRequirement ; dct:isPartOf+ ?std . "
    "VALUES ?std { rsp:ASL2-DS rsp:ASL2-SS rsp:ASL3-DS rsp:ASL3-SS }",
    "every activation measure": "?x a asl:SafeguardMeasure",
    "every Art. 53(1) and 55(1) obligation": "VALUES ?x { aia:art53-1-a aia:art53-1-b "
    "aia:art53-1-c aia:art53-1-d aia:art55-1-a aia:art55-1-b aia:art55-1-c aia:art55-1-d }",
    "every Safety and Security commitment": "?x a asl:Obligation ; dct:isPartOf cop:SS",
    "every Frontier AI Safety Commitment": "?x a asl:Obligation ; asl:inVersion fasc:2024-05-21",
    "every Emerging process": "?x asl:inVersion ukep:2023-10 ; asl:provisionKind pk:process",
}


@pytest.mark.parametrize("what", list(COVERAGE))
def test_mapping_coverage(kg: OxigraphStore, what: str) -> None:
    unmapped = select(
        kg,
        f"SELECT ?x WHERE {{ {COVERAGE[what]} FILTER NOT EXISTS {{ ?m a asl:Mapping . "
        "{ ?m asl:mappingSubject ?x } UNION { ?m asl:mappingObject ?x } } }",
    )
    assert unmapped == [], f"{what}: unmapped {unmapped}"


def test_no_relationship_records_exist(kg: OxigraphStore) -> None:
    rows = select(kg, "SELECT ?m WHERE { ?m asl:relation rel:no-relationship }")
    assert len(rows) >= 3


def test_thresholds_mapped_to_other_labs(kg: OxigraphStore) -> None:
    assert ask(
        kg,
        "?m asl:mappingSubject rsp:CT-CBRN-3 ; asl:mappingObject ?o . "
        "FILTER(STRSTARTS(STR(?o), STR(oai:)) || STRSTARTS(STR(?o), STR(gdm:)))",
    )


# --- jurisdictions -------------------------------------------------------------------------


def test_eu_has_27_member_states(kg: OxigraphStore) -> None:
    """The EU's Member States in 2026 are 27; EEA states are not among them (jur:EU)."""
    rows = select(kg, "SELECT ?c WHERE { ?c skos:broader jur:EU ; skos:inScheme jur:scheme }")
    assert len(rows) == 27
    for eea in ("jur:NO", "jur:IS", "jur:LI"):
        assert not ask(kg, f"{eea} skos:broader jur:EU")


def test_jurisdiction_notations_are_their_codes(kg: OxigraphStore) -> None:
    """Each jurisdiction's notation is its local name (ISO 3166 code, or EU)."""
    rows = select(kg, "SELECT ?c ?n WHERE { ?c skos:inScheme jur:scheme ; skos:notation ?n }")
    assert rows
    assert all(c.rsplit("/", 1)[1] == n for c, n in rows)
    assert ask(kg, 'jur:US-CA skos:broader jur:US ; skos:notation "US-CA"')


def test_every_country_can_be_stated_and_territories_of_the_union_are_within_it(
    kg: OxigraphStore,
) -> None:
    """All 249 ISO 3166-1 entries are concepts, so no place of establishment is unknown; the
    outermost regions and the Åland Islands reach jur:EU through their Member State, and
    overseas countries and territories (Greenland, the Faroes, French Polynesia) do not."""
    rows = select(
        kg,
        "SELECT ?c WHERE { ?c skos:inScheme jur:scheme ; skos:notation ?n . "
        'FILTER(STRLEN(?n) = 2 && ?n != "EU") }',
    )
    assert len(rows) == 249
    for inside in ("jur:RE", "jur:GP", "jur:GF", "jur:MQ", "jur:YT", "jur:MF", "jur:AX"):
        assert ask(kg, f"{inside} skos:broader+ jur:EU"), inside
    for outside in ("jur:GL", "jur:FO", "jur:PF", "jur:NO", "jur:CH", "jur:GB"):
        assert not ask(kg, f"{outside} skos:broader+ jur:EU"), outside
