"""Copy the browser assets of ``/docs``, ``/redoc`` and ``/sparql`` from the npm registry,
pinned, into the package, and record what was copied in ``MANIFEST.json``.

Run at development time only; the service never fetches anything::

    python scripts/vendor_assets.py          # npm pack each pin, copy its files, write the manifest
    python scripts/vendor_assets.py --check  # the committed files against the manifest (offline)

Each package is pinned by exact version and by the registry's ``sha512`` integrity of its
tarball: a tarball whose digest differs is refused, so a re-run copies the same bytes or fails.
Only the files each pin lists are copied, licence and notice files included. Needs ``npm`` on
PATH for the first form; the second needs nothing but Python. Exit status 0 on success, 1 when
a check fails, 2 on bad usage or when npm fails.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENDOR = ROOT / "src" / "aslgraph" / "api" / "static" / "vendor"
MANIFEST = VENDOR / "MANIFEST.json"

MEDIA_TYPES = {
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    "": "text/plain; charset=utf-8",  # LICENSE, NOTICE
}


@dataclass(frozen=True)
class Pin:
    """One npm package: exact version, tarball digest, and the files taken from it."""

    name: str
    version: str
    integrity: str
    """The registry's ``dist.integrity`` (``sha512-`` and the base64 digest)."""
    license: str
    """SPDX expression, as the package declares it."""
    folder: str
    """Folder under ``vendor/`` (and path segment under ``/static/vendor/``)."""
    files: tuple[tuple[str, str], ...]
    """(path inside the tarball, name in ``folder``); licence files included."""
    licence_files: tuple[str, ...]
    """Which of the copied names hold the licence and notices."""


PINS: tuple[Pin, ...] = (
    Pin(
        name="swagger-ui-dist",
        version="5.35.0",
        integrity="sha512-U06rpMtW9V3XPGOBeamTUSr0Z09jMX4IJuANpE/EZbAhw0G8CgwrzU4YmXkn/h0wCDNsXdGarTNNHC3sU8yVUQ==",
        license="Apache-2.0",
        folder="swagger-ui",
        files=(
            ("package/swagger-ui-bundle.js", "swagger-ui-bundle.js"),
            ("package/swagger-ui.css", "swagger-ui.css"),
            ("package/LICENSE", "LICENSE"),
            ("package/NOTICE", "NOTICE"),
            ("package/swagger-ui-bundle.js.LICENSE.txt", "swagger-ui-bundle.js.LICENSE.txt"),
        ),
        licence_files=("LICENSE", "NOTICE", "swagger-ui-bundle.js.LICENSE.txt"),
    ),
    Pin(
        name="redoc",
        version="3.0.1",
        integrity="sha512-KDfoKaYW19LCl4YStgBnwlaNjYEFfs5zCNt1s1WZ2YM5u8d26Yuzd2l43fZO851ZsgIMe/D640fDJkD8eaRQKQ==",
        license="MIT",
        folder="redoc",
        files=(
            ("package/bundles/redoc.standalone.js", "redoc.standalone.js"),
            ("package/LICENSE", "LICENSE"),
        ),
        licence_files=("LICENSE",),
    ),
    # The query page's editor (issue 12). @triply/yasgui, not the newer @zazuko/yasgui 4.6.2:
    # the latter's tarball ships neither a licence file nor the bundle's third-party notices.
    Pin(
        name="@triply/yasgui",
        version="4.2.28",
        integrity="sha512-HN1neZqERSGoDyk/Fg40nI+F0tHnaBxjqizhN0mur2Kj0oJsklBsFMRk/M+wW+ohy8dSEn7AgX3H0pPrV/wmVg==",
        license="MIT",
        folder="yasgui",
        files=(
            ("package/build/yasgui.min.js", "yasgui.min.js"),
            ("package/build/yasgui.min.css", "yasgui.min.css"),
            ("package/LICENSE.txt", "LICENSE"),
            ("package/build/yasgui.min.js.LICENSE.txt", "yasgui.min.js.LICENSE.txt"),
        ),
        licence_files=("LICENSE", "yasgui.min.js.LICENSE.txt"),
    ),
)


def media_type(name: str) -> str:
    """The Content-Type a vendored file is served with, by its suffix."""
    return MEDIA_TYPES[Path(name).suffix]


