"""An organisation graph's validation as a report: findings grouped by the provision they rest on.

:func:`report_model` is the JSON report of ``POST /api/validate`` and ``aslgraph validate
--format json``; :func:`report_graph` the standard SHACL validation report (Turtle, JSON-LD).
Results are grouped by the provision they rest on, so a reader sees, obligation by obligation,
what is missing and which provision says so.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict

from aslgraph.kg.model import Ref
from aslgraph.kg.views import Views
from aslgraph.namespaces import ID, curie
from aslgraph.org.validate import OrgValidation

if TYPE_CHECKING:  # not at run time: aslgraph.shacl.report imports rdflib
    from aslgraph.shacl.report import ValidationReport, ValidationResult

GraphFormat = Literal["turtle", "json-ld"]

_MAPPING_PREFIX = ID + "map/"
SEVERITY_ORDER = {"violation": 0, "warning": 1, "info": 2}
STRUCTURE = "structure"
"""The group key of results that rest on no provision (the graph is not well formed)."""


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


def ref_of(views: Views | None, iri: str) -> Ref:
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
        rests_on=[ref_of(views, iri) for iri in result.rests_on],
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
                provision=None if key == STRUCTURE else ref_of(views, key),
                results=[_result_model(r, views) for r in members],
            )
            for key, members in grouped(report.results)
        ],
    )


def report_json(validation: OrgValidation, views: Views | None = None) -> Iterator[bytes]:
    """The JSON of :func:`report_model` (two-space indent), byte for byte, in pieces: each
    result is made a model and written on its own, so that a report is never all models at
    once, nor, when the pieces are written as they come, all bytes (at 10^6 triples the models
    and their 200 MB of JSON together made the validation's peak memory)."""
    report = validation.report
    head = OrgReport(
        conforms=report.conforms,
        as_of=validation.as_of,
        triples=validation.triples,
        engine=validation.engine,
        counts=counts(report),
        groups=[],
    )
    text = _json(head)
    groups = grouped(report.results)
    if not groups:
        yield text
        return
    yield text.removesuffix(_EMPTY_LAST) + b"[\n"
    for number, (key, members) in enumerate(groups):
        group = OrgGroup(provision=None if key == STRUCTURE else ref_of(views, key), results=[])
        shell = _indented(_json(group), 4)
        yield (b",\n" if number else b"") + shell.removesuffix(_EMPTY_LAST_IN_GROUP) + b"[\n"
        for index, result in enumerate(members):
            piece = _indented(_json(_result_model(result, views)), 8)
            yield b",\n" + piece if index else piece
        yield b"\n      ]\n    }"
    yield b"\n  ]\n}"


_EMPTY_LAST = b"[]\n}"
"""How a model whose last field is an empty list ends, at two-space indent."""
_EMPTY_LAST_IN_GROUP = b"[]\n    }"


def _json(model: BaseModel) -> bytes:
    return model.__pydantic_serializer__.to_json(model, indent=2)


def _indented(text: bytes, spaces: int) -> bytes:
    """``text`` (JSON: no string holds a raw line break) indented by ``spaces``."""
    pad = b" " * spaces
    return pad + text.replace(b"\n", b"\n" + pad)


def report_graph(validation: OrgValidation, fmt: GraphFormat) -> bytes:
    """The standard SHACL validation report as Turtle or JSON-LD."""
    graph = validation.report.to_graph()
    graph.bind("sh", "http://www.w3.org/ns/shacl#")
    data = graph.serialize(format="turtle" if fmt == "turtle" else "json-ld", encoding="utf-8")
    return data if isinstance(data, bytes) else data.encode("utf-8")
