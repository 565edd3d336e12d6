"""Plan renames never chain (issue 11): `a->b, b->c` sends a reference to a to b and one to b to
c; a swap `a->b, b->a` works and settles."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = (
    'dbrp "a"."autogen"\n'
    "stream|from().measurement('cpu')"
    "|influxDBOut().database('b').retentionPolicy('autogen')\n"
)


def migrated(tmp_path: Path, plan: str) -> tuple[str, str]:
    (tmp_path / "t.tick").write_text(SCRIPT)
    (tmp_path / "plan.toml").write_text(plan)
    out = tmp_path / "out"
    done = subprocess.run(
        [
            *(sys.executable, "-m", "tickmig", "migrate", "t.tick", "--mapping", "plan.toml"),
            *("--unsafe-fixes", "--output-dir", str(out)),
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return (out / "t.tick").read_text() if (out / "t.tick").exists() else "", done.stderr


@pytest.mark.parametrize(
    ("plan", "dbrp", "out_db"),
    [
        ('[[rename]]\nfrom = "a/autogen"\nto = "b/autogen"\n'
         '[[rename]]\nfrom = "b/autogen"\nto = "c/autogen"\n', '"b"."autogen"', "c"),
        ('[[rename]]\nfrom = "a/autogen"\nto = "b/autogen"\n'
         '[[rename]]\nfrom = "b/autogen"\nto = "a/autogen"\n', '"b"."autogen"', "a"),
    ],
    ids=["chain", "swap"],
)  # fmt: skip
def test_each_reference_is_renamed_once(tmp_path: Path, plan: str, dbrp: str, out_db: str) -> None:
    text, stderr = migrated(tmp_path, plan)
    assert "0 errors" in stderr, stderr
    assert text.startswith(f"dbrp {dbrp}\n")
    assert f".database('{out_db}')" in text
