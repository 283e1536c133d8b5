"""Validate an organisation's graph and assess its supplier's posture, as of a date.

The one service behind ``POST /api/validate``, ``POST /api/posture`` and ``aslgraph validate``:
it takes a parsed upload (:mod:`aslgraph.org.upload`), sets the date the graph is judged on,
runs the shapes of ``shapes/org`` through an engine (:mod:`aslgraph.shacl`) or the posture service
(:mod:`aslgraph.org.posture.assess`), and renders the outcome as JSON, a SHACL report graph
(Turtle, JSON-LD) or text for a terminal. Results are grouped by the provision they rest on, so a
reader sees, obligation by obligation, what is missing and which provision says so.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Literal

import pyoxigraph as ox
from pydantic import BaseModel, ConfigDict

from aslgraph.kg.catalog import Catalog
from aslgraph.kg.model import Ref
from aslgraph.kg.views import Views
from aslgraph.namespaces import ASL, ID, curie
from aslgraph.org.posture.model import Entity, LaterItem, ObligationVerdict, PostureReport
from aslgraph.org.upload import Upload, parse_upload

if TYPE_CHECKING:  # not at run time: aslgraph.shacl.report imports pyshacl, slow to import
    from aslgraph.shacl import OrgEngine
    from aslgraph.shacl.report import ValidationReport, ValidationResult

Progress = Callable[[str, int, int], None]
ReportFormat = Literal["json", "turtle", "json-ld", "text"]

_ASSESSMENT_DATE = ox.NamedNode(str(ASL.assessmentDate))
_XSD_DATE = ox.NamedNode("http://www.w3.org/2001/XMLSchema#date")
_MAPPING_PREFIX = ID + "map/"
SEVERITY_ORDER = {"violation": 0, "warning": 1, "info": 2}
STRUCTURE = "structure"
"""The group key of results that rest on no provision (the graph is not well formed)."""


@dataclass(frozen=True)
class OrgValidation:
    """The outcome of validating one upload: the report and what it was judged on."""

    report: ValidationReport
    as_of: date | None
    triples: int
    engine: str
    seconds: float
    prefixes: dict[str, str] = field(default_factory=dict)
    """The upload's own prefixes, for the text report."""


def assessment_dates(store: ox.Store) -> list[date]:
    """The ``asl:assessmentDate`` values the graph states (normally one)."""
    found: list[date] = []
    for quad in store.quads_for_pattern(None, _ASSESSMENT_DATE, None, None):
        obj = quad.object
        if isinstance(obj, ox.Literal):
            try:
                found.append(date.fromisoformat(obj.value))
            except ValueError:
                continue
    return sorted(found)


def apply_as_of(store: ox.Store, as_of: date | None) -> date | None:
    """Judge the graph as of ``as_of``: replace every ``asl:assessmentDate`` with it.

    Returns the date the graph is judged on: ``as_of``, else the one the graph states, else
    None (the structure shapes then report the missing date). Only subjects that already state
    an assessment date are changed, so ``as_of`` never makes another node the assessed
    organisation.
    """
    if as_of is None:
        dates = assessment_dates(store)
        return dates[0] if len(dates) == 1 else None
    quads = list(store.quads_for_pattern(None, _ASSESSMENT_DATE, None, None))
    for quad in quads:
        store.remove(quad)
        store.add(
            ox.Quad(
                quad.subject, _ASSESSMENT_DATE, ox.Literal(as_of.isoformat(), datatype=_XSD_DATE)
            )
        )
    return as_of


def validate(
    upload: Upload,
    engine: OrgEngine,
    *,
    as_of: date | None = None,
    progress: Progress | None = None,
) -> OrgValidation:
    """Validate an upload against the organisation shapes as of ``as_of``.

    The upload's store is handed to the engine, which may add to it; do not reuse it.
    """
    start = time.perf_counter()
    judged_on = apply_as_of(upload.store, as_of)
    report = engine.validate(upload.store, progress=progress)
    return OrgValidation(
        report=report,
        as_of=judged_on,
        triples=upload.triples,
        engine=engine.name,
        seconds=time.perf_counter() - start,
        prefixes=upload.prefixes,
    )


