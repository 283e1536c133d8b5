"""One self-contained HTML document an auditor can read offline: the organisation, its regimes
and roles, every verdict with the provision's paraphrase, the evidence and the mapping chain
it rests on, the agent policy's findings with their clauses, and the plan.

Built from the same services as ``posture``, ``validate`` and ``plan`` (nothing is judged
twice differently); every value from the upload is escaped, nothing is loaded from anywhere
(styles are inline, with a print stylesheet: printing to PDF from a browser is enough).
"""

from __future__ import annotations

from datetime import date
from html import escape
from typing import TYPE_CHECKING

from aslgraph import __version__
from aslgraph.kg.catalog import Catalog
from aslgraph.org.plan import Plan, plan
from aslgraph.org.posture.assess import assess
from aslgraph.org.posture.model import Entity, ObligationVerdict, PostureReport
from aslgraph.org.upload import Upload, copy_store

if TYPE_CHECKING:  # not at run time: the engines import rdflib
    from aslgraph.shacl import OrgEngine

VERDICT_WORDS = {
    "met": "Met",
    "partly_met": "Partly met",
    "unmet": "Unmet",
    "not_assessed": "Not assessed",
    "cannot_be_decided": "Cannot be decided",
    "not_applicable": "Not applicable",
}
_STYLE = """
body{font:15px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:60rem;color:#1b1b1b;
padding:0 1rem}
h1{font-size:1.6rem}h2{font-size:1.25rem;border-bottom:1px solid #ccc;margin-top:2rem}
h3{font-size:1.05rem;margin:1.2rem 0 .3rem}table{border-collapse:collapse;width:100%}
td,th{border:1px solid #ccc;padding:.3rem .5rem;text-align:left;vertical-align:top}
.verdict{font-weight:600}.met{color:#1a6b2f}.unmet,.violation{color:#a4161a}
.partly_met,.cannot_be_decided,.warning{color:#8a5a00}.muted{color:#555;font-size:.9em}
code{font-size:.9em}section.item{break-inside:avoid;border-left:3px solid #ddd;padding-left:.8rem}
@media print{body{margin:0;max-width:none;font-size:11pt}a{color:inherit;text-decoration:none}
h2{break-after:avoid}section.item{break-inside:avoid}}
"""


def audit_html(
    upload: Upload, engine: OrgEngine, catalog: Catalog, as_of: date | None = None
) -> str:
    """The audit report of the uploaded graph (its store is added to; do not reuse it)."""
    posture = assess(copy_store(upload.store), catalog, as_of)
    the_plan = plan(upload, engine, catalog, posture.as_of)
    return _Render(catalog, posture, the_plan).page()


def _scope(scope: list[Entity]) -> str:
    return ", ".join(s.label or s.iri for s in scope) or "every model and system"


def _severity(kind: str) -> str:
    return "warning" if kind == "safeguard-partly-met" else "violation"


def _e(text: object) -> str:
    return escape(str(text), quote=True)


