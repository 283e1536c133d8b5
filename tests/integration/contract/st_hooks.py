"""schemathesis hooks for the contract test: how to send the media types it does not know."""

from __future__ import annotations

import schemathesis

# A SPARQL query sent as the body, as SPARQL 1.1 Protocol section 2.1.3 allows: plain text.
schemathesis.serializer.alias("application/sparql-query", "text/plain")
