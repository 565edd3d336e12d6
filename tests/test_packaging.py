"""The wheel ships the grammar: an installed copy, away from the source tree, parses."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_installed_wheel_parses_with_its_own_grammar(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist)],
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=300,
    )
    (wheel,) = dist.glob("tickmig-*.whl")
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
    assert "tickmig/tickscript/tickscript.lark" in names
    assert "tickmig/tickscript/tables.json" in names
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "--quiet",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    probe = (
        "import tickmig, tickmig.tickscript.parser as p\n"
        "print(tickmig.__file__)\n"
        "print(p.parse('stream|from().measurement(\\'cpu\\')').statements[0].right.name)\n"
        "from importlib import resources\n"
        "print((resources.files('tickmig.tickscript') / 'tickscript.lark').is_file())\n"
    )
    env = {**os.environ, "PYTHONPATH": str(target), "TICKMIG_CACHE_DIR": str(tmp_path)}
    out = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout.splitlines()
    assert out[0].startswith(str(target))
    assert out[1:] == ["measurement", "True"]
