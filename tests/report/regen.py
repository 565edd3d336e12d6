"""Rewrite the `tickmig report` goldens (fixtures/migration-report/*) from the fixtures
scenario (tests/report/cases.py).

Run from the repository root after an intended change to the report or to the scenario:

    .venv/bin/python -m tests.report.regen

then review the change to fixtures/migration-report/ as a diff before committing it.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from .cases import GOLDEN_DIR, GOLDENS, PATCHED, scenario_args, tickmig


def main() -> int:
    GOLDEN_DIR.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        for output_format, name in GOLDENS.items():
            proc = tickmig(scenario_args(output_format, "--patched-dir", tmp))
            if proc.returncode != 0:
                sys.stderr.write(proc.stderr)
                print(f"tickmig report --format {output_format} exited {proc.returncode}")
                return 1
            (GOLDEN_DIR / name).write_text(proc.stdout, encoding="utf-8", newline="")
            print(f"wrote {GOLDEN_DIR / name}")
        for name in PATCHED:
            shutil.copyfile(Path(tmp) / name, GOLDEN_DIR / name)
            print(f"wrote {GOLDEN_DIR / name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
