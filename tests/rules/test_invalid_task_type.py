"""TM002 invalid-task-type: a script must start pipelines at exactly one of `stream` or `batch`."""

from __future__ import annotations

import pytest

from .examples import BATCH, assert_unchanged, marked

CODE = "TM002"

UNCHANGED = [
    pytest.param("stream|from()\n", False, id="stream"),
    pytest.param(BATCH, False, id="batch"),
    pytest.param("var s = stream|from()\n" + BATCH, True, id="both"),
    pytest.param("var x = 5\n", True, id="neither"),
]
POINTS_AT = [
    pytest.param("var x = 5\n", [""], id="neither"),
]


@pytest.mark.parametrize(("text", "fires"), UNCHANGED)
def test_migrate_leaves_it_unchanged(text: str, fires: bool) -> None:
    assert_unchanged(CODE, text, fires)


@pytest.mark.parametrize(("text", "spans"), POINTS_AT)
def test_the_finding_points_at(text: str, spans: list[str]) -> None:
    assert marked(CODE, text) == spans
