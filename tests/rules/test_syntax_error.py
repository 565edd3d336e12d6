"""TM001 syntax-error: what Kapacitor's parser rejects is reported, and left alone."""

from __future__ import annotations

import pytest

from .examples import assert_unchanged, marked

CODE = "TM001"

#: Scripts `tickmig migrate` leaves as they are, and whether the rule fires on them.
UNCHANGED = [
    pytest.param("stream\n    |from()\n", False, id="parses"),
    pytest.param("stream\n    |from(\n", True, id="unclosed-call"),
    pytest.param("var x = \n", True, id="declaration-without-value"),
    pytest.param("stream|from().where(lambda: \"host\" == 'a')\n", False, id="lambda"),
    pytest.param('batch|query(\'SELECT 1 FROM "a"."b"."c"\').period(5x)\n', True, id="bad-unit"),
]
#: Scripts and the text the finding points at.
POINTS_AT = [
    pytest.param("stream\n    |from(\n", [""], id="end-of-input"),
    pytest.param("var x = 1\nvar = 2\n", [""], id="missing-name"),
]


@pytest.mark.parametrize(("text", "fires"), UNCHANGED)
def test_migrate_leaves_it_unchanged(text: str, fires: bool) -> None:
    assert_unchanged(CODE, text, fires)


@pytest.mark.parametrize(("text", "spans"), POINTS_AT)
def test_the_finding_points_at(text: str, spans: list[str]) -> None:
    assert marked(CODE, text) == spans
