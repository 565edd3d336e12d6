"""The scenario every `tickmig report` golden test runs: the example migration of
fixtures/migration (see its README.md) with its mapping exports, plan, Telegraf and Kapacitor
configurations, run through the real program from the repository root with relative paths."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GOLDEN_DIR = ROOT / "fixtures" / "migration-report"
SCENARIO = "fixtures/migration"
LOAD_DIR = f"{SCENARIO}/kapacitor"
MAPPINGS = [
    f"{SCENARIO}/mappings/dbrps.json",
    f"{SCENARIO}/mappings/buckets.json",
    f"{SCENARIO}/mappings/plan.toml",
]
TELEGRAF_CONF = f"{SCENARIO}/config/telegraf.conf"
KAPACITOR_CONF = f"{SCENARIO}/config/kapacitor.conf"
#: The organization of the fixtures (mappings/dbrps.json is the body of ?org=acme-ops).
ORG = "acme-ops"

#: --format value -> golden file name.
GOLDENS = {
    "markdown": "report.md",
    "html": "report.html",
    "json": "report.json",
    "text": "report.txt",
}
PATCHED = ("telegraf.patched.conf", "kapacitor.patched.conf")


def scenario_args(
    output_format: str, *extra: str, telegraf: str = TELEGRAF_CONF, kapacitor: str = KAPACITOR_CONF
) -> list[str]:
    args = ["report", LOAD_DIR]
    for mapping in MAPPINGS:
        args += ["--mapping", mapping]
    args += ["--telegraf-conf", telegraf, "--kapacitor-conf", kapacitor, "--org", ORG]
    args += ["--format", output_format, *extra]
    return args


def tickmig(
    args: list[str], *, cwd: Path = ROOT, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the real program (`python -m tickmig`), as a user would."""
    full_env = {**os.environ, **(env or {})}
    full_env.pop("NO_COLOR", None)
    return subprocess.run(
        [sys.executable, "-m", "tickmig", *args],
        cwd=cwd,
        env=full_env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
    )
