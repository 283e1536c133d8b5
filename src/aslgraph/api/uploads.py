"""What the routes that take an uploaded graph share: the OpenAPI request body, running the
job in a validation worker and the problem document of each error.

``POST /api/validate``, ``POST /api/posture`` and ``POST /api/frameworks/regimes`` screen the
body (media type, size, not empty) and send it unparsed to
:class:`aslgraph.org.runner.OrgRunner` (a worker parses it, within the time budget)."""

from __future__ import annotations

from typing import Any

from fastapi import Request, Response

from aslgraph.api.problems import ProblemError
from aslgraph.api.rest import problem_responses
from aslgraph.config import resource_root
from aslgraph.media import UPLOAD_SYNTAXES
from aslgraph.org.errors import (
    OrgError,
    ServiceFaultError,
    TooLargeError,
    UnassessableError,
    UploadError,
)
from aslgraph.org.jobs import JobOp, OrgJob
from aslgraph.org.runner import OrgRunner
from aslgraph.org.upload import screen

UPLOAD_ERRORS = problem_responses(400, 406, 413, 415, 422, 503)
"""The problem documents a route that takes an upload may answer with."""
UPLOAD_PATHS = (
    "/api/validate",
    "/api/posture",
    "/api/suppliers",
    "/api/plan",
    "/api/frameworks/regimes",
)
"""Routes whose body is an uploaded graph (capped by Settings.max_upload_bytes)."""
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


def example_file(name: str) -> str:
    """An example graph's text (``name``: its path under examples/), or a minimal graph when
    the package ships without the examples."""
    path = resource_root() / "examples" / name
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return _EXAMPLE_TURTLE


def request_body(
    description: str, examples: dict[str, tuple[str, str]] | None = None
) -> dict[str, Any]:
    """The OpenAPI requestBody: one entry per RDF syntax accepted, with example bodies
    (``examples``: name to summary and path under examples/; default: a minimal graph and
    the startup example)."""
    content: dict[str, Any] = {
        media: {"schema": {"type": "string"}}
        for media in UPLOAD_SYNTAXES
        if media != "application/x-turtle"
    }
    content["application/ld+json"]["schema"] = {
        "type": ["object", "array"],
        "description": "a JSON-LD 1.1 document (an object or an array of them)",
    }
    if examples is not None:
        content["text/turtle"]["examples"] = {
            name: {"summary": summary, "value": example_file(file)}
            for name, (summary, file) in examples.items()
        }
        return {"requestBody": {"required": True, "description": description, "content": content}}
    content["text/turtle"]["examples"] = {
        "minimal": {
            "summary": "A GPAI-with-systemic-risk provider adhering to the Code",
            "value": _EXAMPLE_TURTLE,
        },
        "startup": {
            "summary": "examples/valid/startup-assistant-on-third-party-model.ttl",
            "value": example_file("valid/startup-assistant-on-third-party-model.ttl"),
        },
    }
    return {"requestBody": {"required": True, "description": description, "content": content}}


def problem(exc: OrgError, runner: OrgRunner) -> ProblemError:
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


async def run(request: Request, op: JobOp, **fields: Any) -> Response:
    """Screen the body, run ``op`` on it in a worker and answer with what the worker wrote."""
    runner: OrgRunner = request.app.state.org_runner
    body = await request.body()
    try:
        # 415, 413 or 400 before any work is queued
        media_type = screen(body, request.headers.get("content-type"))
        answer = await runner.run(OrgJob(op=op, media_type=media_type, **fields), body)
    except OrgError as exc:
        raise problem(exc, runner) from None
    return Response(content=answer.body, media_type=answer.content_type)
