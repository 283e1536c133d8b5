"""The validation page (``/validate``): paste or upload an organisation graph, read the SHACL
findings grouped by the provision they rest on and the posture verdicts.

:func:`read_form` takes the posted form apart (``multipart/form-data`` with the standard
library's MIME parser, or ``application/x-www-form-urlencoded``); :func:`render` draws the form
and, when there is one, the :class:`~aslgraph.org.report.OrgReport` and the
:class:`~aslgraph.org.posture.model.PostureReport` the validation workers wrote (the same
answers as ``POST /api/validate`` and ``POST /api/posture``). Everything is escaped.
"""

from __future__ import annotations

import email.policy
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from email.parser import BytesParser
from pathlib import PurePosixPath
from urllib.parse import parse_qs, quote

from aslgraph.api.examples import Example
from aslgraph.api.ui.entity import link
from aslgraph.api.ui.layout import Crumb, e, page
from aslgraph.media import FILE_SUFFIXES, UPLOAD_SYNTAXES
from aslgraph.org.errors import UploadError
from aslgraph.org.posture.model import ObligationVerdict, PostureReport
from aslgraph.org.report import OrgReport

Href = Callable[[str], str | None]
SYNTAXES = {
    "text/turtle": "Turtle",
    "application/n-triples": "N-Triples",
    "application/ld+json": "JSON-LD",
    "application/rdf+xml": "RDF/XML",
}
VERDICTS = {
    "met": "met",
    "partly_met": "partly met",
    "unmet": "unmet",
    "not_applicable": "not applicable",
    "not_assessed": "not assessed",
    "cannot_be_decided": "cannot be decided",
}


@dataclass(frozen=True)
class Submission:
    """What the form sent: the graph's bytes and media type, and the date to judge it on."""

    body: bytes
    media_type: str
    text: str
    """The graph as text, to put back in the form (empty for a file that is not UTF-8)."""
    as_of: str | None = None


def _fields(body: bytes, content_type: str) -> dict[str, tuple[bytes, str | None]]:
    """The form's fields: name to (value, file name)."""
    media = content_type.split(";", 1)[0].strip().lower()
    if media == "application/x-www-form-urlencoded":
        try:
            pairs = parse_qs(body.decode("utf-8"), keep_blank_values=True)
        except UnicodeDecodeError:
            raise UploadError("the form is not UTF-8", kind="invalid-form") from None
        return {k: (v[0].encode("utf-8"), None) for k, v in pairs.items() if v}
    if media != "multipart/form-data":
        raise UploadError(
            f"the form must be multipart/form-data or application/x-www-form-urlencoded, "
            f"not {media or 'absent'}",
            kind="unsupported-media-type",
        )
    header = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode("latin-1")
    message = BytesParser(policy=email.policy.HTTP).parsebytes(header + body)
    if not message.is_multipart():
        raise UploadError("the multipart form could not be read", kind="invalid-form")
    found: dict[str, tuple[bytes, str | None]] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if not isinstance(name, str):
            continue
        payload = part.get_payload(decode=True)
        found[name] = (payload if isinstance(payload, bytes) else b"", part.get_filename())
    return found


def read_form(body: bytes, content_type: str | None) -> Submission:
    """The graph a form sent: an uploaded file (``file``) wins over the text area (``graph``);
    its syntax is the ``syntax`` field, or for a file, its suffix. Raises UploadError."""
    fields = _fields(body, content_type or "")
    upload, filename = fields.get("file", (b"", None))
    text = fields.get("graph", (b"", None))[0]
    syntax = fields.get("syntax", (b"", None))[0].decode("utf-8", "replace").strip()
    as_of = fields.get("as_of", (b"", None))[0].decode("utf-8", "replace").strip() or None
    if upload.strip() and filename:
        suffix = PurePosixPath(filename).suffix.lower()
        media = syntax if syntax in SYNTAXES else FILE_SUFFIXES.get(suffix, "text/turtle")
        graph = upload
    else:
        media = syntax if syntax in SYNTAXES else "text/turtle"
        graph = text
    if media not in UPLOAD_SYNTAXES:
        raise UploadError(f"unknown syntax {media!r}", kind="unsupported-media-type")
    try:
        shown = graph.decode("utf-8")
    except UnicodeDecodeError:
        shown = ""
    return Submission(body=graph, media_type=media, text=shown, as_of=as_of)


