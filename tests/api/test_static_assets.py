"""``/static/...`` and the favicon: only the files that ship, with their type, digest and
cache policy; anything else is a 404 problem."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from aslgraph.api.assets import AssetError, StaticAssets

ROOT = Path(__file__).resolve().parents[2]
STATIC = ROOT / "src" / "aslgraph" / "api" / "static"
MANIFEST: dict[str, Any] = json.loads((STATIC / "vendor" / "MANIFEST.json").read_text("utf-8"))
VENDORED = [
    (f"/static/vendor/{p['folder']}/{p['version']}/{f['name']}", f["sha256"])
    for p in MANIFEST["packages"]
    for f in p["files"]
]
TYPES = {
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    "": "text/plain; charset=utf-8",  # LICENSE, NOTICE
    ".svg": "image/svg+xml",
    ".ico": "image/x-icon",
}
OWN = {
    "/static/site/site.css": "site/site.css",
    "/static/site/swagger-init.js": "site/swagger-init.js",
    "/static/site/favicon.svg": "site/favicon.svg",
    "/favicon.svg": "site/favicon.svg",
    "/favicon.ico": "site/favicon.ico",
}


def _type(path: str) -> str:
    name = path.rsplit("/", 1)[-1]
    return TYPES[name[name.rindex(".") :] if "." in name else ""]


@pytest.mark.parametrize(("path", "sha256"), VENDORED, ids=[p for p, _ in VENDORED])
def test_a_vendored_file_is_served_as_recorded(client: TestClient, path: str, sha256: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert hashlib.sha256(response.content).hexdigest() == sha256
    assert response.headers["content-type"] == _type(path)
    assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["etag"] == f'"{sha256[:32]}"'


@pytest.mark.parametrize(("path", "file"), sorted(OWN.items()))
def test_our_own_files_are_served_and_revalidated(client: TestClient, path: str, file: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert response.content == (STATIC / file).read_bytes()
    assert response.headers["content-type"] == _type(file)
    assert response.headers["cache-control"] == "no-cache"
    assert response.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize("path", ["/favicon.svg", *[p for p, _ in VENDORED[:2]]])
def test_a_client_with_the_current_copy_gets_304(client: TestClient, path: str) -> None:
    etag = client.get(path).headers["etag"]
    for header in (etag, f"W/{etag}", f'"other", {etag}', "*"):
        response = client.get(path, headers={"if-none-match": header})
        assert response.status_code == 304, header
        assert response.content == b""
        assert response.headers["etag"] == etag
    assert client.get(path, headers={"if-none-match": '"other"'}).status_code == 200


def test_the_favicon_is_an_svg_and_an_ico_of_pngs(client: TestClient) -> None:
    svg = client.get("/favicon.svg")
    assert svg.text.startswith('<svg xmlns="http://www.w3.org/2000/svg"')
    assert "<script" not in svg.text and "href" not in svg.text
    assert svg.headers["content-security-policy"] == "default-src 'none'; frame-ancestors 'none'"
    ico = client.get("/favicon.ico").content
    assert ico[:6] == b"\0\0\1\0\3\0"  # an icon file with three images
    sizes = [ico[6 + 16 * i] for i in range(3)]
    assert sizes == [16, 32, 48]
    for i in range(3):
        length, offset = (
            int.from_bytes(ico[6 + 16 * i + k : 10 + 16 * i + k], "little") for k in (8, 12)
        )
        assert ico[offset : offset + 8] == b"\x89PNG\r\n\x1a\n"
        assert offset + length <= len(ico)


def test_the_favicon_is_what_the_script_draws() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "make_favicon.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize(
    "path",
    [
        "/static/vendor/swagger-ui/5.35.0/nope.js",
        "/static/vendor/swagger-ui/5.0.0/swagger-ui.css",  # not the vendored version
        "/static/vendor/swagger-ui/swagger-ui.css",  # no version
        "/static/vendor/swagger-ui/5.35.0/swagger-ui-bundle.js.map",
        "/static/vendor/MANIFEST.json",
        "/static/vendor/redoc/3.0.1/",
        "/static/site/",
        "/static/sparql.html",
        "/static/site/..%2F..%2Fapp.py",
        "/static/%2e%2e/%2e%2e/app.py",
        "/static/site/%2e%2e%2fsparql.js",
        "/static/..%2F..%2F..%2F..%2Fpyproject.toml",
        "/static/site/favicon.svg%00.js",
    ],
)
def test_anything_else_is_a_404_problem(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"].endswith("/not-found")


@pytest.fixture
def static_copy(tmp_path: Path) -> Path:
    copy = tmp_path / "static"
    shutil.copytree(STATIC / "site", copy / "site")
    shutil.copytree(STATIC / "vendor", copy / "vendor")
    return copy


def _tamper(static: Path) -> None:
    target = static / "vendor" / "swagger-ui" / "swagger-ui.css"
    target.write_bytes(target.read_bytes() + b"\n")


def _drop(static: Path) -> None:
    (static / "vendor" / "redoc" / "LICENSE").unlink()


def _escape(static: Path) -> None:
    manifest = static / "vendor" / "MANIFEST.json"
    data = json.loads(manifest.read_text("utf-8"))
    data["packages"][0]["files"][0]["name"] = "../../../site/favicon.svg"
    manifest.write_text(json.dumps(data), "utf-8")


def _no_site_file(static: Path) -> None:
    (static / "site" / "swagger-init.js").unlink()


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (_tamper, "swagger-ui/swagger-ui.css: SHA-256"),
        (_drop, "redoc/LICENSE"),
        (_escape, "is not the manifest"),
        (_no_site_file, "swagger-init.js"),
    ],
    ids=["changed file", "missing file", "name outside its folder", "missing own file"],
)
def test_a_damaged_copy_refuses_to_load(static_copy: Path, damage: Any, message: str) -> None:
    StaticAssets.load(static_copy)  # the copy as shipped loads
    damage(static_copy)
    with pytest.raises(AssetError, match=message.replace(".", r"\.")):
        StaticAssets.load(static_copy)
