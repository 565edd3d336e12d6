"""TM200 todo-left: TODO comments of migrate --annotate are reported until resolved."""

from __future__ import annotations

import pytest

from .examples import BATCH, assert_unchanged, marked

CODE = "TM200"

TODO = "// TICKMIG-TODO(TM101): create the mapping first\n"
UNCHANGED = [
    pytest.param(TODO + BATCH, True, id="todo"),
    pytest.param(BATCH, False, id="none"),
    pytest.param(
        'batch\n    |query(\'SELECT 1 FROM "a"."b"."TICKMIG-TODO(TM101): x"\')\n',
        False,
        id="inside-a-string",
    ),
]
POINTS_AT = [
    pytest.param(TODO + BATCH, [TODO[:-1]], id="the-comment"),
]


@pytest.mark.parametrize(("text", "fires"), UNCHANGED)
def test_migrate_leaves_it_unchanged(text: str, fires: bool) -> None:
    assert_unchanged(CODE, text, fires)


@pytest.mark.parametrize(("text", "spans"), POINTS_AT)
def test_the_finding_points_at(text: str, spans: list[str]) -> None:
    assert marked(CODE, text) == spans
