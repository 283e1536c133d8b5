"""The knowledge graph's integrity check: SHACL shapes (shapes/kg) and "no rows expected" queries.

:func:`check` loads the ontology plus the given data into a fresh store, validates it and runs
every quality query, and returns findings that name the file, the resource, what is wrong and
which rule says so.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from aslgraph.config import Settings
from aslgraph.queries import qa_queries
from aslgraph.shacl.reference import Validator, quads_to_graph
from aslgraph.store import OxigraphStore


@dataclass(frozen=True)
class Finding:
    """One problem in the knowledge graph."""

    files: tuple[str, ...]
    resource: str
    message: str
    rule: str
    path: str | None = None
    severity: str = "violation"


@dataclass(frozen=True)
class IntegrityReport:
    """Every finding of one check, and what was checked."""

    findings: tuple[Finding, ...]
    files: tuple[str, ...]
    triples: int
    rules: int

    @property
    def ok(self) -> bool:
        return not any(f.severity == "violation" for f in self.findings)


def store_as_graph(store: OxigraphStore) -> Graph:
    """Copy the union of the store's graphs into an rdflib graph (for pyshacl), term by term:
    writing N-Triples for rdflib to parse again took twice as long."""
    return quads_to_graph(store.quads())


def _files_by_subject(store: OxigraphStore) -> dict[str, set[str]]:
    by_graph = {source.graph: source.relative for source in store.sources}
    files: dict[str, set[str]] = defaultdict(set)
    for quad in store.quads():
        if isinstance(quad.subject, ox.NamedNode) and isinstance(quad.graph_name, ox.NamedNode):
            files[quad.subject.value].add(by_graph.get(quad.graph_name.value, "?"))
    return files


def check(
    data_paths: Sequence[Path] | None = None,
    *,
    settings: Settings | None = None,
    validator: Validator | None = None,
) -> IntegrityReport:
    """Check the ontology plus ``data_paths`` (default: the data folder).

    Raises aslgraph.store.SourceNotFoundError or ParseError when a source cannot be loaded.
    """
    settings = settings or Settings()
    paths: list[Path] = [settings.ontology_dir, *(data_paths or [settings.data_dir])]
    store = OxigraphStore.from_paths(paths, root=settings.root, cache_dir=settings.store_cache)
    validator = validator or Validator.from_paths([settings.shapes_dir / "kg"])
    files = _files_by_subject(store)

    def where(resource: str) -> tuple[str, ...]:
        return tuple(sorted(files.get(resource, set()))) or ("(no file defines it)",)

    findings: list[Finding] = []
    # the copy is this check's own: pyshacl may validate it in place rather than copy it again
    report = validator.validate(store_as_graph(store), inplace=True)
    for result in report.results:
        findings.append(
            Finding(
                files=where(result.focus),
                resource=result.focus,
                message=result.message,
                rule=result.source_shape,
                path=result.path,
                severity=result.severity,
            )
        )
    checks = qa_queries(settings.queries_dir)
    for qa in checks:
        findings.extend(_run_qa(store, qa.name, qa.text, where))
    return IntegrityReport(
        findings=tuple(sorted(findings, key=lambda f: (f.files, f.resource, f.rule, f.message))),
        files=tuple(source.relative for source in store.sources),
        triples=len(store),
        rules=_count_shapes(validator) + len(checks),
    )


def _count_shapes(validator: Validator) -> int:
    query = (
        "PREFIX sh: <http://www.w3.org/ns/shacl#> "
        "SELECT DISTINCT ?s WHERE { { ?s a sh:NodeShape } UNION { ?s sh:path ?p } }"
    )
    return sum(1 for _ in validator.shapes.query(query))


def _run_qa(
    store: OxigraphStore, name: str, text: str, where: Callable[[str], tuple[str, ...]]
) -> Iterable[Finding]:
    result = store.query(text)
    assert isinstance(result, ox.QuerySolutions), f"{name} must be a SELECT"  # noqa: S101
    for row in result:
        resource = row["resource"]
        message = row["message"]
        value = resource.value if resource is not None else "?"
        yield Finding(
            files=where(value),
            resource=value,
            message=message.value if message is not None else name,
            rule=f"queries/{name}.rq",
        )
