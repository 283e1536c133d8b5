"""Compile a SHACL shapes graph into set-at-a-time SPARQL queries.

Each constraint of each shape becomes one query over the whole data graph that returns every
(focus node, value node) pair violating it, all focus nodes at once: the shape's targets are a
sub-select (``rdf:type/rdfs:subClassOf*`` for ``sh:targetClass``), absence is a ``MINUS``
anti-join (``sh:minCount``, ``sh:class``, ``sh:in``, ``sh:hasValue``), counting a ``GROUP BY``
(``sh:maxCount``). Where SPARQL and rdflib could disagree about a literal (``sh:datatype``,
``sh:lessThanOrEquals`` on ill-typed or non-canonical literals) the query keeps the rows it cannot
settle and Python settles them as pyshacl does. Logical constraints (``sh:or``, ``sh:and``,
``sh:not``, ``sh:xone``) combine, in Python, the sets of value nodes that fail each
member shape, each found by the member's own compiled queries. A SHACL-SPARQL constraint runs
once with ``$this`` free and its rows are kept for the shape's focus nodes; one that does not
project ``$this`` runs once per focus node (``$this`` substituted). ``sh:node`` is refused: pyshacl
reports the nested shape's own results for it, which is not reproduced.

Shapes are compiled once (:func:`compile_shapes`); a constraint the compiler does not know
raises :class:`UnsupportedShapeError` at start-up rather than being skipped.
"""

from __future__ import annotations

import hashlib
import itertools
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SH, XSD
from rdflib.term import BNode, Node

from aslgraph.shacl.shapes import rests_on_map
from aslgraph.shacl.terms import OxTerm, severity_name, sparql_term, text, to_rdflib

TYPE_OF = f"<{RDF.type}>/<{RDFS.subClassOf}>*"
Focus = Callable[[str], str]
"""Given a variable name, a SPARQL group that binds it to each focus node once."""


class UnsupportedShapeError(ValueError):
    """A shape uses a construct the set-at-a-time compiler does not implement."""


class EvaluationError(ValueError):
    """The data cannot be validated (as pyshacl: a blank node compared by sh:lessThanOrEquals)."""


@dataclass(frozen=True)
class Emitter:
    """What a result of one constraint names besides its focus node and value."""

    shape: Node
    severity: str
    constraint: str
    messages: tuple[Literal, ...]
    path: Node | None
    rests_on: tuple[str, ...]
    source_constraint: Node | None = None
    is_property: bool = False

    @property
    def shape_text(self) -> str:
        return str(self.shape)


@dataclass(frozen=True)
class Hit:
    """One violation: focus, value; for SPARQL constraints also the path and message."""

    focus: OxTerm
    value: OxTerm | None
    path: OxTerm | None = None
    message: str | None = None


@dataclass
class Context:
    """One validation: the store and what the checks share (focus sets by pattern)."""

    store: ox.Store
    focus_sets: dict[str, set[OxTerm]] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    locks: dict[str, threading.Lock] = field(default_factory=dict)
    """Checks run in threads; each focus set is computed once, by the first that needs it."""
    lock: threading.Lock = field(default_factory=threading.Lock)

    def select(self, query: str, **substitutions: OxTerm) -> list[ox.QuerySolution]:
        """The rows of a SELECT query (``substitutions`` bind variables beforehand)."""
        return self.select_named(query, **substitutions)[1]

    def select_named(
        self, query: str, **substitutions: OxTerm
    ) -> tuple[list[str], list[ox.QuerySolution]]:
        """The projected variable names and the rows of a SELECT query.

        The rows are read here: pyoxigraph's result iterator may only be dropped by the thread
        that made it, and checks run in threads.
        """
        result = self.store.query(
            query, substitutions={ox.Variable(k): v for k, v in substitutions.items()} or None
        )
        try:
            if not isinstance(result, ox.QuerySolutions):
                raise TypeError("a compiled query is a SELECT query")
            return [v.value for v in result.variables], list(result)
        finally:
            del result

    def focus_set(self, pattern: str) -> set[OxTerm]:
        with self.lock:
            lock = self.locks.setdefault(pattern, threading.Lock())
        with lock:
            if pattern not in self.focus_sets:
                rows = self.select(f"SELECT DISTINCT ?this WHERE {{ {pattern} }}")
                self.focus_sets[pattern] = {row[0] for row in rows}
            return self.focus_sets[pattern]


