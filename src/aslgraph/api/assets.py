"""The static files the HTML pages load, read once and served from memory.

Two closed lists, so a request for any other name is a 404 and no path reaches outside them:

- our own files in ``static/site/`` (the favicon, the landing page's style sheet, the script
  that starts Swagger UI), named in :data:`SITE_FILES`;
- the vendored Swagger UI and ReDoc files in ``static/vendor/``, each named with its SHA-256
  in ``vendor/MANIFEST.json`` (written by ``scripts/vendor_assets.py`` from the npm registry).
  A vendored file is served under a path that holds its package's version, so it may be cached
  for a year; a file whose digest is not the manifest's refuses to load.

Nothing here fetches anything: every byte served ships in the package.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, ValidationError

SITE_FILES: Mapping[str, str] = {
    "favicon.svg": "image/svg+xml",
    "favicon.ico": "image/x-icon",
    "site.css": "text/css; charset=utf-8",
    "swagger-init.js": "text/javascript; charset=utf-8",
}
"""Our own files under ``static/site/`` and their Content-Type."""

IMMUTABLE = "public, max-age=31536000, immutable"
"""Cache-Control of a vendored file: its path changes when its version does."""
REVALIDATE = "no-cache"
"""Cache-Control of our own files: kept, but checked (ETag) before each use."""


class AssetError(Exception):
    """A static file is missing, unreadable or not the one the manifest records."""


PlainName = Annotated[str, Field(pattern=r"^[A-Za-z0-9_-][A-Za-z0-9._-]*$")]
"""A file or folder name without a path separator or a leading dot."""


class ManifestFile(BaseModel):
    """One vendored file as ``MANIFEST.json`` records it."""

    model_config = ConfigDict(frozen=True, populate_by_name=True)

    name: PlainName
    source: str = Field(alias="from")
    """Its path inside the npm tarball."""
    sha256: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
    bytes: int
    media_type: str
    licence: bool
    """Whether it holds the package's licence or notices."""


class ManifestPackage(BaseModel):
    """One npm package as ``MANIFEST.json`` records it."""

    model_config = ConfigDict(frozen=True)

    name: str
    version: PlainName
    license: str
    integrity: str
    folder: PlainName
    files: tuple[ManifestFile, ...]


class Manifest(BaseModel):
    """``static/vendor/MANIFEST.json``."""

    model_config = ConfigDict(frozen=True)

    comment: str = ""
    packages: tuple[ManifestPackage, ...]


@dataclass(frozen=True)
class Asset:
    """A file to serve: its bytes, Content-Type, strong ETag and Cache-Control."""

    body: bytes
    media_type: str
    sha256: str
    cache_control: str

    @property
    def etag(self) -> str:
        return f'"{self.sha256[:32]}"'

    def headers(self) -> dict[str, str]:
        """The response headers (besides Content-Type) every answer with this file carries."""
        headers = {
            "Cache-Control": self.cache_control,
            "ETag": self.etag,
            "X-Content-Type-Options": "nosniff",
        }
        if self.media_type == "image/svg+xml":  # opened on its own, an SVG is a document
            headers["Content-Security-Policy"] = "default-src 'none'; frame-ancestors 'none'"
        return headers


@dataclass(frozen=True)
class VendoredPackage:
    """One npm package copied into ``static/vendor/``: where it is and under which licence."""

    name: str
    version: str
    license: str
    folder: str
    files: tuple[str, ...]
    licence_files: tuple[str, ...]

    def path(self, name: str) -> str:
        """The path of one of its files under ``/static/`` (raises KeyError for another name)."""
        if name not in self.files:
            raise KeyError(f"{self.name}@{self.version} has no file {name!r}")
        return f"vendor/{self.folder}/{self.version}/{name}"


@dataclass(frozen=True)
class StaticAssets:
    """Every file served under ``/static/``, by its path there (``site/favicon.svg``,
    ``vendor/swagger-ui/5.35.0/swagger-ui.css``), and the vendored packages."""

    files: Mapping[str, Asset]
    packages: Mapping[str, VendoredPackage]

    @classmethod
    def load(cls, static: Path) -> StaticAssets:
        """Read ``static/site/`` and ``static/vendor/``; raises AssetError when a file is
        missing or a vendored file's SHA-256 is not the manifest's."""
        files: dict[str, Asset] = {}
        for name, media_type in SITE_FILES.items():
            body = _read(static / "site" / name)
            files[f"site/{name}"] = Asset(body, media_type, _sha256(body), REVALIDATE)
        packages: dict[str, VendoredPackage] = {}
        vendor = static / "vendor"
        for entry in _manifest(vendor / "MANIFEST.json").packages:
            package = VendoredPackage(
                name=entry.name,
                version=entry.version,
                license=entry.license,
                folder=entry.folder,
                files=tuple(f.name for f in entry.files),
                licence_files=tuple(f.name for f in entry.files if f.licence),
            )
            for file in entry.files:
                body = _read(vendor / package.folder / file.name)
                digest = _sha256(body)
                if digest != file.sha256:
                    raise AssetError(
                        f"{package.folder}/{file.name}: SHA-256 {digest} is not the manifest's "
                        f"{file.sha256} (see scripts/vendor_assets.py --check)"
                    )
                files[package.path(file.name)] = Asset(body, file.media_type, digest, IMMUTABLE)
            packages[package.name] = package
        return cls(files=files, packages=packages)

    def get(self, path: str) -> Asset | None:
        """The file served at ``/static/{path}``, or None."""
        return self.files.get(path)

    def vendored(self, package: str, name: str) -> str:
        """The path under ``/static/`` of a vendored file (raises KeyError if not vendored)."""
        return self.packages[package].path(name)


def _sha256(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise AssetError(f"cannot read the static file {path}: {exc.strerror}") from exc


def _manifest(path: Path) -> Manifest:
    try:
        return Manifest.model_validate_json(_read(path))
    except ValidationError as exc:
        raise AssetError(f"{path} is not the manifest vendor_assets.py writes: {exc}") from exc
