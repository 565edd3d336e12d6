"""Rewrites the expected result of migrating the fixtures scenario
(fixtures/migration-expected/), with safe fixes and TODO annotations. Run from the repository
root and review the diff:

    .venv/bin/python -m tests.migrate.regen
"""

from __future__ import annotations

import shutil
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


def main() -> None:
    if EXPECTED.exists():
        shutil.rmtree(EXPECTED)
    proc = migrate_into(EXPECTED)
    if proc.returncode != 0:
        raise SystemExit(proc.stderr)
    print(proc.stderr.strip())


if __name__ == "__main__":
    main()
