"""The scenario of the `tickmig check` golden files (fixtures/check/scenario.*): the fixtures
load directory with its mapping exports and plan, through the real program. After an intended
change, `pytest --update-goldens` rewrites the files; review the diff."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "fixtures" / "check"
SCENARIO = "fixtures/migration/kapacitor"
MAPPINGS = [
    "--mapping",
    "fixtures/migration/mappings/dbrps.json",
    "--mapping",
    "fixtures/migration/mappings/buckets.json",
    "--mapping",
    "fixtures/migration/mappings/plan.toml",
]
FORMATS = {
    "text": "scenario.txt",
    "json": "scenario.json",
    "json-lines": "scenario.jsonl",
    "sarif": "scenario.sarif",
    "github": "scenario.github.txt",
    "junit": "scenario.junit.xml",
}


def render(fmt: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "tickmig", "check", SCENARIO, *MAPPINGS, "--output-format", fmt],
        cwd=ROOT,
        capture_output=True,
        timeout=300,
        env={"NO_COLOR": "1", "PATH": "/usr/bin"},
    )
