"""TM412 v3-write-precision: precisions InfluxDB 3's v1 /write refuses."""

from __future__ import annotations

import pytest

from .examples import BATCH, assert_unchanged, marked

CODE = "TM412"
V3 = "v3-core"


def out(precision: str) -> str:
    return (
        BATCH + f"    |influxDBOut()\n        .database('app')\n        .precision('{precision}')\n"
    )


UNCHANGED = [
    pytest.param(out("m"), V3, True, id="minutes"),
    pytest.param(out("h"), V3, True, id="hours"),
    pytest.param(out("s"), V3, False, id="seconds"),
    pytest.param(out("m"), None, False, id="influxdb-2"),
]
POINTS_AT = [
    pytest.param(out("m"), ["'m'"], id="the-precision"),
]


@pytest.mark.parametrize(("text", "target", "fires"), UNCHANGED)
def test_migrate_leaves_it_unchanged(text: str, target: str | None, fires: bool) -> None:
    assert_unchanged(CODE, text, fires, target)


@pytest.mark.parametrize(("text", "spans"), POINTS_AT)
def test_the_finding_points_at(text: str, spans: list[str]) -> None:
    assert marked(CODE, text, V3) == spans
