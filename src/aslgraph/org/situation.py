"""The obligations of a role in a described situation, decided by the applicability engine.

``/api/obligations`` and ``aslgraph obligations`` describe a situation by parameters (the role
held, where the organisation is established, whether its model has systemic risk, its training
compute, whether it is released as open source, when it was placed on the Union market) instead
of an organisation graph. :func:`situation_graph` writes those facts as the small organisation
graph they stand for, in the vocabulary of ``ontology/aslgraph.ttl``, and :func:`obligations`
decides each obligation of the role, and of the roles it includes or may hold by condition, with
the same :class:`~aslgraph.org.applicability.Rules` that ``validate`` and ``posture`` use: a
fact not given is a fact not stated, so a duty that turns on it cannot be decided and says which
parameter to give (docs/decisions/0012).
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict
from dataclasses import dataclass, fields
from datetime import date

import pyoxigraph as ox

from aslgraph.kg import obligations as listing
from aslgraph.kg.catalog import Catalog
from aslgraph.kg.errors import InvalidRequestError
from aslgraph.kg.index import P
from aslgraph.kg.model import Applicability, ObligationEntry, Obligations
from aslgraph.namespaces import ASL, DCT, ID, RDF, RDFS, XSD, scheme_namespace
from aslgraph.org.applicability import Decision, Facts, Rules, rules

JUR = scheme_namespace("jurisdiction")
COP = scheme_namespace("gpai-cop")
CHAPTERS = ("T", "C", "SS")
"""The Code of Practice chapters a signatory may adhere to."""
_BASE = ID + "situation/"
ORGANISATION_IRI = _BASE + "organisation"
MODEL_IRI = _BASE + "model"
PROVIDER_ROLES = (listing.GPAI_PROVIDER, listing.GPAI_SR_PROVIDER)
US_DEVELOPER_ROLES = (
    str(scheme_namespace("role")["us-frontier-developer"]),
    str(scheme_namespace("role")["us-large-frontier-developer"]),
)
MODEL_ROLES = PROVIDER_ROLES + US_DEVELOPER_ROLES
"""Roles whose duties fall per model: the situation then has a model."""
NEW_YORK = str(JUR) + "US-NY"
_PARAMETER_OF = {
    "asl:placedOnMarket": "placed_on_market",
    "asl:trainingCompute": "training_flop",
    "asl:systemicRisk": "systemic_risk",
    "asl:releasedUnder": "open_source",
    "asl:establishedIn": "established_in",
    "asl:annualRevenue": "annual_revenue",
    "asl:developedIn": "in_new_york",
}
"""The parameter that states each fact a condition reads (for the ``missing`` hints)."""


@dataclass(frozen=True)
class Situation:
    """The facts of one situation; None is "not stated"."""

    role: str
    """The role's IRI (see :meth:`Catalog.role_iri`)."""
    as_of: date
    established_in: str | None = None
    """A jurisdiction IRI (``jur:``)."""
    systemic_risk: bool | None = None
    training_flop: float | None = None
    open_source: bool | None = None
    """Released under a free and open-source licence with weights, architecture and usage
    information public (True), or not (False)."""
    placed_on_market: date | None = None
    """When the model was first placed on the Union market."""
    adheres_to: tuple[str, ...] = ()
    """The Code of Practice chapters adhered to (IRIs: cop:T, cop:C, cop:SS)."""
    annual_revenue: float | None = None
    """Annual gross revenue with affiliates, in US dollars, in the calendar year before
    ``as_of`` (SB 53 §22757.11(j), RAISE §1420)."""
    in_new_york: bool | None = None
    """Whether the model is developed, deployed or operated, in whole or in part, in New York
    (RAISE §1425)."""

    def stated(self) -> dict[str, str]:
        """The facts given, by parameter name, as text."""
        found: dict[str, str] = {}
        for field in fields(self):
            value = getattr(self, field.name)
            if field.name in ("role", "as_of") or value is None or value == ():
                continue
            if isinstance(value, tuple):
                found[field.name] = ",".join(v.removeprefix(str(COP)) for v in value)
            elif isinstance(value, bool):
                found[field.name] = str(value).lower()
            elif isinstance(value, date):
                found[field.name] = value.isoformat()
            elif field.name == "established_in":
                found[field.name] = str(value).removeprefix(str(JUR))
            else:
                found[field.name] = str(value)
        return found