Runner = Callable[[Context], list[Hit]]


@dataclass(frozen=True)
class Check:
    """One compiled constraint: run it, and name its results with ``emitter``."""

    name: str
    emitter: Emitter
    run: Runner
    queries: tuple[str, ...]


_fresh_counter = itertools.count()


def _fresh() -> str:
    return f"_v{next(_fresh_counter)}"


SUPPORTED = {
    SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode, SH.property,
    SH.path, SH.minCount, SH.maxCount, SH["class"], SH.datatype, SH.nodeKind, SH["in"],
    SH.hasValue, SH["or"], SH["and"], SH["not"], SH.xone, SH.lessThan,
    SH.lessThanOrEquals, SH.severity, SH.message, SH.sparql, SH.name, SH.description,
    SH.order, SH.group, SH.deactivated, SH.defaultValue, SH.declare, SH.prefixes,
}  # fmt: skip


class Compiler:
    """Compiles the shapes of one shapes graph; see the module docstring."""

    def __init__(self, shapes: Graph, overrides: Path | None = None):
        self.g = shapes
        self.rests_on = rests_on_map(shapes)
        self.overrides = overrides
        self.overridden: list[str] = []
        """Shapes whose SPARQL constraint runs as its hand-written set-at-a-time form."""

    def override(self, shape: Node, select: str) -> str | None:
        """The body of ``overrides/<shape local name>.rq`` if it declares (``# replaces:
        sha256:...``) that it replaces exactly ``select``; else None."""
        if self.overrides is None or not isinstance(shape, URIRef):
            return None
        path = self.overrides / f"{_short(shape)}.rq"
        if not path.is_file():
            return None
        body = path.read_text(encoding="utf-8")
        digest = hashlib.sha256(select.encode("utf-8")).hexdigest()
        if f"# replaces: sha256:{digest}" not in body:
            return None
        self.overridden.append(str(shape))
        return body

    # ------------------------------------------------------------------ shapes and paths
    def top_level_shapes(self) -> list[Node]:
        found: set[Node] = set()
        for predicate in (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode):
            found.update(self.g.subjects(predicate, None))
        for shape in sorted(self.g.subjects(SH.target, None), key=str):
            # SHACL-AF custom targets: pyshacl runs them, so skipping one would differ from it
            raise UnsupportedShapeError(f"{shape}: sh:target (SPARQL-based targets)")
        for kind in (RDFS.Class, OWL.Class):
            for shape in self.g.subjects(RDF.type, kind):
                if (shape, RDF.type, SH.NodeShape) in self.g or (
                    shape,
                    RDF.type,
                    SH.PropertyShape,
                ) in self.g:
                    raise UnsupportedShapeError(f"{shape}: implicit class targets")
        return sorted(found, key=str)

    def path_sparql(self, node: Node) -> str:
        g = self.g
        if isinstance(node, URIRef):
            return f"<{node}>"
        if g.value(node, RDF.first) is not None:
            return "(" + "/".join(self.path_sparql(s) for s in Collection(g, node)) + ")"
        for predicate, template in (
            (SH.inversePath, "^({})"),
            (SH.zeroOrMorePath, "({})*"),
            (SH.oneOrMorePath, "({})+"),
            (SH.zeroOrOnePath, "({})?"),
        ):
            inner = g.value(node, predicate)
            if inner is not None:
                return template.format(self.path_sparql(inner))
        alternatives = g.value(node, SH.alternativePath)
        if alternatives is not None:
            return "(" + "|".join(self.path_sparql(s) for s in Collection(g, alternatives)) + ")"
        raise UnsupportedShapeError(f"unknown SHACL path {node}")

    def targets(self, shape: Node) -> Focus:
        g = self.g
        templates: list[str] = []
        for cls in sorted(g.objects(shape, SH.targetClass), key=str):
            templates.append(f"{{{{ ?{{v}} {TYPE_OF} {sparql_term(cls)} }}}}")
        for p in sorted(g.objects(shape, SH.targetSubjectsOf), key=str):
            templates.append(f"{{{{ ?{{v}} {sparql_term(p)} ?{{o}} }}}}")
        for p in sorted(g.objects(shape, SH.targetObjectsOf), key=str):
            templates.append(f"{{{{ ?{{o}} {sparql_term(p)} ?{{v}} }}}}")
        nodes = sorted(g.objects(shape, SH.targetNode), key=str)
        if nodes:
            values = " ".join(sparql_term(n) for n in nodes)
            templates.append(f"{{{{ VALUES ?{{v}} {{{{ {values} }}}} }}}}")

        def focus(var: str) -> str:
            union = " UNION ".join(t.format(v=var, o=_fresh()) for t in templates)
            return f"{{ SELECT DISTINCT ?{var} WHERE {{ {union} }} }}"

        return focus

    def messages(self, node: Node) -> tuple[Literal, ...]:
        return tuple(m for m in self.g.objects(node, SH.message) if isinstance(m, Literal))

    def emitter(self, shape: Node, component: URIRef, **extra: Any) -> Emitter:
        path = self.g.value(shape, SH.path)
        return Emitter(
            shape=shape,
            severity=severity_name(self.g.value(shape, SH.severity) or SH.Violation),
            constraint=str(component),
            messages=extra.pop("messages", self.messages(shape)),
            path=path,
            rests_on=self.rests_on.get(str(shape), ()),
            is_property=path is not None,
            **extra,
        )

    # ------------------------------------------------------------------ compiling a shape
    def compile(self) -> list[Check]:
        checks: list[Check] = []
        for shape in self.top_level_shapes():
            if self._deactivated(shape):
                continue
            checks.extend(self.shape_checks(shape, self.targets(shape), top=True))
        return checks

    def _deactivated(self, shape: Node) -> bool:
        flag = self.g.value(shape, SH.deactivated)
        return isinstance(flag, Literal) and flag.value is True

    def shape_checks(self, shape: Node, focus: Focus, *, top: bool) -> list[Check]:
        """Checks of ``shape`` and of its property shapes, for the focus nodes ``focus`` binds."""
        g = self.g
        unknown = {
            p
            for p in g.predicates(shape, None)
            if str(p).startswith(str(SH)) and p not in SUPPORTED
        }
        if unknown:
            raise UnsupportedShapeError(f"{shape}: {', '.join(sorted(map(str, unknown)))}")
        path_node = g.value(shape, SH.path)
        path = self.path_sparql(path_node) if path_node is not None else None

        def values(fv: str, vv: str) -> str:
            return f"?{fv} {path} ?{vv} ." if path else f"BIND(?{fv} AS ?{vv})"

        checks: list[Check] = []
        name = _short(shape)
        for param, component, build in self._core_builders():
            for arg in sorted(g.objects(shape, param), key=str):
                queries, runner = build(arg, shape, focus, values, path)
                emitter = self.emitter(shape, component)
                if top and not emitter.messages:
                    raise UnsupportedShapeError(
                        f"{shape}: no sh:message (pyshacl's generic messages are not reproduced)"
                    )
                checks.append(Check(f"{name} {_short(component)}", emitter, runner, queries))
        for constraint in sorted(g.objects(shape, SH.sparql), key=str):
            if self._deactivated(constraint):
                continue
            checks.append(self._sparql_check(shape, constraint, focus, path_node))
        for prop in sorted(g.objects(shape, SH.property), key=str):
            if not self._deactivated(prop):
                checks.extend(self.shape_checks(prop, focus, top=top))
        return checks

    def nonconforming(self, shape: Node, focus: Focus) -> Callable[[Context], set[OxTerm]]:
        """The focus nodes (as ``focus`` binds them) that do not conform to ``shape``."""
        checks = self.shape_checks(shape, focus, top=False)

        def run(ctx: Context) -> set[OxTerm]:
            return {hit.focus for check in checks for hit in check.run(ctx)}

        return run

    def _core_builders(
        self,
    ) -> list[tuple[URIRef, URIRef, Callable[..., tuple[tuple[str, ...], Runner]]]]:
        return [
            (SH.minCount, SH.MinCountConstraintComponent, self._min_count),
            (SH.maxCount, SH.MaxCountConstraintComponent, self._max_count),
            (SH["class"], SH.ClassConstraintComponent, self._class),
            (SH.datatype, SH.DatatypeConstraintComponent, self._datatype),
            (SH.nodeKind, SH.NodeKindConstraintComponent, self._node_kind),
            (SH["in"], SH.InConstraintComponent, self._in),
            (SH.hasValue, SH.HasValueConstraintComponent, self._has_value),
            (SH.lessThan, SH.LessThanConstraintComponent, self._less_than),
            (SH.lessThanOrEquals, SH.LessThanOrEqualsConstraintComponent, self._less_than),
            (SH["or"], SH.OrConstraintComponent, self._logical),
            (SH["and"], SH.AndConstraintComponent, self._logical),
            (SH.xone, SH.XoneConstraintComponent, self._logical),
            (SH["not"], SH.NotConstraintComponent, self._logical),
        ]

    # ------------------------------------------------------------------ core components
    @staticmethod
    def _pairs(query: str) -> Runner:
        def run(ctx: Context) -> list[Hit]:
            return [Hit(row[0], row[1]) for row in ctx.select(query)]

        return run

    @staticmethod
    def _foci(query: str) -> Runner:
        def run(ctx: Context) -> list[Hit]:
            return [Hit(row[0], None) for row in ctx.select(query)]

        return run

    def _min_count(
        self, arg: Node, shape: Node, focus: Focus, values: Any, path: str | None
    ) -> tuple[tuple[str, ...], Runner]:
        n = _int(arg, shape)
        if path is None:
            raise UnsupportedShapeError(f"{shape}: sh:minCount on a node shape")
        if n <= 0:
            return (), lambda ctx: []
        if n == 1:
            query = f"SELECT ?this WHERE {{ {focus('this')} MINUS {{ {values('this', 'v')} }} }}"
        else:
            query = (
                f"SELECT ?this WHERE {{ {focus('this')} OPTIONAL {{ {values('this', 'v')} }} }} "
                f"GROUP BY ?this HAVING (COUNT(DISTINCT ?v) < {n})"
            )
        return (query,), self._foci(query)

    def _max_count(
        self, arg: Node, shape: Node, focus: Focus, values: Any, path: str | None
    ) -> tuple[tuple[str, ...], Runner]:
        n = _int(arg, shape)
        if path is None:
            raise UnsupportedShapeError(f"{shape}: sh:maxCount on a node shape")
        query = (
            f"SELECT ?this WHERE {{ {focus('this')} {values('this', 'v')} }} "
            f"GROUP BY ?this HAVING (COUNT(DISTINCT ?v) > {n})"
        )
        return (query,), self._foci(query)

    def _class(
        self, arg: Node, shape: Node, focus: Focus, values: Any, path: str | None
    ) -> tuple[tuple[str, ...], Runner]:
        query = (
            f"SELECT DISTINCT ?this ?value WHERE {{ {focus('this')} {values('this', 'value')} "
            f"MINUS {{ ?value {TYPE_OF} {sparql_term(arg)} }} }}"
        )
        return (query,), self._pairs(query)

    def _datatype(
        self, arg: Node, shape: Node, focus: Focus, values: Any, path: str | None
    ) -> tuple[tuple[str, ...], Runner]:
        settled = DATATYPE_SETTLED.get(arg)
        condition = f"FILTER(!({settled.format(v='?value')}))" if settled else ""
        query = (
            f"SELECT DISTINCT ?this ?value WHERE {{ {focus('this')} {values('this', 'value')} "
            f"{condition} }}"
        )
        datatype = URIRef(str(arg))

        def run(ctx: Context) -> list[Hit]:
            return [
                Hit(row[0], row[1])
                for row in ctx.select(query)
                if not datatype_matches(to_rdflib(row[1]), datatype)
            ]

        return (query,), run

    def _node_kind(
        self, arg: Node, shape: Node, focus: Focus, values: Any, path: str | None
    ) -> tuple[tuple[str, ...], Runner]:
        kinds: dict[Node, str] = {
            SH.IRI: "isIRI(?value)",
            SH.BlankNode: "isBlank(?value)",
            SH.Literal: "isLiteral(?value)",
            SH.BlankNodeOrIRI: "(isBlank(?value) || isIRI(?value))",
            SH.BlankNodeOrLiteral: "(isBlank(?value) || isLiteral(?value))",
            SH.IRIOrLiteral: "(isIRI(?value) || isLiteral(?value))",
        }
        if arg not in kinds:
            raise UnsupportedShapeError(f"{shape}: sh:nodeKind {arg}")
        query = (
            f"SELECT DISTINCT ?this ?value WHERE {{ {focus('this')} {values('this', 'value')} "
            f"FILTER(!{kinds[arg]}) }}"
        )
        return (query,), self._pairs(query)

    def _in(
        self, arg: Node, shape: Node, focus: Focus, values: Any, path: str | None
    ) -> tuple[tuple[str, ...], Runner]:
        members = " ".join(sparql_term(m) for m in Collection(self.g, arg))
        query = (
            f"SELECT DISTINCT ?this ?value WHERE {{ {focus('this')} {values('this', 'value')} "
            f"MINUS {{ VALUES ?value {{ {members} }} }} }}"
        )
        return (query,), self._pairs(query)

    def _has_value(
        self, arg: Node, shape: Node, focus: Focus, values: Any, path: str | None
    ) -> tuple[tuple[str, ...], Runner]:
        term = sparql_term(arg)
        if path is None:
            query = f"SELECT ?this WHERE {{ {focus('this')} FILTER(!sameTerm(?this, {term})) }}"
        else:
            query = f"SELECT ?this WHERE {{ {focus('this')} MINUS {{ ?this {path} {term} }} }}"
        return (query,), self._foci(query)

    def _less_than(
        self, arg: Node, shape: Node, focus: Focus, values: Any, path: str | None
    ) -> tuple[tuple[str, ...], Runner]:
        strict = (shape, SH.lessThan, arg) in self.g
        op = "<" if strict else "<="
        settled = DATATYPE_SETTLED[XSD.date]
        query = (
            f"SELECT DISTINCT ?this ?value ?other WHERE {{ {focus('this')} "
            f"{values('this', 'value')} ?this {self.path_sparql(arg)} ?other . "
            f"FILTER(!({settled.format(v='?value')} && {settled.format(v='?other')} "
            f"&& ?value {op} ?other)) }}"
        )

        def run(ctx: Context) -> list[Hit]:
            return [
                Hit(row[0], row[1])
                for row in ctx.select(query)
                if not ordered(to_rdflib(row[1]), to_rdflib(row[2]), strict=strict)
            ]

        return (query,), run

    def _logical(
        self, arg: Node, shape: Node, focus: Focus, values: Any, path: str | None
    ) -> tuple[tuple[str, ...], Runner]:
        g = self.g
        kind = next(p for p in (SH["or"], SH["and"], SH.xone, SH["not"]) if (shape, p, arg) in g)
        members = [arg] if kind == SH["not"] else list(Collection(g, arg))
        pairs = (
            f"SELECT DISTINCT ?this ?value WHERE {{ {focus('this')} {values('this', 'value')} }}"
        )

        def member_focus(var: str) -> str:
            outer = _fresh()
            return f"{{ SELECT DISTINCT ?{var} WHERE {{ {focus(outer)} {values(outer, var)} }} }}"

        failing = [self.nonconforming(m, member_focus) for m in members]

        def run(ctx: Context) -> list[Hit]:
            failed = [f(ctx) for f in failing]
            hits = []
            for row in ctx.select(pairs):
                value = row[1]
                fails = sum(value in s for s in failed)
                conforming = len(members) - fails
                if (
                    (kind == SH["or"] and conforming == 0)
                    or (kind == SH["and"] and fails > 0)
                    or (kind == SH.xone and conforming != 1)
                    or (kind == SH["not"] and conforming == 1)
                ):
                    hits.append(Hit(row[0], value))
            return hits

        return (pairs,), run

    # ------------------------------------------------------------------ SHACL-SPARQL
    def _prefixes(self, constraint: Node) -> str:
        declared: dict[str, str] = {}
        for source in self.g.objects(constraint, SH.prefixes):
            for declaration in self.g.objects(source, SH.declare):
                declared[str(self.g.value(declaration, SH.prefix))] = str(
                    self.g.value(declaration, SH.namespace)
                )
        return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in sorted(declared.items()))

    def _sparql_check(
        self, shape: Node, constraint: Node, focus: Focus, path_node: Node | None
    ) -> Check:
        select = self.g.value(constraint, SH.select)
        if select is None:
            raise UnsupportedShapeError(f"{shape}: sh:sparql without sh:select")
        body = self.override(shape, str(select)) or str(select)
        if "$shapesGraph" in body:
            raise UnsupportedShapeError(f"{shape}: $shapesGraph")
        body = body.replace(
            "$currentShape", sparql_term(shape) if isinstance(shape, URIRef) else ""
        )
        if path_node is not None:
            body = body.replace("$PATH", self.path_sparql(path_node))
        body = re.sub(r"\$this\b", "?this", body)
        query = self._prefixes(constraint) + body
        shape_messages = self.messages(shape)
        extra = [m for m in self.messages(constraint) if m not in shape_messages]
        emitter = self.emitter(
            shape,
            SH.SPARQLConstraintComponent,
            messages=tuple(extra) + shape_messages,
            source_constraint=constraint,
        )
        projected = _projection(body)
        per_focus = "this" not in projected and "*" not in projected
        focus_pattern = focus("this")
        node_shape = path_node is None

        templates = [str(m) for m in emitter.messages]
        # the variables a message names: only those are made text, once a result
        wanted = {name for t in templates for name in _PLACEHOLDER.findall(t)}

        def run(ctx: Context) -> list[Hit]:
            foci = ctx.focus_set(focus_pattern)
            rows: list[tuple[OxTerm | None, list[str], ox.QuerySolution]] = []
            for bound_focus in sorted(foci, key=str) if per_focus else [None]:
                names, found = (
                    ctx.select_named(query, this=bound_focus)
                    if bound_focus is not None
                    else ctx.select_named(query)
                )
                rows.extend((bound_focus, names, row) for row in found)
            seen: set[tuple[Any, ...]] = set()
            hits = []
            for bound_focus, names, row in rows:
                bound = {n: t for n, t in zip(names, row, strict=True) if t is not None}
                if "failure" in bound:
                    raise UnsupportedShapeError(f"{shape}: ?failure")
                this = bound.pop("this", None)
                p = bound.pop("path", None)
                v = bound.pop("value", None)
                f = bound_focus if bound_focus is not None else this
                if f is None or f not in foci:
                    continue
                key = (f, this, p, v, tuple(bound.items()))
                if (this is None and p is None and v is None) or key in seen:
                    continue
                seen.add(key)
                if v is None and node_shape:
                    v = f
                message = ""
                if templates:
                    for name, term in (("this", this), ("path", p), ("value", v)):
                        if term is not None:
                            bound[name] = term
                    values = {n: text(bound[n]) for n in wanted if n in bound}
                    message = (
                        _format(templates[0], values)
                        if len(templates) == 1
                        else min(_format(t, values) for t in templates)
                    )
                hits.append(Hit(this or f, v, p, message))
            return hits

        return Check(f"{_short(shape)} sparql", emitter, run, (query,))


