"""The HTML page of a minted resource (``/id/{scheme}/{local}``).

Breadcrumbs from the instrument down (instrument → chapter → article → paragraph → point),
a heading that names the resource once, the duties it imposes (roles, condition, dates), its
mappings with positive relations first and the records that assert no relationship (and the
superseded ones) in sections of their own, every statement, and links to the same data as
Turtle, JSON-LD, N-Triples and RDF/XML. Every value from the graph is escaped.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from urllib.parse import quote

from aslgraph.api.ui.layout import Crumb, e, page
from aslgraph.kg.index import split_iri
from aslgraph.kg.model import (
    Citation,
    MappingLink,
    ObligationInfo,
    Ref,
    ResourceView,
    SourceRef,
)

NO_RELATIONSHIP = "no-relationship"
SUPERSEDED = "superseded"
FORMATS = (
    ("ttl", "text/turtle", "Turtle"),
    ("jsonld", "application/ld+json", "JSON-LD"),
    ("nt", "application/n-triples", "N-Triples"),
    ("rdf", "application/rdf+xml", "RDF/XML"),
)
"""The other formats of a resource: (``format`` value, media type, name)."""

Href = Callable[[str], str | None]
"""Where a link to an IRI goes (our /id/ page, the IRI itself, or None)."""


def name(notation: str | None, label: str | None, fallback: str) -> str:
    """A resource's name, saying the citation once: the label when it already holds the
    notation ("Art. 55(1)(d) — cybersecurity ..."), else "notation — label"."""
    if notation and label:
        return label if notation in label else f"{notation} — {label}"
    return notation or label or fallback


def short_name(ref: Ref | Citation) -> str:
    """The citation alone when there is one (for breadcrumbs), else the label or CURIE."""
    return ref.notation or ref.label or ref.curie


def link(ref: Ref | Citation | SourceRef, href: Href, text: str | None = None) -> str:
    """A link to ``ref`` (plain text when it has nowhere to go)."""
    if text is None:
        if isinstance(ref, Ref | Citation):
            text = name(ref.notation, ref.label, ref.curie)
            text = text if ref.curie in text else f"{text} ({ref.curie})"
        else:
            text = ref.title or ref.key or ref.iri
    target = href(ref.iri)
    if target is None:
        return e(text)
    return f'<a href="{e(target)}">{e(text)}</a>'


def _value(value: Ref | str, href: Href) -> str:
    return e(value) if isinstance(value, str) else link(value, href)


def _date(value: date | None) -> str:
    return value.isoformat() if value else ""


def _mapping_table(links: Sequence[MappingLink], href: Href, caption: str) -> str:
    rows = []
    for m in links:
        confidence = "" if m.confidence is None else f"{m.confidence:g}"
        status = m.status.id if m.status else ""
        record = link(Ref(iri=m.mapping, curie=m.curie), href, m.curie)
        why = f'<td class="why">{e(m.justification)}</td>' if m.justification else "<td></td>"
        rows.append(
            f'<tr><td class="rel rel-{e(m.relation.id)}">{e(m.relation.label)}</td>'
            f"<td>{link(m.other, href)}</td><td>{e(confidence)}</td><td>{e(status)}</td>"
            f"{why}<td>{record}</td></tr>"
        )
    return (
        f'<table class="mappings"><caption>{e(caption)}</caption><thead><tr>'
        '<th scope="col">relation (read from here)</th><th scope="col">other provision</th>'
        '<th scope="col">confidence</th><th scope="col">status</th>'
        '<th scope="col">justification</th><th scope="col">record</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def split_mappings(
    links: Sequence[MappingLink],
) -> tuple[list[MappingLink], list[MappingLink], list[MappingLink]]:
    """(positive, no-relationship, superseded), each in the order given."""
    positive, none, superseded = [], [], []
    for m in links:
        if m.status is not None and m.status.id == SUPERSEDED:
            superseded.append(m)
        elif m.relation.id == NO_RELATIONSHIP:
            none.append(m)
        else:
            positive.append(m)
    return positive, none, superseded


def _obligations(obligations: Sequence[ObligationInfo], href: Href) -> str:
    rows = []
    for o in obligations:
        roles = "<br>".join(
            link(Ref(iri=r.iri, curie=f"role:{r.id}"), href, r.label) for r in o.roles
        )
        deferred = "".join(
            f"<br>deferred by {link(t, href)}"
            + (
                f": placed on the market before {e(_date(t.placed_before))}, comply by "
                f"{e(_date(t.compliance_deadline))}"
                if t.placed_before or t.compliance_deadline
                else ""
            )
            for t in o.deferred_by
        )
        basis = f" ({link(o.basis, href)})" if o.basis else ""
        rows.append(
            f"<tr><td>{link(o, href)}</td><td>{roles}</td>"
            f"<td>{e(o.condition or '')}</td>"
            f"<td>{e(_date(o.applies_from))}{basis}{deferred}</td></tr>"
        )
    return (
        '<h2 id="obligations">Obligations</h2><table class="obligations"><thead><tr>'
        '<th scope="col">duty</th><th scope="col">binds</th><th scope="col">condition</th>'
        '<th scope="col">applies from</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def described(view: ResourceView) -> str:
    """A name for a resource with neither notation nor label: a mapping record by what it
    maps ("Mapping: ASL-3 Security Standard subset of Art. 55(1)(d)"), anything else by its
    type and CURIE."""
    found: dict[str, Ref | str] = {}
    for statement in view.statements:
        if statement.property.curie in ("asl:mappingSubject", "asl:mappingObject", "asl:relation"):
            found[statement.property.curie] = statement.values[0]

    def text(value: Ref | str) -> str:
        return value if isinstance(value, str) else short_name(value)

    if len(found) == 3:
        relation = found["asl:relation"]
        said = relation.label or relation.curie if isinstance(relation, Ref) else relation
        return (
            f"Mapping: {text(found['asl:mappingSubject'])} {said} "
            f"{text(found['asl:mappingObject'])}"
        )
    kind = next((t.label for t in view.types if t.label), None)
    return f"{kind} {view.curie}" if kind else view.curie


def _mapping_ends(view: ResourceView) -> tuple[str, str] | None:
    """The schemes of a mapping record's subject and object (None for anything else)."""
    schemes = {}
    for statement in view.statements:
        if statement.property.curie in ("asl:mappingSubject", "asl:mappingObject"):
            value = statement.values[0]
            split = split_iri(value.iri) if isinstance(value, Ref) else None
            if split is not None:
                schemes[statement.property.curie] = split[0]
    if len(schemes) != 2 or schemes["asl:mappingSubject"] == schemes["asl:mappingObject"]:
        return None
    return schemes["asl:mappingSubject"], schemes["asl:mappingObject"]


