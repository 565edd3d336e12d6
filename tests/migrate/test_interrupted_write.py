"""A `migrate --write` killed at any point leaves every file wholly old or wholly new.

The program runs for real; a sitecustomize module (put on PYTHONPATH by the test, not part of
tickmig) announces on stderr each temporary file flushed and each rename, and waits for the
test between steps, so that SIGKILL lands exactly there: during a write (temporary file
written, not yet renamed) or between two files."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

PLAN = '[[rename]]\nfrom = "telegraf/one_year"\nto = "telegraf/downsampled"\n'
OLD = (
    'dbrp "telegraf"."autogen"\n\nstream\n    |from()\n        .measurement(\'cpu{n}\')\n'
    "    |influxDBOut()\n        .database('telegraf')\n        .retentionPolicy('one_year')\n"
)

HOOK = """
import os, sys
_replace, _fsync = os.replace, os.fsync
def _wait(tag, name):
    sys.stderr.write(f"{tag} {name}\\n"); sys.stderr.flush()
    sys.stdin.readline()  # the test answers to let the program go on
def fsync(fd):
    _fsync(fd)
    _wait("TEMP-WRITTEN", os.readlink(f"/proc/self/fd/{fd}"))
def replace(src, dst, *args, **kwargs):
    _replace(src, dst, *args, **kwargs)
    _wait("RENAMED", dst)
os.fsync, os.replace = fsync, replace
"""

FILES = 6


def start(tmp_path: Path) -> subprocess.Popen[str]:
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(HOOK, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(hook)}
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tickmig",
            "migrate",
            "scripts",
            "--mapping",
            "plan.toml",
            "--write",
        ],
        cwd=tmp_path,
        env=env,
        stdin=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
    )


@pytest.mark.parametrize("stop_at", range(2 * FILES))
def test_kill_at_every_step(tmp_path: Path, stop_at: int) -> None:
    (tmp_path / "plan.toml").write_text(PLAN, encoding="utf-8")
    scripts = tmp_path / "scripts"
    scripts.mkdir()
    old = {f"s{n}.tick": OLD.format(n=n) for n in range(FILES)}
    new = {name: text.replace("'one_year'", "'downsampled'") for name, text in old.items()}
    for name, text in old.items():
        (scripts / name).write_text(text, encoding="utf-8")
    proc = start(tmp_path)
    assert proc.stdin is not None and proc.stderr is not None
    steps = 0
    try:
        for line in proc.stderr:
            if line.startswith(("TEMP-WRITTEN", "RENAMED")):
                if steps == stop_at:
                    os.kill(proc.pid, signal.SIGKILL)
                    break
                steps += 1
                proc.stdin.write("\n")
                proc.stdin.flush()
    finally:
        proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL
    done = 0
    for name in old:
        text = (scripts / name).read_text(encoding="utf-8")
        assert text in (old[name], new[name]), name
        done += text == new[name]
    # every completed rename is visible, nothing more
    assert done == (stop_at + 1) // 2
