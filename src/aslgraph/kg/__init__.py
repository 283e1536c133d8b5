"""Answers from the knowledge graph: the catalog, crosswalks, coverage, obligations, tiers and
the integrity check. Domain objects only, no HTTP."""
