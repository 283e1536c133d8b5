"""Queries that provably finish quickly: answered in the server process, without a worker.

Decision 0004 runs client queries in killable workers because pyoxigraph cannot stop a query,
its parser and evaluator overflow the stack on deep or long queries, and a query can grow
without bound. A worker costs a round trip over a pipe and a process wake-up, which for a
small lookup is most of its time (decision 0020). A query of the class read here has none of
those risks, so the engine answers it in-process with the worker's own evaluator and caps:

* its text is short (:data:`MAX_TEXT`) and its tokens follow a small grammar: a prologue of
  ``PREFIX`` declarations, then ``SELECT [DISTINCT|REDUCED] (* | ?vars) [WHERE] { triples }
  [LIMIT n] [OFFSET n]``, ``ASK [WHERE] { triples }`` or ``DESCRIBE`` of constant IRIs. The
  triples are plain triple patterns (``;`` and ``,`` allowed): no group, OPTIONAL, UNION,
  FILTER, BIND, VALUES, GRAPH, subquery, property path, blank node or expression, so nothing
  nests and nothing can call out, and the parser sees at most one level of braces;
* the triple patterns form a **star**: every one has the same subject, a constant IRI or one
  variable (a lookup of one thing's properties, or of the things with given properties);
* a bound computed from the store before it runs is small: the work (triples read) at most
  :data:`MAX_WORK` and the rows at most :data:`MAX_ROWS`, whatever order the evaluator joins
  the patterns in. For a constant subject each pattern's matches are counted (a count that
  stops past the bound). For a variable subject, a pattern read first yields at most its
  matches (counted for a constant object, else the predicate's count), and each pattern joined
  to it at most the predicate's largest fan-out from one subject (:class:`Statistics`, read
  once from the read-only store); the worst pattern to start from bounds every order. A
  ``DESCRIBE`` reads the described resources' triples and, through blank nodes, theirs (its
  concise bounded description): counted the same way.

Anything else, and any query with a protocol dataset or FROM, goes to the workers as before.
Nothing here raises: what it does not recognise is simply not quick.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from dataclasses import dataclass

import pyoxigraph as ox

from aslgraph.sparql.guard import Token

MAX_TEXT = 4096
"""Longest query text considered (characters)."""
MAX_PATTERNS = 8
"""Most triple patterns in the star."""
MAX_WORK = 20_000
"""Most triples the evaluation may read, by the bound."""
MAX_ROWS = 2_000
"""Most rows (or triples) the answer may have, by the bound."""

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_ABSOLUTE = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>\"{}|\\^`]*")
_PNAME = re.compile(r"([A-Za-z][\w\-]*(?:\.+[\w\-]+)*)?:([\w\-:]+(?:\.+[\w\-:]+)*)?")
"""A prefixed name without escapes, neither part ending in a dot (as SPARQL reads them)."""
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
_LITERAL_WORDS = frozenset({"true", "false"})


@dataclass(frozen=True)
class Var:
    name: str


@dataclass(frozen=True)
class Iri:
    value: str


class Literal:
    """A literal constant: a pattern's object only; bounded as if it were a variable."""


_LITERAL = Literal()
Term = Var | Iri | Literal


@dataclass(frozen=True)
class Star:
    """What :func:`read` found: the subject and each (predicate, object) pattern of a star;
    for a DESCRIBE, the described IRIs (``described``) and no patterns."""

    subject: Var | Iri | None
    arms: tuple[tuple[Var | Iri, Term], ...]
    described: tuple[str, ...] = ()


@dataclass(frozen=True)
class Statistics:
    """How the store's triples fan out, per predicate (read once: the store never changes).
    Counts are of quads, so a triple held by two graphs counts twice (a bound, not a size)."""

    quads: int
    count: dict[str, int]
    """Quads with each predicate."""
    fan_out: dict[str, int]
    """The most quads with the predicate that one subject has."""
    widest: int
    """The most quads one subject has."""
    copies: int
    """The most graphs that hold one triple."""

    @classmethod
    def of(cls, store: ox.Store) -> Statistics:
        count: Counter[str] = Counter()
        pairs: Counter[tuple[ox.NamedNode | ox.BlankNode | ox.Triple, str]] = Counter()
        subjects: Counter[ox.NamedNode | ox.BlankNode | ox.Triple] = Counter()
        triples: Counter[tuple[object, object, object]] = Counter()
        quads = 0
        for quad in store.quads_for_pattern(None, None, None, None):
            predicate = quad.predicate.value
            quads += 1
            count[predicate] += 1
            pairs[(quad.subject, predicate)] += 1
            subjects[quad.subject] += 1
            triples[(quad.subject, quad.predicate, quad.object)] += 1
        fan_out: dict[str, int] = {}
        for (_subject, predicate), n in pairs.items():
            if n > fan_out.get(predicate, 0):
                fan_out[predicate] = n
        return cls(
            quads=quads,
            count=dict(count),
            fan_out=fan_out,
            widest=max(subjects.values(), default=0),
            copies=max(triples.values(), default=1),
        )


