"""The report is written in pieces (issue 14: a report of thousands of tasks is never held as
one string and again as bytes); the pieces make exactly the document `render` returns."""

from __future__ import annotations

import os

import pytest

from tickmig.report.common import document, joined, pieces
from tickmig.text.atomic import atomic_write

LINE_LISTS = [
    [],
    [""],
    ["# title"],
    ["# title", ""],
    ["a", "b\n\n", ""],
    ["a", "\n", "\n\n"],
    ["a", *joined(["x", "", "y"]), *joined([])],
]


@pytest.mark.parametrize("lines", LINE_LISTS)
def test_document_is_the_lines_joined_with_one_final_newline(lines: list[str]) -> None:
    expected = "\n".join(lines).rstrip("\n") + "\n"
    assert document(list(lines)) == expected
    assert "".join(pieces(list(lines))) == expected


def test_a_task_joined_into_one_piece_gives_the_same_document() -> None:
    task = ["## t.tick", "", "```diff", "-a", "+b", "```"]
    assert document(["# r", "", *joined(task)]) == document(["# r", "", *task])


def test_atomic_write_takes_pieces(tmp_path: os.PathLike[str]) -> None:
    target = os.path.join(tmp_path, "report.md")
    atomic_write(target, (p.encode("utf-8") for p in pieces(["# r", "", "é"])))
    with open(target, "rb") as f:
        assert f.read() == "# r\n\né\n".encode()
    os.link(target, target + ".link")  # a second link: the file is rewritten in place
    atomic_write(target, iter([b"one\n", b"two\n"]))
    with open(target + ".link", "rb") as f:
        assert f.read() == b"one\ntwo\n"
