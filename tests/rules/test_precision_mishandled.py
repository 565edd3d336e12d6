"""TM106 precision-mishandled: influxDBOut().precision() must be one InfluxDB 2 reads right."""

from __future__ import annotations

import pytest

from .examples import BATCH, assert_unchanged, marked

CODE = "TM106"


def out(precision: str) -> str:
    return (
        BATCH
        + "    |influxDBOut()\n        .database('derived')\n        .retentionPolicy('hourly')\n"
        + f"        .precision('{precision}')\n"
    )


UNCHANGED = [
    pytest.param(out("s"), False, id="seconds"),
    pytest.param(out("ms"), False, id="milliseconds"),
    pytest.param(out("m"), True, id="minutes"),
    pytest.param(out("h"), True, id="hours"),
    pytest.param(out("u"), True, id="microseconds"),
]
POINTS_AT = [
    pytest.param(out("m"), ["'m'"], id="the-value"),
]


@pytest.mark.parametrize(("text", "fires"), UNCHANGED)
def test_migrate_leaves_it_unchanged(text: str, fires: bool) -> None:
    assert_unchanged(CODE, text, fires)


@pytest.mark.parametrize(("text", "spans"), POINTS_AT)
def test_the_finding_points_at(text: str, spans: list[str]) -> None:
    assert marked(CODE, text) == spans
