"""`tickmig check --telegraf-conf/--kapacitor-conf`: the TM3xx findings in every output
format, pointing at the line of the configuration file, selectable like every rule."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

from .samples import write

TASK = (
    'dbrp "telegraf"."autogen"\n\nstream\n    |from()\n        .measurement(\'cpu\')\n    |log()\n'
)
TELEGRAF = '[[outputs.influxdb]]\n  urls = ["http://influx:8086"]\n  database = "telegraf"\n'
KAPACITOR = (
    'hostname = "kap"\n\n[http]\n  bind-address = ":9092"\n\n[[influxdb]]\n  name = "x"\n'
    '  urls = ["http://influx:8086"]\n  token = "t"\n  disable-subscriptions = false\n'
)


def tickmig(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tickmig", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "NO_COLOR": "1", "PYTHONPATH": str(ROOT)},
    )


@pytest.fixture
def deployment(tmp_path: Path) -> Path:
    (tmp_path / "tasks").mkdir()
    write(tmp_path / "tasks", "cpu.tick", TASK)
    write(tmp_path, "telegraf.conf", TELEGRAF)
    write(tmp_path, "kapacitor.conf", KAPACITOR)
    return tmp_path


ARGS = ("check", "tasks", "--telegraf-conf", "telegraf.conf", "--kapacitor-conf", "kapacitor.conf")


def test_sarif_results_point_at_the_config_lines(deployment: Path) -> None:
    proc = tickmig(
        *ARGS, "--select", "TM302,TM305,TM311", "--output-format", "sarif", cwd=deployment
    )
    assert proc.returncode == 1, proc.stderr
    run = json.loads(proc.stdout)["runs"][0]
    found = sorted(
        (
            r["ruleId"],
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            r["locations"][0]["physicalLocation"]["region"]["startLine"],
            "fixes" in r,
        )
        for r in run["results"]
    )
    assert found == [
        ("TM302", "telegraf.conf", 1, True),
        ("TM305", "telegraf.conf", 1, True),
        ("TM311", "kapacitor.conf", 10, True),
    ]
    assert {"TM302", "TM305", "TM311"} <= {r["id"] for r in run["tool"]["driver"]["rules"]}


def test_json_carries_the_fix_edits_of_the_config_file(deployment: Path) -> None:
    proc = tickmig(*ARGS, "--select", "TM305", "--output-format", "json", cwd=deployment)
    assert proc.returncode == 1, proc.stderr
    files = {f["path"]: f["diagnostics"] for f in json.loads(proc.stdout)["files"]}
    (finding,) = files["telegraf.conf"]
    assert finding["code"] == "TM305" and finding["location"]["line"] == 1
    (edit,) = finding["fix"]["edits"]
    # Kapacitor's URL from kapacitor.conf: hostname "kap", [http] bind-address ":9092".
    assert 'urls = ["http://kap:9092"]' in edit["text"]
    assert edit["start"] == edit["end"] == len(TELEGRAF)


def test_ignore_and_select_work_on_tm3(deployment: Path) -> None:
    proc = tickmig(
        *ARGS,
        "--select",
        "TM3",
        "--ignore",
        "TM30",
        "--output-format",
        "json-lines",
        cwd=deployment,
    )
    codes = {json.loads(line)["code"] for line in proc.stdout.splitlines()}
    assert codes and all(c.startswith("TM31") or c.startswith("TM32") for c in codes)


def test_a_config_file_that_does_not_parse_is_an_input_error(deployment: Path) -> None:
    (deployment / "telegraf.conf").write_text("[[outputs.influxdb]\n", encoding="utf-8")
    proc = tickmig(*ARGS, "--output-format", "json-lines", cwd=deployment)
    assert proc.returncode == 2
    records = [json.loads(line) for line in proc.stdout.splitlines()]
    assert any(r["code"] == "TM005" and r["path"] == "telegraf.conf" for r in records)
    assert "telegraf.conf:1:" in proc.stderr
