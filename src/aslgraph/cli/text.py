"""What the command line prints for a person: reports, verdicts, crosswalks and query tables.

Every function here renders a domain object the services return (the same objects the HTTP API
serialises as JSON) as plain text, in the CURIEs a reader knows.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pyoxigraph as ox

from aslgraph.kg.model import CrosswalkEntry, ObligationEntry, Obligations, Ref, RegimeMatrix
from aslgraph.kg.views import Views
from aslgraph.namespaces import curie
from aslgraph.org.posture.model import (
    Entity,
    EvidenceDoc,
    LaterItem,
    ObligationVerdict,
    PostureReport,
    Route,
)
from aslgraph.org.report import SEVERITY_ORDER, STRUCTURE, counts, grouped, ref_of
from aslgraph.org.validate import OrgValidation

if TYPE_CHECKING:  # only their commands import the plan and the supplier comparison
    from aslgraph.org.plan import Plan
    from aslgraph.org.suppliers import SupplierComparison

# ---------------------------------------------------------------- validation


def _short_step(step: str, short: Callable[[str], str]) -> str:
    return "^" + short(step[1:]) if step.startswith("^") else short(step)


def report_text(validation: OrgValidation, views: Views | None = None, *, source: str = "") -> str:
    """A readable report for a terminal, grouped by obligation."""
    report = validation.report
    found = counts(report)

    def short(iri: str) -> str:
        return curie(iri, validation.prefixes)

    judged = validation.as_of.isoformat() if validation.as_of else "no assessment date"
    lines = [
        f"{source or 'graph'}: {validation.triples} triples, as of {judged}: "
        + ", ".join(f"{n} {name}{'s' if n != 1 else ''}" for name, n in found.items())
        + f" ({validation.engine} engine, {validation.seconds:.2f} s)"
    ]
    if not report.results:
        lines.append("conforms: every shape of shapes/org is satisfied")
    for key, members in grouped(report.results):
        lines.append("")
        if key == STRUCTURE:
            lines.append("Structure of the graph")
        else:
            ref = ref_of(views, key)
            if ref.curie == key:  # not the knowledge graph's: a clause of the organisation's own
                lines.append(f"{short(key)} (the organisation's own)")
            else:
                lines.append(f"{ref.label or ref.notation or ref.curie} [{ref.curie}]")
        for result in sorted(members, key=lambda r: (SEVERITY_ORDER.get(r.severity, 3), r.focus)):
            where = short(result.focus)
            if result.path:
                where += " " + " / ".join(
                    _short_step(step, short) for step in result.path.split(" / ")
                )
            lines.append(f"  {result.severity}: {where}")
            lines.append(f"    {result.message}")
            others = [curie(iri) for iri in result.rests_on if iri != key]
            if others:
                lines.append(f"    rests on: {', '.join(others)}")
    verdict = "does not conform" if not report.conforms else "conforms"
    lines.append("")
    lines.append(f"{verdict}: {found['violation']} violation(s), {found['warning']} warning(s)")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- posture

VERDICT_WORDS = {
    "met": "met",
    "partly_met": "partly met",
    "unmet": "UNMET",
    "cannot_be_decided": "UNDECIDED",
    "not_applicable": "not applicable",
    "not_assessed": "not assessed",
}


def _entity(entity: Entity) -> str:
    return entity.label or entity.iri


def display_name(ref: Ref) -> str:
    """A provision as a reader tells it apart: its notation with its label when the label adds
    to it ("Commitment 1 — Copyright policy"), else the label, notation or CURIE. Notations
    repeat across chapters and an article's items, the bracketed CURIE beside it never does."""
    notation, label = ref.notation, ref.label
    if notation and label and not label.startswith(notation):
        return f"{notation} — {label}"
    return label or notation or ref.curie


def _evidence(doc: EvidenceDoc) -> str:
    parts = [doc.title or doc.iri]
    about = [
        f"issued {doc.issued.isoformat()}" if doc.issued else "",
        f"by {doc.issuer}" if doc.issuer else "",
        f"valid until {doc.valid_until.isoformat()}" if doc.valid_until else "",
    ]
    detail = ", ".join(a for a in about if a)
    if detail:
        parts.append(f"({detail})")
    if doc.status != "current":
        parts.append(f"[{doc.status}]")
    return " ".join(parts)