# ---------------------------------------------------------------------------- grouping


def provisions_of(result: ValidationResult) -> list[str]:
    """The provisions a result rests on (mapping records left out), its own value first."""
    cited = [iri for iri in result.rests_on if not iri.startswith(_MAPPING_PREFIX)]
    if result.value is not None and result.value in cited:
        return [result.value]
    return cited


def group_key(result: ValidationResult) -> str:
    """The provision a result is listed under: its value when that is one it rests on, else
    the first it rests on, else :data:`STRUCTURE`."""
    cited = provisions_of(result)
    return cited[0] if cited else STRUCTURE


def grouped(results: Iterable[ValidationResult]) -> list[tuple[str, list[ValidationResult]]]:
    """Results grouped by :func:`group_key`: worst severity first, then by key; structure last."""
    groups: dict[str, list[ValidationResult]] = {}
    for result in results:
        groups.setdefault(group_key(result), []).append(result)

    def order(item: tuple[str, list[ValidationResult]]) -> tuple[int, int, str]:
        key, members = item
        worst = min(SEVERITY_ORDER.get(r.severity, 3) for r in members)
        return (key == STRUCTURE, worst, key)

    return sorted(groups.items(), key=order)


def counts(report: ValidationReport) -> dict[str, int]:
    """How many results of each severity."""
    found = {name: 0 for name in SEVERITY_ORDER}
    for result in report.results:
        found[result.severity] = found.get(result.severity, 0) + 1
    return found


# ---------------------------------------------------------------------------- rendering


def _ref(views: Views | None, iri: str) -> Ref:
    """A provision's reference: with notation and label when the knowledge graph knows it."""
    return views.ref(iri) if views is not None else Ref(iri=iri, curie=curie(iri))


class OrgResult(BaseModel):
    """One finding: where, how bad, what is wrong, and the provisions it rests on."""

    model_config = ConfigDict(
        frozen=True,
        json_schema_extra={
            "examples": [
                {
                    "severity": "violation",
                    "focus": "https://example.org/acme/acme",
                    "path": None,
                    "value": ID + "eu-ai-act/art55-1-c",
                    "message": "As a provider of a general-purpose AI model with systemic risk "
                    "the organisation shows no evidence for Art. 55(1)(c), serious incident "
                    "reporting (...)",
                    "shape": "https://w3id.org/aslgraph/shapes/org#Art55EvidenceShape",
                    "constraint": "http://www.w3.org/ns/shacl#SPARQLConstraintComponent",
                    "rests_on": [{"iri": ID + "eu-ai-act/art55-1-c", "curie": "aia:art55-1-c"}],
                }
            ]
        },
    )

    severity: Literal["violation", "warning", "info"]
    focus: str
    """The node the finding is about (an IRI, or ``_:id`` for a blank node)."""
    path: str | None = None
    """The property concerned (``a / b`` for a sequence path), if any."""
    value: str | None = None
    """The value concerned: often the provision that lacks evidence."""
    message: str
    shape: str
    """The shape of shapes/org that raised the finding."""
    constraint: str
    """The SHACL constraint component."""
    rests_on: list[Ref] = []
    """The provisions, standards and mapping records the rule rests on."""


class OrgGroup(BaseModel):
    """The findings listed under one provision (``provision`` null: the graph's structure)."""

    model_config = ConfigDict(
        frozen=True,
        json_schema_extra={
            "examples": [
                {
                    "provision": {
                        "iri": ID + "eu-ai-act/art55-1-c",
                        "curie": "aia:art55-1-c",
                        "notation": "Art. 55(1)(c)",
                    },
                    "results": ["(an OrgResult)"],
                }
            ]
        },
    )

    provision: Ref | None = None
    results: list[OrgResult]


