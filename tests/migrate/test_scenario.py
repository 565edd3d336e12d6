"""The fixtures scenario migrated end to end, compared with its expected tree of files."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import Goldens
from tests.migrate.cases import EXPECTED, ROOT, migrate_into


def test_scenario_matches_the_expected_tree(tmp_path: Path, goldens: Goldens) -> None:
    proc = migrate_into(tmp_path / "out")
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.strip().endswith("4 TODOs added")
    goldens.check_tree(EXPECTED, tmp_path / "out")


def test_expected_tree_is_stable_under_a_second_migration(tmp_path: Path) -> None:
    import shutil
    import subprocess
    import sys

    work = tmp_path / "kapacitor"
    shutil.copytree(EXPECTED, work)
    mappings = ROOT / "fixtures" / "migration" / "mappings"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "tickmig",
            "migrate",
            str(work),
            "--annotate",
            "--check",
            "--mapping",
            str(mappings / "dbrps.json"),
            "--mapping",
            str(mappings / "buckets.json"),
            "--mapping",
            str(mappings / "plan.toml"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout == ""
