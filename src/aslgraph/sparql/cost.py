"""A query's cost class: read from its shape before it runs, and learned from how long it ran.

The SPARQL workers are few, and one query that joins two unselective patterns sharing no
variable (``{ ?a ?b ?c . ?d ?e ?f }`` is 2 x 10^8 rows over this graph) holds a worker until
its time budget ends. So that such queries cannot take every worker, the engine runs *heavy*
queries on at most all but the reserved workers (the pool's heavy lane); the rest are *light*
and may use any worker. A query is heavy when

* its shape says so: a group pattern joins two or more parts that share no variable (a
  Cartesian product), one of which is unselective (none of its triple patterns has a constant
  subject or object); or
* its fingerprint (its tokens with variables, IRIs, literals and numbers blanked out, so that
  the same question about another subject, or with another comment, matches) ran for
  ``slow_seconds`` or more, or was stopped at the time budget, the last time it ran.

The class only chooses a lane: misjudging a query delays it, never changes its answer. The
shape is read by a small recursive reader over :func:`aslgraph.sparql.guard.tokens`, not a
parser: it never raises, and what it does not understand it skips.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from dataclasses import dataclass

from aslgraph.sparql.guard import tokens

_Token = tuple[str, str]
_END: _Token = ("end", "")
_KEYWORDS = frozenset(
    {"optional", "minus", "union", "graph", "filter", "bind", "values", "select", "where",
     "service", "not", "exists"}
)  # fmt: skip
_PATH_POSTFIX = frozenset({"*", "+", "?"})
_PATH_JOIN = frozenset({"/", "|"})
_PATH_PREFIX = frozenset({"^", "!"})
_MAX_DEPTH = 100
"""Groups read in depth (deeper ones are skipped, not read: the reader recurses)."""


@dataclass(frozen=True)
class Shape:
    """What a query's text says about its cost: its ``fingerprint`` and whether it joins parts
    that share no variable (``cartesian``)."""

    fingerprint: str
    cartesian: bool


@dataclass(frozen=True)
class Cost:
    """A query's class: ``heavy`` or not, and ``reason`` (why it is heavy, for messages)."""

    heavy: bool
    reason: str | None = None


@dataclass
class _Part:
    """One operand of a join in a group: its variables, and whether a constant bounds it."""

    variables: set[str]
    selective: bool


