"""TM406 v3-database-not-found: a query of a database the live InfluxDB 3 does not list, unless
a task of the migration writes it (the write creates it)."""

from __future__ import annotations

import pytest

from .examples import assert_unchanged, findings, marked

CODE = "TM406"
#: An InfluxDB 3 Core whose --influx3-url lists the databases `telegraf` and `app`.
LIVE = "v3-core influx3=telegraf,app"


def query(source: str) -> str:
    return f"batch\n    |query('SELECT max(\"v\") FROM {source}')\n"


ONE_YEAR = query('"telegraf"."one_year"."cpu"')
WRITTEN = (
    "var data = batch\n"
    '    |query(\'SELECT max("v") FROM "telegraf"."autogen"."cpu"\')\n'
    "data\n    |influxDBOut()\n        .database('rollup')\n"
    'batch\n    |query(\'SELECT max("v") FROM "rollup"."autogen"."cpu"\')\n'
)

UNCHANGED = [
    pytest.param(ONE_YEAR, LIVE, True, id="not-listed"),
    pytest.param(query('"telegraf"."autogen"."cpu"'), LIVE, False, id="autogen-is-the-database"),
    pytest.param(query('"app"."autogen"."req"'), LIVE, False, id="listed"),
    pytest.param(WRITTEN, LIVE, False, id="a-task-writes-it"),
    pytest.param(query('"_internal"."monitor"."httpd"'), LIVE, False, id="invalid-name-is-tm405"),
    pytest.param(ONE_YEAR, "v3-core", False, id="no-live-server"),
    pytest.param(ONE_YEAR, None, False, id="influxdb-2"),
]


@pytest.mark.parametrize(("text", "target", "fires"), UNCHANGED)
def test_migrate_leaves_it_unchanged(text: str, target: str | None, fires: bool) -> None:
    assert_unchanged(CODE, text, fires, target)


def test_the_finding_points_at_the_database_and_names_it_as_influxdb_3_does() -> None:
    assert marked(CODE, ONE_YEAR, LIVE) == ['"telegraf"']
    (found,) = findings(CODE, ONE_YEAR, target=LIVE)
    assert "InfluxDB 3 database 'telegraf/one_year'" in found.message
    assert 'fails with "database not found: telegraf/one_year"' in found.message
