"""The guides deployment with only the operator's plan (no server inventory, no mapping files):
tickmig assumes the buckets, and every view must assume the same ones. A write without a
retention policy and a read of "db"."autogen" are the same 1.x data, so they must land in
the same bucket on every InfluxDB 2 target; the only flows that fail are the two tasks
Kapacitor itself refuses as the guides publish them."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.model.fake_influx import load
from tests.report.cases import tickmig

from .cases import KAPACITOR_CONF, ORG, PATHS, SCENARIO, TELEGRAF_CONF
from .test_guides import fake_cli, needs_sh

REFUSED = {"writeback", "my_templated_task"}  # TM103 and TM004: Kapacitor refuses them


def plan_only(target: str) -> dict[str, Any]:
    proc = tickmig(
        [
            "report",
            *PATHS,
            "--mapping",
            f"{SCENARIO}/mappings/plan.toml",
            "--org",
            ORG,
            "--target",
            target,
            "--telegraf-conf",
            TELEGRAF_CONF,
            "--kapacitor-conf",
            KAPACITOR_CONF,
            "--format",
            "json",
        ]
    )
    assert proc.returncode == 1, proc.stderr  # the two refused tasks
    doc: dict[str, Any] = json.loads(proc.stdout)
    return doc


@pytest.mark.parametrize("target", ["oss", "oss@2.3", "cloud"])
def test_only_the_tasks_kapacitor_refuses_fail(target: str) -> None:
    doc = plan_only(target)
    failing = [f for f in doc["flows"] if not f["lands"]]
    assert {Path(f["subject"]).stem for f in failing} == REFUSED, [f["reason"] for f in failing]
    assert not [a for a in doc["actions"] if a["kind"] == "conflict"]


@pytest.mark.parametrize("target", ["oss", "oss@2.3", "cloud"])
def test_the_default_and_autogen_of_a_database_land_in_one_bucket(target: str) -> None:
    landing: dict[str, set[str]] = {}
    for flow in plan_only(target)["flows"]:
        rp = flow["dbrp"]["retention_policy"]
        if flow["kind"] in ("write", "batch-read") and flow["lands"] and rp in (None, "autogen"):
            landing.setdefault(flow["dbrp"]["database"], set()).add(flow["landing"])
    assert landing["telegraf"] == {'bucket "telegraf"'}
    assert all(len(buckets) == 1 for buckets in landing.values()), landing


@needs_sh
def test_on_an_empty_oss_the_script_lands_every_flow_the_proof_lands(tmp_path: Path) -> None:
    doc = plan_only("oss")
    script = tmp_path / "run-first.sh"
    script.write_text(doc["commands"]["script"], encoding="utf-8")
    proc = subprocess.run(
        ["sh", str(script)], env=fake_cli(tmp_path), capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr
    server, _ = load(str(tmp_path / "state.json"))
    checked = 0
    for flow in doc["flows"]:
        db, rp = flow["dbrp"]["database"], flow["dbrp"]["retention_policy"]
        if flow["kind"] == "write" and flow["lands"]:
            bucket = server.write(ORG, db, rp)
        elif flow["kind"] == "batch-read" and flow["lands"]:
            bucket = server.query(ORG, db, rp)
        else:
            continue
        assert flow["landing"] == f'bucket "{bucket.name}"', flow["id"]
        checked += 1
    assert checked == 14
