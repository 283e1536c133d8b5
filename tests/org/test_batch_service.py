"""The parts of batch validation that need no cluster: what a directory or a manifest names,
the lines of graphs that cannot be read, OUT kept on resuming, and the exit status.

The batch itself runs on real Dask processes in tests/integration/test_batch.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from aslgraph.config import Settings
from aslgraph.org.batch import (
    BatchInputError,
    BatchSummary,
    GraphLine,
    Output,
    Source,
    check,
    manifest_entries,
    read_graph,
    sources,
)
from aslgraph.org.errors import UploadError
from aslgraph.org.jobs import OrgServices

TURTLE = b"@prefix ex: <https://example.org/> .\nex:a ex:b ex:c .\n"


def test_a_directory_names_its_graph_files_recursively_in_name_order(tmp_path: Path) -> None:
    for name in ("b.ttl", "a/c.nt", "a/d.JSONLD", "notes.txt", "e.rdf"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(TURTLE)
    found = sources(tmp_path)
    assert [s.key for s in found] == ["a/c.nt", "a/d.JSONLD", "b.ttl", "e.rdf"]
    assert all(s.path == tmp_path / s.key for s in found)


def test_a_manifest_lists_paths_relative_to_itself_once_each(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere.ttl"
    manifest = tmp_path / "lists" / "graphs.txt"
    manifest.parent.mkdir()
    manifest.write_text(
        "# tonight's suppliers\n"
        "\n"
        "a.ttl\n"
        "  sub/b.nt  \n"
        "./a.ttl\n"  # the same file again
        "sub/../a.ttl\n"  # and again
        f"{elsewhere}\n"
        "missing.ttl\n",
        encoding="utf-8",
    )
    found = sources(manifest)
    assert found == [
        Source("a.ttl", manifest.parent / "a.ttl"),
        Source("sub/b.nt", manifest.parent / "sub/b.nt"),
        Source(elsewhere.as_posix(), elsewhere),
        Source("missing.ttl", manifest.parent / "missing.ttl"),  # kept: its line will say why
    ]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("absent.txt", None, "no such directory or manifest"),
        ("one.ttl", TURTLE, "is a graph, not a directory or a manifest"),
        ("empty.txt", b"# nothing yet\n\n", "lists no graphs"),
        ("latin1.txt", "caf\xe9.ttl\n".encode("latin-1"), "cannot read the manifest"),
        ("folder", "dir", "holds no graph files"),
    ],
)
def test_what_names_no_graph_is_refused(
    tmp_path: Path, name: str, content: bytes | str | None, message: str
) -> None:
    target = tmp_path / name
    if content == "dir":
        target.mkdir()
        (target / "readme.md").write_text("no graphs here", encoding="utf-8")
    elif isinstance(content, bytes):
        target.write_bytes(content)
    with pytest.raises(BatchInputError, match=message):
        sources(target)


def test_manifest_entries_need_one_path() -> None:
    with pytest.raises(BatchInputError, match="lists no graphs"):
        manifest_entries("   \n#only a comment\n", Path("."))


def test_a_graph_that_cannot_be_read_is_an_upload_error(tmp_path: Path) -> None:
    with pytest.raises(UploadError) as missing:
        read_graph(Source("gone.ttl", tmp_path / "gone.ttl"))
    assert missing.value.kind == "unreadable-file"
    (tmp_path / "empty.nt").write_bytes(b"  \n")
    with pytest.raises(UploadError) as empty:
        read_graph(Source("empty.nt", tmp_path / "empty.nt"))
    assert empty.value.kind == "empty-body"
    (tmp_path / "big.ttl").write_bytes(TURTLE)
    with pytest.raises(UploadError) as big:
        read_graph(Source("big.ttl", tmp_path / "big.ttl"), max_bytes=10)
    assert big.value.kind == "body-too-large"
    assert read_graph(Source("big.ttl", tmp_path / "big.ttl")) == (TURTLE, "text/turtle")


def test_a_graph_that_does_not_parse_is_a_line_with_its_error(settings: Settings) -> None:
    line = check("broken.ttl", b"@prefix ex: <x:> .\nex:a ex:b", "text/turtle", None,
                 OrgServices(settings))  # fmt: skip
    assert line.file == "broken.ttl"
    assert line.conforms is None
    assert line.error is not None
    assert line.error.kind == "invalid-rdf"
    assert line.error.line == 2
    assert line.findings == [] and line.counts == {}


def _line(file: str, conforms: bool | None) -> GraphLine:
    return GraphLine(file=file, conforms=conforms)


def test_out_is_written_once_per_file_and_resumed_without_a_partial_line(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    first = Output.open(out)
    assert first.write(_line("a.ttl", True))
    assert not first.write(_line("a.ttl", False))  # a second completion of the same file
    assert first.write(_line("b.ttl", False))
    first.close()
    with out.open("ab") as sink:
        sink.write(b'{"file":"c.t')  # a crash in the middle of a line
    resumed = Output.open(out, resume=True)
    assert resumed.done == {"a.ttl", "b.ttl"}
    assert [line.conforms for line in resumed.earlier] == [True, False]
    assert resumed.write(_line("c.ttl", None))
    resumed.close()
    kept = [GraphLine.model_validate_json(raw) for raw in out.read_bytes().splitlines()]
    assert [(line.file, line.conforms) for line in kept] == [
        ("a.ttl", True),
        ("b.ttl", False),
        ("c.ttl", None),
    ]
    Output.open(out).close()  # without resume OUT starts empty
    assert out.read_bytes() == b""


def test_resuming_refuses_a_file_that_is_not_a_batch_output(tmp_path: Path) -> None:
    out = tmp_path / "notes.jsonl"
    out.write_text('{"something": "else"}\n', encoding="utf-8")
    with pytest.raises(BatchInputError, match="line 1: not a line of validate-batch"):
        Output.open(out, resume=True)
    assert out.read_text(encoding="utf-8") == '{"something": "else"}\n'  # left as it was


def test_out_that_cannot_be_written_is_refused(tmp_path: Path) -> None:
    with pytest.raises(BatchInputError, match="cannot write"):
        Output.open(tmp_path / "no-such-folder" / "out.jsonl")


@pytest.mark.parametrize(
    ("now", "earlier", "status"),
    [
        ([True, True], [], 0),
        ([True, False], [], 1),
        ([True, False, None], [], 2),
        ([True], [_line("old.ttl", False)], 1),
        ([True], [_line("old.ttl", None)], 2),
        ([], [], 0),
    ],
)
def test_the_exit_status_is_the_worst_validate_would_give(
    now: list[bool | None], earlier: list[GraphLine], status: int
) -> None:
    summary = BatchSummary(earlier=earlier)
    for n, conforms in enumerate(now):
        summary.count(_line(f"{n}.ttl", conforms))
    assert summary.exit_status() == status
    assert summary.graphs == len(now)
    assert summary.unreadable == now.count(None)


def test_the_summary_table_names_its_columns() -> None:
    summary = BatchSummary(seconds=2.0, skipped=3)
    for conforms in (True, True, False, None):
        summary.count(_line("x.ttl", conforms))
    head, row, skipped = summary.table().splitlines()
    assert head.split() == [
        "graphs",
        "conforming",
        "violating",
        "unreadable",
        "seconds",
        "graphs/s",
    ]
    assert row.split() == ["4", "2", "1", "1", "2.00", "2.0"]
    assert skipped == "(3 already in OUT, skipped)"
