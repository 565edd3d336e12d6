"""TM410 target-influxql-unsupported: InfluxQL the target cannot run."""

from __future__ import annotations

import pytest

from .examples import assert_unchanged, marked

CODE = "TM410"
V3 = "v3-core"


def query(select: str) -> str:
    return f"batch\n    |query('{select}')\n"


HOLT = query('SELECT holt_winters(max("v"), 10, 4) FROM "app"."autogen"."load"')
UNCHANGED = [
    pytest.param(HOLT, V3, True, id="holt-winters"),
    pytest.param(
        query('SELECT max("v") FROM "app"."autogen"."load" SLIMIT 5'), V3, True, id="slimit"
    ),
    pytest.param(query('SELECT max("v") FROM "app"."autogen"."load"'), V3, False, id="plain"),
    pytest.param(HOLT, None, False, id="influxdb-2"),
]
POINTS_AT = [
    pytest.param(HOLT, [HOLT[11:-1]], id="the-query"),
]


@pytest.mark.parametrize(("text", "target", "fires"), UNCHANGED)
def test_migrate_leaves_it_unchanged(text: str, target: str | None, fires: bool) -> None:
    assert_unchanged(CODE, text, fires, target)


@pytest.mark.parametrize(("text", "spans"), POINTS_AT)
def test_the_finding_points_at(text: str, spans: list[str]) -> None:
    assert marked(CODE, text, V3) == spans