_PLACEHOLDER = re.compile(r"\{[?$](\w+)\}")
"""``{?var}`` or ``{$var}`` in a SPARQL constraint's message (SHACL 5.3.2)."""


def _format(message: str, values: dict[str, str]) -> str:
    """A SPARQL constraint's message with each ``{?var}``/``{$var}`` replaced by the text of
    the variable's value (one left as written when the row does not bind it).

    Each value is put in as it reads, in one pass: pyshacl substitutes with ``re.sub`` one
    variable after another, which reads a backslash in a value as an escape (a label holding
    ``\\q`` stopped the whole validation with ``re.error``; ``\\n`` became a line break) and
    substitutes again inside a value already put in. Where no value holds a backslash or a
    placeholder the two give the same text."""
    if "{" not in message:
        return message
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), message)


def _projection(select: str) -> set[str]:
    head = re.split(r"\bWHERE\b|\{", select, maxsplit=1, flags=re.IGNORECASE)[0]
    return {m for m in re.findall(r"[?$](\w+)", head)} | ({"*"} if "*" in head else set())


def _int(node: Node, shape: Node) -> int:
    if isinstance(node, Literal) and isinstance(node.value, int):
        return node.value
    raise UnsupportedShapeError(f"{shape}: count {node} is not an integer")