# ---------------------------------------------------------------- the page


def _short(iri: str | None) -> str:
    if not iri:
        return ""
    for separator in ("#", "/"):
        if separator in iri.rstrip("/"):
            return iri.rstrip("/").rsplit(separator, 1)[1]
    return iri


def _report(report: OrgReport, href: Href) -> str:
    verdict = "conforms" if report.conforms else "does not conform"
    counts = ", ".join(f"{n} {severity}" for severity, n in report.counts.items())
    parts = [
        '<section aria-labelledby="report-h"><h2 id="report-h">Validation report</h2>',
        f'<p class="conforms" id="conforms">The graph {e(verdict)} ({e(counts)}; '
        f"{report.triples} triples, judged as of {e(report.as_of or 'today')}).</p>",
    ]
    for group in report.groups:
        title = link(group.provision, href) if group.provision else "Structure of the graph"
        items = []
        for result in group.results:
            where = " · ".join(
                f"{label} <code>{e(_short(value))}</code>"
                for label, value in (
                    ("focus", result.focus),
                    ("path", result.path),
                    ("value", result.value),
                    ("shape", result.shape),
                )
                if value
            )
            items.append(
                f'<li class="finding sev-{e(result.severity)}" data-focus="{e(result.focus)}" '
                f'data-path="{e(result.path or "")}" data-value="{e(result.value or "")}" '
                f'data-shape="{e(result.shape)}"><strong class="sev-{e(result.severity)}">'
                f"{e(result.severity)}</strong> {e(result.message)}<br>"
                f'<span class="muted">{where}</span></li>'
            )
        parts.append(f'<h3>{title}</h3><ul class="findings">{"".join(items)}</ul>')
    parts.append("</section>")
    return "".join(parts)


def _verdict_rows(items: Sequence[ObligationVerdict], href: Href) -> str:
    rows = []
    for item in items:
        who = e(item.bound.label or _short(item.bound.iri))
        if item.model is not None:
            who += f" · model {e(item.model.label or _short(item.model.iri))}"
        focus = item.model.iri if item.model is not None else item.bound.iri
        rows.append(
            f'<tr data-focus="{e(focus)}" data-obligation="{e(item.obligation.iri)}" '
            f'data-verdict="{e(item.verdict)}">'
            f"<td>{link(item.obligation, href)}</td><td>{e(item.role.label)}</td><td>{who}</td>"
            f'<td class="verdict v-{e(item.verdict.replace("_", "-"))}">'
            f"{e(VERDICTS.get(item.verdict, item.verdict))}</td><td>{e(item.summary)}</td></tr>"
        )
    return "".join(rows)


def _verdict_table(items: Sequence[ObligationVerdict], href: Href, caption: str) -> str:
    return (
        f'<table class="verdicts"><caption>{e(caption)}</caption><thead><tr>'
        '<th scope="col">obligation</th><th scope="col">role</th><th scope="col">who</th>'
        '<th scope="col">verdict</th><th scope="col">why</th></tr></thead>'
        f"<tbody>{_verdict_rows(items, href)}</tbody></table>"
    )


def _posture(posture: PostureReport, href: Href) -> str:
    counts = ", ".join(
        f"{n} {VERDICTS.get(k, k)}" for k, n in sorted(posture.verdicts.items()) if n
    )
    parts = [
        '<section aria-labelledby="posture-h"><h2 id="posture-h">Posture verdicts</h2>',
        f"<p>{e(posture.organisation.label or _short(posture.organisation.iri))} as of "
        f"{e(posture.as_of.isoformat())}: {e(counts or 'no verdict')}.</p>",
    ]
    if posture.obligations:
        parts.append(_verdict_table(posture.obligations, href, "Obligations that bind it"))
    for supplier in posture.suppliers:
        if supplier.obligations:
            name = supplier.supplier.label or _short(supplier.supplier.iri)
            model = supplier.model.label or _short(supplier.model.iri)
            parts.append(
                _verdict_table(
                    supplier.obligations, href, f"Its supplier {name}, for the model {model}"
                )
            )
    later = [*posture.later, *(x for supplier in posture.suppliers for x in supplier.later)]
    if later:
        items = "".join(
            f'<li data-focus="{e(item.model.iri if item.model else item.bound.iri)}" '
            f'data-obligation="{e(item.provision.iri)}" data-verdict="later" '
            f'data-date="{e(item.applies_from.isoformat())}" data-kind="{e(item.kind)}">'
            f"{link(item.provision, href)} from {e(item.applies_from.isoformat())}: "
            f"{e(item.reason)}</li>"
            for item in later
        )
        parts.append(f"<h3>Applies later</h3><ul>{items}</ul>")
    unbound = [
        *posture.not_applicable,
        *(x for supplier in posture.suppliers for x in supplier.not_applicable),
    ]
    if unbound:
        parts.append(
            f"<details><summary>Not applicable ({len(unbound)})</summary>"
            + _verdict_table(unbound, href, "Obligations of its regimes that do not bind it")
            + "</details>"
        )
    parts.append("</section>")
    return "".join(parts)


