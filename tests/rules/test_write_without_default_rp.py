"""TM113 write-without-default-rp: influxDBOut() without a retention policy needs a default."""

from __future__ import annotations

import pytest

from .examples import BATCH, assert_fixed, assert_unchanged, marked

CODE = "TM113"


def out(database: str, retention_policy: str | None = None) -> str:
    rp = f"\n        .retentionPolicy('{retention_policy}')" if retention_policy else ""
    return BATCH + f"    |influxDBOut()\n        .database('{database}'){rp}\n"


UNCHANGED = [
    pytest.param(out("telegraf"), False, id="database-with-default"),
    pytest.param(out("derived", "hourly"), False, id="retention-policy-given"),
    pytest.param(out("scratch"), True, id="no-mapping-at-all"),
]
FIXED = [
    pytest.param(out("derived"), out("derived", "autogen"), True, id="autogen-among-several"),
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
