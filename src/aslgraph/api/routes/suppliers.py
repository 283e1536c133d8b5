"""POST /api/suppliers (for each AI system of an organisation, which of the models it integrates
or considers, asl:candidateModel, would satisfy its regime and its own policy, and why the
others would not) and POST /api/plan (what would close each shortfall). Thin: the body goes to
a validation worker (:mod:`aslgraph.api.uploads`)."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from aslgraph.api.rest import negotiate
from aslgraph.api.routes.validate import AsOf
from aslgraph.api.uploads import UPLOAD_ERRORS, request_body, run
from aslgraph.media import JSON
from aslgraph.org.plan import Plan
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


@router.post(
    "/plan",
    summary="What would close each shortfall: switch supplier, add a control, obtain evidence",
    description="Send the organisation's graph as for /api/validate. Each violation and warning "
    "validate reports becomes the actions that would close it, from the graph: assign the "
    "level a system's triggers demand; build a system on a model it considers "
    "(asl:candidateModel) that satisfies it; obtain a posture or evidence from a supplier, or "
    "a current document from its publisher; add a control for a policy safeguard (naming the "
    "provisions the policy maps it to, with the weakest confidence) or for one of the "
    "organisation's own duties (naming the other duties the crosswalk says it also serves). "
    "One action closes every shortfall it can; the actions are ordered by how much they close.",
    response_model=Plan,
    responses=UPLOAD_ERRORS,
    openapi_extra=request_body(
        "The organisation's graph.",
        {
            "health-agents": (
                "examples/invalid/health-agents-short-of-their-policy.ttl: agents short of "
                "their policy, with a candidate model",
                "invalid/health-agents-short-of-their-policy.ttl",
            )
        },
    ),
)
async def plan(request: Request, as_of: AsOf = None) -> Response:
    negotiate(request, (JSON,))
    return await run(request, "plan", as_of=as_of)