def _short(node: Node) -> str:
    value = str(node)
    for sep in ("#", "/"):
        if sep in value:
            value = value.rsplit(sep, 1)[1]
    return value


_DATE = (
    '"^([0-9]{{3}}[1-9]|[0-9]{{2}}[1-9]0|[0-9][1-9]00|[1-9]000)-'
    '((0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])|(0[13-9]|1[0-2])-(29|30)|(0[13578]|1[02])-31)$"'
)
"""A date both rdflib and SPARQL read alike: no time zone, a year from 0001 (rdflib refuses year
0000, which SPARQL accepts), a day that exists in its month (29 February is left to Python)."""
DATATYPE_SETTLED: dict[Node, str] = {
    XSD.date: f"(isLiteral({{v}}) && DATATYPE({{v}}) = <{XSD.date}> && REGEX(STR({{v}}), {_DATE}))",
    XSD.boolean: (
        f"(isLiteral({{v}}) && DATATYPE({{v}}) = <{XSD.boolean}>"
        ' && STR({v}) IN ("true", "false"))'
    ),
    XSD.string: f'(isLiteral({{v}}) && DATATYPE({{v}}) = <{XSD.string}> && LANG({{v}}) = "")',
}
"""Per datatype, a SPARQL condition under which a value surely matches it as pyshacl decides;
the rest is decided in Python (:func:`datatype_matches`)."""