class _Reader:
    def __init__(self, items: list[_Token]):
        self.t = items
        self.i = 0
        self.cartesian = False
        self.depth = 0

    # ------------------------------------------------------------ tokens

    def peek(self, ahead: int = 0) -> _Token:
        j = self.i + ahead
        return self.t[j] if j < len(self.t) else _END

    def word(self) -> str | None:
        kind, text = self.peek()
        return text.lower() if kind == "name" and ":" not in text else None

    def at_keyword(self) -> bool:
        return self.word() in _KEYWORDS

    def skip_balanced(self) -> set[str]:
        """Skip from an opening bracket to its match; the variables met on the way."""
        depth = 0
        seen: set[str] = set()
        while self.i < len(self.t):
            kind, text = self.t[self.i]
            self.i += 1
            if kind == "open":
                depth += 1
            elif kind == "close":
                depth -= 1
                if depth <= 0:
                    break
            elif kind == "var":
                seen.add(text)
        return seen

    def skip_to_brace(self) -> None:
        """Skip to the next ``{`` (over bracketed expressions), leaving it unread."""
        while self.i < len(self.t):
            kind, text = self.t[self.i]
            if kind == "open" and text == "{":
                return
            if kind == "open":
                self.skip_balanced()
            elif kind == "close":
                return
            else:
                self.i += 1

    # ------------------------------------------------------------ the query

    def query(self) -> None:
        template = False  # the next group is CONSTRUCT's template, not a pattern
        while self.i < len(self.t):
            kind, text = self.t[self.i]
            word = self.word()
            if word == "construct":
                template = True
            elif word == "where":
                template = False
            elif word == "values":
                self.i += 1
                self.skip_to_brace()
                self.skip_balanced()
                continue
            if kind == "open" and text == "{":
                if template:
                    self.skip_balanced()
                    template = False
                else:
                    self.group()
                continue
            if kind == "open":
                self.skip_balanced()
                continue
            self.i += 1

    def group(self) -> _Part:
        """Read a group from its ``{`` through its ``}``; note a Cartesian product in it.
        Groups nested deeper than the endpoint allows (it refuses such queries) are skipped."""
        if self.depth >= _MAX_DEPTH:
            return _Part(self.skip_balanced(), False)
        self.depth += 1
        try:
            return self._group()
        finally:
            self.depth -= 1

    def _group(self) -> _Part:
        self.i += 1
        parts: list[_Part] = []
        while self.i < len(self.t):
            kind, text = self.t[self.i]
            if kind == "close":
                self.i += 1
                if text == "}":
                    break
                continue
            if kind == "open" and text == "{":
                parts.append(self.group())
                continue
            word = self.word()
            if word in _KEYWORDS:
                if self.keyword(word, parts):
                    break  # a subquery: its group has ended with it
                continue
            if kind == "other" or (kind == "name" and text == "."):
                self.i += 1
                continue
            start = self.i
            parts.append(self.block())
            if self.i == start:
                self.i += 1
        self.join(parts)
        variables: set[str] = set()
        for part in parts:
            variables |= part.variables
        return _Part(variables, any(part.selective for part in parts))

    def keyword(self, word: str, parts: list[_Part]) -> bool:
        """Read what follows a keyword in a group; True when the group has been read to its
        end (a subquery)."""
        self.i += 1
        if word in ("optional", "union", "minus", "service", "graph"):
            extra: set[str] = set()
            if word in ("service", "graph"):
                kind, text = self.peek()
                if kind == "var":
                    extra.add(text)
            self.skip_to_brace()
            if self.peek()[1] != "{":
                return False
            part = self.group()
            part.variables |= extra
            if word == "union" and parts:
                parts[-1].variables |= part.variables
                parts[-1].selective = parts[-1].selective and part.selective
            elif word in ("optional", "graph", "union"):
                # a left join on no shared variable is a product as well
                parts.append(part)
            return False
        if word in ("filter", "bind"):
            while self.peek()[0] == "name" and self.word() not in (None, "."):
                self.i += 1  # a function name, NOT, EXISTS
            if self.peek()[0] == "open":
                self.skip_balanced()
            return False
        if word == "values":
            self.skip_to_brace()
            self.skip_balanced()
            return False
        if word == "select":
            self.skip_to_brace()
            if self.peek()[1] == "{":
                parts.append(self.group())
            depth = 0  # the solution modifiers, to the subquery's closing brace
            while self.i < len(self.t):
                kind, _ = self.t[self.i]
                self.i += 1
                if kind == "open":
                    depth += 1
                elif kind == "close":
                    if depth == 0:
                        break
                    depth -= 1
            self.join(parts)
            return True
        return False  # where, not, exists: nothing to read

    def block(self) -> _Part:
        """A triples block: a subject and its predicate-object list."""
        variables: set[str] = set()
        selective = False
        subject, found = self.term()
        variables |= found
        while not self.block_ends():
            variables |= self.path()
            while True:
                obj, found = self.term()
                variables |= found
                if subject == "const" or obj == "const":
                    selective = True
                if self.peek() == ("other", ","):
                    self.i += 1
                    continue
                break
            if self.peek() != ("other", ";"):
                break
            while self.peek() == ("other", ";"):
                self.i += 1
        if self.peek() == ("name", "."):
            self.i += 1
        return _Part(variables, selective)

    def block_ends(self) -> bool:
        kind, text = self.peek()
        return kind in ("end", "close") or text in ("{", ".") or self.at_keyword()

    def term(self) -> tuple[str, set[str]]:
        """Read one RDF term or variable: (``var``, ``const``, ``node`` or ``none``, its
        variables)."""
        kind, text = self.peek()
        if kind == "var":
            self.i += 1
            return "var", {text}
        if kind == "iri":
            self.i += 1
            return "const", set()
        if kind == "string":
            self.i += 1
            if self.peek()[0] == "lang":
                self.i += 1
            if self.peek() == ("other", "^") and self.peek(1) == ("other", "^"):
                self.i += 3  # ^^ and the datatype
            return "const", set()
        if kind == "name" and text != "." and not self.at_keyword():
            self.i += 1
            if text.startswith("_:"):
                return "var", {text}  # a blank node label joins like a variable
            return "const", set()
        if kind == "open" and text in ("[", "("):
            return "node", self.skip_balanced()
        return "none", set()

    def path(self) -> set[str]:
        """Read a predicate or property path; its variables (a variable predicate)."""
        found: set[str] = set()
        while True:
            while self.peek()[0] == "other" and self.peek()[1] in _PATH_PREFIX:
                self.i += 1
            kind, text = self.peek()
            if kind == "var":
                found.add(text)
                self.i += 1
            elif kind == "iri" or (kind == "name" and text != "." and not self.at_keyword()):
                self.i += 1
            elif kind == "open" and text == "(":
                found |= self.skip_balanced()
            else:
                return found
            while self.peek()[0] == "other" and self.peek()[1] in _PATH_POSTFIX:
                self.i += 1
            if self.peek()[0] == "other" and self.peek()[1] in _PATH_JOIN:
                self.i += 1
                continue
            return found

    def join(self, parts: list[_Part]) -> None:
        """Note a Cartesian product among the joined ``parts`` of one group."""
        parts = [part for part in parts if part.variables]
        if len(parts) < 2:
            return
        parent = list(range(len(parts)))

        def root(k: int) -> int:
            while parent[k] != k:
                parent[k] = parent[parent[k]]
                k = parent[k]
            return k

        owner: dict[str, int] = {}
        for k, part in enumerate(parts):
            for variable in part.variables:
                if variable in owner:
                    parent[root(k)] = root(owner[variable])
                else:
                    owner[variable] = k
        selective: dict[int, bool] = {}
        for k, part in enumerate(parts):
            r = root(k)
            selective[r] = selective.get(r, False) or part.selective
        if len(selective) >= 2 and not all(selective.values()):
            self.cartesian = True


