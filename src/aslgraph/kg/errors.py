"""What the catalog raises when a request cannot be answered; each message names what was wrong
and what would have been accepted, in words a person understands."""

from __future__ import annotations


class CatalogError(Exception):
    """Base class; ``kind`` is a short machine-readable slug (``unknown-scheme``)."""

    kind = "catalog-error"

    def __init__(self, message: str, *, kind: str | None = None):
        super().__init__(message)
        self.message = message
        if kind is not None:
            self.kind = kind


class NotFoundError(CatalogError):
    """The thing named does not exist in the knowledge graph (HTTP 404, CLI exit 2)."""

    kind = "not-found"


class InvalidRequestError(CatalogError):
    """A parameter is not acceptable: unknown scheme, role, kind, a malformed CURIE (HTTP 400)."""

    kind = "invalid-parameter"
