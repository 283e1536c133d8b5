"""POST /api/validate and POST /api/posture: an organisation's graph in, a report that cites the
law out. Thin: the body goes to a validation worker (:mod:`aslgraph.api.uploads`); these
routes only pick the report format."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, Response

from aslgraph.api.rest import IsoDate, negotiate
from aslgraph.api.uploads import UPLOAD_ERRORS, request_body, run
from aslgraph.media import HTML, JSON, REPORT_OFFERS
from aslgraph.org.jobs import REPORT_FORMATS, ReportFormat
from aslgraph.org.posture.model import PostureReport
from aslgraph.org.report import OrgReport

router = APIRouter(prefix="/api", tags=["validation"])
FORMAT_OF_OFFER: dict[str, ReportFormat] = {
    offer.media_type: name for name, offer in REPORT_FORMATS.items()
}
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
        **UPLOAD_ERRORS,
    },
    openapi_extra=request_body("The organisation's graph."),
)
async def validate(request: Request, as_of: AsOf = None, format: Format = None) -> Response:
    chosen = format or FORMAT_OF_OFFER[negotiate(request, REPORT_OFFERS).media_type]
    return await run(request, "validate", as_of=as_of, format=chosen)


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
    responses={200: {"content": {"text/html": {"schema": {"type": "string"}}}}, **UPLOAD_ERRORS},
    openapi_extra=request_body("The organisation's graph."),
)
async def posture(
    request: Request,
    as_of: AsOf = None,
    format: Annotated[
        Literal["json", "html"] | None,
        Query(
            description="`html`: the audit report, one self-contained HTML document (every "
            "verdict with the provision's paraphrase, evidence and mapping chain, the agent "
            "policy's findings and the plan), printable; overrides the Accept header."
        ),
    ] = None,
) -> Response:
    chosen = format or ("html" if negotiate(request, (JSON, HTML)) is HTML else "json")
    return await run(request, "report" if chosen == "html" else "posture", as_of=as_of)
