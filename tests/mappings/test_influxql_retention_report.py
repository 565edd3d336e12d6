"""`tickmig report --influxql-url` against a real InfluxDB 1.x (influxd on loopback): the
buckets the commands create carry the 1.x retention durations of the source inventory
(INF becomes 0 seconds: keep forever)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.report.cases import tickmig

BATCH = """dbrp "telegraf"."one_month"

batch
    |query('SELECT mean("usage") FROM "telegraf"."one_month"."cpu"')
        .period(5m)
        .every(5m)
    |influxDBOut()
        .database('app_metrics')
        .retentionPolicy('two_hours')
        .measurement('cpu_5m')
"""
LOOP = """dbrp "telegraf"."autogen"

batch
    |query('SELECT max("used") FROM "telegraf"."autogen"."mem"')
        .period(1m)
        .every(1m)
    |log()
"""


@pytest.mark.server
def test_bucket_create_carries_the_1x_retention(influxd, tmp_path: Path) -> None:
    tasks = tmp_path / "tasks"
    tasks.mkdir()
    (tasks / "rollup.tick").write_text(BATCH, encoding="utf-8")
    (tasks / "mem.tick").write_text(LOOP, encoding="utf-8")
    proc = tickmig(
        [
            "report",
            str(tasks),
            "--influxql-url",
            influxd.url,
            "--username",
            influxd.username,
            "--password-env",
            "TICKMIG_TEST_1X_PASSWORD",
            "--org",
            "acme",
            "--format",
            "json",
        ],
        env={"TICKMIG_TEST_1X_PASSWORD": influxd.password},
    )
    assert proc.stdout, proc.stderr
    doc = json.loads(proc.stdout)
    created = {
        a["bucket"]: a["retention_seconds"] for a in doc["actions"] if a["kind"] == "bucket-create"
    }
    assert created == {
        "telegraf/one_month": 30 * 24 * 3600,
        "app_metrics/two_hours": 2 * 3600,
        "telegraf": 0,  # INF; telegraf.autogen shares the default's bucket
    }
    script = doc["commands"]["script"]
    for bucket, retention in (
        ("telegraf/one_month", "2592000s"),
        ("app_metrics/two_hours", "7200s"),
        ("telegraf", "0s"),
    ):
        line = re.compile(rf"bucket create .*--name \"?{bucket}\"? --retention {retention}$", re.M)
        assert line.search(script), (bucket, script)
    assert "no source knows the 1.x retention" not in script