def trail(
    view: ResourceView, instrument_of: Callable[[str], Ref | None], href: Href, root: str
) -> list[Crumb]:
    """Home, the instrument, then the provisions that hold this one, down to it."""
    crumbs = [Crumb("Home", root)]
    provisions = [p for p in view.parents if instrument_of(p.iri) is None]
    versions = [p for p in view.parents if instrument_of(p.iri) is not None]
    if instrument_of(view.iri) is not None:  # a version: under its instrument
        versions = [Ref(iri=view.iri, curie=view.curie)]
    if versions:
        instrument = instrument_of(versions[0].iri)
        if instrument is not None:
            crumbs.append(
                Crumb(name(None, instrument.label, instrument.curie), href(instrument.iri))
            )
    ends = _mapping_ends(view)
    if ends is not None:  # a mapping record: under the matrix of its pair
        a, b = ends
        crumbs.append(Crumb("Crosswalk matrix", root + "crosswalk"))
        crumbs.append(
            Crumb(f"{a} by {b}", f"{root}crosswalk/{quote(a, safe='')}/{quote(b, safe='')}")
        )
    for parent in reversed(provisions):
        crumbs.append(Crumb(short_name(parent), href(parent.iri)))
    crumbs.append(Crumb(view.notation or view.label or view.curie))
    return crumbs


