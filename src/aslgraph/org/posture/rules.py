"""The verdict rules: from what the graph shows about one obligation to a verdict, as a table.

:func:`decide` reads a :class:`Findings` record (which routes count, fully or partly, which rest
on stale evidence, whether the duty is a supplier's and what the organisation holds against
it) and returns the first :class:`Rule` whose condition holds. The rules are ordered, most
telling first; each names the verdict and the reason it gives, and the reason's wording lives
apart, in :mod:`aslgraph.org.posture.wording`, so that a rule can be read (and tested) without
the prose. ``docs/decisions/0008-posture-verdicts.md`` explains each rule.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from aslgraph.org.posture.model import Verdict

Reason = Literal[
    "met",
    "partly-met",
    "stale-evidence",
    "supplier-gap-compensated",
    "owed-to-organisation",
    "responsive-silent",
    "adherence-silent",
    "supplier-silent",
    "nothing-addresses",
]


@dataclass(frozen=True)
class Findings:
    """What the organisation graph shows about one obligation of one bound party."""

    full: bool
    """A route that counts (current evidence) covers the whole obligation."""
    partial: bool
    """A route that counts covers a part of it."""
    stale: bool
    """A route would speak to it, but rests on evidence that is not current."""
    supplier: bool
    """The duty is a supplier's (the provider of a model the organisation relies on)."""
    compensated: bool
    """The organisation runs a compensating control for this duty of the supplier's."""
    owed: bool
    """The duty is owed to a role the organisation holds for the model (Art. 53(1)(b))."""
    declared: bool
    """Adherence to an instrument or chapter containing the obligation is declared."""
    responsive: bool = False
    """The duty arises only on an event (a request, a breach) the graph does not show."""


@dataclass(frozen=True)
class Rule:
    """One row of the table: when ``holds``, the verdict is ``verdict`` for ``reason``."""

    reason: Reason
    verdict: Verdict
    holds: Callable[[Findings], bool]


RULES: tuple[Rule, ...] = (
    Rule("met", "met", lambda f: f.full),
    Rule("partly-met", "partly_met", lambda f: f.partial),
    Rule("stale-evidence", "unmet", lambda f: f.stale),
    Rule("supplier-gap-compensated", "unmet", lambda f: f.supplier and f.compensated),
    Rule("owed-to-organisation", "unmet", lambda f: f.supplier and f.owed),
    Rule("responsive-silent", "not_assessed", lambda f: f.responsive),
    Rule("adherence-silent", "not_assessed", lambda f: f.declared),
    Rule("supplier-silent", "not_assessed", lambda f: f.supplier),
    Rule("nothing-addresses", "unmet", lambda f: True),
)
"""In order: the first rule whose condition holds decides."""


def decide(findings: Findings) -> Rule:
    """The first rule of :data:`RULES` that holds for ``findings`` (the last always holds)."""
    return next(rule for rule in RULES if rule.holds(findings))
