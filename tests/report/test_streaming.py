"""Every format is written in pieces as it is made (issue 14: a report of 10,000 tasks stays well
under 150 MB): the pieces make exactly the document the format made when it was built whole,
and a task's text is made only once the one before is written."""

from __future__ import annotations

import importlib
import json
from collections.abc import Iterator
from typing import Any

import pytest

from tickmig.report.build import build_report, load_inputs
from tickmig.report.common import document
from tickmig.report.model import Report, ReportOptions, TaskReport
from tickmig.settings import Settings

from .cases import GOLDENS, KAPACITOR_CONF, LOAD_DIR, MAPPINGS, ORG, TELEGRAF_CONF


@pytest.fixture(scope="module")
def report() -> Report:
    settings = Settings(mapping=list(MAPPINGS), org=ORG)
    checker, workspace = load_inputs([LOAD_DIR], settings)
    options = ReportOptions([TELEGRAF_CONF], KAPACITOR_CONF)
    return build_report(workspace, checker, settings, options)


def whole(output_format: str, report: Report) -> str:
    """The document as each format built it whole before it was written in pieces."""
    module: Any = importlib.import_module(f"tickmig.report.render_{output_format}")
    if output_format == "json":
        return json.dumps(module.to_json(report), indent=2, ensure_ascii=False) + "\n"
    lines = list(module.render_lines(report))
    if output_format == "html":
        return "\n".join(lines) + "\n"
    return document(lines)


@pytest.mark.parametrize("output_format", list(GOLDENS))
def test_the_pieces_make_the_document_built_whole(output_format: str, report: Report) -> None:
    module: Any = importlib.import_module(f"tickmig.report.render_{output_format}")
    pieces = list(module.render_pieces(report))
    assert len(pieces) > len(report.tasks)  # at least one piece per task
    assert "".join(pieces) == whole(output_format, report) == module.render(report)


class CountingTasks(list[TaskReport]):
    """The report's tasks, counting how many a renderer has taken."""

    taken = 0

    def __iter__(self) -> Iterator[TaskReport]:
        for task in super().__iter__():
            self.taken += 1
            yield task


@pytest.mark.parametrize("output_format", list(GOLDENS))
def test_a_task_is_made_once_the_one_before_it_is_written(
    output_format: str, report: Report
) -> None:
    module: Any = importlib.import_module(f"tickmig.report.render_{output_format}")
    tasks = CountingTasks(report.tasks)
    assert len(tasks) > 3
    original, report.tasks = report.tasks, tasks
    try:
        pieces = module.render_pieces(report)
        first = report.tasks[0].path
        for piece in pieces:
            if first in piece and tasks.taken:
                break
        # the first task's piece, and at most the next one made (the line formats hold one
        # line back: the document's end drops its blank lines)
        assert tasks.taken <= 2 < len(tasks)
        rest = list(pieces)
        assert tasks.taken == len(tasks) and rest
    finally:
        report.tasks = original


def test_an_empty_task_list_is_an_empty_json_array(report: Report) -> None:
    from dataclasses import replace

    from tickmig.report.render_json import render, to_json

    empty = replace(report, tasks=[])
    text = render(empty)
    assert json.loads(text)["tasks"] == []
    assert text == json.dumps(to_json(empty), indent=2, ensure_ascii=False) + "\n"
