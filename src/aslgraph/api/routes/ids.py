"""``/id/{scheme}/{local}``: every IRI the knowledge graph mints dereferences here.

Browsers get an HTML page (label, paraphrase, source, parents, parts, mappings, every
statement; everything escaped, no external resource loaded); RDF clients get the resource's
description (its triples, the labels of what it links to and the mapping records pointing at
it) as Turtle, JSON-LD, N-Triples or RDF/XML, chosen by Accept with q-values (or ``format``).
"""

from __future__ import annotations

from functools import partial
from typing import Annotated, Literal
from urllib.parse import quote

import pyoxigraph as ox
from fastapi import APIRouter, Path, Query, Request, Response

from aslgraph.api.deps import CatalogDep, SettingsDep
from aslgraph.api.rest import CachedRoute, catalog_errors, negotiate, problem_responses
from aslgraph.api.ui import entity, layout
from aslgraph.api.ui.layout import root_of
from aslgraph.config import Settings
from aslgraph.kg.catalog import Catalog
from aslgraph.kg.index import split_iri
from aslgraph.kg.model import Ref, ResourceView
from aslgraph.media import HTML, JSON_LD, N_TRIPLES, RDF_XML, RESOURCE_OFFERS, TURTLE
from aslgraph.namespaces import PREFIXES

router = APIRouter(prefix="/id", tags=["ids"], route_class=CachedRoute)

FORMATS = {"ttl": TURTLE, "jsonld": JSON_LD, "nt": N_TRIPLES, "rdf": RDF_XML, "html": HTML}

CONTENT_SECURITY_POLICY = layout.CONTENT_SECURITY_POLICY


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
            render_page(view, settings, catalog, request.url.path),
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


def href(iri: str, settings: Settings) -> str | None:
    """Where a link to ``iri`` goes: our own /id/ page, or the IRI itself if it is http(s)."""
    split = split_iri(iri)
    if split is not None:
        base = settings.public_base.rstrip("/") if settings.public_base else ""
        return f"{base}/id/{quote(split[0], safe='')}/{quote(split[1], safe='')}"
    if iri.startswith(("https://", "http://")):
        return iri
    return None


def render_page(view: ResourceView, settings: Settings, catalog: Catalog, path: str) -> bytes:
    """The HTML page of a resource (:mod:`aslgraph.api.ui.entity`); every value is escaped."""
    instruments = catalog.instruments()
    versions = {v.iri: i for i in instruments for v in i.versions}
    own = next((i for i in instruments if i.iri == view.iri), None)

    def instrument_of(iri: str) -> Ref | None:
        found = versions.get(iri)
        if found is None:
            return None
        return Ref(iri=found.iri, curie=found.curie, notation=found.notation, label=found.label)

    obligations = (
        catalog.provision(view.scheme, view.local).obligations if view.is_provision else []
    )
    base = settings.public_base.rstrip("/") if settings.public_base else ""
    return entity.render(
        view,
        root=root_of(path),
        href=partial(href, settings=settings),
        api_base=base,
        instrument_of=instrument_of,
        obligations=obligations,
        versions=[
            (Ref(iri=v.iri, curie=v.curie, notation=v.notation, label=v.label), v.issued)
            for v in (own.versions if own else [])
        ],
    )
