"""The ``aslgraph`` command line."""
