"""What the posture verdicts say: the summary of each verdict rule's reason, the notes, and
the small helpers that list things in prose. Nothing here decides a verdict
(:mod:`aslgraph.org.posture.rules` does)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from aslgraph.kg.composition import EQUAL, INTERSECTS, SUBSET, SUPERSET, SUPPORTS
from aslgraph.org.posture.model import Route
from aslgraph.org.posture.rules import Reason

RELATION_WORDS = {
    EQUAL: "is equal to",
    SUPERSET: "is a superset of",
    SUBSET: "is a subset of",
    INTERSECTS: "intersects with",
    SUPPORTS: "supports",
}


def listing(items: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def few(items: list[str]) -> str:
    """Up to three items listed, more summarised by the first and the last."""
    if len(items) <= 3:
        return listing(items)
    return f"{len(items)} of its provisions ({items[0]} to {items[-1]})"


def stale_docs(routes: list[Route]) -> list[str]:
    """Why each of ``routes`` does not count: the evidence missing, expired or not yet issued."""
    found: dict[str, None] = {}
    for route in routes:
        if not route.evidence:
            found.setdefault(f"{route.source.label or route.source.iri} has no evidence", None)
        for doc in route.evidence:
            if doc.status == "expired":
                found.setdefault(f"{doc.title or doc.iri} expired on {doc.valid_until}", None)
            elif doc.status == "not-yet-issued":
                found.setdefault(f"{doc.title or doc.iri} issued only on {doc.issued}", None)
    return list(found)


def uncovered(route: Route, name: str) -> str:
    """What a partial route leaves open of the obligation ``name``."""
    relation = route.relation.id if route.relation else None
    if relation == SUBSET:
        return f"What {name} requires beyond {route.via[0].curie} is not covered."
    if relation == INTERSECTS:
        return (
            f"{route.via[0].curie} overlaps {name} only in part: what lies outside the "
            f"overlap is not covered."
        )
    if relation == SUPPORTS:
        return f"{route.via[0].curie} helps achieve {name} but does not itself cover it."
    covered = listing([r.curie for r in route.via[1:]] or [route.via[0].curie])
    return f"Only {covered} is covered; the rest of {name} is not."


@dataclass(frozen=True)
class Context:
    """What a summary may mention."""

    name: str
    """The obligation, as ``notation (curie)``."""
    as_of: date
    full: list[Route]
    partial: list[Route]
    not_counted: list[Route]
    compensations: list[str]
    """The labels of the organisation's compensating controls for this duty."""
    owed_to: str | None
    """The label of the role the duty is owed to."""
    declared: str | None
    """The adhered instrument or chapter, as ``notation (curie)``."""
    arises_on: str | None = None
    """The event a responsive duty arises on."""


SUMMARIES: dict[Reason, Callable[[Context], str]] = {
    "met": lambda c: f"Met: {c.full[0].explanation}",
    "partly-met": lambda c: f"Partly met: {c.partial[0].explanation}",
    "stale-evidence": lambda c: (
        f"Unmet: what speaks to {c.name} rests on evidence that is not current on {c.as_of} "
        f"({listing(stale_docs(c.not_counted))})."
    ),
    "supplier-gap-compensated": lambda c: (
        f"Unmet: nothing in the graph shows the supplier meets {c.name} for this model; the "
        f"organisation compensates for the gap itself ({listing(c.compensations)})."
    ),
    "owed-to-organisation": lambda c: (
        f"Unmet: {c.name} is owed to the organisation as {c.owed_to} of a system built on this "
        f"model, and the graph holds nothing current from the supplier that meets it."
    ),
    "responsive-silent": lambda c: (
        f"Not assessed: {c.name} arises on {c.arises_on}; nothing in the graph shows such an "
        f"event or how it was answered."
    ),
    "adherence-silent": lambda c: (
        f"Not assessed: adherence to {c.declared} is declared, but nothing in the graph "
        f"addresses {c.name} or a part of it."
    ),
    "supplier-silent": lambda c: (
        f"Not assessed: nothing in the graph (the supplier's postures, the evidence held on the "
        f"model) speaks to {c.name}."
    ),
    "nothing-addresses": lambda c: (
        f"Unmet: no control, posture, Code adherence or safeguard standard in the graph "
        f"addresses {c.name}."
    ),
}
"""The summary of a verdict, by the reason its rule gives."""


def summary(reason: Reason, context: Context) -> str:
    """The one-sentence summary of a verdict given for ``reason``."""
    return SUMMARIES[reason](context)


def compensation_note(names: list[str]) -> str:
    return (
        f"The organisation runs a compensating control for a gap here ({listing(names)}): "
        f"check that the supplier's duty is met for this model in particular."
    )


def not_counted_note(as_of: date, routes: list[Route]) -> str:
    return f"Not counted (evidence not current on {as_of}): {listing(stale_docs(routes))}."


def framework_note(framework: str, target: str, obligation: str) -> str:
    """A route resting only on a voluntary framework's standards."""
    return (
        f"{framework} is a voluntary safety framework, not itself evidence of compliance with "
        f"{target}: this verdict rests only on mapping records relating its standards to "
        f"{obligation}."
    )


def scope_note(standard: str, actors: str, overlap: list[str], closed: str | None) -> str:
    """A standard that leaves threat actors out of its scope, and whether the graph evidences
    them separately (``closed``: by what)."""
    text = (
        f"{standard} leaves out of its scope: {actors}; where the knowledge graph relates it to "
        f"{listing(overlap)} it overlaps them only in part (intersects-with)."
    )
    if closed:
        return text + f" Evidenced separately by {closed}."
    return text + " Nothing in the graph evidences these threats separately."


def regime(summary: str, binding: bool, instrument: str) -> str:
    """A verdict's summary, saying so when the regime is voluntary."""
    return summary if binding else f"Voluntary ({instrument}): {summary}"


def unreported_note(
    sources: list[str], obligation: str, addressees: str, elsewhere: list[str] | None = None
) -> str:
    """Routes set aside because they report to no one the duty names: to another addressee
    (``elsewhere``: a report to the AI Office does not reach Cal OES) or to no one."""
    one = len(sources) == 1
    speak = f"Not counted: {listing(sources)} speak{'s' if one else ''} to "
    report = "reports" if one else "report"
    if elsewhere:
        return (
            f"{speak}{obligation}, which requires reporting to the {addressees}, but {report} to "
            f"the {listing(elsewhere)} (a report to one authority does not meet a duty to "
            "report to another)."
        )
    return (
        f"{speak}{obligation}, which requires reporting to the {addressees}, but {report} to "
        "no one outside the organisation (internal procedures do not meet a reporting duty)."
    )


def code_note(guidance: list[str]) -> str:
    """What Code adherence is worth, in the Commission's reading: ``guidance`` names each
    guideline item by its label and CURIE."""
    return (
        "Code of Practice adherence counts for the obligations the adhered chapter serves; what "
        "it is worth is the Commission's reading in its guidelines, which do not bind: "
        + "; ".join(guidance)
        + "."
    )
