"""POST /api/validate and POST /api/posture: an organisation's graph in, a report that cites the
law out. Thin: the body is screened (media type, size, not empty) and goes to
:class:`aslgraph.org.runner.OrgRunner` unparsed (a worker parses it, within the time budget);
these routes only pick the report format and map the errors' kinds to problem documents."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request, Response

from aslgraph.api.problems import ProblemError
from aslgraph.api.rest import IsoDate, negotiate, problem_responses
from aslgraph.config import resource_root
from aslgraph.media import JSON, REPORT_OFFERS, UPLOAD_SYNTAXES
from aslgraph.org.errors import (
    OrgError,
    ServiceFaultError,
    TooLargeError,
    UnassessableError,
    UploadError,
)
from aslgraph.org.jobs import REPORT_FORMATS, OrgJob, ReportFormat
from aslgraph.org.posture.model import PostureReport
from aslgraph.org.report import OrgReport
from aslgraph.org.runner import OrgRunner
from aslgraph.org.upload import screen

router = APIRouter(prefix="/api", tags=["validation"])
UPLOAD_PATHS = ("/api/validate", "/api/posture")
"""Routes whose body is an uploaded graph (capped by Settings.max_upload_bytes)."""

FORMAT_OF_OFFER: dict[str, ReportFormat] = {
    offer.media_type: name for name, offer in REPORT_FORMATS.items()
}
STATUS_OF_KIND = {"unsupported-media-type": 415, "body-too-large": 413}
"""Upload errors that are not 400."""
STATUS_OF_ERROR: dict[type[OrgError], int] = {
    UploadError: 400,
    UnassessableError: 422,
    TooLargeError: 400,
    ServiceFaultError: 503,
}

_EXAMPLE_TURTLE = """\
@prefix aia:  <https://w3id.org/aslgraph/id/eu-ai-act/> .
@prefix asl:  <https://w3id.org/aslgraph/ontology#> .
@prefix cop:  <https://w3id.org/aslgraph/id/gpai-cop/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix role: <https://w3id.org/aslgraph/id/role/> .
@prefix xsd:  <http://www.w3.org/2001/XMLSchema#> .
@prefix ex:   <https://example.org/acme/> .

ex:acme a asl:Organisation ;
    rdfs:label "Acme AI" ;
    asl:assessmentDate "2026-11-30"^^xsd:date ;
    asl:declaresRegime aia:AIA ;
    asl:holdsRole [ a asl:RoleAssignment ; asl:role role:gpai-sr-provider ;
                    asl:underRegime aia:AIA ] ;
    asl:declaresPosture [ a asl:DeclaredPosture ; asl:postureFor ex:acme-1 ;
                          asl:adheresTo cop:SS ] ;
    asl:hasAIModel ex:acme-1 .

