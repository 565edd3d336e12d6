"""The command script `tickmig report --target cloud --cloud-plan free` prints, run by /bin/sh
as an operator runs it, against the stand-in `influx` CLI (tests/model/fake_influx.py) over
an in-memory InfluxDB Cloud organization on the Free plan: within the plan every command
succeeds and every bucket keeps at most 30 days; past the quota the script stops at the
bucket Cloud refuses, with Cloud's answer, after the comment that said it would."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.report.cases import tickmig

from .fake_influx import load
from .test_script import fake_cli

pytestmark = pytest.mark.skipif(shutil.which("sh") is None, reason="needs /bin/sh")

TASK = """dbrp "telegraf"."autogen"

batch
    |query('SELECT mean("usage") FROM "telegraf"."autogen"."cpu"')
        .period(5m)
        .every(5m)
{outs}"""
OUT = "    |influxDBOut()\n        .database('{db}')\n        .retentionPolicy('autogen')\n"


def script_for(tmp_path: Path, *databases: str) -> Path:
    """The script of the report of one task reading telegraf.autogen and writing each
    database's autogen (1 + len(databases) buckets)."""
    tasks = tmp_path / "tasks"
    tasks.mkdir()
    outs = "".join(OUT.format(db=db) for db in databases)
    (tasks / "rollup.tick").write_text(TASK.format(outs=outs), encoding="utf-8")
    args = ["report", str(tasks), "--target", "cloud", "--cloud-plan", "free"]
    proc = tickmig([*args, "--org", "acme", "--format", "json"])
    assert proc.stdout, proc.stderr
    script = tmp_path / "run-first.sh"
    script.write_text(json.loads(proc.stdout)["commands"]["script"], encoding="utf-8")
    return script


def test_within_the_free_plan_every_command_succeeds(tmp_path: Path) -> None:
    script = script_for(tmp_path, "app")
    env = {**fake_cli(tmp_path), "FAKE_INFLUX_PLAN": "free"}
    done = subprocess.run(["sh", str(script)], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    server, _ = load(str(tmp_path / "state.json"))
    kept = {b.name: b.retention for b in server.buckets}
    assert kept == {"telegraf": 30 * 86400, "app": 30 * 86400}


def test_past_the_quota_the_script_stops_with_clouds_answer(tmp_path: Path) -> None:
    script = script_for(tmp_path, "app", "ops")
    text = script.read_text(encoding="utf-8").replace("\n#   ", " ")
    assert '"telegraf": the InfluxDB Cloud Free plan allows 2 buckets' in text
    env = {**fake_cli(tmp_path), "FAKE_INFLUX_PLAN": "free"}
    done = subprocess.run(["sh", str(script)], env=env, capture_output=True, text=True)
    assert done.returncode != 0
    assert done.stderr.strip().endswith("Error: 403 creating bucket would exceed quota")
    server, _ = load(str(tmp_path / "state.json"))
    assert [b.name for b in server.buckets] == ["app", "ops"]
    assert server.mappings == []  # set -eu: nothing after the refused bucket ran
