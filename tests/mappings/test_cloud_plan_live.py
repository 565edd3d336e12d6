"""InfluxDB Cloud plan limits with live sources: the bucket quota counts the buckets a live
InfluxDB 2 API lists (the contract server of tests/mappings answers as the InfluxDB 2 OpenAPI
contract says), and the retention limit compares the durations a real InfluxDB 1.x (influxd
on loopback) tells through `--influxql-url`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.report.cases import tickmig

from .conftest import ORG, TOKEN
from .influx2_server import Influx2Server, make_bucket

WRITER = """dbrp "app"."autogen"

batch
    |query('SELECT count("duration_ms") AS "requests" FROM "app"."autogen"."requests"')
        .period(5m)
        .every(5m)
    |influxDBOut()
        .database('app')
        .retentionPolicy('autogen')
        .measurement('requests_5m')
"""


def check_live(influx2: Influx2Server, tasks: Path) -> list[dict[str, object]]:
    proc = tickmig(
        [
            "check",
            str(tasks),
            "--target",
            "cloud",
            "--cloud-plan",
            "free",
            "--influx-url",
            influx2.url,
            "--org",
            ORG["name"],
            "--token-env",
            "TICKMIG_TEST_TOKEN",
            "--select",
            "TM420",
            "--no-cache",
            "--output-format",
            "json-lines",
        ],
        env={"TICKMIG_TEST_TOKEN": TOKEN},
    )
    assert proc.returncode in (0, 1), proc.stderr
    return [json.loads(line) for line in proc.stdout.splitlines()]


def test_the_bucket_quota_counts_what_the_live_server_lists(
    influx2: Influx2Server, tmp_path: Path
) -> None:
    tasks = tmp_path / "tasks"
    tasks.mkdir()
    (tasks / "requests.tick").write_text(WRITER, encoding="utf-8")
    org_id = ORG["id"]
    # The organization holds its system buckets and one of its own: app/autogen makes 2.
    influx2.state.buckets = [
        make_bucket("1000000000000001", "_monitoring", org_id),
        make_bucket("1000000000000002", "_tasks", org_id),
        make_bucket("1000000000000003", "sensors", org_id),
    ]
    influx2.state.dbrps = []
    assert check_live(influx2, tasks) == []
    # One more bucket on the server: the bucket the migration creates is the third.
    influx2.state.buckets.append(make_bucket("1000000000000004", "weather", org_id))
    found = check_live(influx2, tasks)
    # The query and the write of "app"."autogen" both fail.
    assert [str(f["message"]).split(" in bucket")[0] for f in found] == [
        'queries "app"."autogen"',
        'writes "app"."autogen"',
    ]
    for f in found:
        assert f["severity"] == "error"
        message = str(f["message"])
        assert "with the 2 buckets that exist and the 1 it creates the migration needs 3" in message
    assert influx2.violations == []


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
FOREVER = """dbrp "telegraf"."autogen"

batch
    |query('SELECT max("used") FROM "telegraf"."autogen"."mem"')
        .period(1m)
        .every(1m)
    |log()
"""


def report_1x(influxd, tasks: Path, plan: str) -> dict[str, object]:
    proc = tickmig(
        [
            "report",
            str(tasks),
            "--target",
            "cloud",
            "--cloud-plan",
            plan,
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
    doc: dict[str, object] = json.loads(proc.stdout)
    return doc


@pytest.mark.server
def test_the_1x_durations_against_the_plans_retention(influxd, tmp_path: Path) -> None:
    tasks = tmp_path / "tasks"
    tasks.mkdir()
    (tasks / "rollup.tick").write_text(BATCH, encoding="utf-8")
    (tasks / "mem.tick").write_text(FOREVER, encoding="utf-8")

    free = report_1x(influxd, tasks, "free")
    created = {
        a["bucket"]: a["retention_seconds"] for a in free["actions"] if a["kind"] == "bucket-create"
    }
    # telegraf.autogen kept data forever (INF): the Free plan keeps 30 days at most.
    assert created == {
        "telegraf/one_month": 30 * 86400,
        "app_metrics/two_hours": 2 * 3600,
        "telegraf": 30 * 86400,  # telegraf.autogen: with the default, in bucket "telegraf"
    }
    findings = [
        (f["code"], f["severity"])
        for t in free["tasks"]
        for f in t["findings"]
        if f["code"] in ("TM420", "TM421")
    ]
    # Three buckets on a plan of two, and a retention the plan cannot keep.
    assert sorted(findings) == [("TM420", "error"), ("TM421", "error")]
    script = free["commands"]["script"].replace("\n#   ", " ")
    assert (
        '"telegraf": 1.x kept data forever, but the InfluxDB Cloud Free plan keeps data '
        "at most 30 days: the bucket keeps 30 days, so data older than 30 days expires (TM421)"
    ) in script

    usage = report_1x(influxd, tasks, "usage-based")
    created = {
        a["bucket"]: a["retention_seconds"]
        for a in usage["actions"]
        if a["kind"] == "bucket-create"
    }
    assert created["telegraf"] == 0  # forever, as 1.x kept it
    codes = {f["code"] for t in usage["tasks"] for f in t["findings"]}
    assert not codes & {"TM420", "TM421"}
