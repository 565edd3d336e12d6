"""TM104 undeclared-query-source: a query must read a pair the task declares."""

from __future__ import annotations

import pytest

from .examples import assert_fixed, assert_unchanged, marked

CODE = "TM104"


def task(*declared: str, source: str = '"telegraf"."one_month"') -> str:
    dbrps = "".join(f"dbrp {d}\n" for d in declared)
    return dbrps + f'\nbatch\n    |query(\'SELECT mean("used") FROM {source}."mem"\')\n'


UNCHANGED = [
    pytest.param(task('"telegraf"."one_month"'), False, id="declared"),
    pytest.param(task('"telegraf"."autogen"', '"telegraf"."one_month"'), False, id="one-of-two"),
]
#: Scripts, what `tickmig migrate` makes of them, and whether that takes --unsafe-fixes.
FIXED = [
    pytest.param(
        task('"telegraf"."autogen"'),
        task('"telegraf"."autogen"', '"telegraf"."one_month"'),
        True,
        id="declared-after-the-last-dbrp",
    ),
]
POINTS_AT = [
    pytest.param(task('"telegraf"."autogen"'), ['"telegraf"'], id="the-database"),
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
