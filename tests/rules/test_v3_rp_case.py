"""TM401 v3-retention-policy-case: capitals in a retention policy split writes from queries."""

from __future__ import annotations

import pytest

from .examples import assert_unchanged, marked

CODE = "TM401"
V3 = "v3-core"


def query(retention_policy: str) -> str:
    return f'batch\n    |query(\'SELECT mean("v") FROM "app"."{retention_policy}"."latency"\')\n'


UNCHANGED = [
    pytest.param(query("OneWeek"), V3, True, id="capitals"),
    pytest.param(query("one_week"), V3, False, id="lowercase"),
    pytest.param(query("OneWeek"), None, False, id="influxdb-2"),
]
POINTS_AT = [
    pytest.param(query("OneWeek"), ['"OneWeek"'], id="the-retention-policy"),
]


@pytest.mark.parametrize(("text", "target", "fires"), UNCHANGED)
def test_migrate_leaves_it_unchanged(text: str, target: str | None, fires: bool) -> None:
    assert_unchanged(CODE, text, fires, target)


@pytest.mark.parametrize(("text", "spans"), POINTS_AT)
def test_the_finding_points_at(text: str, spans: list[str]) -> None:
    assert marked(CODE, text, V3) == spans
