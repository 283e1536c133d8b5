"""The organisation graph the posture service reads (``org/posture/graph.py``): read from the
store subject by subject, it answers every question as a whole copy of the default graph
does, over every example and a generated graph of many organisations."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from benchmarks.orggen import generate

from aslgraph.namespaces import ASL
from aslgraph.org.posture.graph import OrgGraph, Term
from aslgraph.org.posture.tables import curie_key
from aslgraph.org.upload import parse_upload

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples").rglob("*.ttl"))


class _Copy:
    """The reference: the whole default graph copied into dictionaries, as the graph was
    read before it was read lazily."""

    def __init__(self, store: ox.Store):
        self.props: dict[str, dict[str, list[Term]]] = {}
        for quad in store.quads_for_pattern(None, None, None, ox.DefaultGraph()):
            subject = _key(quad.subject)
            self.props.setdefault(subject, {}).setdefault(quad.predicate.value, []).append(
                quad.object
            )

    def links(self, subject: str, predicate: str) -> list[str]:
        seen = {
            _key(v): None
            for v in self.props.get(subject, {}).get(predicate, [])
            if isinstance(v, ox.NamedNode | ox.BlankNode)
        }
        return sorted(seen, key=curie_key)

    def text(self, subject: str, predicate: str) -> str | None:
        values = [
            v for v in self.props.get(subject, {}).get(predicate, []) if isinstance(v, ox.Literal)
        ]
        for value in values:
            if value.language in (None, "en"):
                return value.value
        return values[0].value if values else None


def _key(term: Term) -> str:
    return term.value if isinstance(term, ox.NamedNode) else str(term)


def _store(path: Path | None) -> ox.Store:
    if path is None:
        text, _ = generate(3_000, seed=5)
        return parse_upload(text.encode(), "application/n-triples").store
    return parse_upload(path.read_bytes(), "text/turtle").store


@pytest.mark.parametrize(
    "path", [*EXAMPLES, None], ids=[*(p.stem for p in EXAMPLES), "generated-3000"]
)
def test_the_lazy_graph_answers_as_a_whole_copy(path: Path | None) -> None:
    store = _store(path)
    copy = _Copy(store)
    graph = OrgGraph(store)
    predicates = {p for props in copy.props.values() for p in props}
    for subject, props in copy.props.items():
        for predicate in [*props, str(ASL.supplier)]:  # stated, and one perhaps not stated
            assert graph.links(subject, predicate) == copy.links(subject, predicate)
            assert graph.text(subject, predicate) == copy.text(subject, predicate)
        label = copy.text(subject, "http://www.w3.org/2000/01/rdf-schema#label")
        title = copy.text(subject, "http://purl.org/dc/terms/title")
        assert graph.entity(subject).label == (label or title)
    for predicate in predicates:
        assert graph.subjects_with(predicate) == sorted(
            s for s, props in copy.props.items() if predicate in props
        )
    objects = {o for props in copy.props.values() for values in props.values() for o in values}
    for node in [o for o in objects if isinstance(o, ox.NamedNode | ox.BlankNode)][:200]:
        for predicate in (str(ASL.integratesModel), str(ASL.supplier), str(ASL.holdsRole)):
            assert graph.subjects_linking(predicate, _key(node)) == sorted(
                s for s in copy.props if _key(node) in copy.links(s, predicate)
            )
    assert graph.subjects_of_type(str(ASL.AIModel)) == sorted(
        s
        for s in copy.props
        if str(ASL.AIModel) in copy.links(s, "http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    )


def test_a_subject_the_graph_does_not_state_has_nothing() -> None:
    graph = OrgGraph(_store(EXAMPLES[0]))
    assert graph.links("https://example.org/nothing", str(ASL.supplier)) == []
    assert graph.text("_:nothing", str(ASL.supplier)) is None
    assert graph.subjects_linking(str(ASL.supplier), "not an IRI") == []


def test_links_are_a_new_list_each_time() -> None:
    store = _store(None)
    graph = OrgGraph(store)
    subject = graph.subjects_with(str(ASL.hasAISystem))[0]
    first = graph.links(subject, str(ASL.hasAISystem))
    first.append("changed by the caller")
    assert "changed by the caller" not in graph.links(subject, str(ASL.hasAISystem))
