"""TM411 v3-query-window: queries reaching past Core's ~72 hours."""

from __future__ import annotations

import pytest

from .examples import assert_unchanged, marked

CODE = "TM411"
V3 = "v3-core"


def query(period: str, offset: str) -> str:
    return (
        'batch\n    |query(\'SELECT mean("v") FROM "app"."autogen"."req"\')\n'
        f"        .period({period})\n        .offset({offset})\n"
    )


UNCHANGED = [
    pytest.param(query("1h", "1w"), V3, True, id="a-week-back"),
    pytest.param(query("1h", "1d"), V3, False, id="a-day-back"),
    pytest.param(query("1h", "1w"), None, False, id="influxdb-2"),
]
POINTS_AT = [
    pytest.param(
        query("1h", "1w"),
        ['query(\'SELECT mean("v") FROM "app"."autogen"."req"\')'],
        id="the-query",
    ),
]


@pytest.mark.parametrize(("text", "target", "fires"), UNCHANGED)
def test_migrate_leaves_it_unchanged(text: str, target: str | None, fires: bool) -> None:
    assert_unchanged(CODE, text, fires, target)


@pytest.mark.parametrize(("text", "spans"), POINTS_AT)
def test_the_finding_points_at(text: str, spans: list[str]) -> None:
    assert marked(CODE, text, V3) == spans
