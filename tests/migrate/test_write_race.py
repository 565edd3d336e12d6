"""`migrate --write` through the real program: a script edited after tickmig read it and
before tickmig writes it is refused, never overwritten; the message names the file, the
exit status is 2, the other files are migrated, and no temporary file is left behind.

The edit is made at one exact point, deterministically (no timing): the child process runs
tickmig's own `main` with `load_workspace` (where every input file is read, once) wrapped
so that the user's edit lands right after it returns, while tickmig has yet to compute
and write. Nothing in tickmig is changed; the wrapper only stands for the user's editor."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = 'dbrp "telegraf"."one_year"\n\nstream\n    |from()\n        .measurement(\'{m}\')\n'
PLAN = '[[rename]]\nfrom = "telegraf/one_year"\nto = "telegraf/downsampled"\n'
USER_EDIT = "// the user's edit, made while tickmig was computing\n"

#: tickmig's main, with the user's editor appending to the files named in EDIT_AFTER_READ
#: (this wrapper's variable; tickmig reads no such thing) right after tickmig read its inputs.
_RUN = f"""
import os, sys
import tickmig.tasks.workspace as workspace

real = workspace.load_workspace

def read_then_someone_edits(*args, **kwargs):
    loaded = real(*args, **kwargs)
    for path in filter(None, os.environ.get("EDIT_AFTER_READ", "").split(os.pathsep)):
        with open(path, "a", encoding="utf-8") as f:
            f.write({USER_EDIT!r})
    return loaded

workspace.load_workspace = read_then_someone_edits
sys.argv = ["tickmig", *sys.argv[1:]]
from tickmig.__main__ import main
main()
"""


def _migrate_write(
    tmp_path: Path, *edited: str, backup: bool = False
) -> subprocess.CompletedProcess[str]:
    argv = ["migrate", "--write", "cpu.tick", "mem.tick", "--mapping", "plan.toml"]
    env = {**os.environ, "EDIT_AFTER_READ": os.pathsep.join(edited), "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-c", _RUN, *argv, *(["--backup", ".orig"] if backup else [])],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        stdin=subprocess.DEVNULL,
    )


@pytest.fixture
def scripts(tmp_path: Path) -> Path:
    for name in ("cpu", "mem"):
        (tmp_path / f"{name}.tick").write_text(SCRIPT.format(m=name), encoding="utf-8")
    (tmp_path / "plan.toml").write_text(PLAN, encoding="utf-8")
    return tmp_path


def test_without_an_edit_both_files_are_migrated(scripts: Path) -> None:
    proc = _migrate_write(scripts)
    assert proc.returncode == 0, proc.stderr
    for name in ("cpu", "mem"):
        text = (scripts / f"{name}.tick").read_text(encoding="utf-8")
        assert text == SCRIPT.format(m=name).replace("one_year", "downsampled")


@pytest.mark.parametrize("backup", [False, True])
def test_a_file_edited_after_it_was_read_is_refused_and_named(scripts: Path, backup: bool) -> None:
    before = set(os.listdir(scripts))
    proc = _migrate_write(scripts, "mem.tick", backup=backup)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    (line,) = [ln for ln in proc.stderr.splitlines() if "mem.tick" in ln]
    assert line.startswith("tickmig: error: mem.tick: cannot write: ")
    assert "changed since tickmig read it" in line
    # The user's text is kept as they left it; the other file is migrated.
    assert (scripts / "mem.tick").read_text(encoding="utf-8") == SCRIPT.format(m="mem") + USER_EDIT
    cpu = (scripts / "cpu.tick").read_text(encoding="utf-8")
    assert cpu == SCRIPT.format(m="cpu").replace("one_year", "downsampled")
    # Nothing else appears: no temporary file, and no backup of the file left alone.
    added = set(os.listdir(scripts)) - before
    assert added == ({"cpu.tick.orig"} if backup else set()), added
