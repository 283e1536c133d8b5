"""A query job crosses the pipe as a binary record."""

from __future__ import annotations

import pytest

from aslgraph.sparql.worker import QueryJob
from aslgraph.workers.framing import pack_record, unpack_record

JOBS = [
    QueryJob(query="ASK {}"),
    QueryJob(query="SELECT * { ?s ?p ?o }", base="http://h/sparql", results="JSON", graph="TURTLE"),
    QueryJob(query="", base="", results="", graph=""),  # empty texts are not None
    QueryJob(query="ASK {}", union=False, default=(), named=()),
    QueryJob(query="ASK {}", union=False, default=("http://g/1", "http://g/2"), named=None),
    QueryJob(query="ASK {}", union=False, default=None, named=("http://g/1",)),
    QueryJob(query="ASK {}", union=False, default=("http://g/1",), named=("http://g/2", "x")),
    QueryJob(query='SELECT ("é\u2028\U0001f600\x00" AS ?x) {}', results="CSV"),
]


@pytest.mark.parametrize("job", JOBS)
def test_a_job_crosses_the_pipe_unchanged(job: QueryJob) -> None:
    assert QueryJob.decode(job.encode()) == job


def test_records_carry_flags_and_texts() -> None:
    assert unpack_record(pack_record(0, [])) == (0, [])
    assert unpack_record(pack_record(255, ["a", "", "ü" * 3])) == (255, ["a", "", "ü" * 3])


@pytest.mark.parametrize(
    "data",
    [b"", b"\x00", b"\x00\x00\x02\x00\x00\x00\x05ab", b"\x00\x00\x01\x00\x00\x00\x01\xff"],
)
def test_what_is_not_a_record_is_refused(data: bytes) -> None:
    with pytest.raises(ValueError, match=r"record|decode"):
        unpack_record(data)
    with pytest.raises(ValueError):
        QueryJob.decode(data)