_PYTHON_TYPES: dict[Node, type | tuple[type, ...]] = {
    XSD.string: (str, bytes),
    RDF.langString: (str, bytes),
    XSD.integer: int,
    XSD.float: float,
    XSD.decimal: Decimal,
    XSD.boolean: bool,
    XSD.date: date,
    XSD.time: time,
    XSD.dateTime: datetime,
}


def _actual(value: Literal, datatype: Node) -> bool:
    expected = _PYTHON_TYPES.get(datatype)
    return expected is None or isinstance(value.value, expected)


def datatype_matches(value: Node, datatype: URIRef) -> bool:
    """pyshacl's sh:datatype test of one value node (rdflib's ill-typed literals fail)."""
    if not isinstance(value, Literal):
        return False
    if value.datatype == datatype:
        return getattr(value, "ill_typed", None) is not True and _actual(value, datatype)
    if datatype == RDFS.Literal:
        return True
    if datatype == RDFS.Datatype and value.datatype:
        return True
    if value.datatype is None and value.language is None and datatype == XSD.string:
        return _actual(value, datatype)
    if datatype == RDF.langString and value.language:
        return _actual(value, datatype)
    return False


def ordered(value: Node, other: Node, *, strict: bool) -> bool:
    """pyshacl's sh:lessThan / sh:lessThanOrEquals test of one pair."""
    if isinstance(value, BNode) or isinstance(other, BNode):
        raise EvaluationError("Cannot use sh:lessThanOrEquals to compare a BlankNode.")

    def unwrap(node: Node) -> tuple[Any, bool]:
        if isinstance(node, URIRef):
            return str(node), True
        if isinstance(node, Literal) and isinstance(node.value, str):
            return node.value, True
        return node, False

    left, left_string = unwrap(value)
    right, right_string = unwrap(other)
    if left_string != right_string:
        return False
    return bool(left < right) if strict else bool(left <= right)
