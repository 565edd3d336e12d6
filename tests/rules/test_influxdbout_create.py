"""TM105 influxdbout-create: influxDBOut().create() is removed (unsafe)."""

from __future__ import annotations

import pytest

from .examples import BATCH, assert_fixed, assert_unchanged, marked

CODE = "TM105"

OUT = "    |influxDBOut()\n"
TARGET = "        .database('derived')\n        .retentionPolicy('hourly')\n"
UNCHANGED = [
    pytest.param(BATCH + OUT + TARGET, False, id="no-create"),
]
FIXED = [
    pytest.param(
        BATCH + OUT + "        .create()\n" + TARGET, BATCH + OUT + TARGET, True, id="own-line"
    ),
    pytest.param(
        BATCH + "    |influxDBOut().create()\n" + TARGET, BATCH + OUT + TARGET, True, id="same-line"
    ),
]
POINTS_AT = [
    pytest.param(BATCH + OUT + "        .create()\n" + TARGET, ["create()"], id="the-property"),
]


@pytest.mark.parametrize(("text", "fires"), UNCHANGED)
def test_migrate_leaves_it_unchanged(text: str, fires: bool) -> None:
    assert_unchanged(CODE, text, fires)


@pytest.mark.parametrize(("text", "expected", "unsafe"), FIXED)
def test_migrate_fixes_it(text: str, expected: str, unsafe: bool) -> None:
    assert_fixed(CODE, text, expected, unsafe)


@pytest.mark.parametrize(("text", "spans"), POINTS_AT)
def test_the_finding_points_at(text: str, spans: list[str]) -> None:
    assert marked(CODE, text) == spans
