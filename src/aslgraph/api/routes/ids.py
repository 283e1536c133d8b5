"""``/id/{scheme}/{local}``: every IRI the knowledge graph mints dereferences here.

Browsers get an HTML page (label, paraphrase, source, parents, parts, mappings, every
statement; everything escaped, no external resource loaded); RDF clients get the resource's
description (its triples, the labels of what it links to and the mapping records pointing at
it) as Turtle, JSON-LD, N-Triples or RDF/XML, chosen by Accept with q-values (or ``format``).
"""

from __future__ import annotations

import html
from typing import Annotated, Literal
from urllib.parse import quote

import pyoxigraph as ox
from fastapi import APIRouter, Path, Query, Request, Response

from aslgraph.api.deps import CatalogDep, SettingsDep
from aslgraph.api.rest import CachedRoute, catalog_errors, negotiate, problem_responses
from aslgraph.config import Settings
from aslgraph.kg.index import split_iri
from aslgraph.kg.model import Citation, MappingLink, Ref, ResourceView, SourceRef
from aslgraph.media import HTML, JSON_LD, N_TRIPLES, RDF_XML, RESOURCE_OFFERS, TURTLE
from aslgraph.namespaces import PREFIXES

router = APIRouter(prefix="/id", tags=["ids"], route_class=CachedRoute)

FORMATS = {"ttl": TURTLE, "jsonld": JSON_LD, "nt": N_TRIPLES, "rdf": RDF_XML, "html": HTML}

CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'none'"
)


@router.get(
    "/{scheme}/{local}",
    summary="Dereference an IRI of the knowledge graph",
    description="HTML for browsers; Turtle (the default), JSON-LD, N-Triples or RDF/XML for "
    "RDF clients: the resource's own triples, the labels and notations of what it links to "
    "and the mapping records that point at it. `format` overrides the Accept header.",
    response_class=Response,
    responses={
        200: {
            "description": "The resource.",
            "content": {
                "text/html": {"schema": {"type": "string"}},
                "text/turtle": {"schema": {"type": "string"}},
                "application/ld+json": {
                    "schema": {
                        "type": ["object", "array"],
                        "description": "JSON-LD 1.1: a node object or an array of them",
                    }
                },
                "application/n-triples": {"schema": {"type": "string"}},
                "application/rdf+xml": {"schema": {"type": "string"}},
            },
        },
        **problem_responses(404, 406),
    },
)
async def dereference(
    scheme: Annotated[str, Path(max_length=64, examples=["eu-ai-act"])],
    local: Annotated[str, Path(max_length=256, examples=["art55-1-d"])],
    request: Request,
    catalog: CatalogDep,
    settings: SettingsDep,
    format: Annotated[
        Literal["ttl", "jsonld", "nt", "rdf", "html"] | None,
        Query(description="Overrides the Accept header."),
    ] = None,
) -> Response:
    offer = FORMATS[format] if format else negotiate(request, RESOURCE_OFFERS)
    if offer.kind == "page":
        with catalog_errors():
            view = catalog.resource(scheme, local)
        return Response(
            render_page(view, settings),
            media_type=HTML.content_type,
            headers={
                "Content-Security-Policy": CONTENT_SECURITY_POLICY,
                "X-Content-Type-Options": "nosniff",
                "Vary": "Accept",
            },
        )
    with catalog_errors():
        triples = catalog.triples(scheme, local)
    rdf_format = getattr(ox.RdfFormat, offer.format)
    body = ox.serialize(list(triples), format=rdf_format, prefixes=_used_prefixes(triples))
    return Response(
        body or b"",
        media_type=offer.content_type,
        headers={"Vary": "Accept"},
    )


router.add_api_route(
    "/{scheme}/{local}",
    dereference,
    methods=["HEAD"],
    include_in_schema=False,
    response_class=Response,
)


def _used_prefixes(triples: tuple[ox.Triple, ...]) -> dict[str, str]:
    """The known prefixes whose namespace some IRI of ``triples`` lies in."""
    namespaces = sorted(PREFIXES.items(), key=lambda item: -len(item[1]))
    used: dict[str, str] = {}
    for triple in triples:
        for term in (triple.subject, triple.predicate, triple.object):
            if not isinstance(term, ox.NamedNode):
                continue
            for prefix, namespace in namespaces:
                if term.value.startswith(namespace):
                    used[prefix] = namespace
                    break
    return dict(sorted(used.items()))


# ---------------------------------------------------------------- the HTML page


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def href(iri: str, settings: Settings) -> str | None:
    """Where a link to ``iri`` goes: our own /id/ page, or the IRI itself if it is http(s)."""
    split = split_iri(iri)
    if split is not None:
        base = settings.public_base.rstrip("/") if settings.public_base else ""
        return f"{base}/id/{quote(split[0], safe='')}/{quote(split[1], safe='')}"
    if iri.startswith(("https://", "http://")):
        return iri
    return None


