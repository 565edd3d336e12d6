"""TM410 target-influxql-unsupported: InfluxQL the target cannot run."""

from __future__ import annotations

import pytest

from .examples import assert_unchanged, findings, marked

CODE = "TM410"
V3 = "v3-core"


def query(select: str) -> str:
    return f"batch\n    |query('{select}')\n"


HOLT = query('SELECT holt_winters(max("v"), 10, 4) FROM "app"."autogen"."load"')
UNCHANGED = [
    pytest.param(HOLT, V3, True, id="holt-winters"),
    pytest.param(
        query('SELECT max("v") FROM "app"."autogen"."load" SLIMIT 5'), V3, True, id="slimit"
    ),
    pytest.param(query('SELECT max("v") FROM "app"."autogen"."load"'), V3, False, id="plain"),
    pytest.param(
        query('SELECT max("v") FROM "app"."autogen"."load", "ops"."autogen"."load"'),
        V3,
        True,
        id="two-databases",
    ),
    pytest.param(HOLT, None, False, id="influxdb-2"),
]
POINTS_AT = [
    pytest.param(HOLT, [HOLT[11:-1]], id="the-query"),
]


@pytest.mark.parametrize(("text", "target", "fires"), UNCHANGED)
def test_migrate_leaves_it_unchanged(text: str, target: str | None, fires: bool) -> None:
    assert_unchanged(CODE, text, fires, target)


@pytest.mark.parametrize(("text", "spans"), POINTS_AT)
def test_the_finding_points_at(text: str, spans: list[str]) -> None:
    assert marked(CODE, text, V3) == spans


#: Each InfluxQL feature InfluxDB 3 lacks (influxdb3-targets.md, issue 12), and the words the
#: finding must name it by.
LACKS = [
    pytest.param('SELECT max("v") FROM "app"."autogen"."load" SLIMIT 5', "SLIMIT", id="slimit"),
    pytest.param('SELECT max("v") FROM "app"."autogen"."load" SOFFSET 2', "SOFFSET", id="soffset"),
    pytest.param('SELECT sample("v", 3) FROM "app"."autogen"."load"', "SAMPLE()", id="sample"),
    pytest.param(
        'SELECT holt_winters_with_fit(max("v"), 10, 4) FROM "app"."autogen"."load"',
        "HOLT_WINTERS_WITH_FIT()",
        id="holt-winters-with-fit",
    ),
    pytest.param(
        'SELECT chande_momentum_oscillator("v", 10) FROM "app"."autogen"."load"',
        "CHANDE_MOMENTUM_OSCILLATOR()",
        id="technical-analysis",
    ),
    pytest.param(
        'SELECT mean("v") INTO "app"."autogen"."m2" FROM "app"."autogen"."load"',
        "SELECT ... INTO",
        id="into",
    ),
    pytest.param(
        'SELECT max("v") FROM "app"."autogen"."load", "ops"."autogen"."load"',
        "sources in 2 databases (app, ops)",
        id="two-databases",
    ),
]


@pytest.mark.parametrize(("select", "named"), LACKS)
def test_the_message_names_what_influxdb_3_lacks(select: str, named: str) -> None:
    (message,) = [d.message for d in findings(CODE, query(select), target=V3)]
    assert message == f"InfluxDB 3 Core cannot run this query: it uses {named}"
