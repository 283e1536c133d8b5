"""The lexical guard: what it finds in a query before any parser runs."""

from __future__ import annotations

import time

import pytest

from aslgraph.sparql.errors import (
    ServiceRefusedError,
    TooDeepError,
    UnknownGraphError,
    UpdateRefusedError,
)
from aslgraph.sparql.guard import analyse, enforce

G = "https://w3id.org/aslgraph/graph/"
HELD = {G + "data/rsp/levels.ttl", G + "data/eu-ai-act/art55.ttl"}


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
        "select * { service silent <http://example.org/sparql> { ?s ?p ?o } }",
        "SELECT * { SERVICE ?endpoint { ?s ?p ?o } }",
        "SELECT * {SERVICE<http://example.org/sparql>{?s ?p ?o}}",
        "PREFIX : <http://example.org/> SELECT * { ?s ?p true SERVICE :x { } }",
        # glued to a neighbour: a parser without word boundaries may still read the keyword
        "PREFIX : <http://example.org/> SELECT * { ?s ?p trueSERVICE:x { } }",
        "SELECT * { ?s ?p 1.SERVICE <http://example.org/> { } }",
        "SELECT * { ?s ?p ?o.SERVICE <http://example.org/> { } }",
        "SELECT * { ?s ?p ?o }\n# a comment ends at the line break\nSERVICE <x> { }",
        "PREFIX service: <http://example.org/> SELECT * { ?s service:p ?o }",
    ],
)
def test_service_is_found(query: str) -> None:
    analysis = analyse(query)
    assert analysis.service is not None
    with pytest.raises(ServiceRefusedError, match="SERVICE is not allowed"):
        enforce(analysis, max_depth=64, graphs=HELD)


@pytest.mark.parametrize(
    "query",
    [
        'SELECT * { ?s ?p "SERVICE" }',
        "SELECT * { ?s ?p 'SERVICE <http://example.org/> { }' }",
        'SELECT * { ?s ?p """multi\nline SERVICE { }""" }',
        "SELECT * { ?s ?p '''it's a SERVICE''' }",
        "SELECT * { ?s <http://example.org/service> ?o }",
        "SELECT * { <http://example.org/web-service#x> ?p ?o }",
        "PREFIX ex: <http://example.org/> SELECT * { ?s ex:hasService ?o }",
        "PREFIX ex: <http://example.org/> SELECT * { ?s ex:SERVICE ?o }",
        "SELECT ?service WHERE { ?service ?p ?o }",
        "SELECT $service WHERE { $service ?p ?o }",
        "# SERVICE <http://example.org/> { }\nASK { }",
        'SELECT * { ?s ?p "x"@en }',
        "SELECT * { _:service ?p ?o }",
    ],
)
def test_service_in_strings_iris_names_and_comments_is_not_the_keyword(query: str) -> None:
    analysis = analyse(query)
    assert analysis.service is None
    enforce(analysis, max_depth=64, graphs=HELD)


@pytest.mark.parametrize(
    ("query", "form"),
    [
        ("SELECT * { }", "select"),
        ("  # comment\nPREFIX ex: <http://example.org/>\nBASE <http://x/>\nask { }", "ask"),
        ("CONSTRUCT WHERE { ?s ?p ?o }", "construct"),
        ("describe <http://example.org/>", "describe"),
        ("PREFIX : <http://example.org/> PREFIX select: <http://x/> SELECT * { }", "select"),
        ("{ ?s ?p ?o }", None),
        ("", None),
    ],
)
def test_query_form_is_the_first_keyword_after_the_prologue(query: str, form: str | None) -> None:
    assert analyse(query).form == form


