"""The audit report (aslgraph.org.audit): one self-contained HTML document with every verdict,
the policy's findings and the plan; everything from the upload is escaped and nothing is loaded
from elsewhere."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from aslgraph.kg.catalog import Catalog
from aslgraph.org.audit import audit_html
from aslgraph.org.plan import plan
from aslgraph.org.posture.assess import assess
from aslgraph.org.upload import parse_upload
from aslgraph.shacl import OrgEngine

ROOT = Path(__file__).resolve().parents[2]
HEALTH = ROOT / "examples" / "invalid" / "health-agents-short-of-their-policy.ttl"
VOID = {"meta", "br", "hr", "img", "input", "link"}


class _Tags(HTMLParser):
    """Checks that every element is closed in order, and collects attributes that load."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.loads: list[str] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.loads.extend(v or "" for k, v in attrs if k in ("src", "href"))
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack.pop() != tag:
            self.errors.append(tag)


def report(text: bytes, engine: OrgEngine, catalog: Catalog) -> str:
    return audit_html(parse_upload(text, "text/turtle"), engine, catalog)


def test_the_report_holds_every_verdict_finding_and_action(
    fast_engine: OrgEngine, catalog: Catalog
) -> None:
    page = report(HEALTH.read_bytes(), fast_engine, catalog)
    tags = _Tags()
    tags.feed(page)
    assert tags.errors == [] and tags.stack == []
    assert tags.loads == []  # nothing loaded: styles inline, no scripts, images or links
    assert "<script" not in page and "@media print" in page
    posture = assess(parse_upload(HEALTH.read_bytes(), "text/turtle").store, catalog)
    for supplier in posture.suppliers:
        for verdict in supplier.obligations:
            assert verdict.obligation.iri in page
    assert "Duties of Aurora Models Ltd for Aurora-3" in page
    the_plan = plan(parse_upload(HEALTH.read_bytes(), "text/turtle"), fast_engine, catalog)
    for action in the_plan.actions:
        assert action.summary.replace("'", "&#x27;") in page
    assert "Policy clause <code>https://example.org/vitalis/sg-pharmacist</code>" in page
    assert page.count('class="verdict violation">safeguard-unmet') == 1


def test_what_the_upload_says_is_escaped(fast_engine: OrgEngine, catalog: Catalog) -> None:
    hostile = HEALTH.read_bytes().replace(
        b'rdfs:label "Vitalis Health GmbH"@en', b'rdfs:label "<script>alert(1)</script> & Co"@en'
    )
    page = report(hostile, fast_engine, catalog)
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co" in page
    assert re.search(r"<h1>&lt;script&gt;", page)