class OrgReport(BaseModel):
    """The outcome of validating an organisation graph against shapes/org."""

    model_config = ConfigDict(
        frozen=True,
        json_schema_extra={
            "examples": [
                {
                    "conforms": False,
                    "as_of": "2026-11-30",
                    "triples": 96,
                    "engine": "fast",
                    "counts": {"violation": 1, "warning": 0, "info": 0},
                    "groups": [
                        {
                            "provision": {
                                "iri": ID + "eu-ai-act/art55-1-c",
                                "curie": "aia:art55-1-c",
                                "notation": "Art. 55(1)(c)",
                            },
                            "results": ["(an OrgResult)"],
                        }
                    ],
                }
            ]
        },
    )

    conforms: bool
    """True when no finding is a violation (warnings and infos do not fail a graph)."""
    as_of: date | None
    """The date the graph was judged on (``as_of`` or the graph's asl:assessmentDate)."""
    triples: int
    engine: str
    counts: dict[str, int]
    groups: list[OrgGroup]
    """Findings grouped by the provision they rest on; structural findings last."""


def _result_model(result: ValidationResult, views: Views | None) -> OrgResult:
    return OrgResult(
        severity=result.severity,  # type: ignore[arg-type]  # one of SEVERITY_NAMES
        focus=result.focus,
        path=result.path,
        value=result.value,
        message=result.message,
        shape=result.source_shape,
        constraint=result.constraint,
        rests_on=[_ref(views, iri) for iri in result.rests_on],
    )


def report_model(validation: OrgValidation, views: Views | None = None) -> OrgReport:
    """The JSON report: verdict, counts, and the results grouped by provision."""
    report = validation.report
    return OrgReport(
        conforms=report.conforms,
        as_of=validation.as_of,
        triples=validation.triples,
        engine=validation.engine,
        counts=counts(report),
        groups=[
            OrgGroup(
                provision=None if key == STRUCTURE else _ref(views, key),
                results=[_result_model(r, views) for r in members],
            )
            for key, members in grouped(report.results)
        ],
    )


def report_graph(validation: OrgValidation, fmt: Literal["turtle", "json-ld"]) -> bytes:
    """The standard SHACL validation report as Turtle or JSON-LD."""
    graph = validation.report.to_graph()
    graph.bind("sh", "http://www.w3.org/ns/shacl#")
    data = graph.serialize(format="turtle" if fmt == "turtle" else "json-ld", encoding="utf-8")
    return data if isinstance(data, bytes) else data.encode("utf-8")


def _short_step(step: str, short: Callable[[str], str]) -> str:
    return "^" + short(step[1:]) if step.startswith("^") else short(step)


def report_text(validation: OrgValidation, views: Views | None = None, *, source: str = "") -> str:
    """A readable report for a terminal, grouped by obligation."""
    report = validation.report
    found = counts(report)

    def short(iri: str) -> str:
        return curie(iri, validation.prefixes)

    judged = validation.as_of.isoformat() if validation.as_of else "no assessment date"
    lines = [
        f"{source or 'graph'}: {validation.triples} triples, as of {judged}: "
        + ", ".join(f"{n} {name}{'s' if n != 1 else ''}" for name, n in found.items())
        + f" ({validation.engine} engine, {validation.seconds:.2f} s)"
    ]
    if not report.results:
        lines.append("conforms: every shape of shapes/org is satisfied")
    for key, members in grouped(report.results):
        lines.append("")
        if key == STRUCTURE:
            lines.append("Structure of the graph")
        else:
            ref = _ref(views, key)
            lines.append(f"{ref.label or ref.notation or ref.curie} [{ref.curie}]")
        for result in sorted(members, key=lambda r: (SEVERITY_ORDER.get(r.severity, 3), r.focus)):
            where = short(result.focus)
            if result.path:
                where += " " + " / ".join(
                    _short_step(step, short) for step in result.path.split(" / ")
                )
            lines.append(f"  {result.severity}: {where}")
            lines.append(f"    {result.message}")
            others = [curie(iri) for iri in result.rests_on if iri != key]
            if others:
                lines.append(f"    rests on: {', '.join(others)}")
    verdict = "does not conform" if not report.conforms else "conforms"
    lines.append("")
    lines.append(f"{verdict}: {found['violation']} violation(s), {found['warning']} warning(s)")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------- one job


@dataclass(frozen=True)
class Job:
    """One request to validate or assess an upload, as the HTTP layer or a worker sees it."""

    op: Literal["validate", "posture"]
    content_type: str | None
    as_of: date | None = None
    format: ReportFormat = "json"