def situation(
    catalog: Catalog,
    role: str,
    *,
    as_of: date | None = None,
    established_in: str | None = None,
    systemic_risk: bool | None = None,
    training_flop: float | None = None,
    open_source: bool | None = None,
    placed_on_market: date | None = None,
    adheres_to: list[str] | None = None,
    annual_revenue: float | None = None,
    in_new_york: bool | None = None,
) -> Situation:
    """A situation from request parameters, checked. Raises InvalidRequestError for an unknown
    role, jurisdiction or Code chapter, a negative compute, or model facts for a role that has
    no model."""
    iri = catalog.role_iri(role)
    name = iri.removeprefix(str(scheme_namespace("role")))
    if iri not in PROVIDER_ROLES:
        given = [p for p, v in (("systemic_risk", systemic_risk),) if v is not None]
        if iri not in MODEL_ROLES:
            given += [
                p
                for p, v in (
                    ("training_flop", training_flop),
                    ("annual_revenue", annual_revenue),
                    ("in_new_york", in_new_york),
                )
                if v is not None
            ]
        if given:
            raise InvalidRequestError(
                f"{' and '.join(given)} applies to roles that have a model (gpai-provider, "
                f"gpai-sr-provider, us-frontier-developer, us-large-frontier-developer; "
                f"systemic_risk to the first two only), not to {name!r}",
                kind="invalid-parameter",
            )
    if annual_revenue is not None and not (math.isfinite(annual_revenue) and annual_revenue >= 0):
        raise InvalidRequestError(
            f"annual_revenue must be an amount in US dollars, 0 or more (such as 7.2e8), "
            f"not {annual_revenue!r}",
            kind="invalid-parameter",
        )
    if training_flop is not None and not (math.isfinite(training_flop) and training_flop >= 0):
        raise InvalidRequestError(
            f"training_flop must be a number of floating-point operations, 0 or more "
            f"(such as 3.1e25), not {training_flop!r}",
            kind="invalid-parameter",
        )
    where: str | None = None
    if established_in is not None:
        where = _jurisdiction(catalog, established_in)
    chapters: list[str] = []
    for text in adheres_to or []:
        for part in text.split(","):
            chapter = part.strip().removeprefix("cop:").removeprefix(str(COP))
            if chapter not in CHAPTERS:
                raise InvalidRequestError(
                    f"unknown Code of Practice chapter {part.strip()!r} in adheres_to: give T "
                    "(Transparency), C (Copyright) or SS (Safety and Security)",
                    kind="invalid-parameter",
                )
            chapters.append(str(COP) + chapter)
    return Situation(
        role=iri,
        as_of=as_of or date.today(),
        adheres_to=tuple(sorted(set(chapters))),
        established_in=where,
        systemic_risk=systemic_risk,
        training_flop=training_flop,
        open_source=open_source,
        placed_on_market=placed_on_market,
        annual_revenue=annual_revenue,
        in_new_york=in_new_york,
    )


def _jurisdiction(catalog: Catalog, text: str) -> str:
    code = text.strip().removeprefix("jur:").removeprefix(str(JUR))
    iri = str(JUR) + code.upper()
    concept = catalog.index.get(iri)
    if not code or concept is None:
        raise InvalidRequestError(
            f"unknown jurisdiction {text!r}: give an ISO 3166-1 alpha-2 country code "
            "(DE, US, JP ...) or a code of the jurisdiction scheme (jur:US-CA)",
            kind="invalid-parameter",
        )
    return iri


# ---------------------------------------------------------------- the graph the facts stand for