def sha256(path: Path) -> str:
    """The hex SHA-256 of a file."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _integrity(path: Path) -> str:
    digest = hashlib.sha512(path.read_bytes()).digest()
    return "sha512-" + base64.b64encode(digest).decode("ascii")


def _pack(pin: Pin, into: Path) -> Path:
    """``npm pack`` the pinned version into ``into``; return the tarball, digest checked."""
    spec = f"{pin.name}@{pin.version}"
    done = subprocess.run(  # noqa: S603 - fixed argv, no shell
        ["npm", "pack", spec, "--json", "--pack-destination", str(into)],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"npm pack {spec} failed:\n{done.stderr}")
    (info,) = json.loads(done.stdout)
    tarball = into / str(info["filename"])
    found = _integrity(tarball)
    if found != pin.integrity:
        raise SystemExit(f"{spec}: tarball integrity {found} is not the pinned {pin.integrity}")
    return tarball


def _extract(pin: Pin, tarball: Path, folder: Path) -> list[dict[str, object]]:
    folder.mkdir(parents=True, exist_ok=True)
    entries: list[dict[str, object]] = []
    with tarfile.open(tarball, "r:gz") as archive:
        for member, name in pin.files:
            source = archive.extractfile(member)
            if source is None:
                raise SystemExit(f"{pin.name}@{pin.version}: {member} is not a file")
            target = folder / name
            with source, target.open("wb") as out:
                shutil.copyfileobj(source, out)
            entries.append(
                {
                    "name": name,
                    "from": member,
                    "sha256": sha256(target),
                    "bytes": target.stat().st_size,
                    "media_type": media_type(name),
                    "licence": name in pin.licence_files,
                }
            )
    return entries


def vendor() -> None:
    """Replace ``vendor/`` with the pinned files and write the manifest."""
    packages = []
    with tempfile.TemporaryDirectory() as tmp:
        for pin in PINS:
            tarball = _pack(pin, Path(tmp))
            folder = VENDOR / pin.folder
            if folder.exists():
                shutil.rmtree(folder)
            packages.append(
                {
                    "name": pin.name,
                    "version": pin.version,
                    "license": pin.license,
                    "integrity": pin.integrity,
                    "folder": pin.folder,
                    "files": _extract(pin, tarball, folder),
                }
            )
    manifest = {
        "comment": "Written by scripts/vendor_assets.py from the npm registry; do not edit.",
        "packages": packages,
    }
    MANIFEST.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {MANIFEST.relative_to(ROOT)}")


def check() -> list[str]:
    """What differs between the pins, the manifest and the files on disk (empty: all agree)."""
    problems: list[str] = []
    manifest = json.loads(MANIFEST.read_text(encoding="utf-8"))
    recorded = {p["name"]: p for p in manifest["packages"]}
    if set(recorded) != {pin.name for pin in PINS}:
        problems.append(f"manifest lists {sorted(recorded)}, pins are {[p.name for p in PINS]}")
    for pin in PINS:
        entry = recorded.get(pin.name)
        if entry is None:
            continue
        for key in ("version", "integrity", "license", "folder"):
            pinned = getattr(pin, key)
            if entry[key] != pinned:
                problems.append(
                    f"{pin.name}: the manifest says {key} {entry[key]!r}, not {pinned!r}"
                )
        names = [f["name"] for f in entry["files"]]
        if names != [name for _, name in pin.files]:
            problems.append(f"{pin.name}: the manifest lists {names}, the pin other files")
        folder = VENDOR / pin.folder
        extra = sorted({p.name for p in folder.iterdir()} - set(names)) if folder.is_dir() else []
        if extra:
            problems.append(f"{pin.folder}/: {extra} not in the manifest")
        for file in entry["files"]:
            path = folder / file["name"]
            if not path.is_file():
                problems.append(f"{pin.folder}/{file['name']}: missing")
            elif sha256(path) != file["sha256"]:
                problems.append(f"{pin.folder}/{file['name']}: SHA-256 differs from the manifest")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check", action="store_true", help="verify the committed files (no network)"
    )
    args = parser.parse_args(argv)
    if not args.check:
        vendor()
    problems = check()
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