class _Render:
    def __init__(self, catalog: Catalog, posture: PostureReport, the_plan: Plan):
        self.catalog, self.posture, self.plan = catalog, posture, the_plan

    def page(self) -> str:
        org = self.posture.organisation
        name = org.label or org.iri
        parts = [
            "<!DOCTYPE html>",
            '<html lang="en"><head><meta charset="utf-8">',
            f"<title>{_e(name)}: compliance report as of {self.posture.as_of}</title>",
            f"<style>{_STYLE}</style></head><body>",
            f"<h1>{_e(name)}</h1>",
            f'<p class="muted">Assessed as of {self.posture.as_of} '
            f"({_e(self.posture.as_of_source)}); report by aslgraph {_e(__version__)}. "
            "Provisions are cited by IRI; paraphrases are the knowledge graph's, not the texts "
            "of the law.</p>",
            self._regimes(),
            self._verdicts("The organisation's obligations", self.posture.obligations),
        ]
        for supplier in self.posture.suppliers:
            title = (
                f"Duties of {supplier.supplier.label or supplier.supplier.iri} for "
                f"{supplier.model.label or supplier.model.iri}"
            )
            parts.append(self._verdicts(title, supplier.obligations))
        parts += [self._later(), self._fleet(), self._plan(), "</body></html>"]
        return "\n".join(p for p in parts if p)

    def _regimes(self) -> str:
        rows = "".join(
            f"<tr><td>{_e(r.role.label or r.role.iri)}</td>"
            f"<td>{_e(r.regime.label or r.regime.curie) if r.regime else ''}</td>"
            f"<td>{_e(_scope(r.scope))}</td></tr>"
            for r in self.posture.roles
        )
        regimes = ", ".join(_e(r.label or r.curie) for r in self.posture.regimes) or "none"
        counts = ", ".join(
            f"{n} {_e(VERDICT_WORDS.get(k, k)).lower()}" for k, n in self.posture.verdicts.items()
        )
        return (
            "<h2>Regimes and roles</h2>"
            f"<p>Regimes declared: {regimes}. Verdicts: {counts or 'none'}.</p>"
            "<table><tr><th>Role</th><th>Under</th><th>For</th></tr>"
            f"{rows}</table>"
        )

    def _paraphrase(self, iri: str) -> str | None:
        resource = self.catalog.index.get(iri)
        return resource.text("https://w3id.org/aslgraph/ontology#paraphrase") if resource else None

    def _verdicts(self, title: str, verdicts: list[ObligationVerdict]) -> str:
        if not verdicts:
            return ""
        items = []
        for verdict in verdicts:
            ob = verdict.obligation
            paraphrase = self._paraphrase(ob.iri)
            lines = [
                '<section class="item">',
                f"<h3>{_e(ob.label or ob.curie)} "
                f'<span class="muted"><code>{_e(ob.iri)}</code></span></h3>',
                f'<p><span class="verdict {_e(verdict.verdict)}">'
                f"{_e(VERDICT_WORDS.get(verdict.verdict, verdict.verdict))}</span>: "
                f"{_e(verdict.summary)}</p>",
            ]
            if paraphrase:
                lines.append(f'<p class="muted">The provision: {_e(paraphrase)}</p>')
            for route in verdict.routes:
                chain = " → ".join(_e(v.curie) for v in route.via)
                maps = ", ".join(_e(m.curie) for m in route.mappings)
                confidence = f", confidence {route.confidence:.2f}" if route.confidence else ""
                docs = "; ".join(
                    f"{_e(d.title or d.iri)} (issued {d.issued or '?'}, {_e(d.status)})"
                    for d in route.evidence
                )
                lines.append(
                    f"<p>Through {_e(route.source.label or route.source.iri)}"
                    + (f": {chain}" if chain else "")
                    + (f" (mappings {maps}{confidence})" if maps else "")
                    + (f". Evidence: {docs}" if docs else "")
                    + "</p>"
                )
            for note in verdict.notes:
                lines.append(f'<p class="muted">{_e(note)}</p>')
            if verdict.cites:
                cited = ", ".join(f"<code>{_e(c.iri)}</code>" for c in verdict.cites)
                lines.append(f'<p class="muted">Cites: {cited}</p>')
            lines.append("</section>")
            items.append("\n".join(lines))
        return f"<h2>{_e(title)}</h2>" + "\n".join(items)

    def _later(self) -> str:
        if not self.posture.later:
            return ""
        rows = "".join(
            f"<tr><td>{_e(i.provision.label or i.provision.curie)}</td>"
            f"<td>{i.applies_from}</td></tr>"
            for i in self.posture.later
        )
        return (
            "<h2>What applies later</h2><table><tr><th>Provision</th><th>From</th></tr>"
            f"{rows}</table>"
        )

    def _fleet(self) -> str:
        standing = self.posture.policy
        if standing is None:
            return ""
        rows = "".join(
            f"<tr><td>{_e(i.system.label or i.system.iri)}</td>"
            f"<td>{_e(i.level.label or i.level.iri)}</td></tr>"
            for i in standing.levels
        )
        findings = "".join(
            f'<section class="item"><p><span class="verdict {_severity(f.kind)}">'
            f"{_e(f.kind)}</span>: {_e(f.summary)}</p>"
            f'<p class="muted">Policy clause <code>{_e(f.clause.iri)}</code>; rests on '
            f"{', '.join(f'<code>{_e(c)}</code>' for c in f.cites)}</p></section>"
            for f in standing.findings
        )
        return (
            "<h2>The organisation's agent policy</h2>"
            "<table><tr><th>System</th><th>Level</th></tr>"
            f"{rows}</table>" + (findings or "<p>Every system meets its level.</p>")
        )

    def _plan(self) -> str:
        if not self.plan.actions and not self.plan.unaddressed:
            return "<h2>Plan</h2><p>Nothing to close.</p>"
        items = []
        for rank, action in enumerate(self.plan.actions, 1):
            closes = "".join(
                f'<li><span class="{_e(c.severity)}">{_e(c.severity)}</span>: {_e(c.message)}</li>'
                for c in action.closes
            )
            covers = (
                f'<p class="muted">Would also cover: {_e("; ".join(action.covers))}</p>'
                if action.covers
                else ""
            )
            items.append(
                f'<section class="item"><h3>{rank}. {_e(action.summary)}</h3>'
                f'<p class="muted">{_e(action.kind)}</p><ul>{closes}</ul>{covers}</section>'
            )
        left = "".join(f"<li>{_e(c.severity)}: {_e(c.message)}</li>" for c in self.plan.unaddressed)
        rest = f"<h3>Not closed by an action</h3><ul>{left}</ul>" if left else ""
        return "<h2>Plan</h2>" + "\n".join(items) + rest
