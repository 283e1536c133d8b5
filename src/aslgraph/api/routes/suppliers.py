"""POST /api/suppliers: for each AI system of an organisation, which of the models it integrates
or considers (asl:candidateModel) would satisfy its regime and its own policy, and why the
others would not. Thin: the body goes to a validation worker (:mod:`aslgraph.api.uploads`)."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from aslgraph.api.rest import negotiate
from aslgraph.api.routes.validate import AsOf
from aslgraph.api.uploads import UPLOAD_ERRORS, request_body, run
from aslgraph.media import JSON
from aslgraph.org.suppliers import SupplierComparison

router = APIRouter(prefix="/api", tags=["validation"])


@router.post(
    "/suppliers",
    summary="Which supplier's model would do, for each AI system",
    description="Send the organisation's graph as for /api/validate, naming for its systems "
    "the models they integrate and the ones considered instead (asl:candidateModel), each "
    "with its supplier and the supplier's declared posture. Each option is judged as if the "
    "system were built on it alone: the safeguards of the system's level under the "
    "organisation's own policy that a supplier standard must meet, the supplier level the "
    "organisation relies on the model for, and the supplier's duties for the model under the "
    "organisation's regimes. The options are ranked, those that satisfy first, each with its "
    "shortfalls citing the clause, standard or obligation; 422 when no system has a model "
    "to compare.",
    response_model=SupplierComparison,
    responses=UPLOAD_ERRORS,
    openapi_extra=request_body(
        "The organisation's graph, with the models considered.",
        {
            "health-agents": (
                "examples/invalid/health-agents-short-of-their-policy.ttl: two agents, their "
                "model and a candidate",
                "invalid/health-agents-short-of-their-policy.ttl",
            )
        },
    ),
)
async def suppliers(request: Request, as_of: AsOf = None) -> Response:
    negotiate(request, (JSON,))
    return await run(request, "suppliers", as_of=as_of)
