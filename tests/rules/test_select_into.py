"""TM111 select-into: SELECT ... INTO in a batch query is reported."""

from __future__ import annotations

import pytest

from .examples import BATCH, assert_unchanged, marked

CODE = "TM111"

INTO = (
    'batch\n    |query(\'SELECT mean("v") INTO "derived"."autogen"."m" '
    'FROM "telegraf"."autogen"."cpu"\')\n'
)
UNCHANGED = [
    pytest.param(BATCH, False, id="plain-select"),
    pytest.param(INTO, True, id="into"),
]
POINTS_AT = [
    pytest.param(INTO, [INTO[17:-2]], id="the-query-text"),
]


@pytest.mark.parametrize(("text", "fires"), UNCHANGED)
def test_migrate_leaves_it_unchanged(text: str, fires: bool) -> None:
    assert_unchanged(CODE, text, fires)


@pytest.mark.parametrize(("text", "spans"), POINTS_AT)
def test_the_finding_points_at(text: str, spans: list[str]) -> None:
    assert marked(CODE, text) == spans
