"""TM110 stream-needs-direct-writes: a stream task's pairs need writes sent to Kapacitor."""

from __future__ import annotations

import pytest

from .examples import BATCH, assert_unchanged, marked

CODE = "TM110"

STREAM = 'dbrp "telegraf"."autogen"\n\nstream\n    |from()\n        .measurement(\'cpu\')\n'
UNCHANGED = [
    pytest.param(STREAM, True, id="stream"),
    pytest.param('dbrp "telegraf"."autogen"\n\n' + BATCH, False, id="batch"),
]
POINTS_AT = [
    pytest.param(STREAM, ['"telegraf"'], id="the-database-of-the-dbrp-statement"),
]


@pytest.mark.parametrize(("text", "fires"), UNCHANGED)
def test_migrate_leaves_it_unchanged(text: str, fires: bool) -> None:
    assert_unchanged(CODE, text, fires)


@pytest.mark.parametrize(("text", "spans"), POINTS_AT)
def test_the_finding_points_at(text: str, spans: list[str]) -> None:
    assert marked(CODE, text) == spans
