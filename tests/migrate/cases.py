"""The fixtures scenario migrated with safe fixes and TODO annotations, and where its expected
tree of files lives (fixtures/migration-expected/; `pytest --update-goldens` rewrites it)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EXPECTED = ROOT / "fixtures" / "migration-expected"
SCENARIO = "fixtures/migration/kapacitor"
MAPPINGS = [
    "--mapping",
    "fixtures/migration/mappings/dbrps.json",
    "--mapping",
    "fixtures/migration/mappings/buckets.json",
    "--mapping",
    "fixtures/migration/mappings/plan.toml",
]


def migrate_into(target: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "tickmig",
            "migrate",
            SCENARIO,
            *MAPPINGS,
            "--annotate",
            "--output-dir",
            str(target),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
