"""TM120 planned-rename: the script follows the plan's renames (safe fix)."""

from __future__ import annotations

import pytest

from .examples import BATCH, assert_fixed, assert_unchanged, marked

CODE = "TM120"


def out(retention_policy: str) -> str:
    return (
        BATCH
        + "    |influxDBOut()\n        .database('telegraf')\n"
        + f"        .retentionPolicy('{retention_policy}')\n"
    )


def query(retention_policy: str) -> str:
    return (
        f'dbrp "telegraf"."{retention_policy}"\n\nbatch\n'
        f'    |query(\'SELECT max("usage") FROM "telegraf"."{retention_policy}"."cpu"\')\n'
    )


UNCHANGED = [
    pytest.param(out("autogen"), False, id="not-renamed"),
]
FIXED = [
    pytest.param(out("one_year"), out("downsampled"), False, id="influxdbout"),
    pytest.param(query("one_year"), query("downsampled"), False, id="dbrp-and-query"),
]
POINTS_AT = [
    pytest.param(out("one_year"), ["'telegraf'"], id="the-database-of-the-pair"),
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
