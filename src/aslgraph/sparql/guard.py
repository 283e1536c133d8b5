"""A lexical scanner that looks at a SPARQL query before any parser does.

pyoxigraph fetches any ``SERVICE`` IRI it is given and its parser kills the whole process on
deeply nested queries, so the endpoint must decide some things from the raw text. The scanner
splits the text into tokens the way the SPARQL 1.1 grammar's terminals do (comments, the four
string forms, ``<IRI>`` references, variables, prefixed names, blank-node labels, language
tags), so that ``"SERVICE"`` in a string, ``<http://x/service>`` or ``ex:hasService`` do not
count as the keyword, and reports:

* the query form (the first keyword after the prologue), or the update operation it starts with;
* the deepest nesting of ``{}``, ``()`` and ``[]``;
* whether it may call ``SERVICE`` -- conservatively: any bare word or prefix that contains
  "service" counts, because a keyword glued to a neighbour (``trueSERVICE:x { }``) can still
  read as ``SERVICE`` to a parser that does not check word boundaries;
* the graphs named by ``FROM`` and ``FROM NAMED`` (prefixed names expanded with the query's own
  ``PREFIX`` declarations);
* whether it calls a function whose answer changes from one run to the next (``NOW``, ``RAND``,
  ``UUID``, ``STRUUID``, ``BNODE``), so that its answer must not be cached.

:func:`analyse` never raises and never parses; :func:`enforce` applies the endpoint's rules.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from typing import Literal

from aslgraph.sparql.errors import (
    ServiceRefusedError,
    TooDeepError,
    UnknownGraphError,
    UpdateRefusedError,
)

QueryForm = Literal["select", "ask", "construct", "describe"]

_FORMS: dict[str | None, QueryForm] = {
    "select": "select",
    "ask": "ask",
    "construct": "construct",
    "describe": "describe",
}
UPDATE_OPERATIONS: frozenset[str] = frozenset(
    {"insert", "delete", "load", "clear", "create", "drop", "copy", "move", "add", "with"}
)
NONDETERMINISTIC: frozenset[str] = frozenset({"now", "rand", "uuid", "struuid", "bnode"})

# Character classes of the SPARQL 1.1 grammar (section 19.8).
_PN_CHARS_BASE = (
    "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
_PN_CHARS_U = _PN_CHARS_BASE + "_"
_PN_CHARS = _PN_CHARS_U + "\\-0-9\u00b7\u0300-\u036f\u203f-\u2040"
_VARNAME_CHARS = _PN_CHARS_U + "0-9\u00b7\u0300-\u036f\u203f-\u2040"
_ESCAPE = r"\\[_~.\-!$&'()*+,;=/?#@%]"

# One token per terminal that can hide a keyword. Possessive quantifiers never give characters
# back, so an unterminated string or IRI costs one pass and a scan stays linear in the text.
# Prefixed names, bare words, numbers and blank-node labels share the ``name`` token and are told
# apart afterwards; splitting them in the regex would rescan long runs of name characters.
_TOKEN = re.compile(
    rf"""
      (?P<ws>\s+)
    | (?P<comment>\#[^\n\r]*)
    | (?P<string>
          '{{3}}(?:[^'\\]++|\\.|'(?!''))*+'{{3}}
        | "{{3}}(?:[^"\\]++|\\.|"(?!""))*+"{{3}}
        | '(?:[^'\\\n\r]++|\\.)*+'
        | "(?:[^"\\\n\r]++|\\.)*+"
      )
    | (?P<iri><[^<>"{{}}|^`\\\x00-\x20]*+>)
    | (?P<var>[?$][{_VARNAME_CHARS}]++)
    | (?P<lang>@[A-Za-z]++(?:-[A-Za-z0-9]++)*+)
    | (?P<name>(?:[{_PN_CHARS}.:%]++|{_ESCAPE})++)
    | (?P<open>[{{(\[])
    | (?P<close>[}})\]])
    | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)
_LOCAL_ESCAPE = re.compile(r"\\(.)")
_ABSOLUTE_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")


def tokens(text: str) -> Iterator[tuple[str, str]]:
    """The significant tokens of ``text`` as (kind, text), whitespace and comments left out;
    kinds are ``string``, ``iri``, ``var``, ``lang``, ``name`` (prefixed names, bare words,
    numbers, blank-node labels), ``open``, ``close`` and ``other`` (one character)."""
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        if kind != "ws" and kind != "comment" and kind is not None:
            yield kind, match.group()


@dataclass(frozen=True)
class QueryAnalysis:
    """What the scanner found in a query text (see the module docstring)."""

    form: QueryForm | None
    """The query form, or None when the text does not start like a query."""
    update: str | None
    """The update operation the text starts with (``insert``, ``load``...), if any."""
    depth: int
    """Deepest nesting of braces, parentheses and brackets."""
    service: str | None
    """The word that reads as ``SERVICE``, if any."""
    from_graphs: tuple[str, ...]
    """IRIs of ``FROM`` clauses, in order (unresolvable ones as written)."""
    from_named_graphs: tuple[str, ...]
    """IRIs of ``FROM NAMED`` clauses, in order (unresolvable ones as written)."""
    unresolved: tuple[str, ...]
    """``FROM`` operands that are not absolute IRIs (relative, or an undeclared prefix)."""
    nondeterministic: bool
    """True when the query calls NOW, RAND, UUID, STRUUID or BNODE."""

    @property
    def has_dataset_clause(self) -> bool:
        """True when the query names its own dataset with FROM or FROM NAMED."""
        return bool(self.from_graphs or self.from_named_graphs or self.unresolved)


def analyse(text: str) -> QueryAnalysis:
    """Scan ``text`` once and report what the endpoint's rules need; never raises."""
    return scan(text)[0]


Token = tuple[str, str]
"""A significant token as (kind, text), as :func:`tokens` yields it."""


def scan(text: str) -> tuple[QueryAnalysis, list[Token]]:
    """:func:`analyse` and the list of :func:`tokens`, from one pass over ``text`` (the cost
    reader, :func:`aslgraph.sparql.cost.shape_of`, reads the same tokens); never raises."""
    form: QueryForm | None = None
    update: str | None = None
    depth = deepest = 0
    service: str | None = None
    nondeterministic = False
    prefixes: dict[str, str] = {}
    from_graphs: list[str] = []
    from_named: list[str] = []
    unresolved: list[str] = []

    prologue = True  # still among the BASE and PREFIX declarations
    expect: str | None = None  # what the previous keyword waits for
    pending_prefix: str | None = None
    named = False
    significant: list[Token] = []
    keep = significant.append

    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        if kind == "ws" or kind == "comment" or kind is None:
            continue
        token = match.group()
        keep((kind, token))
        word: str | None = None  # a bare word (keyword, function name, number), lower-cased
        if kind == "open":
            depth += 1
            deepest = max(deepest, depth)
        elif kind == "close":
            depth = max(depth - 1, 0)
        elif kind == "name":
            head, colon, _ = token.partition(":")
            lowered = head.lower()
            if service is None and "service" in lowered:
                service = token
            if not colon:
                word = lowered
                if word in NONDETERMINISTIC:
                    nondeterministic = True

        if expect is not None:
            if expect == "prefix-name":
                pending_prefix = token[:-1] if kind == "name" and token.endswith(":") else None
                expect = "prefix-iri"
            elif expect == "prefix-iri":
                if pending_prefix is not None and kind == "iri":
                    prefixes[pending_prefix] = token[1:-1]
                expect = None
            elif expect == "from" and word == "named" and not named:
                named = True
            elif expect == "from":
                iri = _resolve(kind, token, prefixes)
                if iri is None:
                    unresolved.append(token)
                else:
                    (from_named if named else from_graphs).append(iri)
                expect, named = None, False
            else:  # base-iri
                expect = None
            continue

        if prologue:
            if word == "prefix":
                expect = "prefix-name"
                continue
            if word == "base":
                expect = "base-iri"
                continue
            prologue = False
            if word in _FORMS:
                form = _FORMS[word]
            elif word in UPDATE_OPERATIONS:
                update = word
        elif word == "from":
            expect = "from"

    analysis = QueryAnalysis(
        form=form,
        update=update,
        depth=deepest,
        service=service,
        from_graphs=tuple(from_graphs),
        from_named_graphs=tuple(from_named),
        unresolved=tuple(unresolved),
        nondeterministic=nondeterministic,
    )
    return analysis, significant


def _resolve(kind: str | None, token: str, prefixes: dict[str, str]) -> str | None:
    """The absolute IRI a FROM operand names, or None when it cannot be known here."""
    if kind == "iri":
        iri = token[1:-1]
        return iri if _ABSOLUTE_IRI.match(iri) else None
    if kind == "name" and ":" in token:
        prefix, _, local = token.partition(":")
        namespace = prefixes.get(prefix)
        if namespace is None or not _ABSOLUTE_IRI.match(namespace):
            return None
        return namespace + _LOCAL_ESCAPE.sub(r"\1", local.rstrip("."))
    return None


def enforce(analysis: QueryAnalysis, *, max_depth: int, graphs: Collection[str]) -> None:
    """Apply the endpoint's rules to a scanned query.

    ``graphs`` are the IRIs of the graphs the store holds. Raises UpdateRefusedError for an
    update, TooDeepError past ``max_depth``, ServiceRefusedError for SERVICE and
    UnknownGraphError for a FROM / FROM NAMED operand the store does not hold.
    """
    if analysis.update is not None:
        raise UpdateRefusedError(
            f"this endpoint answers queries only; {analysis.update.upper()} is a SPARQL Update "
            "operation and nothing here can be changed"
        )
    if analysis.depth > max_depth:
        raise TooDeepError(
            f"the query nests braces, parentheses or brackets {analysis.depth} deep; the limit "
            f"is {max_depth}"
        )
    if analysis.service is not None:
        raise ServiceRefusedError(
            "SERVICE is not allowed: this endpoint fetches nothing on a client's behalf "
            f"(found {analysis.service!r}; a prefix or word containing 'service' reads as the "
            "keyword, so rename it)"
        )
    if analysis.unresolved:
        raise UnknownGraphError(
            "FROM and FROM NAMED need the absolute IRI of a graph this store holds; cannot "
            f"resolve {', '.join(analysis.unresolved)}"
        )
    unknown = [
        iri for iri in (*analysis.from_graphs, *analysis.from_named_graphs) if iri not in graphs
    ]
    if unknown:
        raise UnknownGraphError(
            "this store holds no graph "
            + ", ".join(f"<{iri}>" for iri in unknown)
            + "; FROM and FROM NAMED may only name its graphs (nothing is fetched), "
            "listed in the service description at GET /sparql"
        )
