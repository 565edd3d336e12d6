"""The issue-10 deployment (fixtures/deployment, see its README.md) run through the real
program from the repository root; the report goldens live in fixtures/deployment-report/
(`pytest --update-goldens` rewrites them)."""

from __future__ import annotations

import json
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from tests.report.cases import ROOT, tickmig

SCENARIO = "fixtures/deployment"
GOLDEN_DIR = ROOT / "fixtures" / "deployment-report"
GOLDENS = {
    "markdown": "report.md",
    "html": "report.html",
    "json": "report.json",
    "text": "report.txt",
}
TELEGRAF = [f"{SCENARIO}/config/telegraf.conf", f"{SCENARIO}/config/web-telegraf.conf"]
KAPACITOR = f"{SCENARIO}/config/kapacitor.conf"
ORG = "games-ops"


def args(output_format: str, *extra: str) -> list[str]:
    out = ["report", f"{SCENARIO}/kapacitor"]
    for name in ("dbrps.json", "buckets.json", "plan.toml"):
        out += ["--mapping", f"{SCENARIO}/mappings/{name}"]
    out += ["--org", ORG, "--kapacitor-conf", KAPACITOR]
    for conf in TELEGRAF:
        out += ["--telegraf-conf", conf]
    return [*out, "--format", output_format, *extra]


def run(output_format: str) -> tuple[subprocess.CompletedProcess[str], dict[str, str]]:
    """The report, and the patched copies it writes."""
    with tempfile.TemporaryDirectory() as tmp:
        proc = tickmig(args(output_format, "--patched-dir", tmp))
        patched = {p.name: p.read_text(encoding="utf-8") for p in Path(tmp).iterdir()}
    return proc, patched


def report_json() -> dict[str, Any]:
    proc, _ = run("json")
    doc: dict[str, Any] = json.loads(proc.stdout)
    return doc