def read(tokens: list[Token], length: int) -> Star | None:
    """The star of a query of the quick class's grammar (its tokens, and its text's length);
    None for any other query."""
    if length > MAX_TEXT:
        return None
    try:
        return _Reader(tokens).query()
    except _NotQuickError:
        return None


def most_rows(star: Star, store: ox.Store, stats: Statistics) -> int | None:
    """The most rows (or triples) ``star``'s answer may have, when evaluating it over ``store``
    provably reads at most :data:`MAX_WORK` triples and answers at most :data:`MAX_ROWS` rows,
    in any join order; None when it does not (or when the store refuses a term: then a worker
    answers, with the engine's own error)."""
    try:
        return _most_rows(star, store, stats)
    except ValueError:
        return None


def _most_rows(star: Star, store: ox.Store, stats: Statistics) -> int | None:
    if star.described:
        return _describe_bound(star.described, store)
    if isinstance(star.subject, Iri):
        subject = ox.NamedNode(star.subject.value)
        sizes = []
        for predicate, obj in star.arms:
            n = _count(store, subject, _node(predicate), _node(obj), MAX_WORK)
            if n is None:
                return None
            sizes.append(n)
        rows = 1
        for n in sizes:
            rows *= n
        return rows if rows <= MAX_ROWS and sum(sizes) + len(sizes) * rows <= MAX_WORK else None
    firsts: list[int] = []
    fans: list[int] = []
    for predicate, obj in star.arms:
        p, o = _node(predicate), _node(obj)
        if o is not None:  # a constant object: its matches counted, one per subject and graph
            first = _count(store, None, p, o, MAX_WORK)
            if first is None:
                return None
            fan = stats.copies
        elif p is not None:
            first = stats.count.get(p.value, 0)
            fan = stats.fan_out.get(p.value, 0)
        else:
            first, fan = stats.quads, stats.widest
        firsts.append(first)
        fans.append(fan)
    worst = best = None
    for i, first in enumerate(firsts):
        joined = first
        for j, fan in enumerate(fans):
            if j != i:
                joined *= fan
        worst = joined if worst is None else max(worst, joined)
        best = joined if best is None else min(best, joined)
    if worst is None or best is None:
        return None
    # each join step of any order holds at most ``worst`` rows; a hash join reads every pattern
    return best if best <= MAX_ROWS and sum(firsts) + len(firsts) * worst <= MAX_WORK else None


def _node(term: Term) -> ox.NamedNode | None:
    return ox.NamedNode(term.value) if isinstance(term, Iri) else None


def _count(
    store: ox.Store,
    subject: ox.NamedNode | ox.BlankNode | None,
    predicate: ox.NamedNode | None,
    obj: ox.NamedNode | None,
    most: int,
) -> int | None:
    """The quads matching the pattern (every graph), or None past ``most`` (reading at most
    ``most + 1`` of them)."""
    found = sum(
        1 for _ in itertools.islice(store.quads_for_pattern(subject, predicate, obj), most + 1)
    )
    return None if found > most else found


def _describe_bound(described: tuple[str, ...], store: ox.Store) -> int | None:
    """The quads a DESCRIBE of ``described`` reads (following blank nodes), or None past
    :data:`MAX_ROWS`."""
    seen: set[ox.NamedNode | ox.BlankNode] = set()
    todo: list[ox.NamedNode | ox.BlankNode] = [ox.NamedNode(iri) for iri in described]
    total = 0
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        for quad in itertools.islice(store.quads_for_pattern(node, None, None), MAX_ROWS + 1):
            total += 1
            if total > MAX_ROWS:
                return None
            if isinstance(quad.object, ox.BlankNode):
                todo.append(quad.object)
    return total


class _NotQuickError(Exception):
    """The query is outside the quick class."""


