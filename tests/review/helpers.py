"""Helpers of the review tests (conftest.py registers the `project` fixture): a project in
tmp_path (copies of the two small scripts beside this file, a mapping plan written here, two
$EDITOR scripts), and the real program run in a pseudo-terminal with pexpect.

With the plan and --unsafe-fixes there are six proposals, in this order:
alpha.tick: TM105 (remove .create()), TM120 (cpu_copy), TM120 (swap_copy);
beta.tick:  TM120 (mem_copy), TM120 (disk_copy), TM107 (remove .writeConsistency()).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pexpect
import pytest

from tickmig.errors import TickSyntaxError
from tickmig.text.source import decode
from tickmig.tickscript.parser import parse

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
VENV_PYTHON = ROOT / ".venv" / "bin" / "python"
PYTHON = str(VENV_PYTHON) if VENV_PYTHON.exists() else sys.executable
PROMPT = "[y,n,e,a,d,A,q,?]? "

PLAN = """\
# built by the review tests: the one_year retention policy was replaced by downsampled
target = "oss"

[[rename]]
from = "telegraf/one_year"
to = "telegraf/downsampled"
"""

#: Rewrites the proposed text (renames the new retention policy) and keeps what it was given.
EDITOR_VALID = """\
import sys
from pathlib import Path

path = Path(sys.argv[1])
text = path.read_text(encoding="utf-8")
Path(__file__).with_name("editor-input.txt").write_text(text, encoding="utf-8")
path.write_text(text.replace("'downsampled'", "'rollups'"), encoding="utf-8")
"""

#: Leaves a node chain that does not parse.
EDITOR_INVALID = """\
import sys
from pathlib import Path

path = Path(sys.argv[1])
path.write_text(path.read_text(encoding="utf-8") + "    |broken(((\\n", encoding="utf-8")
"""


@dataclass
class Project:
    root: Path

    @property
    def alpha(self) -> Path:
        return self.root / "scripts" / "alpha.tick"

    @property
    def beta(self) -> Path:
        return self.root / "scripts" / "beta.tick"

    @property
    def decisions_file(self) -> Path:
        return self.root / "decisions.json"

    def original(self, name: str) -> bytes:
        return (HERE / "scripts" / name).read_bytes()

    def decisions(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(self.decisions_file.read_text(encoding="utf-8"))
        return data

    def kinds(self) -> list[tuple[str, str, str]]:
        """(path, code, decision) of every recorded decision, in order."""
        return [(d["path"], d["code"], d["decision"]) for d in self.decisions()["decisions"]]

    def env(self, **extra: str) -> dict[str, str]:
        env = {
            k: v
            for k, v in os.environ.items()
            if k not in ("NO_COLOR", "FORCE_COLOR", "EDITOR", "VISUAL")
        }
        env.update(TERM="xterm", COLUMNS="200", LINES="40")
        env.update(extra)
        return env

    def editor(self, name: str) -> str:
        return f"{PYTHON} {self.root / name}"

    def args(
        self, *extra: str, decisions: bool = True, unsafe: bool = True, folder: str = "scripts"
    ) -> list[str]:
        args = ["-m", "tickmig", "migrate", folder, "--mapping", "plan.toml", *extra]
        if unsafe:
            args.append("--unsafe-fixes")
        if decisions:
            args += ["--decisions", "decisions.json"]
        return args

    def spawn(
        self,
        *extra: str,
        env: dict[str, str] | None = None,
        decisions: bool = True,
        unsafe: bool = True,
        folder: str = "scripts",
    ) -> pexpect.spawn:
        """`tickmig migrate -i` on the project, in a pseudo-terminal."""
        return pexpect.spawn(
            PYTHON,
            self.args("-i", *extra, decisions=decisions, unsafe=unsafe, folder=folder),
            cwd=str(self.root),
            env=env or self.env(),
            dimensions=(40, 200),
            encoding="utf-8",
            timeout=30,
        )

    def run(
        self, *extra: str, decisions: bool = True, stdin: int | None = subprocess.DEVNULL
    ) -> subprocess.CompletedProcess[str]:
        """`tickmig migrate` without a terminal."""
        return subprocess.run(
            [PYTHON, *self.args(*extra, decisions=decisions)],
            cwd=self.root,
            env=self.env(),
            stdin=stdin,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )


@pytest.fixture
def project(tmp_path: Path) -> Project:
    shutil.copytree(HERE / "scripts", tmp_path / "scripts")
    (tmp_path / "plan.toml").write_text(PLAN, encoding="utf-8")
    (tmp_path / "editor_valid.py").write_text(EDITOR_VALID, encoding="utf-8")
    (tmp_path / "editor_invalid.py").write_text(EDITOR_INVALID, encoding="utf-8")
    return Project(tmp_path)


def answer(child: pexpect.spawn, key: str, asked: str | None = None) -> None:
    """Wait for the prompt (after the heading `asked`, e.g. "(2/6) scripts/alpha.tick"), then
    answer `key`."""
    if asked is not None:
        child.expect_exact(asked)
    child.expect_exact(PROMPT)
    child.sendline(key)


def finish(child: pexpect.spawn) -> tuple[int, str]:
    """Wait for the program to end: its exit status and everything it printed since the last
    match."""
    child.expect(pexpect.EOF)
    rest = child.before or ""
    child.close()
    assert child.signalstatus is None, f"killed by signal {child.signalstatus}"
    return child.exitstatus, rest


def parses(path: Path) -> bool:
    try:
        parse(decode(str(path), path.read_bytes()).text, str(path))
    except TickSyntaxError:
        return False
    return True


def intact_or_parses(project: Project, name: str) -> bool:
    """No half-written file: the original bytes, or a whole script that parses."""
    path = project.root / "scripts" / name
    return path.read_bytes() == project.original(name) or parses(path)