@pytest.mark.parametrize(
    "update",
    [
        "INSERT DATA { <http://a> <http://b> <http://c> }",
        "DELETE WHERE { ?s ?p ?o }",
        "LOAD <http://example.org/data.ttl>",
        "CLEAR ALL",
        "PREFIX ex: <http://example.org/> DROP GRAPH ex:g",
        "create graph <http://example.org/g>",
        "COPY DEFAULT TO <http://example.org/g>",
        "MOVE <http://a> TO <http://b>",
        "ADD <http://a> TO <http://b>",
        "WITH <http://g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    ],
)
def test_updates_are_refused(update: str) -> None:
    analysis = analyse(update)
    assert analysis.form is None
    with pytest.raises(UpdateRefusedError, match="queries only"):
        enforce(analysis, max_depth=64, graphs=HELD)


def test_nesting_is_counted_over_braces_parentheses_and_brackets() -> None:
    assert analyse("SELECT * { { ( [ ] ) } }").depth == 4
    assert analyse('SELECT * { ?s ?p "{{{{{{" }').depth == 1
    assert analyse("SELECT * { } } } } { }").depth == 1  # stray closers do not go below zero


def test_too_deep_is_refused_before_parsing() -> None:
    query = "SELECT * WHERE " + "{" * 5000 + "}" * 5000
    analysis = analyse(query)
    assert analysis.depth == 5000
    with pytest.raises(TooDeepError, match="5000 deep; the limit is 64"):
        enforce(analysis, max_depth=64, graphs=HELD)
    enforce(analyse("SELECT * WHERE " + "{" * 64 + "}" * 64), max_depth=64, graphs=HELD)


def test_from_and_from_named_are_read_and_prefixes_expanded() -> None:
    query = (
        "PREFIX g: <https://w3id.org/aslgraph/graph/> "
        "SELECT * FROM g:data\\/rsp\\/levels.ttl "
        "FROM NAMED <https://w3id.org/aslgraph/graph/data/eu-ai-act/art55.ttl> WHERE { ?s ?p ?o }"
    )
    analysis = analyse(query)
    assert analysis.from_graphs == (G + "data/rsp/levels.ttl",)
    assert analysis.from_named_graphs == (G + "data/eu-ai-act/art55.ttl",)
    assert analysis.has_dataset_clause
    enforce(analysis, max_depth=64, graphs=HELD)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("SELECT * FROM <http://example.org/data.ttl> { }", "holds no graph <http://exa"),
        ("SELECT * FROM NAMED <file:///etc/passwd> { }", "holds no graph <file:///etc/passwd>"),
        ("SELECT * FROM <relative.ttl> { }", "cannot resolve <relative.ttl>"),
        ("SELECT * FROM undeclared:g { }", "cannot resolve undeclared:g"),
    ],
)
def test_from_a_graph_the_store_does_not_hold_is_refused(query: str, message: str) -> None:
    with pytest.raises(UnknownGraphError, match=message):
        enforce(analyse(query), max_depth=64, graphs=HELD)


def test_from_inside_a_string_or_iri_is_not_a_dataset_clause() -> None:
    analysis = analyse('SELECT * { ?s <http://x/FROM> "FROM <http://evil/>" }')
    assert not analysis.has_dataset_clause


@pytest.mark.parametrize("function", ["NOW()", "RAND()", "UUID()", "STRUUID()", "BNODE()"])
def test_nondeterministic_functions_are_noticed(function: str) -> None:
    assert analyse(f"SELECT ({function} AS ?x) {{ }}").nondeterministic
    assert not analyse(f'SELECT ("{function}" AS ?x) {{ }}').nondeterministic


@pytest.mark.parametrize(
    "text",
    [
        "a." * 500_000,
        "<a" * 300_000,
        '"a' * 300_000,
        "'''" + "a'" * 500_000,
        "(" * 1_000_000,
        "\\" * 1_000_000,
        "ex:" + "a." * 500_000,
    ],
    ids=["dots", "open-iris", "open-strings", "open-long-string", "parens", "backslashes", "pname"],
)
def test_scanning_a_hostile_megabyte_stays_linear(text: str) -> None:
    start = time.perf_counter()
    analyse(text)
    # about 0.5 s at worst here; a scan that went quadratic would take hours, so a bound two
    # orders of magnitude above it tells the two apart on any machine
    assert time.perf_counter() - start < 60
