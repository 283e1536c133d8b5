"""Exports of the knowledge graph in other ecosystems' formats (decision 0015).

:func:`aslgraph.kg.export.service.export` is the one call behind ``aslgraph export`` and
``GET /api/export/{format}``: SSSOM/TSV and an OSCAL 1.2 mapping collection of the mapping
records (:mod:`.sssom`, :mod:`.oscal`), CSV of the records and of the coverage of a pair of
schemes (:mod:`.tables`), and N-Quads or TriG dumps of the whole graph, one named graph per
source file (:mod:`.dumps`). This module stays light: the command line reads the format names
from it to build its help.
"""

from __future__ import annotations

FORMATS = ("sssom", "oscal-mapping", "csv", "coverage-csv", "nquads", "trig")
"""The export formats, in the order the help lists them."""
