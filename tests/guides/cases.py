"""The deployment of fixtures/guides (built only from InfluxData's published guides and sample
configurations; see its README.md), run through the real program as an operator would."""

from __future__ import annotations

import functools
import json
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from tests.report.cases import ROOT, tickmig

SCENARIO = "fixtures/guides"
GOLDEN_DIR = ROOT / "fixtures" / "guides-report"
ORG = "guides-ops"
PATHS = [f"{SCENARIO}/kapacitor", f"{SCENARIO}/load"]
MAPPINGS = ["dbrps.json", "buckets.json", "plan.toml"]
TELEGRAF_CONF = f"{SCENARIO}/config/telegraf.conf"
KAPACITOR_CONF = f"{SCENARIO}/config/kapacitor.conf"
GOLDENS = {
    "markdown": "report.md",
    "html": "report.html",
    "json": "report.json",
    "text": "report.txt",
}


def mapping_args() -> list[str]:
    return [a for m in MAPPINGS for a in ("--mapping", f"{SCENARIO}/mappings/{m}")]


def report_args(output_format: str, *extra: str) -> list[str]:
    return [
        "report",
        *PATHS,
        *mapping_args(),
        "--org",
        ORG,
        "--telegraf-conf",
        TELEGRAF_CONF,
        "--kapacitor-conf",
        KAPACITOR_CONF,
        "--format",
        output_format,
        *extra,
    ]


@functools.cache
def run(output_format: str) -> tuple[subprocess.CompletedProcess[str], dict[str, str]]:
    """`tickmig report` in one format, and the patched copies it writes (--patched-dir)."""
    with tempfile.TemporaryDirectory() as tmp:
        proc = tickmig(report_args(output_format, "--patched-dir", tmp))
        patched = {p.name: p.read_text(encoding="utf-8") for p in sorted(Path(tmp).iterdir())}
    return proc, patched


def report_json() -> dict[str, Any]:
    proc, _ = run("json")
    doc: dict[str, Any] = json.loads(proc.stdout)
    # report exits 1 when its proof fails, 0 when it holds
    assert proc.returncode == (0 if doc["verdict"]["ok"] else 1), proc.stderr
    return doc