def _link(ref: Ref | Citation | SourceRef, settings: Settings, text: str | None = None) -> str:
    if text is None:
        if isinstance(ref, Ref | Citation):
            parts = [p for p in (ref.notation, ref.label) if p]
            text = " — ".join(dict.fromkeys(parts)) or ref.curie
            text = text if ref.curie in text else f"{text} ({ref.curie})"
        else:
            text = ref.title or ref.key or ref.iri
    target = href(ref.iri, settings)
    if target is None:
        return _e(text)
    return f'<a href="{_e(target)}">{_e(text)}</a>'


def _value(value: Ref | str, settings: Settings) -> str:
    if isinstance(value, str):
        return _e(value)
    return _link(value, settings)


def _mapping_row(link: MappingLink, settings: Settings) -> str:
    confidence = "" if link.confidence is None else f"{link.confidence:g}"
    status = link.status.id if link.status else ""
    record = _link(Ref(iri=link.mapping, curie=link.curie), settings, link.curie)
    return (
        f"<tr><td>{_e(link.relation.label)}</td><td>{_link(link.other, settings)}</td>"
        f"<td>{_e(confidence)}</td><td>{_e(status)}</td><td>{record}</td></tr>"
    )


STYLE = (
    "body{font:16px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem;"
    "color:#1a1a1a}h1{font-size:1.5rem}code{background:#f2f2f2;padding:0 .2rem}"
    "table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.3rem;"
    "text-align:left;vertical-align:top}.muted{color:#666}"
)


def render_page(view: ResourceView, settings: Settings) -> bytes:
    """The HTML page of a resource; every value from the graph is escaped."""
    title = view.notation or view.label or view.curie
    heading = " — ".join(dict.fromkeys(p for p in (view.notation, view.label) if p)) or view.curie
    parts: list[str] = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(title)} · aslgraph</title><style>{STYLE}</style>",
        '<link rel="icon" href="../../favicon.svg" type="image/svg+xml">',
        '<link rel="icon" href="../../favicon.ico" sizes="16x16 32x32 48x48"></head><body>',
        f"<h1>{_e(heading)}</h1>",
        f'<p class="muted"><code>{_e(view.curie)}</code> · <code>{_e(view.iri)}</code></p>',
    ]
    if view.types:
        types = ", ".join(_link(t, settings, t.label or t.curie) for t in view.types)
        parts.append(f"<p>Type: {types}</p>")
    if view.paraphrase:
        parts.append(f"<p>{_e(view.paraphrase)}</p>")
    if view.sources:
        sources = "; ".join(_link(s, settings) for s in view.sources)
        locator = f" — {_e(view.locator)}" if view.locator else ""
        parts.append(f"<p>Source: {sources}{locator}</p>")
    if view.parents:
        chain = " < ".join(_link(p, settings) for p in view.parents)
        parts.append(f"<p>Part of: {chain}</p>")
    if view.children:
        items = "".join(f"<li>{_link(c, settings)}</li>" for c in view.children)
        parts.append(f"<h2>Parts</h2><ul>{items}</ul>")
    if view.mappings:
        rows = "".join(_mapping_row(m, settings) for m in view.mappings)
        parts.append(
            "<h2>Mappings</h2><table><thead><tr><th>relation (read from here)</th>"
            "<th>other provision</th><th>confidence</th><th>status</th><th>record</th></tr>"
            f"</thead><tbody>{rows}</tbody></table>"
        )
    if view.statements:
        rows = "".join(
            f"<tr><th>{_link(s.property, settings, s.property.curie)}</th>"
            f"<td>{'<br>'.join(_value(v, settings) for v in s.values)}</td></tr>"
            for s in view.statements
        )
        parts.append(f"<h2>All statements</h2><table><tbody>{rows}</tbody></table>")
    alternatives = [
        f'<a href="?format={name}">{label}</a>'
        for name, label in (
            ("ttl", "Turtle"),
            ("jsonld", "JSON-LD"),
            ("nt", "N-Triples"),
            ("rdf", "RDF/XML"),
        )
    ]
    if view.is_provision:
        base = settings.public_base.rstrip("/") if settings.public_base else ""
        api = f"{base}/api/provisions/{quote(view.scheme, safe='')}/{quote(view.local, safe='')}"
        alternatives.append(f'<a href="{_e(api)}">JSON (REST API)</a>')
    parts.append(f'<p class="muted">Also as {", ".join(alternatives)}.</p></body></html>')
    return "\n".join(parts).encode("utf-8")