def render(
    view: ResourceView,
    *,
    root: str,
    href: Href,
    api_base: str,
    instrument_of: Callable[[str], Ref | None],
    obligations: Sequence[ObligationInfo] = (),
    versions: Sequence[tuple[Ref, date | None]] = (),
) -> bytes:
    """The page of ``view``.

    ``instrument_of`` gives the instrument a version IRI belongs to (None for anything else);
    ``obligations`` are the duties the provision imposes itself or through its parts;
    ``api_base`` the service's public base for the REST link ('' for relative); ``versions``
    an instrument's versions (oldest first) with the date each was issued."""
    heading = name(view.notation, view.label, view.curie)
    if heading == view.curie:
        heading = described(view)
    within = [p for p in view.parents if instrument_of(p.iri) is not None]
    context = ""
    if within:
        instrument = instrument_of(within[0].iri)
        if instrument is not None and instrument.label:
            context = f" — {instrument.label}"
    body: list[str] = [
        f"<h1>{e(heading)}</h1>",
        f'<p class="muted"><code>{e(view.curie)}</code> · <code>{e(view.iri)}</code></p>',
    ]
    if view.paraphrase:
        body.append(f'<p class="paraphrase">{e(view.paraphrase)}</p>')
    if view.sources:
        sources = "; ".join(link(s, href) for s in view.sources)
        locator = f" — {e(view.locator)}" if view.locator else ""
        body.append(f"<p>Source: {sources}{locator}</p>")
    if within:
        body.append("<p>In: " + "; ".join(link(v, href) for v in within) + "</p>")
    if view.types:
        types = ", ".join(link(t, href, t.label or t.curie) for t in view.types)
        body.append(f"<p>Type: {types}</p>")
    if versions:
        items = "".join(
            f"<li>{link(v, href)}" + (f" — issued {e(_date(issued))}" if issued else "") + "</li>"
            for v, issued in versions
        )
        body.append(f'<h2 id="versions">Versions</h2><ul>{items}</ul>')
    if obligations:
        body.append(_obligations(obligations, href))
    if view.children:
        items = "".join(f"<li>{link(c, href)}</li>" for c in view.children)
        body.append(f'<h2 id="parts">Parts</h2><ul>{items}</ul>')
    positive, none, superseded = split_mappings(view.mappings)
    if positive:
        body.append('<h2 id="mappings">Mappings</h2>')
        body.append(_mapping_table(positive, href, "Provisions this one maps to"))
    if none:
        body.append('<h2 id="no-relationship">Assessed: no relationship</h2>')
        body.append(
            '<p class="muted">Records that compared the two provisions and found no '
            "relationship; they are not coverage.</p>"
        )
        body.append(_mapping_table(none, href, "Compared, no relationship found"))
    if superseded:
        body.append('<h2 id="superseded">Superseded mappings</h2>')
        body.append(_mapping_table(superseded, href, "Replaced by later records"))
    if view.statements:
        rows = "".join(
            f'<tr><th scope="row">{link(s.property, href, s.property.curie)}</th>'
            f"<td>{'<br>'.join(_value(v, href) for v in s.values)}</td></tr>"
            for s in view.statements
        )
        body.append(
            '<h2 id="statements">All statements</h2>'
            f'<table class="statements"><tbody>{rows}</tbody></table>'
        )
    alternates = [(f"?format={fmt}", kind, label) for fmt, kind, label in FORMATS]
    others = [f'<a href="{e(h)}" type="{e(k)}">{e(t)}</a>' for h, k, t in alternates]
    if view.is_provision:
        api = (
            f"{api_base}/api/provisions/{quote(view.scheme, safe='')}/{quote(view.local, safe='')}"
        )
        others.append(f'<a href="{e(api)}" type="application/json">JSON (REST API)</a>')
    body.append(f'<p class="formats">The same data as {", ".join(others)}.</p>')
    return page(
        title=heading + context,
        root=root,
        body="".join(body),
        crumbs=trail(view, instrument_of, href, root),
        alternates=alternates,
    )
