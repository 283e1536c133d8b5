"""The front door (``GET /``): what aslgraph is and where to go from here.

:func:`front_door` gathers the links (the query page, the API docs, the REST entry points, every
instrument's ``/id/`` page, the example organisation graphs) into a :class:`FrontDoor`; that one
object is answered as JSON or rendered by :func:`render_html` as a page that needs no script.
Every value is escaped; the page loads only its style sheet and favicon, from this origin.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable
from typing import Any

from pydantic import BaseModel, ConfigDict

from aslgraph import __version__
from aslgraph.api.examples import Examples, Verdict
from aslgraph.api.ui import layout
from aslgraph.api.ui.entity import name
from aslgraph.config import Settings
from aslgraph.kg.model import Instrument

CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'self'; img-src 'self' data:; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'none'"
)
"""Sent with the page: its style sheet and images from this origin, no script at all."""

ABOUT = (
    "aslgraph is a knowledge graph that maps AI regulation — the EU AI Act's obligations for "
    "general-purpose AI models, the GPAI Code of Practice, UK guidance — to AI-safety "
    "safeguards such as the AI Safety Levels of Anthropic's Responsible Scaling Policy, "
    "provision by provision, with reified crosswalk mappings that cite both sides.",
    "This service answers SPARQL queries and a REST API over that graph, dereferences every IRI "
    "it mints, and checks an organisation's own graph against the rules that apply to it.",
)
"""What aslgraph is, in two sentences."""


def _example(**example: Any) -> ConfigDict:
    return ConfigDict(frozen=True, json_schema_extra={"examples": [example]})


class Link(BaseModel):
    """A link of the front door: where, what it is called, and what answers there."""

    model_config = _example(
        href="/sparql", title="SPARQL query page", note="a read-only SPARQL 1.1 endpoint"
    )

    href: str
    title: str
    note: str | None = None
    type: str | None = None
    """The media type the link answers with, when it is not the client's choice."""


class Section(BaseModel):
    """A group of links."""

    model_config = _example(
        id="api",
        title="REST API",
        links=[{"href": "/docs", "title": "API docs (Swagger UI)"}],
    )

    id: str
    title: str
    note: str | None = None
    links: list[Link]


class FrontDoor(BaseModel):
    """The index of the service: what it is and its entry points, by section."""

    model_config = _example(
        name="aslgraph",
        version=__version__,
        description=" ".join(ABOUT),
        sections=[
            {
                "id": "query",
                "title": "Query the graph",
                "links": [{"href": "/sparql", "title": "SPARQL query page"}],
            }
        ],
    )

    name: str
    version: str
    description: str
    sections: list[Section]