def _route_lines(route: Route, summary: str) -> list[str]:
    told = route.explanation in summary  # the summary already gives it
    head = f"    via {route.kind} {_entity(route.source)}"
    lines = [head if told else f"{head}: {route.explanation}"]
    if route.mappings:
        chain = " -> ".join(m.curie for m in route.mappings)
        relation = f" ({route.relation.label or route.relation.id})" if route.relation else ""
        confidence = f", confidence {route.confidence:.2f}" if route.confidence is not None else ""
        lines.append(f"      mappings: {chain}{relation}{confidence}")
    lines.extend(f"      evidence: {_evidence(doc)}" for doc in route.evidence)
    return lines


def _verdict_lines(verdicts: list[ObligationVerdict], *, per_model: bool = True) -> list[str]:
    lines: list[str] = []
    for item in verdicts:
        ref = item.obligation
        model = f" for {_entity(item.model)}" if per_model and item.model is not None else ""
        lines.append(
            f"  {VERDICT_WORDS.get(item.verdict, item.verdict):14} {display_name(ref)} "
            f"[{ref.curie}]{model}"
        )
        lines.append(f"    {item.summary}")
        if item.applies_because:
            lines.append(f"    applies because: {item.applies_because}")
        if item.decided_by:
            lines.append(f"    decided by: {', '.join(d.curie for d in item.decided_by)}")
        lines.extend(f"    to decide, state: {missing}" for missing in item.missing)
        for route in item.routes:
            lines.extend(_route_lines(route, item.summary))
        for route in item.not_counted:
            lines.extend(line.replace("    via ", "    not counted: ", 1) if n == 0 else line
                         for n, line in enumerate(_route_lines(route, item.summary)))  # fmt: skip
        if item.uncovered:
            lines.append(f"    left uncovered: {item.uncovered}")
        if item.compensations:
            names = ", ".join(_entity(c) for c in item.compensations)
            lines.append(f"    compensated by: {names}")
        lines.extend(f"    note: {note}" for note in item.notes)
    return lines


def _later_lines(items: list[LaterItem]) -> list[str]:
    lines = []
    for item in items:
        ref = item.provision
        model = f" for {_entity(item.model)}" if item.model is not None else ""
        basis = f" ({item.basis.curie})" if item.basis is not None else ""
        lines.append(
            f"  from {item.applies_from.isoformat()}{basis}: {display_name(ref)} "
            f"[{ref.curie}]{model}"
        )
    return lines


def posture_text(report: PostureReport, *, source: str = "") -> str:
    """The posture report for a terminal: the organisation's own obligations, then each
    supplied model's, then what applies later."""
    counted = ", ".join(
        f"{n} {VERDICT_WORDS.get(name, name).lower()}" for name, n in report.verdicts.items()
    )
    lines = [
        f"{source or 'graph'}: posture of {_entity(report.organisation)} as of "
        f"{report.as_of.isoformat()}: {counted or 'no verdicts'}",
        "roles: "
        + (
            ", ".join(
                f"{r.role.label}" + (f" under {r.regime.curie}" if r.regime else "")
                for r in report.roles
            )
            or "none"
        ),
        "",
        "Obligations of the organisation",
    ]
    lines.extend(_verdict_lines(report.obligations) or ["  none apply on this date"])
    for supplier in report.suppliers:
        lines.append("")
        lines.append(
            f"Model {_entity(supplier.model)} from {_entity(supplier.supplier)}"
            + (" (relied on as a model with systemic risk)" if supplier.systemic_risk else "")
        )
        lines.extend(
            _verdict_lines(supplier.obligations, per_model=False) or ["  no obligation to judge"]
        )
    later = [*report.later, *(item for s in report.suppliers for item in s.later)]
    if later:
        lines.append("")
        lines.append("Applies later")
        lines.extend(_later_lines(later))
    if report.policy is not None:
        lines += ["", "Its own agent policy"]
        lines.extend(
            f"  {item.system.label or item.system.iri}: {item.level.label or item.level.iri}"
            for item in report.policy.levels
        )
        lines.extend(f"  {f.kind}: {f.summary}" for f in report.policy.findings)
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- obligations of a role

