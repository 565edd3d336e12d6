"""The command script of `tickmig report` run as an operator runs it, by /bin/sh, against a
stand-in `influx` CLI (tests/model/fake_influx.py) over the proof's InfluxDB 2: every line
runs as printed, a second run creates nothing, and afterwards every flow lands."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tickmig.model.target import InfluxDB2, TargetBucket, TargetMapping

from .cases import report_json
from .fake_influx import load, save

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(shutil.which("sh") is None, reason="needs /bin/sh")


def fake_cli(tmp_path: Path) -> dict[str, str]:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    influx = bin_dir / "influx"
    influx.write_text(
        f'#!/bin/sh\nexec {sys.executable} -m tests.model.fake_influx "$@"\n', encoding="utf-8"
    )
    influx.chmod(influx.stat().st_mode | stat.S_IEXEC)
    return {
        **os.environ,
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "PYTHONPATH": str(ROOT),
        "FAKE_INFLUX_STATE": str(tmp_path / "state.json"),
        "FAKE_INFLUX_LOG": str(tmp_path / "calls.log"),
    }


def seed(tmp_path: Path) -> None:
    """The games-ops server of fixtures/deployment/mappings."""
    root = ROOT / "fixtures" / "deployment" / "mappings"
    buckets = json.loads((root / "buckets.json").read_text(encoding="utf-8"))["buckets"]
    dbrps = json.loads((root / "dbrps.json").read_text(encoding="utf-8"))["content"]
    server = InfluxDB2()
    server.buckets = [TargetBucket(b["id"], "games-ops", b["name"]) for b in buckets]
    server.mappings = [
        TargetMapping(
            m["id"],
            "games-ops",
            m["database"],
            m["retention_policy"],
            m["bucketID"],
            m["default"],
            False,
        )
        for m in dbrps
    ]
    save(str(tmp_path / "state.json"), server, [])


def creates(log: Path) -> list[str]:
    """The calls that change the server."""
    lines = log.read_text(encoding="utf-8").splitlines()
    return [x for x in lines if x.split(" --", 1)[0].endswith(("create", "update"))]


def test_the_script_runs_twice_and_creates_only_once(tmp_path: Path) -> None:
    doc = report_json()
    script = tmp_path / "run-first.sh"
    script.write_text(doc["commands"]["script"], encoding="utf-8")
    env = fake_cli(tmp_path)
    seed(tmp_path)
    first = subprocess.run(["sh", str(script)], env=env, capture_output=True, text=True)
    assert first.returncode == 0, first.stderr
    log = tmp_path / "calls.log"
    made = creates(log)
    assert made == [
        "bucket create --org games-ops --name derived/autogen",
        "v1 dbrp create --org games-ops --db derived --rp autogen --bucket-id 0a00000000000001",
        "v1 dbrp create --org games-ops --db game --rp autogen --bucket-id 0b1a000000000015",
        "v1 dbrp create --org games-ops --db pages --rp autogen --bucket-id 0b1a000000000014",
        "auth create --org games-ops --description tickmig-kapacitor --read-bucket "
        "0b1a000000000015 --write-bucket 0a00000000000001 --write-bucket 0b1a000000000015 "
        "--write-bucket 0b1a000000000013",
    ]
    log.write_text("", encoding="utf-8")
    second = subprocess.run(["sh", str(script)], env=env, capture_output=True, text=True)
    assert second.returncode == 0, second.stderr
    assert creates(log) == []
    # The server the script left behind: every write and query of the proof lands.
    server, _auths = load(str(tmp_path / "state.json"))
    for flow in doc["flows"]:
        db, rp = flow["dbrp"]["database"], flow["dbrp"]["retention_policy"]
        if flow["kind"] == "write":
            assert server.write("games-ops", db, rp).name == flow["bucket"]
        elif flow["kind"] == "batch-read":
            assert server.query("games-ops", db, rp).name == flow["bucket"]


def test_the_dbrp_lookup_ignores_the_virtual_banner(tmp_path: Path) -> None:
    """`dbrp_id` reads only the physical block: a virtual mapping (bucket rollups/autogen)
    is not taken for an ID, and the banner never is."""
    doc = report_json()
    helpers = doc["commands"]["script"].split("# 1. Buckets")[0]
    env = fake_cli(tmp_path)
    seed(tmp_path)
    probe = (
        helpers
        + 'printf "[%s][%s]\\n" "$(dbrp_id rollups autogen)" "$(dbrp_id telegraf autogen)"\n'
    )
    out = subprocess.run(["sh", "-c", probe], env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout == "[][0d10000000000001]\n"