def front_door(
    settings: Settings,
    instruments: Iterable[Instrument],
    examples: Examples,
    id_href: Callable[[str], str | None],
) -> FrontDoor:
    """The index; ``id_href`` gives the page an IRI dereferences at (an instrument without one
    is linked to its IRI)."""
    base = settings.public_base.rstrip("/") if settings.public_base else ""

    def link(path: str, title: str, note: str | None = None, type: str | None = None) -> Link:
        return Link(href=f"{base}/{path}", title=title, note=note, type=type)

    sections = [
        Section(
            id="ui",
            title="Explore the crosswalk",
            note="Pages for people: they work without JavaScript, and every view has its own "
            "address.",
            links=[
                link(
                    "crosswalk",
                    "Crosswalk matrix",
                    "which instrument maps to which, how strongly; each cell opens the "
                    "provision-by-provision matrix of its pair",
                ),
                link(
                    "coverage/rsp/eu-ai-act",
                    "Coverage of one instrument by another",
                    "covered, partly covered and unmapped provisions (here: the RSP and the "
                    "EU AI Act)",
                ),
                link(
                    "validate",
                    "Validate an organisation graph",
                    "paste or upload a graph, read the findings and the posture verdicts",
                ),
            ],
        ),
        Section(
            id="query",
            title="Query the graph",
            links=[
                link(
                    "sparql",
                    "SPARQL query page",
                    "a query editor with our prefixes and examples over a read-only SPARQL 1.1 "
                    "endpoint; machine clients GET or POST queries here",
                ),
                link(
                    "store?default",
                    "Graph Store (read-only)",
                    "SPARQL 1.1 Graph Store Protocol: the default graph (the union of all "
                    "graphs) here, one source file's graph at /store?graph=IRI; Turtle, "
                    "N-Triples, JSON-LD, RDF/XML, N-Quads or TriG by Accept",
                ),
            ],
        ),
        Section(
            id="api",
            title="REST API",
            note="JSON by default, JSON-LD with Accept: application/ld+json; errors are "
            "RFC 9457 problem documents.",
            links=[
                link("docs", "API docs (Swagger UI)", "try every route in the browser"),
                link("redoc", "API reference (ReDoc)"),
                link("openapi.json", "OpenAPI description", type="application/json"),
                link("health", "Health", "liveness and what is loaded", "application/json"),
            ],
        ),
        Section(
            id="crosswalk",
            title="Crosswalks, coverage and obligations",
            links=[
                link(
                    "api/crosswalk?from=rsp:ASL3-SS",
                    "Crosswalk of a provision",
                    "its direct and derived mappings (here: the RSP's ASL-3 Security Standard)",
                ),
                link(
                    "api/coverage?from=rsp&to=eu-ai-act",
                    "Coverage of one scheme by another",
                    "every provision of one side with what covers it on the other",
                ),
                link(
                    "api/obligations?role=gpai-provider&systemic_risk=true",
                    "Obligations of a role",
                    "who owes what, from which date (here: a provider of a GPAI model with "
                    "systemic risk)",
                ),
                link("api/tiers", "Safety levels", "the AI Safety Levels and what each requires"),
                link("api/provisions", "Provisions", "every addressable unit of every instrument"),
            ],
        ),
        Section(
            id="instruments",
            title="Instruments",
            note="Each IRI below dereferences: HTML here, Turtle or JSON-LD for RDF clients.",
            links=[
                link(
                    "api/instruments", "All instruments and their versions", type="application/json"
                ),
                *(_instrument_link(i, id_href) for i in instruments),
            ],
        ),
    ]
    groups: tuple[tuple[Verdict, str, str], ...] = (
        (
            "valid",
            "Example organisation graphs that conform",
            "Turtle; POST one to /api/validate or /api/posture with Content-Type: text/turtle.",
        ),
        (
            "invalid",
            "Example organisation graphs that do not conform",
            "Each says in its '# expect:' lines where it fails.",
        ),
    )
    for verdict, title, note in groups:
        found = examples.of(verdict)
        if found:
            sections.append(
                Section(
                    id=f"examples-{verdict}",
                    title=title,
                    note=note,
                    links=[link(e.path, e.name, type="text/turtle") for e in found],
                )
            )
    return FrontDoor(
        name="aslgraph", version=__version__, description=" ".join(ABOUT), sections=sections
    )


def _instrument_link(instrument: Instrument, id_href: Callable[[str], str | None]) -> Link:
    title = name(instrument.notation, instrument.label, "")  # the citation said once
    return Link(
        href=id_href(instrument.iri) or instrument.iri,
        title=title or instrument.curie,
        note=instrument.curie,
    )


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _item(link: Link) -> str:
    note = f' <span class="muted">— {_e(link.note)}</span>' if link.note else ""
    kind = f' type="{_e(link.type)}"' if link.type else ""
    return f'<li><a href="{_e(link.href)}"{kind}>{_e(link.title)}</a>{note}</li>'


def render_html(door: FrontDoor) -> bytes:
    """The front door as a page: every value escaped, no script, links as given."""
    parts = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(door.name)}: AI regulation mapped to AI-safety safeguards</title>",
        '<link rel="icon" href="favicon.svg" type="image/svg+xml">',
        '<link rel="icon" href="favicon.ico" sizes="16x16 32x32 48x48">',
        '<link rel="stylesheet" href="static/site/site.css">',
        "</head><body>",
        f"<header>{layout.nav('./', 'home')}</header>",
        f'<h1><img src="favicon.svg" alt="">{_e(door.name)}</h1>',
        f"<p>{_e(door.description)}</p>",
    ]
    for section in door.sections:
        parts.append(f'<h2 id="{_e(section.id)}">{_e(section.title)}</h2>')
        if section.note:
            parts.append(f'<p class="muted">{_e(section.note)}</p>')
        parts.append("<ul>" + "".join(_item(link) for link in section.links) + "</ul>")
    parts.append(
        f'<p class="muted">{_e(door.name)} {_e(door.version)} · this index as JSON: '
        "<code>Accept: application/json</code></p></body></html>"
    )
    return "\n".join(parts).encode("utf-8")