OUTCOME_HEADINGS = (
    ("in_effect", "Apply"),
    ("upcoming", "Apply later"),
    ("undecided", "Cannot be decided"),
    ("not_applicable", "Do not apply"),
    ("superseded", "Superseded"),
)


def obligations_text(answer: Obligations) -> str:
    """The obligations of a role, decided for the facts given, grouped by outcome."""
    facts = ", ".join(f"{k}={v}" for k, v in answer.facts.items()) or "no facts given"
    lines = [
        f"obligations of {answer.role.label} ({answer.role.id}) as of "
        f"{answer.as_of.isoformat()}, for {facts}",
        "roles considered: " + ", ".join(r.id for r in answer.roles_considered),
    ]
    for key, heading in OUTCOME_HEADINGS:
        entries: list[ObligationEntry] = getattr(answer, key)
        if not entries:
            continue
        lines.append("")
        lines.append(f"{heading} ({len(entries)})")
        for entry in entries:
            lines.append(f"  {display_name(entry)} [{entry.curie}]")
            decision = entry.applicability
            if decision is None:
                continue
            start = decision.applies_from.isoformat() if decision.applies_from else None
            when = f" (from {start})" if start and start not in decision.reason else ""
            lines.append(f"    {decision.reason}{when}")
            if decision.decided_by:
                lines.append(f"    decided by: {', '.join(d.curie for d in decision.decided_by)}")
            lines.extend(f"    to decide, {m}" for m in decision.missing)
    for note in answer.transitional:
        lines.append("")
        lines.append(f"note: {note.note}")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- crosswalk


def plan_text(answer: Plan) -> str:
    """The plan as `aslgraph plan` prints it: the actions, most closing first, each with what
    it closes and what else it covers; then what no action closes."""
    head = answer.organisation.get("label") or answer.organisation.get("iri") or "the graph"
    when = f", as of {answer.as_of.isoformat()}" if answer.as_of else ""
    lines = [f"{head}{when}: {answer.shortfalls} shortfall(s), {len(answer.actions)} action(s)"]
    for rank, action in enumerate(answer.actions, 1):
        violations = sum(c.severity == "violation" for c in action.closes)
        warnings = len(action.closes) - violations
        lines += ["", f"{rank}. [{action.kind}] {action.summary}"]
        lines.append(f"   closes {violations} violation(s), {warnings} warning(s):")
        lines.extend(f"   - {c.severity}: {c.message}" for c in action.closes)
        if action.covers:
            weakest = (
                f" (weakest confidence {action.weakest_confidence:.2f})"
                if action.weakest_confidence is not None
                else ""
            )
            lines.append(f"   would also cover{weakest}: {'; '.join(action.covers)}")
    if answer.unaddressed:
        lines += ["", "not closed by an action (fix the graph as each says):"]
        lines.extend(f"- {c.severity}: {c.message}" for c in answer.unaddressed)
    return "\n".join(lines) + "\n"


def suppliers_text(answer: SupplierComparison) -> str:
    """The supplier comparison as `aslgraph suppliers` prints it: per system, its options
    ranked, each with its shortfalls."""
    head = answer.organisation.label or answer.organisation.iri
    lines = [f"{head}, as of {answer.as_of.isoformat()}: which model would do for each system"]
    for system in answer.systems:
        level = f", at {system.level.label or system.level.iri}" if system.level else ""
        name = system.system.label or system.system.iri
        lines += ["", f"{name}{level}"]
        if system.satisfying:
            listed = ", ".join(m.label or m.iri for m in system.satisfying)
            lines.append(f"  satisfied by: {listed}")
        else:
            lines.append("  no model considered satisfies it")
        for rank, option in enumerate(system.options, 1):
            verdict = "satisfies" if option.satisfies else "falls short"
            now = " (integrated now)" if option.current else ""
            supplier = (
                f" from {option.supplier.label or option.supplier.iri}" if option.supplier else ""
            )
            label = option.model.label or option.model.iri
            lines.append(f"  {rank}. {label}{supplier}{now}: {verdict}")
            for shortfall in option.shortfalls:
                lines.append(f"     {shortfall.severity}: {shortfall.summary}")
    return "\n".join(lines) + "\n"


