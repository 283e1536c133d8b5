"""One validation, posture assessment or regimes matrix, from the uploaded bytes to the answer's
bytes.

The single path behind ``POST /api/validate``, ``POST /api/posture`` and ``POST
/api/frameworks/regimes`` (run in a worker process, :mod:`aslgraph.org.worker`) and behind
``aslgraph validate``, ``posture`` and ``regimes FILE`` (run in the command's own process): an
:class:`OrgJob` says what to do, :func:`run` parses the upload and judges it,
:func:`serialise` writes the outcome in the job's format. A job crosses the process boundary
as one JSON frame (:meth:`OrgJob.encode`), and its reply as one :class:`JobReply`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import date
from functools import cached_property
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict

from aslgraph.config import Settings
from aslgraph.kg.catalog import Catalog
from aslgraph.kg.model import RegimeMatrix
from aslgraph.media import HTML, JSON, JSON_LD, TURTLE, Offer
from aslgraph.org.errors import OrgError, TooLargeError, UnassessableError, UploadError
from aslgraph.org.plan import Plan
from aslgraph.org.posture.model import PostureReport
from aslgraph.org.report import report_graph, report_json
from aslgraph.org.suppliers import SupplierComparison
from aslgraph.org.upload import Handed, UploadLimits, parse_upload
from aslgraph.org.validate import OrgValidation, Progress, collector_paused, validate

if TYPE_CHECKING:  # not at run time: the engines import rdflib
    from aslgraph.shacl import OrgEngine

log = logging.getLogger(__name__)

ReportFormat = Literal["json", "turtle", "json-ld"]
"""What a validation is written as: the JSON report, or the SHACL report graph."""
REPORT_FORMATS: dict[ReportFormat, Offer] = {"json": JSON, "turtle": TURTLE, "json-ld": JSON_LD}
"""The media type of each report format (a posture report is always JSON)."""


class AuditPage(str):
    """The audit report: one self-contained HTML document (:mod:`aslgraph.org.audit`)."""


Outcome = OrgValidation | PostureReport | RegimeMatrix | SupplierComparison | Plan | AuditPage
PARSED = "parsed"
"""The stage :func:`run` reports to ``progress`` once the upload is parsed (done: its triples)."""


JobOp = Literal["validate", "posture", "regimes", "suppliers", "plan", "report"]
"""What a job does with its upload."""
WHAT: dict[JobOp, str] = {
    "validate": "validation",
    "posture": "posture assessment",
    "regimes": "regimes matrix",
    "suppliers": "supplier comparison",
    "plan": "gap-closure plan",
    "report": "audit report",
}
"""What each job is called in messages."""


class OrgJob(BaseModel):
    """What to do with one upload: validate it or assess its posture, as of a date; or compare
    the framework it describes with regimes."""

    model_config = ConfigDict(frozen=True)

    op: JobOp
    media_type: str
    """The upload's media type, one of :data:`aslgraph.media.UPLOAD_SYNTAXES`."""
    as_of: date | None = None
    format: ReportFormat = "json"
    regimes: tuple[str, ...] = ()
    """For ``regimes``: the schemes to compare with (empty: the default ones)."""
    framework: str | None = None
    """For ``regimes``: the framework's IRI or CURIE, when the upload describes several."""

    def encode(self) -> bytes:
        """The job as one JSON frame."""
        return self.model_dump_json().encode("utf-8")

    @classmethod
    def decode(cls, data: bytes) -> OrgJob:
        """The job a frame holds; raises pydantic's ValidationError on anything else."""
        return cls.model_validate_json(data)


class OrgServices:
    """What a job needs, built on first use from the settings: the SHACL engine (shapes/org and
    the ontology) and the catalog (the knowledge graph). A worker builds both before its first
    job; the command line only what its command needs."""

    def __init__(self, settings: Settings, *, engine: Literal["fast", "pyshacl"] | None = None):
        self.settings = settings
        self.engine_name = engine or settings.validation_engine

    @cached_property
    def engine(self) -> OrgEngine:
        from aslgraph.shacl import build_engine

        return build_engine(self.engine_name, self.settings)

    @cached_property
    def catalog(self) -> Catalog:
        from aslgraph.remote.store import open_store

        # the files, or the remote store of ASLGRAPH_STORE_URL (decision 0016)
        catalog = Catalog(open_store(self.settings), self.settings)
        catalog.warm()
        return catalog

    def refresh(self) -> None:
        """Drop the catalog when it reads a remote store that was reloaded since it was built
        (one marker read per job; nothing for the embedded store)."""
        built = self.__dict__.get("catalog")
        if built is None or not self.settings.store_url:
            return
        from aslgraph.remote.store import StoreSnapshot, read_marker
        from aslgraph.store import StoreError

        store = built.store
        if isinstance(store, StoreSnapshot):
            try:
                marker = read_marker(store.origin.client, self.settings)
            except StoreError:  # the store is away: the snapshot still holds its last load
                return
            if marker is not None and marker.version != store.version:
                del self.__dict__["catalog"]


