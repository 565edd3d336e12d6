"""TM109 template-var-dbrp: a DBRP from a template var needs its task definitions in view."""

from __future__ import annotations

import pytest

from .examples import assert_unchanged, marked

CODE = "TM109"

TEMPLATE = (
    "var database string\n\nbatch\n"
    '    |query(\'SELECT * FROM "telegraf"."autogen"."cpu"\')\n'
    "    |influxDBOut()\n        .database(database)\n        .retentionPolicy('hourly')\n"
)
UNCHANGED = [
    pytest.param(TEMPLATE, True, id="template-var"),
    pytest.param(
        TEMPLATE.replace(".database(database)", ".database('derived')"), False, id="literal"
    ),
    pytest.param(
        "var database = 'derived'\n\n" + TEMPLATE.split("\n\n", 1)[1], False, id="var-with-value"
    ),
]
POINTS_AT = [
    pytest.param(TEMPLATE, ["influxDBOut()"], id="the-node"),
]


@pytest.mark.parametrize(("text", "fires"), UNCHANGED)
def test_migrate_leaves_it_unchanged(text: str, fires: bool) -> None:
    assert_unchanged(CODE, text, fires)


@pytest.mark.parametrize(("text", "spans"), POINTS_AT)
def test_the_finding_points_at(text: str, spans: list[str]) -> None:
    assert marked(CODE, text) == spans