def regimes_text(answer: RegimeMatrix) -> str:
    """The regimes matrix as `aslgraph regimes` prints it: each regime's obligations with the
    sections serving them, then the deadlines that differ for the same section."""
    served = len(answer.rows) - len(answer.gaps)
    lines = [
        f"{answer.framework} against {', '.join(answer.regimes)}: {served} of "
        f"{len(answer.rows)} obligations served by a section, {len(answer.gaps)} not",
        "(relations read from the obligation: 'subset of' means the section asks for all the "
        "obligation does, and more)",
    ]
    for regime in answer.regimes:
        lines += ["", regime]
        for row in (r for r in answer.rows if r.regime == regime):
            clock = f" [{row.clock.text()}]" if row.clock else ""
            lines.append(f"  {row.obligation.label or row.obligation.curie}{clock}")
            if not row.served_by:
                lines.append("    no section serves it")
            for serving in row.served_by:
                part = f" (through {serving.part.curie})" if serving.part else ""
                via = f" via {serving.via.curie}" if serving.via else ""
                confidence = (
                    f", confidence {serving.confidence:.2f}"
                    if serving.confidence is not None
                    else ""
                )
                lines.append(
                    f"    {serving.section.curie}: {serving.relation.label}{via}{part}{confidence}"
                )
    if answer.clocks_differ:
        lines += ["", "deadlines that differ for the same section"]
        for difference in answer.clocks_differ:
            clocks = "; ".join(
                f"{o.obligation.curie} {o.clock.text()}" for o in difference.obligations if o.clock
            )
            own = difference.section_clock
            mine = f" ({own.text()})" if own else ""
            lines.append(f"  {difference.section.curie}{mine}: {clocks}")
    return "\n".join(lines) + "\n"


def describe_entry(entry: CrosswalkEntry) -> str:
    """One line for a terminal: relation, target, confidence and (derived) the path."""
    confidence = f"{entry.confidence:.2f}" if entry.confidence is not None else "-"
    target = (
        f"{entry.target.curie} ({entry.target.notation})"
        if entry.target.notation
        else (entry.target.curie)
    )
    line = f"{entry.relation.id:16} {target}  confidence {confidence}"
    if entry.derived and entry.via is not None:
        maps = " + ".join(curie(link.mapping) for link in entry.path)
        line += f"  via {entry.via.curie} [{entry.rule}; {maps}]"
    else:
        line += f"  [{curie(entry.path[0].mapping)}]"
    return line


# ---------------------------------------------------------------- query answers


def _cell(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return curie(term.value)
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Literal):
        return term.value
    return str(term)


def render_table(solutions: ox.QuerySolutions) -> str:
    """Render SELECT solutions as an aligned plain-text table with a row count."""
    names = [v.value for v in solutions.variables]
    rows = [[_cell(row[name]) for name in names] for row in solutions]
    widths = [max([len(n), *(len(r[i]) for r in rows)]) for i, n in enumerate(names)]
    lines = [
        "  ".join(n.ljust(w) for n, w in zip(names, widths, strict=True)),
        "  ".join("-" * w for w in widths),
    ]
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines) + "\n"


def query_table(tsv: bytes, *, ask: bool = False) -> str:
    """A SELECT answer written as SPARQL TSV, as an aligned table; an ASK answer as true or
    false."""
    if ask:
        return tsv.decode("utf-8").strip() + "\n"
    parsed = ox.parse_query_results(tsv, format=ox.QueryResultsFormat.TSV)
    assert isinstance(parsed, ox.QuerySolutions)  # noqa: S101 - a TSV answer of a SELECT
    return render_table(parsed)
