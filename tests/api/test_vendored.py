"""The vendored Swagger UI, ReDoc and YASGUI files: exactly what ``MANIFEST.json`` records,
each package pinned to an exact version and shipped with its licence (no network needed)."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
VENDOR = ROOT / "src" / "aslgraph" / "api" / "static" / "vendor"
MANIFEST: dict[str, Any] = json.loads((VENDOR / "MANIFEST.json").read_text("utf-8"))
PACKAGES = {p["name"]: p for p in MANIFEST["packages"]}
FILES = [(p["folder"], f) for p in MANIFEST["packages"] for f in p["files"]]
LICENCE_WORDS = {"MIT": "Permission is hereby granted", "Apache-2.0": "Apache License"}


def test_the_viewers_are_vendored_and_nothing_else() -> None:
    assert set(PACKAGES) == {"swagger-ui-dist", "redoc", "@triply/yasgui"}
    assert {p.name for p in VENDOR.iterdir()} == {"MANIFEST.json", "swagger-ui", "redoc", "yasgui"}


@pytest.mark.parametrize("package", sorted(PACKAGES))
def test_a_package_is_pinned_exactly(package: str) -> None:
    entry = PACKAGES[package]
    assert re.fullmatch(r"\d+\.\d+\.\d+", entry["version"])  # no range, no tag
    assert re.fullmatch(r"sha512-[A-Za-z0-9+/]{86}==", entry["integrity"])


@pytest.mark.parametrize(("folder", "file"), FILES, ids=[f"{d}/{f['name']}" for d, f in FILES])
def test_a_file_is_the_one_recorded(folder: str, file: dict[str, Any]) -> None:
    body = (VENDOR / folder / file["name"]).read_bytes()
    assert hashlib.sha256(body).hexdigest() == file["sha256"]
    assert len(body) == file["bytes"]


@pytest.mark.parametrize("package", sorted(PACKAGES))
def test_a_package_ships_its_licence(package: str) -> None:
    entry = PACKAGES[package]
    folder = VENDOR / entry["folder"]
    licences = [f["name"] for f in entry["files"] if f["licence"]]
    assert "LICENSE" in licences
    assert LICENCE_WORDS[entry["license"]] in (folder / "LICENSE").read_text("utf-8")
    on_disk = {p.name for p in folder.iterdir()}
    assert on_disk == {f["name"] for f in entry["files"]}  # no unrecorded file


def test_swagger_ui_keeps_its_notices() -> None:
    """Apache-2.0 asks for the NOTICE file; the bundle's third-party notices sit beside it."""
    names = {f["name"] for f in PACKAGES["swagger-ui-dist"]["files"] if f["licence"]}
    assert names == {"LICENSE", "NOTICE", "swagger-ui-bundle.js.LICENSE.txt"}


def test_the_script_agrees_with_the_committed_files() -> None:
    """``vendor_assets.py --check`` compares the pins with the manifest and the files."""
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "vendor_assets.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