def _examples(examples: Sequence[Example], root: str) -> str:
    groups = []
    for verdict, title in (("invalid", "Graphs with findings"), ("valid", "Graphs that conform")):
        items = "".join(
            f'<li><a href="{e(root)}validate?example={quote(x.verdict)}/{quote(x.name)}">'
            f"{e(x.name.removesuffix('.ttl').replace('-', ' '))}</a></li>"
            for x in examples
            if x.verdict == verdict
        )
        if items:
            groups.append(f"<h3>{e(title)}</h3><ul>{items}</ul>")
    return "".join(groups)


def render(
    *,
    root: str,
    href: Href,
    examples: Sequence[Example],
    text: str = "",
    media_type: str = "text/turtle",
    as_of: str | None = None,
    example: str | None = None,
    report: OrgReport | None = None,
    posture: PostureReport | None = None,
    error: str | None = None,
    posture_error: str | None = None,
) -> bytes:
    """The page: the form (filled with ``text``), then the error or the reports."""
    options = "".join(
        f'<option value="{e(m)}"{" selected" if m == media_type else ""}>{e(n)}</option>'
        for m, n in SYNTAXES.items()
    )
    form = (
        f'<form class="validate" method="post" action="{e(root)}validate" '
        'enctype="multipart/form-data">'
        '<p><label for="graph">Organisation graph</label><br>'
        f'<textarea class="graph" id="graph" name="graph" rows="14" spellcheck="false">'
        f"{e(text)}</textarea></p>"
        '<p><label for="file">or upload a file</label> '
        '<input type="file" id="file" name="file" accept=".ttl,.nt,.jsonld,.json,.rdf,.owl,.xml">'
        f' <label for="syntax">Syntax</label> <select id="syntax" name="syntax">{options}'
        "</select>"
        ' <label for="as_of">Judge as of</label> '
        f'<input type="date" id="as_of" name="as_of" value="{e(as_of or "")}"> '
        '<button type="submit" id="validate">Validate</button></p></form>'
    )
    body = [
        "<h1>Validate an organisation graph</h1>",
        '<p class="paraphrase">Paste or upload what your organisation declares: its roles under '
        "each regime, its AI models and their suppliers, the suppliers' declared safety "
        "levels with evidence, its own controls. The graph is checked against the "
        "organisation shapes and each obligation that binds it gets a verdict. Nothing it "
        "names is fetched. The same answers, as JSON: <code>POST /api/validate</code> and "
        '<code>POST /api/posture</code> (see the <a href="' + e(root) + 'docs">API docs</a>).'
        "</p>",
        '<div class="columns"><div>'
        + form
        + "</div><div><h2>Examples</h2>"
        + _examples(examples, root)
        + "</div></div>",
    ]
    if example:
        body.append(
            f'<p class="muted">Showing the example <a href="{e(root)}examples/{e(example)}" '
            f'type="text/turtle">{e(example)}</a>; its <code># expect:</code> lines say what '
            "it should be found to lack.</p>"
        )
    if error:
        body.append(f'<p class="finding sev-violation" role="alert" id="error">{e(error)}</p>')
    if report is not None:
        body.append(_report(report, href))
    if posture_error:
        body.append(f'<p class="finding sev-warning" id="posture-error">{e(posture_error)}</p>')
    if posture is not None:
        body.append(_posture(posture, href))
    title = "Validate an organisation graph"
    if example:
        title = f"Validation of the example {example}"
    elif report is not None:
        title = "Validation report of an uploaded graph"
    return page(
        title=title,
        root=root,
        body="".join(body),
        current="validate",
        crumbs=[Crumb("Home", root), Crumb("Validate a graph")],
    )
