"""Worker processes driven from asyncio: the work pyoxigraph and pyshacl cannot interrupt
(SPARQL queries, validations of uploads) runs in child processes that can be killed.

:mod:`aslgraph.workers.framing` is the pipe protocol and the child's own set-up (standard
library only, so a worker imports little); :mod:`aslgraph.workers.pool` is the parent's side.
Each user maps the pool's errors to its own: the SPARQL engine to SPARQL errors, the
validation runner to upload errors.
"""
