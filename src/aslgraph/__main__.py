"""``python -m aslgraph``: the command line (:mod:`aslgraph.cli.main`)."""

from __future__ import annotations

import sys

from aslgraph.cli.main import main

if __name__ == "__main__":
    sys.exit(main())
