"""TM003 missing-dbrp: a task must name its database and retention policy."""

from __future__ import annotations

import pytest

from .examples import BATCH, assert_unchanged, marked

CODE = "TM003"

UNCHANGED = [
    pytest.param('dbrp "telegraf"."autogen"\n\nstream|from()\n', False, id="declared"),
    pytest.param(
        "stream\n    |from()\n        .measurement('cpu')\n", True, id="stream-without-dbrp"
    ),
    pytest.param(BATCH, True, id="batch-without-dbrp"),
    pytest.param('dbrp "telegraf"."autogen"\n\n' + BATCH, False, id="batch-declared"),
]
POINTS_AT = [
    pytest.param("stream|from()\n", [""], id="the-start-of-the-file"),
]


@pytest.mark.parametrize(("text", "fires"), UNCHANGED)
def test_migrate_leaves_it_unchanged(text: str, fires: bool) -> None:
    assert_unchanged(CODE, text, fires)


@pytest.mark.parametrize(("text", "spans"), POINTS_AT)
def test_the_finding_points_at(text: str, spans: list[str]) -> None:
    assert marked(CODE, text) == spans
