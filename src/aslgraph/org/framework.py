"""An organisation's own safety framework, read from its graph, against the regimes.

An organisation describes its published framework as an ``asl:Instrument`` of its own, its
sections as ``asl:Provision`` resources ``dct:isPartOf`` it (at any depth), and each section's
relation to the knowledge graph as an ``asl:Mapping`` record (the same record model as the
graph's crosswalk: subject, object, relation, rationale, justification, confidence). This
module checks that description and hands it to :func:`aslgraph.kg.regimes.matrix_of`, which
says which sections serve which obligation of each regime.

Nothing the upload says changes the knowledge graph: it may not describe a resource of the
graph (an IRI the graph mints or holds) as an instrument, version, provision or mapping, and
its mappings must have one end in its own framework and the other in the graph. Every problem
is an :class:`~aslgraph.org.errors.UnassessableError` whose message names the resources at
fault and says what to write instead.
"""

from __future__ import annotations

from collections.abc import Sequence

from aslgraph.kg.catalog import Catalog
from aslgraph.kg.errors import CatalogError
from aslgraph.kg.index import C, GraphIndex, P, Resource
from aslgraph.kg.model import RegimeMatrix
from aslgraph.kg.regimes import REGIMES, matrix_of, sections_of
from aslgraph.namespaces import ID, REL, curie
from aslgraph.org.errors import UnassessableError
from aslgraph.org.upload import Upload
from aslgraph.store import OxigraphStore

SHOWN = 5
"""How many resources at fault a message names."""
RELATIONS = (
    "equal",
    "subset-of",
    "superset-of",
    "intersects-with",
    "supports",
    "no-relationship",
)
"""The relations a mapping may assert (NIST IR 8477), in the ``rel:`` scheme."""
_RELATION_IRIS = {str(REL[r]) for r in RELATIONS}


def regimes(
    upload: Upload,
    catalog: Catalog,
    *,
    framework: str | None = None,
    regimes: Sequence[str] = REGIMES,
) -> RegimeMatrix:
    """The regimes matrix of the framework ``upload`` describes (``framework``: its IRI or a
    CURIE with the document's prefixes, needed when the upload describes several).

    Raises UnassessableError when the upload describes no usable framework or one that
    reaches into the knowledge graph, or names an unknown regime."""
    base = catalog.index
    index = base.overlay(OxigraphStore(upload.store, (), 0.0))
    names = _Names(upload.prefixes)
    _refuse_graph_resources(base, index, names)
    instrument = _instrument(index, framework, upload.prefixes, names)
    sections = sections_of(index, instrument)
    if not sections:
        raise UnassessableError(
            f"the framework {names(instrument)} has no sections: describe each as an "
            f"asl:Provision with dct:isPartOf {names(instrument)} (or dct:isPartOf another "
            "section of it)",
            kind="framework-without-sections",
        )
    _check_mappings(base, index, frozenset(sections), names)
    try:
        return matrix_of(catalog, index, instrument, regimes, prefixes=upload.prefixes)
    except CatalogError as exc:
        raise UnassessableError(exc.message, kind=exc.kind) from None


class _Names:
    """CURIEs for messages, with the document's own prefixes."""

    def __init__(self, prefixes: dict[str, str]):
        self.prefixes = prefixes

    def __call__(self, iri: str) -> str:
        return curie(iri, self.prefixes)

    def listing(self, iris: Sequence[str]) -> str:
        shown = ", ".join(self(i) for i in iris[:SHOWN])
        more = len(iris) - SHOWN
        return f"{shown} and {more} more" if more > 0 else shown


def _uploaded(index: GraphIndex, klass: str) -> list[str]:
    """The resources of ``klass`` the upload adds."""
    return [iri for iri in index.by_class.get(klass, []) if iri in index.overlaid]


def _refuse_graph_resources(base: GraphIndex, index: GraphIndex, names: _Names) -> None:
    """An upload may not describe the graph's own resources as part of a framework."""
    taken = sorted(iri for iri in index.overlaid if iri.startswith(ID) or iri in base.resources)
    if taken:
        raise UnassessableError(
            f"the graph describes {names.listing(taken)}, IRIs of the knowledge graph, as "
            "an instrument, version, provision or mapping; an organisation's framework, its "
            f"sections and mappings need IRIs of its own (not under {ID})",
            kind="framework-reuses-graph-iri",
        )


def _instrument(
    index: GraphIndex,
    framework: str | None,
    prefixes: dict[str, str],
    names: _Names,
) -> str:
    own = _uploaded(index, C.instrument)
    if framework is not None:
        wanted = _expand(framework, prefixes)
        if wanted not in own:
            held = f"it holds {names.listing(own)}" if own else "it holds none"
            raise UnassessableError(
                f"{framework!r} is not an instrument of the uploaded graph; {held}",
                kind="unknown-framework",
            )
        return wanted
    if not own:
        raise UnassessableError(
            "the graph holds no framework of its own: describe it as an asl:Instrument, its "
            "sections as asl:Provision with dct:isPartOf the instrument, and each section's "
            "relation to the knowledge graph as an asl:Mapping",
            kind="no-framework",
        )
    if len(own) > 1:
        raise UnassessableError(
            f"the graph holds {len(own)} instruments ({names.listing(own)}); name the one to "
            "compare with the framework parameter",
            kind="several-frameworks",
        )
    return own[0]


def _expand(text: str, prefixes: dict[str, str]) -> str:
    head, sep, tail = text.partition(":")
    if sep and head in prefixes and not tail.startswith("//"):
        return prefixes[head] + tail
    return text


def _check_mappings(
    base: GraphIndex, index: GraphIndex, sections: frozenset[str], names: _Names
) -> None:
    problems: list[str] = []
    for iri in _uploaded(index, C.mapping):
        problem = _mapping_problem(base, index.resources[iri], sections, names)
        if problem:
            problems.append(f"{names(iri)} {problem}")
    if problems:
        shown = "; ".join(problems[:SHOWN])
        more = f"; and {len(problems) - SHOWN} more" if len(problems) > SHOWN else ""
        raise UnassessableError(
            f"{len(problems)} mapping(s) of the framework cannot be read: {shown}{more}",
            kind="invalid-framework-mapping",
        )


def _mapping_problem(
    base: GraphIndex, mapping: Resource, sections: frozenset[str], names: _Names
) -> str | None:
    subject, obj = mapping.links(P.subject), mapping.links(P.object)
    if len(subject) != 1 or len(obj) != 1:
        return "needs exactly one asl:mappingSubject and one asl:mappingObject"
    ends = (subject[0], obj[0])
    own = [end for end in ends if end in sections]
    if not own:
        if all(end in base.resources for end in ends):
            return (
                f"maps {names(ends[0])} to {names(ends[1])}, two provisions of the knowledge "
                "graph; an uploaded framework maps only its own sections"
            )
        return None  # a mapping of another instrument of the upload: not this framework's
    other = ends[1] if ends[0] in sections else ends[0]
    if other not in sections and not base.is_a(other, C.provision):
        return (
            f"maps {names(own[0])} to {names(other)}, which is not a provision of the "
            "knowledge graph"
        )
    relations = mapping.links(P.relation)
    if len(relations) != 1 or relations[0] not in _RELATION_IRIS:
        return f"needs one asl:relation, one of rel:{', rel:'.join(RELATIONS)}"
    confidence = mapping.values(P.confidence)
    if confidence:
        value = mapping.number(P.confidence)
        if len(confidence) > 1 or value is None or not 0.0 <= value <= 1.0:
            return "has an asl:confidence that is not one number from 0 to 1"
    return None