def run(
    job: OrgJob,
    body: bytes | Handed,
    services: OrgServices,
    *,
    max_bytes: int = 0,
    progress: Progress | None = None,
    processes: int = 1,
) -> Outcome:
    """Parse ``body`` and validate or assess it as ``job`` says.

    ``body`` handed over (:class:`~aslgraph.org.upload.Handed`) is let go once parsed.
    ``max_bytes`` caps the upload (0: no cap); a validation may decide duties in up to
    ``processes`` processes (a worker of the service uses one: the service has a worker per
    core). Raises UploadError for an upload that cannot be read and UnassessableError for a
    graph that cannot be judged as it is.
    """
    upload = parse_upload(
        body.take() if isinstance(body, Handed) else body,
        job.media_type,
        max_bytes=max_bytes,
        limits=UploadLimits.of(services.settings),
    )
    services.refresh()  # a remote store reloaded since the catalog was built (decision 0016)
    if progress is not None:
        progress(PARSED, upload.triples, upload.triples)
    if job.op == "posture":
        from aslgraph.org.posture.assess import assess

        return assess(upload.store, services.catalog, job.as_of)
    if job.op == "report":
        from aslgraph.org.audit import audit_html

        return AuditPage(audit_html(upload, services.engine, services.catalog, job.as_of))
    if job.op == "plan":
        from aslgraph.org.plan import plan

        return plan(upload, services.engine, services.catalog, job.as_of)
    if job.op == "suppliers":
        from aslgraph.org.suppliers import compare

        return compare(upload.store, services.catalog, job.as_of, prefixes=upload.prefixes)
    if job.op == "regimes":
        from aslgraph.kg.regimes import REGIMES
        from aslgraph.org.framework import regimes

        return regimes(
            upload, services.catalog, framework=job.framework, regimes=job.regimes or REGIMES
        )
    return validate(
        upload,
        services.engine,
        services.catalog,
        as_of=job.as_of,
        progress=progress,
        processes=processes,
    )


def serialise(outcome: Outcome, fmt: ReportFormat, services: OrgServices) -> tuple[str, bytes]:
    """The outcome written as ``fmt``: (Content-Type, bytes). A posture report, a regimes
    matrix, a supplier comparison and a plan are JSON."""
    if isinstance(outcome, AuditPage):
        return HTML.content_type, outcome.encode("utf-8")
    if isinstance(outcome, PostureReport | RegimeMatrix | SupplierComparison | Plan):
        return JSON.content_type, outcome.model_dump_json(indent=2).encode("utf-8")
    if fmt == "json":  # the pieces joined once
        return JSON.content_type, b"".join(json_report(outcome, services))
    with collector_paused():  # a report's many results, as while they were found
        return REPORT_FORMATS[fmt].content_type, report_graph(outcome, fmt)


def json_report(validation: OrgValidation, services: OrgServices) -> Iterator[bytes]:
    """The JSON report of a validation in pieces, as it is made (so that a caller that writes
    them as they come never holds it whole: the command line's output)."""
    with collector_paused():  # a report's many results, as while they were found
        yield from report_json(validation, services.catalog.views)


# ---------------------------------------------------------------- across the process boundary

ERRORS: dict[str, type[OrgError]] = {
    cls.__name__: cls for cls in (UploadError, UnassessableError, TooLargeError)
}
"""The errors a worker reports, by class name (the runner raises the same class again)."""


class JobReply(BaseModel):
    """A worker's answer to one job: ``ok`` and the answer's media type, or the error."""

    model_config = ConfigDict(frozen=True)

    ok: bool
    media_type: str | None = None
    error: str | None = None
    """The error's class name, a key of :data:`ERRORS`."""
    kind: str | None = None
    message: str | None = None
    line: int | None = None
    column: int | None = None

    @classmethod
    def failed(cls, exc: OrgError) -> JobReply:
        return cls(
            ok=False,
            error=type(exc).__name__,
            kind=exc.kind,
            message=exc.message,
            line=exc.line,
            column=exc.column,
        )

    def raise_error(self) -> None:
        """Raise the error a failed reply reports (nothing for a successful one)."""
        if self.ok:
            return
        cls = ERRORS.get(self.error or "", UnassessableError)
        raise cls(
            self.message or "the graph could not be checked",
            kind=self.kind,
            line=self.line,
            column=self.column,
        )


def answer(
    job: OrgJob, body: bytes | Handed, services: OrgServices, *, max_bytes: int = 0
) -> tuple[JobReply, bytes]:
    """:func:`run` and :func:`serialise`, with every failure turned into a reply (the worker's
    loop: it must never die of an input)."""
    try:
        outcome = run(job, body, services, max_bytes=max_bytes)
        media_type, data = serialise(outcome, job.format, services)
    except OrgError as exc:
        return JobReply.failed(exc), b""
    except MemoryError:
        cap = services.settings.max_validation_memory_bytes
        error = TooLargeError(
            f"validating this graph needs more than the {cap / 1_048_576:g} MiB a validation "
            "may use (ASLGRAPH_MAX_VALIDATION_MEMORY_BYTES); split the graph or validate it "
            "with the command line"
        )
        return JobReply.failed(error), b""
    except Exception as exc:  # an engine failure on this input: say so, keep serving
        log.exception("validation failed")
        failure = UnassessableError(
            f"the graph could not be validated: {type(exc).__name__}: {exc}",
            kind="validation-failed",
        )
        return JobReply.failed(failure), b""
    return JobReply(ok=True, media_type=media_type), data
