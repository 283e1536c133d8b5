"""Every JSON answer is an instance of the response model its route declares in OpenAPI.

REST routes return their model (``aslgraph.api.rest.RestRoute`` checks the type and writes it);
the upload routes pass on the JSON a worker wrote, so their bodies are validated here against
the declared model.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi import APIRouter, FastAPI
from fastapi.testclient import TestClient
from pydantic import BaseModel

from aslgraph.api.rest import RestRoute
from aslgraph.api.routes import coverage, crosswalk, instruments, obligations, provisions, tiers
from aslgraph.kg.model import ProvisionDetail, Tier
from aslgraph.org.posture.model import PostureReport
from aslgraph.org.report import OrgReport

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "invalid" / "gpai-sr-provider-with-gaps.ttl"

GETS: list[tuple[str, type[BaseModel]]] = [
    ("/api/instruments", instruments.InstrumentPage),
    ("/api/instruments/rsp", instruments.InstrumentPage),
    ("/api/provisions?scheme=eu-ai-act&kind=point", provisions.ProvisionPage),
    ("/api/provisions/eu-ai-act/art55-1-d", ProvisionDetail),
    ("/api/tiers", tiers.TierPage),
    ("/api/tiers/ASL-3", Tier),
    ("/api/crosswalk?from=rsp:ASL3-SS&size=3", crosswalk.CrosswalkPage),
    ("/api/coverage?from=rsp&to=eu-ai-act&size=5", coverage.CoveragePage),
    ("/api/obligations?role=gpai-provider&as_of=2026-01-01", obligations.ObligationPage),
]


def _matches(template: str, path: str) -> bool:
    parts, want = template.split("/"), path.split("/")
    return len(parts) == len(want) and all(
        a == b or a.startswith("{") for a, b in zip(parts, want, strict=True)
    )


@pytest.mark.parametrize(("path", "model"), GETS, ids=[p for p, _ in GETS])
def test_rest_answers_are_their_declared_model(
    client: TestClient, path: str, model: type[BaseModel]
) -> None:
    response = client.get(path)
    assert response.status_code == 200, response.text
    spec = client.get("/openapi.json").json()
    template = next(p for p in spec["paths"] if _matches(p, path.split("?")[0]))
    schema = spec["paths"][template]["get"]["responses"]["200"]["content"]["application/json"]
    assert schema["schema"]["$ref"].rsplit("/", 1)[1] == model.__name__
    parsed = model.model_validate_json(response.content)
    assert parsed.model_dump(mode="json") == response.json()


@pytest.mark.parametrize(
    ("path", "model"), [("/api/validate", OrgReport), ("/api/posture", PostureReport)]
)
def test_upload_answers_are_their_declared_model(
    client: TestClient, path: str, model: type[BaseModel]
) -> None:
    response = client.post(
        path, content=EXAMPLE.read_bytes(), headers={"Content-Type": "text/turtle"}
    )
    assert response.status_code == 200, response.text
    parsed = model.model_validate_json(response.content)
    assert parsed.model_dump(mode="json") == response.json()


def test_a_route_returning_another_type_is_a_programming_error() -> None:
    router = APIRouter(route_class=RestRoute)

    @router.get("/wrong")
    async def wrong() -> Tier:
        return {"not": "a tier"}  # type: ignore[return-value]

    app = FastAPI()
    app.include_router(router)
    with (
        TestClient(app) as client,
        pytest.raises(TypeError, match="returned dict, not its declared response model Tier"),
    ):
        client.get("/wrong")


def test_a_rest_route_must_declare_a_model() -> None:
    router = APIRouter(route_class=RestRoute)
    with pytest.raises(TypeError, match="declares a response model"):

        @router.get("/untyped")
        async def untyped():  # type: ignore[no-untyped-def]
            return 1
