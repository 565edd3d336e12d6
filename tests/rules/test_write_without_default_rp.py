"""TM113 write-without-default-rp: influxDBOut() without a retention policy needs a default."""

from __future__ import annotations

import pytest

from .examples import BATCH, assert_fixed, assert_unchanged, marked

CODE = "TM113"


def out(database: str, retention_policy: str | None = None) -> str:
    rp = f"\n        .retentionPolicy('{retention_policy}')" if retention_policy else ""
    return BATCH + f"    |influxDBOut()\n        .database('{database}'){rp}\n"


#: Stream points passed on unchanged keep the writer's rp (Kapacitor influxdb_out.go, Point):
#: the write goes to "derived"."autogen", which is mapped, so nothing relies on a default.
STREAM_PASS_THROUGH = (
    'dbrp "telegraf"."autogen"\n'
    "stream\n    |from()\n        .measurement('cpu')\n    |where(lambda: \"usage\" > 90.0)\n"
    "    |influxDBOut()\n        .database('derived')\n"
)
STREAM_WINDOWED = STREAM_PASS_THROUGH.replace(
    "    |where", "    |window()\n        .period(1m)\n    |mean('usage')\n    |where"
)

UNCHANGED = [
    pytest.param(STREAM_PASS_THROUGH, False, id="stream-points-keep-their-rp"),
    pytest.param(out("telegraf"), False, id="database-with-default"),
    pytest.param(out("derived", "hourly"), False, id="retention-policy-given"),
    pytest.param(out("scratch"), True, id="no-mapping-at-all"),
]
FIXED = [
    pytest.param(out("derived"), out("derived", "autogen"), True, id="autogen-among-several"),
    pytest.param(
        STREAM_WINDOWED,
        STREAM_WINDOWED.replace(
            ".database('derived')\n", ".database('derived')\n        .retentionPolicy('autogen')\n"
        ),
        True,
        id="after-window-and-mean-the-rp-is-empty",
    ),
]
POINTS_AT = [
    pytest.param(out("derived"), ["'derived'"], id="the-database"),
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
