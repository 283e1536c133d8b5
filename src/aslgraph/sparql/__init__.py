"""The read-only SPARQL 1.1 endpoint, without HTTP.

``guard`` scans a query before any parser sees it, ``negotiation`` picks a media type from an
Accept header, ``protocol`` reads a SPARQL Protocol request, ``engine`` answers queries from a
cache or a pool of worker processes (:mod:`aslgraph.workers`, running ``worker``),
``description`` builds the service description and ``page`` the HTML query page. ``worker`` runs
in its own process and imports nothing from here but the standard library, pyoxigraph and the
pipe framing, so keep this module free of imports.
"""
