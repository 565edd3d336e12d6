"""TM402 v3-invalid-name: names InfluxDB 3 refuses."""

from __future__ import annotations

import pytest

from .examples import BATCH, assert_unchanged, marked

CODE = "TM402"
V3 = "v3-core"


def out(database: str) -> str:
    return BATCH + f"    |influxDBOut()\n        .database('{database}')\n"


UNCHANGED = [
    pytest.param(out("app.metrics"), V3, True, id="dot"),
    pytest.param(out("app_metrics"), V3, False, id="underscore"),
    pytest.param(out("app.metrics"), None, False, id="influxdb-2"),
]
POINTS_AT = [
    pytest.param(out("app.metrics"), ["'app.metrics'"], id="the-database"),
]


@pytest.mark.parametrize(("text", "target", "fires"), UNCHANGED)
def test_migrate_leaves_it_unchanged(text: str, target: str | None, fires: bool) -> None:
    assert_unchanged(CODE, text, fires, target)


@pytest.mark.parametrize(("text", "spans"), POINTS_AT)
def test_the_finding_points_at(text: str, spans: list[str]) -> None:
    assert marked(CODE, text, V3) == spans