ex:acme-1 a asl:AIModel ; rdfs:label "Acme-1" ; asl:supplier ex:acme .
"""


def _example_file(name: str) -> str:
    path = resource_root() / "examples" / "valid" / name
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return _EXAMPLE_TURTLE


def _request_body(description: str) -> dict[str, Any]:
    """The OpenAPI requestBody: one entry per RDF syntax accepted, with example bodies."""
    content: dict[str, Any] = {
        media: {"schema": {"type": "string"}}
        for media in UPLOAD_SYNTAXES
        if media != "application/x-turtle"
    }
    content["application/ld+json"]["schema"] = {
        "type": ["object", "array"],
        "description": "a JSON-LD 1.1 document (an object or an array of them)",
    }
    content["text/turtle"]["examples"] = {
        "minimal": {
            "summary": "A GPAI-with-systemic-risk provider adhering to the Code",
            "value": _EXAMPLE_TURTLE,
        },
        "startup": {
            "summary": "examples/valid/startup-assistant-on-third-party-model.ttl",
            "value": _example_file("startup-assistant-on-third-party-model.ttl"),
        },
    }
    return {"requestBody": {"required": True, "description": description, "content": content}}


AsOf = Annotated[
    IsoDate | None,
    Query(
        description="Judge the graph as of this date (YYYY-MM-DD): it replaces the graph's "
        "asl:assessmentDate, so evidence validity and application dates are read against it.",
        examples=["2026-11-30"],
    ),
]
Format = Annotated[
    ReportFormat | None,
    Query(
        description="Report format; overrides the Accept header (application/json, text/turtle "
        "or application/ld+json for the standard SHACL validation report)."
    ),
]

_UPLOAD_ERRORS = problem_responses(400, 406, 413, 415, 422, 503)


def _problem(exc: OrgError, runner: OrgRunner) -> ProblemError:
    """The problem document of an error: its status from its class (and kind), Retry-After
    where trying again later may help, and where in the upload it was found."""
    status = STATUS_OF_KIND.get(exc.kind) or next(
        STATUS_OF_ERROR[c] for c in type(exc).__mro__ if c in STATUS_OF_ERROR
    )
    headers: dict[str, str] = {}
    if exc.kind == "validation-busy":
        headers["Retry-After"] = str(max(int(runner.wait // 4), 1))
    elif exc.kind in ("validation-unavailable", "validation-fault"):
        headers["Retry-After"] = "5"
    extra = {k: v for k, v in (("line", exc.line), ("column", exc.column)) if v is not None}
    return ProblemError(status, exc.message, kind=exc.kind, headers=headers, extra=extra)


async def _run(request: Request, op: Literal["validate", "posture"], **fields: Any) -> Response:
    runner: OrgRunner = request.app.state.org_runner
    body = await request.body()
    try:
        # 415, 413 or 400 before any work is queued
        media_type = screen(body, request.headers.get("content-type"))
        answer = await runner.run(OrgJob(op=op, media_type=media_type, **fields), body)
    except OrgError as exc:
        raise _problem(exc, runner) from None
    return Response(content=answer.body, media_type=answer.content_type)


@router.post(
    "/validate",
    summary="Validate an organisation's graph against the regulations that apply to it",
    description="Send the organisation's graph (its roles per regime, AI systems and models, "
    "each model's supplier and the supplier's declared posture with evidence, its own "
    "controls) as Turtle, N-Triples, JSON-LD or RDF/XML, chosen by Content-Type. Only the "
    "shapes of shapes/org run (shapes or rules inside the upload are data, never run); nothing "
    "the upload names is fetched. The JSON report groups findings by the provision they rest "
    "on, each with its severity (violation, warning, info); `text/turtle` or "
    "`application/ld+json` return the standard SHACL validation report. A validation past the "
    "time budget is stopped (503).",
    response_model=OrgReport,
    responses={
        200: {
            "content": {
                "text/turtle": {"schema": {"type": "string"}},
                "application/ld+json": {
                    "schema": {
                        "type": ["object", "array"],
                        "description": "the SHACL validation report as JSON-LD 1.1",
                    }
                },
            }
        },
        **_UPLOAD_ERRORS,
    },
    openapi_extra=_request_body("The organisation's graph."),
)
async def validate(request: Request, as_of: AsOf = None, format: Format = None) -> Response:
    chosen = format or FORMAT_OF_OFFER[negotiate(request, REPORT_OFFERS).media_type]
    return await _run(request, "validate", as_of=as_of, format=chosen)


@router.post(
    "/posture",
    summary="Is the supplier's declared posture enough? A verdict per applicable obligation",
    description="Send the organisation's graph as for /api/validate. For the date `as_of` "
    "(default: the graph's asl:assessmentDate), each obligation that binds one of the "
    "organisation's roles gets a verdict: met (by what, which evidence, through which mapping "
    "chain), partly met (what is left uncovered), unmet, not applicable (why) or not assessed; "
    "obligations that apply later are listed with their dates. Every verdict cites provision "
    "IRIs.",
    response_model=PostureReport,
    responses=_UPLOAD_ERRORS,
    openapi_extra=_request_body("The organisation's graph."),
)
async def posture(request: Request, as_of: AsOf = None) -> Response:
    negotiate(request, (JSON,))
    return await _run(request, "posture", as_of=as_of)