def _node(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def situation_graph(facts: Situation) -> ox.Store:
    """The organisation graph the situation describes: an organisation holding the role, and
    (for a provider) its model, with exactly the facts given."""
    store = ox.Store()
    org, model = _node(ORGANISATION_IRI), _node(MODEL_IRI)
    add = store.add

    def triple(
        s: ox.NamedNode | ox.BlankNode, p: str, o: ox.NamedNode | ox.BlankNode | ox.Literal
    ) -> None:
        add(ox.Quad(s, _node(p), o))

    def literal(value: str, datatype: str) -> ox.Literal:
        return ox.Literal(value, datatype=_node(datatype))

    triple(org, RDF["type"], _node(str(ASL.Organisation)))
    triple(org, RDFS["label"], ox.Literal("the organisation"))
    triple(org, str(ASL.assessmentDate), literal(facts.as_of.isoformat(), XSD["date"]))
    assignment = ox.BlankNode()
    triple(org, str(ASL.holdsRole), assignment)
    triple(assignment, RDF["type"], _node(str(ASL.RoleAssignment)))
    triple(assignment, str(ASL.role), _node(facts.role))
    if facts.established_in is not None:
        triple(org, str(ASL.establishedIn), _node(facts.established_in))
    if facts.adheres_to:
        posture = ox.BlankNode()
        triple(org, str(ASL.declaresPosture), posture)
        triple(posture, RDF["type"], _node(str(ASL.DeclaredPosture)))
        for chapter in facts.adheres_to:
            triple(posture, str(ASL.adheresTo), _node(chapter))
    if facts.annual_revenue is not None:
        statement = ox.BlankNode()
        triple(org, str(ASL.annualRevenue), statement)
        triple(statement, RDF["type"], _node(str(ASL.RevenueStatement)))
        year = str(facts.as_of.year - 1)
        triple(statement, str(ASL.calendarYear), literal(year, XSD["integer"]))
        triple(statement, str(ASL.usd), literal(f"{facts.annual_revenue:.2f}", XSD["decimal"]))
        triple(statement, str(ASL.includesAffiliates), literal("true", XSD["boolean"]))
    if facts.role not in MODEL_ROLES:
        return store
    triple(org, str(ASL.hasAIModel), model)
    triple(model, RDF["type"], _node(str(ASL.AIModel)))
    triple(model, RDFS["label"], ox.Literal("the model"))
    triple(model, str(ASL.supplier), org)
    if facts.systemic_risk is not None:
        triple(
            model,
            str(ASL.systemicRisk),
            literal(str(facts.systemic_risk).lower(), XSD["boolean"]),
        )
    if facts.training_flop is not None:
        estimate = ox.BlankNode()
        triple(model, str(ASL.trainingCompute), estimate)
        triple(estimate, RDF["type"], _node(str(ASL.ComputeEstimate)))
        triple(estimate, str(ASL.flop), literal(repr(float(facts.training_flop)), XSD["double"]))
    if facts.open_source is not None:
        terms = ox.BlankNode()
        flag = literal(str(facts.open_source).lower(), XSD["boolean"])
        triple(model, str(ASL.releasedUnder), terms)
        triple(terms, RDF["type"], _node(str(ASL.ReleaseTerms)))
        for part in (ASL.freeAndOpenSource, ASL.publicWeights, ASL.publicArchitecture,
                     ASL.publicUsageInformation):  # fmt: skip
            triple(terms, str(part), flag)
    if facts.in_new_york is True:
        triple(model, str(ASL.operatedIn), _node(NEW_YORK))
    elif facts.in_new_york is False:
        triple(model, str(ASL.activityStated), literal("true", XSD["boolean"]))
    if facts.placed_on_market is not None:
        placement = ox.BlankNode()
        triple(model, str(ASL.placedOnMarket), placement)
        triple(placement, RDF["type"], _node(str(ASL.MarketPlacement)))
        triple(placement, str(ASL.market), _node(str(JUR) + "EU"))
        triple(placement, DCT["date"], literal(facts.placed_on_market.isoformat(), XSD["date"]))
    return store


# ---------------------------------------------------------------- deciding


def _roles(law: Rules, role: str) -> list[str]:
    """The role, the broader roles it includes, and the narrower roles held by condition (a
    provider may be the provider of a model with systemic risk)."""
    index = law.t.index
    roles = listing.roles_considered(index, role, systemic_risk=False)
    for held in sorted(law.held_when):
        concept = index.get(held)
        if concept is not None and role in concept.links(P.broader) and held not in roles:
            roles.append(held)
    return roles


def _hint(missing: str) -> str:
    """What to state, in the parameters' terms when a parameter states it."""
    parameters = [p for fact, p in _PARAMETER_OF.items() if fact in missing]
    return f"{missing}: give {' or '.join(parameters)}" if parameters else missing


def _applicability(law: Rules, decision: Decision) -> Applicability:
    views = law.t.views
    return Applicability(
        outcome=decision.status,
        reason=decision.reason.replace("the graph does not say", "the facts given do not say"),
        decided_by=[views.ref(iri) for iri in dict.fromkeys(decision.decided_by)],
        missing=[_hint(m) for m in decision.missing],
        applies_from=decision.applies_from,
        basis=views.ref(decision.basis) if decision.basis else None,
    )


_CACHE: OrderedDict[tuple[int, Situation], Obligations] = OrderedDict()
_CACHE_LOCK = threading.Lock()
_CACHE_SIZE = 256


def obligations(catalog: Catalog, facts: Situation) -> Obligations:
    """Every obligation of ``facts.role`` (and the roles it includes or may hold), decided for
    the situation on ``facts.as_of``; cached per catalog and situation."""
    key = (id(catalog), facts)
    with _CACHE_LOCK:
        found = _CACHE.get(key)
        if found is not None:
            _CACHE.move_to_end(key)
            return found
    result = _decide_all(catalog, facts)
    with _CACHE_LOCK:
        _CACHE[key] = result
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return result


def _decide_all(catalog: Catalog, facts: Situation) -> Obligations:
    law = rules(catalog)
    index, views = law.t.index, law.t.views
    roles = _roles(law, facts.role)
    store = situation_graph(facts)
    state = Facts(law, store, lambda _prop, _subject: False)
    stated = frozenset({facts.role})
    sorted_lists: dict[str, list[ObligationEntry]] = {
        "applies": [],
        "applies_later": [],
        "cannot_be_decided": [],
        "does_not_apply": [],
        "superseded": [],
    }
    for obligation in law.t.obligations:
        bound = listing.binding(index, obligation.iri, roles)
        if bound is None:
            continue
        model = MODEL_IRI if facts.role in MODEL_ROLES and law.per_model(obligation) else None
        decision = law.decide(
            state,
            obligation,
            role=bound,
            party=ORGANISATION_IRI,
            model=model,
            stated_roles=stated,
            as_of=facts.as_of,
            party_name="the organisation",
            model_name="the model" if model else None,
        )
        entry = listing.entry(index, views, obligation.iri, bound, facts.as_of)
        entry = entry.model_copy(update={"applicability": _applicability(law, decision)})
        bucket = "superseded" if entry.superseded_by is not None else decision.status
        sorted_lists[bucket].append(entry)
    for entries in sorted_lists.values():
        entries.sort(key=listing.order)
    in_effect, upcoming = sorted_lists["applies"], sorted_lists["applies_later"]
    undecided = sorted_lists["cannot_be_decided"]
    return Obligations(
        role=views.concept(facts.role),
        roles_considered=[views.concept(r) for r in roles],
        systemic_risk=facts.systemic_risk,
        as_of=facts.as_of,
        facts=facts.stated(),
        in_effect=in_effect,
        upcoming=upcoming,
        undecided=undecided,
        not_applicable=sorted_lists["does_not_apply"],
        superseded=sorted_lists["superseded"],
        transitional=listing.transitional_notes(
            views, [*in_effect, *upcoming, *undecided], facts.as_of
        ),
    )