MEDIA_OF_FORMAT: dict[str, str] = {
    "json": "application/json",
    "turtle": "text/turtle; charset=utf-8",
    "json-ld": "application/ld+json",
    "text": "text/plain; charset=utf-8",
}


def answer(
    job: Job, body: bytes, *, engine: OrgEngine | None, catalog: Catalog, max_bytes: int = 0
) -> tuple[str, bytes]:
    """Parse the upload, run the job and return (Content-Type, body). Raises UploadError.

    ``engine`` is needed for a validation only (a posture assessment runs no shapes).
    """
    upload = parse_upload(body, job.content_type, max_bytes=max_bytes)
    if job.op == "posture":
        from aslgraph.org.posture import assess as posture

        report = posture.assess(upload.store, catalog, job.as_of)
        if job.format == "text":
            return MEDIA_OF_FORMAT["text"], posture_text(report).encode("utf-8")
        return MEDIA_OF_FORMAT["json"], report.model_dump_json(indent=2).encode("utf-8")
    if engine is None:
        raise ValueError("a validation needs a SHACL engine")
    validation = validate(upload, engine, as_of=job.as_of)
    if job.format in ("turtle", "json-ld"):
        return MEDIA_OF_FORMAT[job.format], report_graph(validation, job.format)
    if job.format == "text":
        return MEDIA_OF_FORMAT["text"], report_text(validation, catalog.views).encode("utf-8")
    data = report_model(validation, catalog.views).model_dump_json(indent=2)
    return MEDIA_OF_FORMAT["json"], data.encode("utf-8")


# ---------------------------------------------------------------------------- posture as text

VERDICT_WORDS = {
    "met": "met",
    "partly_met": "partly met",
    "unmet": "UNMET",
    "not_applicable": "not applicable",
    "not_assessed": "not assessed",
}


def _entity(entity: Entity) -> str:
    return entity.label or entity.iri


def _verdict_lines(verdicts: list[ObligationVerdict]) -> list[str]:
    lines: list[str] = []
    for item in verdicts:
        ref = item.obligation
        lines.append(
            f"  {VERDICT_WORDS.get(item.verdict, item.verdict):14} {ref.notation or ref.curie} "
            f"[{ref.curie}]"
        )
        lines.append(f"    {item.summary}")
        if item.uncovered:
            lines.append(f"    left uncovered: {item.uncovered}")
        lines.extend(f"    note: {note}" for note in item.notes)
    return lines


def _later_lines(items: list[LaterItem]) -> list[str]:
    lines = []
    for item in items:
        ref = item.provision
        lines.append(
            f"  from {item.applies_from.isoformat()}: {ref.notation or ref.curie} [{ref.curie}]"
        )
    return lines


def posture_text(report: PostureReport, *, source: str = "") -> str:
    """The posture report for a terminal: the organisation's own obligations, then each
    supplied model's, then what applies later."""
    counted = ", ".join(
        f"{n} {VERDICT_WORDS.get(name, name).lower()}" for name, n in report.verdicts.items()
    )
    lines = [
        f"{source or 'graph'}: posture of {_entity(report.organisation)} as of "
        f"{report.as_of.isoformat()}: {counted or 'no verdicts'}",
        "roles: "
        + (
            ", ".join(
                f"{r.role.label}" + (f" under {r.regime.curie}" if r.regime else "")
                for r in report.roles
            )
            or "none"
        ),
        "",
        "Obligations of the organisation",
    ]
    lines.extend(_verdict_lines(report.obligations) or ["  none apply on this date"])
    for supplier in report.suppliers:
        lines.append("")
        lines.append(
            f"Model {_entity(supplier.model)} from {_entity(supplier.supplier)}"
            + (" (relied on as a model with systemic risk)" if supplier.systemic_risk else "")
        )
        lines.extend(_verdict_lines(supplier.obligations) or ["  no obligation to judge"])
    later = [*report.later, *(item for s in report.suppliers for item in s.later)]
    if later:
        lines.append("")
        lines.append("Applies later")
        lines.extend(_later_lines(later))
    return "\n".join(lines) + "\n"
