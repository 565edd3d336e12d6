"""TM108 cluster-reference: a node's .cluster() names a kapacitor.conf section."""

from __future__ import annotations

import pytest

from .examples import BATCH, assert_unchanged, marked

CODE = "TM108"

OUT = (
    BATCH + "    |influxDBOut()\n        .database('derived')\n        .retentionPolicy('hourly')\n"
)
UNCHANGED = [
    pytest.param(OUT, False, id="default-section"),
    pytest.param(OUT + "        .cluster('metrics')\n", True, id="influxdbout"),
    pytest.param(
        'batch\n    |query(\'SELECT 1 FROM "telegraf"."autogen"."cpu"\')\n'
        "        .cluster('old')\n",
        True,
        id="query",
    ),
]
POINTS_AT = [
    pytest.param(OUT + "        .cluster('metrics')\n", ["cluster('metrics')"], id="the-property"),
]


@pytest.mark.parametrize(("text", "fires"), UNCHANGED)
def test_migrate_leaves_it_unchanged(text: str, fires: bool) -> None:
    assert_unchanged(CODE, text, fires)


@pytest.mark.parametrize(("text", "spans"), POINTS_AT)
def test_the_finding_points_at(text: str, spans: list[str]) -> None:
    assert marked(CODE, text) == spans
