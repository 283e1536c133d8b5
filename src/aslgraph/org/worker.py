"""A validation worker: a child process that validates uploaded organisation graphs.

Run by :class:`aslgraph.org.runner.OrgRunner` through :mod:`aslgraph.workers.pool` as ``python
-m aslgraph.org.worker``, with the pipe framing of :mod:`aslgraph.workers.framing` (every frame
is a 4-byte big-endian length and that many bytes):

1. parent -> worker, once: a JSON frame ``{"engine", "max_memory", "max_bytes"}`` and an empty
   dataset frame; the worker builds the SHACL engine and the catalog (it loads the knowledge
   graph itself, from the same settings) and answers ``{"ready": true}``. From then on its
   address space may grow by at most ``max_memory`` bytes (0: no cap).
2. parent -> worker, per job: an :class:`~aslgraph.org.jobs.OrgJob` frame and a frame holding
   the uploaded body; worker -> parent: a :class:`~aslgraph.org.jobs.JobReply` frame and the
   answer (empty when the reply reports an error).

A validation that runs past its budget is stopped by killing this process; the parent starts
another.
"""

from __future__ import annotations

import json
import os
import sys

from aslgraph.config import Settings
from aslgraph.org.errors import UploadError
from aslgraph.org.jobs import JobReply, OrgJob, OrgServices, answer
from aslgraph.org.upload import Handed
from aslgraph.workers.framing import (
    OUT_OF_MEMORY_EXIT,
    cap_memory,
    open_channel,
    read_frame,
    write_frame,
)


def main() -> int:
    """Serve jobs from standard input until it ends; returns the exit status."""
    source, channel = open_channel()

    config_frame = read_frame(source)
    if config_frame is None or read_frame(source) is None:
        return 1
    config = json.loads(config_frame)
    services = OrgServices(
        Settings(), engine="pyshacl" if config.get("engine") == "pyshacl" else "fast"
    )
    services.engine  # noqa: B018 - build the engine and the catalog now, not on the first job
    services.catalog  # noqa: B018
    cap_memory(int(config.get("max_memory", 0)))
    max_bytes = int(config.get("max_bytes", 0))
    write_frame(channel, json.dumps({"ready": True}).encode())
    channel.flush()
    while (frame := read_frame(source)) is not None:
        body = read_frame(source)
        if body is None:
            break
        try:
            job = OrgJob.decode(frame)
        except ValueError as exc:  # a programming error in the parent: say so, keep serving
            reply, data = JobReply.failed(UploadError(f"not a job: {exc}", kind="bad-job")), b""
        else:
            handed = Handed(body)
            del body  # parsed, then let go: not kept for the whole validation
            try:
                reply, data = answer(job, handed, services, max_bytes=max_bytes)
            except MemoryError:  # the job's own work hit the cap: say so by the exit status
                os._exit(OUT_OF_MEMORY_EXIT)
        write_frame(channel, reply.model_dump_json().encode("utf-8"))
        write_frame(channel, data)
        channel.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
