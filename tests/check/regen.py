"""Rewrites the golden outputs of `tickmig check` on the fixtures scenario
(fixtures/check/scenario.*). Run from the repository root and review the diff:

    .venv/bin/python -m tests.check.regen
"""

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


def main() -> None:
    GOLDEN.mkdir(parents=True, exist_ok=True)
    for fmt, name in FORMATS.items():
        proc = render(fmt)
        if proc.returncode != 1:
            raise SystemExit(f"{fmt}: exit {proc.returncode}: {proc.stderr.decode()}")
        (GOLDEN / name).write_bytes(proc.stdout)
        print(f"wrote {GOLDEN / name}")


if __name__ == "__main__":
    main()
