"""The cost class: which queries the shape reader calls Cartesian, how fingerprints match, and
how the history learns from run times, and that the memo by skeleton answers as a fresh read."""

from __future__ import annotations

import pytest

from aslgraph.sparql import cost, guard
from aslgraph.sparql.cost import CostHistory, shape
from aslgraph.sparql.engine import inspect

pytestmark = pytest.mark.quick

P = "PREFIX asl: <https://w3id.org/aslgraph/ontology#>\n"
X = "<https://w3id.org/aslgraph/id/rsp/ASL3-SS>"

CARTESIAN = [
    "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }",
    "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
    "SELECT * WHERE { ?a ?b ?c ?d ?e ?f }",  # no dot between the blocks
    "SELECT * WHERE { { ?a ?b ?c } { ?d ?e ?f } }",
    "SELECT * WHERE { ?a ?b ?c OPTIONAL { ?d ?e ?f } }",
    "SELECT * WHERE { ?a ?b ?c . GRAPH ?g { ?d ?e ?f } }",
    "SELECT * WHERE { ?a ?b ?c . ?x a asl:Provision }",  # unselective x selective
    "SELECT * WHERE { ?a ?b ?c . FILTER(?a = ?d) ?d ?e ?f }",  # a filter is not a join
    "SELECT * WHERE { ?a asl:p ?c ; asl:q ?z . ?d asl:r ?f }",
    "SELECT * WHERE { { SELECT ?a WHERE { ?a ?b ?c . ?d ?e ?f } } }",
    "ASK { ?a ?b ?c . ?d ?e ?f }",
    "CONSTRUCT { ?a ?b ?d } WHERE { ?a ?b ?c . ?d ?e ?f }",
    "SELECT * WHERE { ?a ?b ?c . ?d (asl:p|asl:q)* ?f }",
    "SELECT * WHERE { ?a ?b ?c . [] ?e ?f }",
    "select * where{?a ?b ?c.?d ?e ?f}",
]
NOT_CARTESIAN = [
    "SELECT * WHERE { ?s ?p ?o }",
    "SELECT * WHERE { ?s ?p ?o . ?o ?q ?r . ?r ?x ?y }",  # a chain
    f"SELECT * WHERE {{ ?m asl:mappingSubject {X} ; asl:mappingObject ?o ; asl:relation ?r }}",
    "SELECT * WHERE { ?x a asl:Provision . ?y a asl:Instrument }",  # two small sets
    f"SELECT * WHERE {{ {X} ?p ?o . ?o ?q ?r }}",
    "SELECT * WHERE { { ?a ?b ?c } UNION { ?a ?e ?f } }",
    "SELECT * WHERE { ?a ?b ?c MINUS { ?d ?e ?f } }",  # MINUS on no shared variable: a no-op
    "SELECT * WHERE { ?a ?b ?c . FILTER NOT EXISTS { ?d ?e ?f } }",
    "SELECT * WHERE { ?a ?b ?c VALUES ?d { 1 2 3 } }",
    'SELECT * WHERE { ?a ?b "x"@en . ?a ?c "1"^^<http://www.w3.org/2001/XMLSchema#int> }',
    "CONSTRUCT { ?a ?b ?c . ?d ?e ?f } WHERE { ?a ?b ?c }",  # a template is not a join
    'SELECT * WHERE { ?a ?b ?c . BIND(CONCAT("{", ?c) AS ?d) }',
    "SELECT * WHERE { ?a asl:p/asl:q ?c . ?c ^asl:r ?d }",
    "DESCRIBE " + X,
    "SELECT * WHERE { ?a ?b ?c } VALUES ?x { 1 }",
    "SELECT * WHERE { ?a ?b ?c . ?a ?d ?e . ?e ?f ?g }",
    "not a query {{{ ?a",
    "",
]


@pytest.mark.parametrize("query", CARTESIAN)
def test_cartesian_products_are_seen(query: str) -> None:
    assert shape(P + query).cartesian


@pytest.mark.parametrize("query", NOT_CARTESIAN)
def test_joins_and_single_patterns_are_not_cartesian(query: str) -> None:
    assert not shape(P + query).cartesian


@pytest.mark.parametrize("query", CARTESIAN + NOT_CARTESIAN)
def test_the_memoised_shape_is_the_shape_read_afresh(query: str) -> None:
    analysis, tokens = guard.scan(P + query)
    assert analysis == guard.analyse(P + query)
    assert tokens == list(guard.tokens(P + query))
    for _ in range(2):  # the second call is answered from the memo
        assert inspect(P + query)[:2] == (analysis, cost.shape(P + query))
        assert cost.shape_of(tokens) == cost._read_shape(tokens)


def test_queries_that_differ_only_in_constants_share_a_shape_and_others_do_not() -> None:
    about = "SELECT ?m WHERE {{ ?m <https://w3id.org/aslgraph/ontology#mappingSubject> <{}> }} # {}"
    first = shape(about.format("https://w3id.org/aslgraph/id/rsp/ASL3-SS", 1))
    assert shape(about.format("https://w3id.org/aslgraph/id/rsp/ASL2", 2)) == first
    product = shape("SELECT * { ?a <http://x/p> ?b . ?c <http://x/q> ?d }")
    join = shape("SELECT * { ?a <http://x/p> ?b . ?b <http://x/q> ?d }")  # the same tokens
    assert product.cartesian and not join.cartesian  # variable names are kept in the skeleton


def test_the_fingerprint_ignores_subjects_literals_numbers_comments_and_names() -> None:
    one = shape(f'SELECT ?x WHERE {{ {X} asl:p ?x . FILTER(?x != "a") }} LIMIT 10')
    two = shape(
        "# another question\nselect ?y where { <https://w3id.org/aslgraph/id/rsp/ASL4> asl:p ?y "
        '. FILTER(?y != "b") } LIMIT 99'
    )
    other = shape(f"SELECT ?x WHERE {{ {X} asl:q ?x }} LIMIT 10")
    assert one.fingerprint == two.fingerprint
    assert one.fingerprint != other.fingerprint


def test_the_history_learns_slow_shapes_and_forgets_fast_ones() -> None:
    history = CostHistory(slow_seconds=1.0, max_entries=2)
    medium = shape(f"SELECT * WHERE {{ {X} ?p ?o . ?o ?q ?r }}")
    assert not history.classify(medium).heavy
    history.record(medium.fingerprint, 0.4)
    assert not history.classify(medium).heavy
    history.record(medium.fingerprint, 2.5)
    cost = history.classify(medium)
    assert cost.heavy and cost.reason is not None and "took 2.5 s" in cost.reason
    history.record(medium.fingerprint, 0.2)
    assert not history.classify(medium).heavy
    history.record(medium.fingerprint, 0.0, stopped=True)
    assert "stopped" in (history.classify(medium).reason or "")
    history.record("b", 5.0)
    history.record("c", 5.0)  # the oldest is forgotten past max_entries
    assert len(history) == 2 and not history.classify(medium).heavy


def test_a_cartesian_shape_is_heavy_without_history() -> None:
    cost = CostHistory(slow_seconds=1.0).classify(shape("SELECT * { ?a ?b ?c . ?d ?e ?f }"))
    assert cost.heavy and "Cartesian" in (cost.reason or "")


def test_the_reader_is_linear_and_never_raises_on_junk() -> None:
    junk = "SELECT * WHERE { " + "?a ?b ?c . { " * 5_000 + "}" * 5_000 + " ; , ^^ ( [ . }"
    assert shape(junk).fingerprint
