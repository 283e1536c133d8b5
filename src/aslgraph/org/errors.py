"""What can go wrong checking an organisation graph; each error has a short ``kind`` slug.

Nothing here knows HTTP: the API maps each kind to a status code (``aslgraph.api.routes.
validate``), the command line to an exit status. Messages are written for a person: what was
wrong and what to send instead.
"""

from __future__ import annotations


class OrgError(Exception):
    """Base class; ``kind`` says what went wrong, ``line`` and ``column`` (1-based) where in the
    upload, when known."""

    kind = "org-error"

    def __init__(
        self,
        message: str,
        *,
        kind: str | None = None,
        line: int | None = None,
        column: int | None = None,
    ):
        super().__init__(message)
        self.message = message
        if kind is not None:
            self.kind = kind
        self.line = line
        self.column = column


class UploadError(OrgError):
    """The upload cannot be read: ``unsupported-media-type``, ``body-too-large``,
    ``empty-body``, ``invalid-rdf``, ``doctype-refused`` or ``remote-context-refused``."""

    kind = "invalid-rdf"


class UnassessableError(OrgError):
    """The graph parses but cannot be judged as it is (``no-organisation``,
    ``several-organisations``, ``validation-failed``)."""

    kind = "unassessable"


class TooLargeError(OrgError):
    """The job needed more memory than a validation may use (``too-large-to-validate``)."""

    kind = "too-large-to-validate"


class ServiceFaultError(OrgError):
    """The service could not do the job; trying again may help: ``validation-timeout`` (the job
    ran past its budget and was stopped), ``validation-busy`` (no worker became free),
    ``validation-unavailable`` (the workers did not start), ``validation-fault`` (the worker
    was killed or crashed for a reason of the server's)."""

    kind = "validation-unavailable"
