"""The deployment of fixtures/guides moved to InfluxDB 3 instead of InfluxDB 2: the same
scripts, configuration files and the operator's plan (written for InfluxDB 2: target "oss",
a `bucket =` rename, a `[[task]]`), with `--target v3-core` as the integrator ran it."""

from __future__ import annotations

import functools
import json
import os
import stat
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from tests.report.cases import ROOT, tickmig

from .cases import KAPACITOR_CONF, PATHS, SCENARIO, TELEGRAF_CONF

PLAN = f"{SCENARIO}/mappings/plan.toml"
V3_GOLDEN_DIR = ROOT / "fixtures" / "guides-report" / "v3-core"
V3_GOLDENS = {"markdown": "report.md", "json": "report.json", "text": "report.txt"}
KAPACITOR_VERSION = "1.8.2"
CLI_FLAGS = json.loads((ROOT / SCENARIO / "influxdb3-cli-flags.json").read_text(encoding="utf-8"))


def report_args(target: str, output_format: str, *extra: str, plan: str = PLAN) -> list[str]:
    return [
        "report",
        *PATHS,
        "--mapping",
        plan,
        *(["--target", target] if target else []),
        "--telegraf-conf",
        TELEGRAF_CONF,
        "--kapacitor-conf",
        KAPACITOR_CONF,
        "--kapacitor-version",
        KAPACITOR_VERSION,
        "--format",
        output_format,
        *extra,
    ]


@functools.cache
def run(target: str, output_format: str) -> tuple[subprocess.CompletedProcess[str], dict[str, str]]:
    """`tickmig report --target TARGET` in one format, and the patched copies it writes."""
    with tempfile.TemporaryDirectory() as tmp:
        proc = tickmig(report_args(target, output_format, "--patched-dir", tmp))
        patched = {p.name: p.read_text(encoding="utf-8") for p in sorted(Path(tmp).iterdir())}
    return proc, patched


def report_json(target: str = "v3-core") -> dict[str, Any]:
    proc, _ = run(target, "json")
    doc: dict[str, Any] = json.loads(proc.stdout)
    assert proc.returncode == (0 if doc["verdict"]["ok"] else 1), proc.stderr
    return doc


def fake_influxdb3(tmp_path: Path, limit: int = 5) -> dict[str, str]:
    """An `influxdb3` on PATH that answers from the in-memory InfluxDB 3 (tests/model)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    cli = bin_dir / "influxdb3"
    cli.write_text(
        f'#!/bin/sh\nexec {sys.executable} -m tests.model.fake_influxdb3 "$@"\n', encoding="utf-8"
    )
    cli.chmod(cli.stat().st_mode | stat.S_IEXEC)
    return {
        **os.environ,
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "PYTHONPATH": str(ROOT),
        "FAKE_INFLUXDB3_STATE": str(tmp_path / "state3.json"),
        "FAKE_INFLUXDB3_LOG": str(tmp_path / "calls3.log"),
        "FAKE_INFLUXDB3_LIMIT": str(limit),
    }


def documented(argv: list[str]) -> list[str]:
    """What is wrong with one influxdb3 invocation by docs-v2's option tables."""
    words = [a for a in argv if not a.startswith("-")]
    name = " ".join(["influxdb3", *words[:2]])
    if name == "influxdb3 create token":
        name += " --admin" if "--admin" in argv else " --permission"
    if name not in CLI_FLAGS["commands"]:
        return [f"undocumented command: {name}"]
    known = set(CLI_FLAGS["commands"][name]["flags"])
    return [
        f"{name}: undocumented option {a}" for a in argv if a.startswith("-") and a not in known
    ]


def consolidation_plan(script: str) -> str:
    """The plan the command script's consolidation prints (its comment lines, unindented)."""
    lines = script.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("# CONSOLIDATION"))
    body = []
    for line in lines[start:]:
        if line.startswith("#   "):
            body.append(line[4:])
        elif line == "#" and body:
            body.append("")
        elif body:
            break
    return "\n".join(body) + "\n"
