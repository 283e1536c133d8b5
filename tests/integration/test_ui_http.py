"""The validation page over HTTP (it needs the validation workers): the form posted as
multipart (pasted or uploaded) or URL-encoded gives the same report as POST /api/validate; bad
input is the form again with the error and a 4xx."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
INVALID = ROOT / "examples" / "invalid" / "gpai-sr-provider-with-gaps.ttl"
VALID = ROOT / "examples" / "valid" / "gpai-sr-provider-adhering-to-code.ttl"


def _findings(page: str) -> list[tuple[str, str]]:
    """(severity, value) of each finding on the page."""
    return sorted(
        re.findall(r'<li class="finding sev-(\w+)" data-focus="[^"]*" data-path="[^"]*" '
                   r'data-value="([^"]*)"', page)
    )  # fmt: skip


def _api(client: httpx.Client, path: Path) -> list[tuple[str, str]]:
    report = client.post(
        "/api/validate", content=path.read_bytes(), headers={"content-type": "text/turtle"}
    ).json()
    return sorted(
        (r["severity"], r["value"] or "") for group in report["groups"] for r in group["results"]
    )


@pytest.mark.parametrize("path", [INVALID, VALID], ids=["invalid", "valid"])
def test_a_pasted_graph_gets_the_api_s_report(client: httpx.Client, path: Path) -> None:
    response = client.post("/validate", files={"graph": (None, path.read_text("utf-8"))})
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert _findings(response.text) == _api(client, path)
    conforms = "does not conform" if path == INVALID else "The graph conforms"
    assert conforms in response.text
    assert 'id="posture-h"' in response.text


def test_an_uploaded_file_wins_over_the_text_area(client: httpx.Client) -> None:
    response = client.post(
        "/validate",
        files={
            "graph": (None, "this is not Turtle"),
            "file": ("vireo.ttl", INVALID.read_bytes(), "application/octet-stream"),
        },
    )
    assert response.status_code == 200
    assert _findings(response.text) == _api(client, INVALID)


def test_a_url_encoded_form_works_too(client: httpx.Client) -> None:
    response = client.post(
        "/validate", data={"graph": VALID.read_text("utf-8"), "as_of": "2026-11-30"}
    )
    assert response.status_code == 200
    assert "judged as of 2026-11-30" in response.text


def test_an_example_has_a_permalink(client: httpx.Client) -> None:
    response = client.get("/validate", params={"example": f"invalid/{INVALID.name}"})
    assert response.status_code == 200
    assert _findings(response.text) == _api(client, INVALID)
    assert client.get("/validate", params={"example": "invalid/nothing.ttl"}).status_code == 404


@pytest.mark.parametrize(
    ("files", "status", "words"),
    [
        ({"graph": (None, "")}, 400, "empty"),
        ({"graph": (None, "@prefix : <x> . :a :b")}, 400, ""),
        ({"graph": (None, "<a> <b> <c> ."), "as_of": (None, "30/11/2026")}, 400, "YYYY-MM-DD"),
    ],
    ids=["empty", "not-turtle", "bad-date"],
)
def test_bad_input_is_the_form_with_the_error(
    client: httpx.Client, files: dict[str, tuple[None, str]], status: int, words: str
) -> None:
    response = client.post("/validate", files=files)
    assert response.status_code == status
    assert 'role="alert"' in response.text and words in response.text
    assert 'name="graph"' in response.text  # the form again


def test_a_body_that_is_no_form_is_415(client: httpx.Client) -> None:
    response = client.post("/validate", content=b"{}", headers={"content-type": "text/json"})
    assert response.status_code == 415
    assert 'role="alert"' in response.text
