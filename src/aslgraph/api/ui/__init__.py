"""The analyst UI: server-rendered HTML pages (crosswalk matrix, coverage, entity pages,
validation) that work without JavaScript; the routes are in :mod:`aslgraph.api.routes.ui`."""
