"""The processes a test server runs, read from /proc (Linux)."""

from __future__ import annotations

from pathlib import Path


def worker_pids(pid: int, module: str = "aslgraph.sparql.worker") -> set[int]:
    """The worker processes running ``module`` (``python -m module``) of the server ``pid``."""
    children: set[int] = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            children |= {int(c) for c in (task / "children").read_text().split()}
        except OSError:  # the thread ended since the listing
            continue
    workers = set()
    for child in children:
        try:
            command = Path(f"/proc/{child}/cmdline").read_bytes().split(b"\0")
        except OSError:
            continue  # it ended meanwhile
        if module.encode() in command:
            workers.add(child)
    return workers