def _split_dots(items: list[_Token]) -> list[_Token]:
    """The scanner glues a triple's closing ``.`` to a prefixed name (``ex:b.``); part them."""
    out: list[_Token] = []
    for kind, text in items:
        if kind == "name" and len(text) > 1 and text.endswith("."):
            out.append((kind, text.rstrip(".")))
            out.append(("name", "."))
        else:
            out.append((kind, text))
    return out


def _blank(kind: str, text: str) -> str:
    if kind == "var":
        return "?"
    if kind in ("iri", "string"):
        return kind[0]
    if kind == "lang":
        return ""
    if kind == "name" and ":" not in text:
        return "0" if text[:1].isdigit() or text[:2].lstrip("+-")[:1].isdigit() else text.lower()
    return text


def shape(text: str) -> Shape:
    """Read the shape of a query text (never raises)."""
    return shape_of(list(tokens(text)))


def _skeleton(kind: str, text: str) -> str:
    """A token as the reader and the fingerprint see it: IRIs, strings and language tags
    blanked (the reader only asks whether a term is a constant), the rest as written."""
    if kind == "iri" or kind == "string" or kind == "lang":
        return kind
    return f"{kind} {text}"


_SHAPES: OrderedDict[str, Shape] = OrderedDict()
_SHAPES_KEPT = 1024
_SHAPE_MEMO_LENGTH = 16_384


def shape_of(items: list[_Token]) -> Shape:
    """The shape of a query from its significant tokens (:func:`aslgraph.sparql.guard.scan`).

    Both what the reader finds and the fingerprint depend only on the tokens with IRIs,
    strings and language tags blanked (the question, not the subject it is about), so the
    shape is memoised under that skeleton (at most 1,024, for queries up to 16 KiB of it):
    the same question about another subject, or with another comment, is read once.
    """
    skeleton = "\n".join([_skeleton(kind, text) for kind, text in items])
    if len(skeleton) > _SHAPE_MEMO_LENGTH:
        return _read_shape(items)
    known = _SHAPES.get(skeleton)
    if known is not None:
        _SHAPES.move_to_end(skeleton)
        return known
    found = _read_shape(items)
    _SHAPES[skeleton] = found
    if len(_SHAPES) > _SHAPES_KEPT:
        _SHAPES.popitem(last=False)
    return found


def _read_shape(items: list[_Token]) -> Shape:
    parts = _split_dots(items)
    reader = _Reader(parts)
    reader.query()
    blanked = " ".join(_blank(kind, token) for kind, token in parts)
    digest = hashlib.blake2b(blanked.encode("utf-8"), digest_size=12).hexdigest()
    return Shape(fingerprint=digest, cartesian=reader.cartesian)


class CostHistory:
    """The fingerprints that ran slowly the last time (at most ``max_entries``, the oldest
    forgotten first); a fingerprint that then runs quickly is forgotten."""

    def __init__(self, slow_seconds: float, *, max_entries: int = 4096):
        self.slow_seconds = slow_seconds
        self.max_entries = max_entries
        self._slow: OrderedDict[str, str] = OrderedDict()

    def __len__(self) -> int:
        return len(self._slow)

    def record(self, fingerprint: str, seconds: float, *, stopped: bool = False) -> None:
        """Note how a run of ``fingerprint`` went: ``seconds`` of work, or ``stopped`` at the
        time budget."""
        if stopped or seconds >= self.slow_seconds:
            how = "was stopped at the time budget" if stopped else f"took {seconds:.1f} s"
            self._slow[fingerprint] = how
            self._slow.move_to_end(fingerprint)
            while len(self._slow) > self.max_entries:
                self._slow.popitem(last=False)
        else:
            self._slow.pop(fingerprint, None)

    def classify(self, query_shape: Shape) -> Cost:
        """The cost class of a query of ``query_shape``."""
        if query_shape.cartesian:
            return Cost(
                True,
                "it joins patterns that share no variable, at least one without a constant "
                "subject or object (a Cartesian product)",
            )
        how = self._slow.get(query_shape.fingerprint)
        if how is not None:
            return Cost(True, f"a query of the same shape {how} when it last ran")
        return Cost(False)
