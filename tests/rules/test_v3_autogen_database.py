"""TM403 v3-autogen-database: autogen reaches the bare database on InfluxDB 3."""

from __future__ import annotations

import pytest

from .examples import BATCH, assert_unchanged, marked

CODE = "TM403"
V3 = "v3-core"


def out(retention_policy: str) -> str:
    return (
        BATCH
        + "    |influxDBOut()\n        .database('telegraf')\n"
        + f"        .retentionPolicy('{retention_policy}')\n"
    )


UNCHANGED = [
    pytest.param(out("autogen"), V3, True, id="autogen"),
    pytest.param(out("one_week"), None, False, id="influxdb-2"),
]
POINTS_AT = [
    pytest.param(out("autogen"), ['"autogen"', "'autogen'"], id="query-and-write"),
]


@pytest.mark.parametrize(("text", "target", "fires"), UNCHANGED)
def test_migrate_leaves_it_unchanged(text: str, target: str | None, fires: bool) -> None:
    assert_unchanged(CODE, text, fires, target)


@pytest.mark.parametrize(("text", "spans"), POINTS_AT)
def test_the_finding_points_at(text: str, spans: list[str]) -> None:
    assert marked(CODE, text, V3) == spans
