"""Run SPARQL against the knowledge graph and render the answer for a terminal or a file."""

from __future__ import annotations

import json
from dataclasses import dataclass

import pyoxigraph as ox

from aslgraph.config import Settings
from aslgraph.namespaces import curie
from aslgraph.sparql import guard
from aslgraph.sparql.errors import SparqlError
from aslgraph.store import KnowledgeGraph, OxigraphStore

GRAPH_FORMATS = {
    "table": ox.RdfFormat.TURTLE,
    "csv": ox.RdfFormat.N_TRIPLES,
    "json": ox.RdfFormat.JSON_LD,
}
RESULT_FORMATS = {"csv": ox.QueryResultsFormat.CSV, "json": ox.QueryResultsFormat.JSON}


class QueryError(ValueError):
    """The query is not valid SPARQL, or not a query (updates are refused)."""


@dataclass
class QueryService:
    """Answers SPARQL queries over one knowledge graph."""

    store: KnowledgeGraph
    max_depth: int = Settings.model_fields["max_query_nesting"].default

    @classmethod
    def from_settings(cls, settings: Settings) -> QueryService:
        """Load the knowledge graph (ontology and data) named by ``settings``."""
        store = OxigraphStore.from_paths(settings.kg_dirs, root=settings.root)
        return cls(store, max_depth=settings.max_query_nesting)

    def execute(self, text: str) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
        """Run ``text``; raises QueryError with the parser's message and position.

        The same rules as the SPARQL endpoint apply first (:func:`aslgraph.sparql.guard.enforce`):
        updates, SERVICE, FROM of graphs the store does not hold and over-deep nesting are
        refused before any parser runs, so nothing is fetched and nothing is changed.
        """
        graphs = [source.graph for source in self.store.sources]
        try:
            guard.enforce(guard.analyse(text), max_depth=self.max_depth, graphs=graphs)
        except SparqlError as exc:
            raise QueryError(exc.message) from None
        try:
            return self.store.query(text)
        except SyntaxError as exc:
            raise QueryError(f"invalid SPARQL query: {exc}") from None

    def run(self, text: str, *, fmt: str = "table") -> str:
        """Run ``text`` and render it: ``table`` (aligned, CURIEs), ``csv`` or ``json``.

        SELECT answers use the SPARQL CSV or JSON results formats; CONSTRUCT and DESCRIBE
        answers are Turtle (table), N-Triples (csv) or JSON-LD (json).
        """
        result = self.execute(text)
        if isinstance(result, ox.QueryBoolean):
            if fmt == "json":
                return json.dumps({"head": {}, "boolean": bool(result)}) + "\n"
            return ("true" if result else "false") + "\n"
        if isinstance(result, ox.QueryTriples):
            data = result.serialize(format=GRAPH_FORMATS[fmt])
            return (data or b"").decode("utf-8")
        if fmt in RESULT_FORMATS:
            data = result.serialize(format=RESULT_FORMATS[fmt])
            return (data or b"").decode("utf-8")
        return render_table(result)


def _cell(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return curie(term.value)
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Literal):
        return term.value
    return str(term)


def render_table(solutions: ox.QuerySolutions) -> str:
    """Render SELECT solutions as an aligned plain-text table with a row count."""
    names = [v.value for v in solutions.variables]
    rows = [[_cell(row[name]) for name in names] for row in solutions]
    widths = [max([len(n), *(len(r[i]) for r in rows)]) for i, n in enumerate(names)]
    lines = [
        "  ".join(n.ljust(w) for n, w in zip(names, widths, strict=True)),
        "  ".join("-" * w for w in widths),
    ]
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines) + "\n"
