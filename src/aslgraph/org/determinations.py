"""Determinations: the posture service's decisions, written into the graph ``shapes/org`` validate.

So that ``validate`` reports exactly what ``posture`` decides (docs/decisions/0012), each
verdict on a duty of a bound party becomes an ``asl:Determination`` on its focus (the model for
a duty about a model, else the party), with the obligation, the verdict, whether the regime is
binding, the summary and two flags (a supplier's gap the organisation compensates for; a verdict
resting only on a voluntary framework); each model's systemic risk, where it was decided, becomes
``asl:determinedSystemicRisk``. The shapes of ``shapes/org/obligations.ttl`` report them.

These terms are computed: an upload that states any of them is refused (:func:`refuse_reserved`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph as ox

from aslgraph.namespaces import ASL, ID
from aslgraph.org.errors import UploadError
from aslgraph.org.posture.model import ObligationVerdict, PostureReport

RESERVED = (
    ASL.Determination,
    ASL.determination,
    ASL.aboutObligation,
    ASL.postureVerdict,
    ASL.bindingRegime,
    ASL.compensated,
    ASL.frameworkOnly,
    ASL.determinedSystemicRisk,
    ASL.summary,
    ASL.PolicyFinding,
    ASL.policyFinding,
    ASL.findingKind,
    ASL.aboutClause,
    ASL.determinedLevel,
)
"""The computed terms (as predicates, and ``asl:Determination`` as a class)."""
_RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_BOOLEAN = ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean")
_BASE = ID + "determination/"
REPORTED = frozenset({"met", "partly_met", "unmet", "not_assessed", "cannot_be_decided"})
"""The verdicts that become determinations (not applicable and later ones do not)."""


@dataclass(frozen=True)
class Determination:
    """One decided duty, as the obligation shapes read it."""

    focus: str
    obligation: str
    verdict: str
    binding: bool
    summary: str
    compensated: bool
    framework_only: bool
    cites: tuple[str, ...]


SHORG = "https://w3id.org/aslgraph/shapes/org#"


def reported_as(item: Determination) -> tuple[str, str] | None:
    """The (shape, severity) of ``shapes/org/obligations.ttl`` that reports ``item``, or None
    when nothing is reported (docs/decisions/0012: the table of severities). The shapes hold to
    it; ``tests/org/test_agreement.py`` checks both sides on every example."""
    verdict, binding = item.verdict, item.binding
    if verdict == "unmet":
        if not binding:
            return SHORG + "VoluntaryCommitmentUnmetShape", "warning"
        if item.compensated:
            return SHORG + "CompensatedGapShape", "warning"
        return SHORG + "UnmetObligationShape", "violation"
    if verdict == "partly_met":
        if binding:
            return SHORG + "PartlyMetObligationShape", "warning"
        return SHORG + "PartlyMetCommitmentShape", "info"
    if verdict == "cannot_be_decided":
        return SHORG + "UndecidedObligationShape", "warning"
    if verdict == "not_assessed":
        return SHORG + "NotAssessedObligationShape", "info"
    if verdict == "met" and binding and item.framework_only:
        return SHORG + "FrameworkOnlyEvidenceShape", "warning"
    return None


def refuse_reserved(store: ox.Store) -> None:
    """Raise UploadError (``reserved-term``) when the upload states a computed term."""
    for term in RESERVED:
        node = ox.NamedNode(str(term))
        if next(store.quads_for_pattern(None, node, None, None), None) is not None or next(
            store.quads_for_pattern(None, _RDF_TYPE, node, None), None
        ):
            raise UploadError(
                f"the graph states {term}, which aslgraph computes (docs/decisions/0012); "
                "remove it: determinations are never uploaded",
                kind="reserved-term",
            )


def of_report(report: PostureReport) -> list[Determination]:
    """The determinations of a posture report: the organisation's duties and its suppliers'."""
    verdicts: list[ObligationVerdict] = list(report.obligations)
    for supplier in report.suppliers:
        verdicts.extend(supplier.obligations)
    return of_verdicts(verdicts)


def of_verdicts(verdicts: Iterable[ObligationVerdict]) -> list[Determination]:
    """The determinations of verdicts on duties (:meth:`~aslgraph.org.posture.assess.Assessor.
    duties`, or a report's, as :func:`of_report` reads them)."""
    return [_determination(v) for v in verdicts if v.verdict in REPORTED]


def _determination(verdict: ObligationVerdict) -> Determination:
    focus = verdict.model.iri if verdict.model is not None else verdict.bound.iri
    return Determination(
        focus=focus,
        obligation=verdict.obligation.iri,
        verdict=verdict.verdict,
        binding=verdict.binding,
        summary=verdict.summary,
        compensated=bool(verdict.compensations) and verdict.verdict == "unmet",
        framework_only=verdict.framework_only,
        cites=tuple(ref.iri for ref in verdict.cites),
    )


_BATCH = 8 * 4096
"""Quads added to the store at a time."""
_P_DETERMINATION = ox.NamedNode(str(ASL.determination))
_C_DETERMINATION = ox.NamedNode(str(ASL.Determination))
_P_OBLIGATION = ox.NamedNode(str(ASL.aboutObligation))
_P_VERDICT = ox.NamedNode(str(ASL.postureVerdict))
_P_BINDING = ox.NamedNode(str(ASL.bindingRegime))
_P_SUMMARY = ox.NamedNode(str(ASL.summary))
_P_COMPENSATED = ox.NamedNode(str(ASL.compensated))
_P_FRAMEWORK_ONLY = ox.NamedNode(str(ASL.frameworkOnly))
_P_SYSTEMIC = ox.NamedNode(str(ASL.determinedSystemicRisk))


def write(
    store: ox.Store, determinations: Iterable[Determination], systemic: dict[str, bool]
) -> None:
    """Add the determinations and the decided systemic risk of models to ``store``.

    The terms that repeat (predicates, verdicts, booleans, obligations) are made once: at 10^6
    triples there are about 200,000 determinations, and building their terms again for each
    was most of the time this took."""
    quads: list[ox.Quad] = []
    seen: set[tuple[str, str]] = set()
    verdicts: dict[str, ox.Literal] = {}
    obligations: dict[str, ox.NamedNode] = {}
    for item in determinations:
        key = (item.focus, item.obligation)
        if key in seen:
            continue  # a supplier's duty judged for several parties: once
        seen.add(key)
        digest = hashlib.sha256(f"{item.focus}\n{item.obligation}".encode()).hexdigest()[:20]
        node = ox.NamedNode(_BASE + digest)
        obligation = obligations.get(item.obligation)
        if obligation is None:
            obligation = obligations[item.obligation] = ox.NamedNode(item.obligation)
        verdict = verdicts.get(item.verdict)
        if verdict is None:
            verdict = verdicts[item.verdict] = ox.Literal(item.verdict)
        quads += (
            ox.Quad(_node(item.focus), _P_DETERMINATION, node),
            ox.Quad(node, _RDF_TYPE, _C_DETERMINATION),
            ox.Quad(node, _P_OBLIGATION, obligation),
            ox.Quad(node, _P_VERDICT, verdict),
            ox.Quad(node, _P_BINDING, _TRUE if item.binding else _FALSE),
            ox.Quad(node, _P_SUMMARY, ox.Literal(item.summary)),
            ox.Quad(node, _P_COMPENSATED, _TRUE if item.compensated else _FALSE),
            ox.Quad(node, _P_FRAMEWORK_ONLY, _TRUE if item.framework_only else _FALSE),
        )
        if len(quads) >= _BATCH:  # into the store as they come: no list of every quad at once
            store.extend(quads)
            quads.clear()
    for model, holds in systemic.items():
        quads.append(ox.Quad(_node(model), _P_SYSTEMIC, _TRUE if holds else _FALSE))
    store.extend(quads)


def _node(key: str) -> ox.NamedNode | ox.BlankNode:
    """The term of an organisation-graph node as the posture service names it (``_:id`` for a
    blank node)."""
    return ox.BlankNode(key[2:]) if key.startswith("_:") else ox.NamedNode(key)


_TRUE = ox.Literal("true", datatype=_BOOLEAN)
_FALSE = ox.Literal("false", datatype=_BOOLEAN)