class _Reader:
    def __init__(self, tokens: list[Token]):
        self.t = tokens
        self.i = 0
        self.prefixes: dict[str, str] = {}

    def peek(self) -> Token:
        return self.t[self.i] if self.i < len(self.t) else ("end", "")

    def take(self) -> Token:
        token = self.peek()
        if token[0] == "end":
            raise _NotQuickError
        self.i += 1
        return token

    def word(self) -> str:
        kind, text = self.peek()
        return text.lower() if kind == "name" else ""

    def expect(self, kind: str, text: str | None = None) -> str:
        got_kind, got = self.take()
        if got_kind != kind or (text is not None and got.lower() != text):
            raise _NotQuickError
        return got

    def query(self) -> Star:
        while self.word() == "prefix":
            self.i += 1
            name = self.expect("name")
            iri = self.expect("iri")[1:-1]
            if not name.endswith(":") or name.count(":") != 1 or not _ABSOLUTE.fullmatch(iri):
                raise _NotQuickError
            self.prefixes[name[:-1]] = iri
        form = self.word()
        self.i += 1
        if form == "describe":
            described = []
            while self.peek()[0] != "end":
                described.append(self.iri(self.take()).value)
            if not described or len(described) > MAX_PATTERNS:
                raise _NotQuickError
            return Star(None, (), tuple(described))
        if form == "select":
            if self.word() in ("distinct", "reduced"):
                self.i += 1
            if self.peek() == ("other", "*"):
                self.i += 1
            else:
                selected = 0
                while self.peek()[0] == "var":
                    self.i += 1
                    selected += 1
                if not selected:
                    raise _NotQuickError
        elif form != "ask":
            raise _NotQuickError
        if self.word() == "where":
            self.i += 1
        star = self.triples()
        if form == "select":
            seen: set[str] = set()
            while self.word() in ("limit", "offset") and self.word() not in seen:
                seen.add(self.word())
                self.i += 1
                if not self.expect("name").isdigit():
                    raise _NotQuickError
        if self.peek()[0] != "end":
            raise _NotQuickError
        return star

    def triples(self) -> Star:
        self.expect("open", "{")
        subject: Var | Iri | None = None
        arms: list[tuple[Var | Iri, Term]] = []
        while True:
            if self.peek() == ("close", "}"):
                self.i += 1
                break
            this = self.subject()
            if subject is None:
                subject = this
            elif this != subject:
                raise _NotQuickError  # not a star
            while True:
                predicate = self.predicate()
                while True:
                    arms.append((predicate, self.object()))
                    if self.peek() != ("other", ","):
                        break
                    self.i += 1
                if self.peek() != ("other", ";"):
                    break
                while self.peek() == ("other", ";"):  # ';' may repeat
                    self.i += 1
                if self.peek() in (("close", "}"), ("name", ".")):
                    break
            if self.peek() == ("name", "."):
                self.i += 1
            elif self.peek() != ("close", "}"):
                raise _NotQuickError
        if subject is None or not arms or len(arms) > MAX_PATTERNS:
            raise _NotQuickError
        return Star(subject, tuple(arms))

    def subject(self) -> Var | Iri:
        token = self.take()
        return Var(token[1][1:]) if token[0] == "var" else self.iri(token)

    def predicate(self) -> Var | Iri:
        token = self.take()
        if token[0] == "var":
            return Var(token[1][1:])
        if token == ("name", "a"):
            return Iri(RDF_TYPE)
        return self.iri(token)

    def object(self) -> Term:
        kind, text = self.take()
        if kind == "var":
            return Var(text[1:])
        if kind == "string":
            if self.peek()[0] == "lang":
                self.i += 1
            elif self.peek() == ("other", "^"):
                self.i += 1
                self.expect("other", "^")
                self.iri(self.take())
            return _LITERAL
        if kind == "name" and (_NUMBER.fullmatch(text) or text.lower() in _LITERAL_WORDS):
            return _LITERAL
        return self.iri((kind, text))

    def iri(self, token: Token) -> Iri:
        kind, text = token
        if kind == "iri":
            value = text[1:-1]
            if not _ABSOLUTE.fullmatch(value):
                raise _NotQuickError  # relative: resolved against the base, left to the workers
            return _checked(value)
        if kind == "name":
            match = _PNAME.fullmatch(text)
            if match is not None and (match.group(1) or "") in self.prefixes:
                return _checked(self.prefixes[match.group(1) or ""] + (match.group(2) or ""))
        raise _NotQuickError


def _checked(value: str) -> Iri:
    """``value`` as an IRI; not quick when pyoxigraph does not take it as one (its parser then
    says why, as a syntax error: ``<http://[::1>``, ``<http://x/%zz>``)."""
    try:
        ox.NamedNode(value)
    except ValueError:
        raise _NotQuickError from None
    return Iri(value)
