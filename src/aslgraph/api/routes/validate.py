"""POST /api/validate and POST /api/posture: an organisation's graph in, a report that cites the
law out. Thin: the body goes to :class:`aslgraph.org.runner.OrgRunner` unread (a worker
parses it, within the time budget); these routes only pick the report format and map errors to
problem documents."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request, Response

from aslgraph.api.problems import ProblemError
from aslgraph.api.rest import JSON, negotiate, problem_responses
from aslgraph.config import resource_root
from aslgraph.media import JSON_LD, TURTLE, Offer
from aslgraph.org.posture.model import PostureReport
from aslgraph.org.runner import OrgCheckError, OrgRunner
from aslgraph.org.upload import MEDIA_TYPES
from aslgraph.org.validate import Job, OrgReport

router = APIRouter(prefix="/api", tags=["validation"])
UPLOAD_PATHS = ("/api/validate", "/api/posture")
"""Routes whose body is an uploaded graph (capped by Settings.max_upload_bytes)."""

REPORT_OFFERS: tuple[Offer, ...] = (JSON, TURTLE, JSON_LD)
FORMAT_OF_MEDIA = {
    "application/json": "json",
    "text/turtle": "turtle",
    "application/ld+json": "json-ld",
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
        for media in MEDIA_TYPES
        if media != "application/x-turtle"
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
    date | None,
    Query(
        description="Judge the graph as of this date (YYYY-MM-DD): it replaces the graph's "
        "asl:assessmentDate, so evidence validity and application dates are read against it.",
        examples=["2026-11-30"],
    ),
]
Format = Annotated[
    Literal["json", "turtle", "json-ld"] | None,
    Query(
        description="Report format; overrides the Accept header (application/json, text/turtle "
        "or application/ld+json for the standard SHACL validation report)."
    ),
]

_UPLOAD_ERRORS = problem_responses(400, 406, 413, 415, 422, 503)


def _runner(request: Request) -> OrgRunner:
    runner: OrgRunner = request.app.state.orgcheck
    return runner


async def _run(request: Request, job: Job) -> Response:
    body = await request.body()
    try:
        answer = await _runner(request).run(job, body)
    except OrgCheckError as exc:
        extra: dict[str, Any] = {}
        if exc.line is not None:
            extra["line"] = exc.line
        if exc.column is not None:
            extra["column"] = exc.column
        headers = {"Retry-After": str(exc.retry_after)} if exc.retry_after else None
        raise ProblemError(
            exc.status, exc.message, kind=exc.kind, headers=headers, extra=extra
        ) from None
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
                "application/ld+json": {"schema": {"type": "object"}},
            }
        },
        **_UPLOAD_ERRORS,
    },
    openapi_extra=_request_body("The organisation's graph."),
)
async def validate(request: Request, as_of: AsOf = None, format: Format = None) -> Response:
    chosen = format or FORMAT_OF_MEDIA[negotiate(request, REPORT_OFFERS).media_type]
    job = Job(
        op="validate",
        content_type=request.headers.get("content-type"),
        as_of=as_of,
        format=chosen,  # type: ignore[arg-type]  # one of FORMAT_OF_MEDIA's values
    )
    return await _run(request, job)


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
    negotiate(request, REPORT_OFFERS[:1])
    job = Job(op="posture", content_type=request.headers.get("content-type"), as_of=as_of)
    return await _run(request, job)
