"""TM103 unqualified-batch-query: a query's FROM must name database and retention policy."""

from __future__ import annotations

import pytest

from .examples import BATCH, assert_unchanged, marked

CODE = "TM103"

UNCHANGED = [
    pytest.param(BATCH, False, id="qualified"),
    pytest.param(
        "batch\n    |query('SELECT mean(\"usage\") FROM cpu')\n", True, id="measurement-only"
    ),
    pytest.param(
        'batch\n    |query(\'SELECT mean("usage") FROM "telegraf".."cpu"\')\n',
        True,
        id="default-rp",
    ),
]
POINTS_AT = [
    pytest.param(
        "batch\n    |query('SELECT mean(\"usage\") FROM cpu')\n",
        ["query('SELECT mean(\"usage\") FROM cpu')"],
        id="the-query",
    ),
]


@pytest.mark.parametrize(("text", "fires"), UNCHANGED)
def test_migrate_leaves_it_unchanged(text: str, fires: bool) -> None:
    assert_unchanged(CODE, text, fires)


@pytest.mark.parametrize(("text", "spans"), POINTS_AT)
def test_the_finding_points_at(text: str, spans: list[str]) -> None:
    assert marked(CODE, text) == spans
