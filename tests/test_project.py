"""The project itself: the README stays true (its commands run, its rule table matches the
rules), and the code stays ruff- and mypy-clean."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def command_after(marker: str) -> str:
    match = re.search(rf"<!-- {marker} -->\n```sh\n(.*)\n```", README)
    assert match, marker
    return match.group(1)


def test_readme_rule_table_matches_the_rules() -> None:
    from tickmig.rules import rule_infos

    table = README.split("<!-- rules-table -->\n")[1].split("\n<!-- /rules-table -->")[0]
    rows = table.splitlines()[2:]
    expected = [
        f"| {c} | {i.name} | {i.severity.value} | {i.fix.value if i.fix else ''} | "
        f"{i.summary.replace('|', chr(92) + '|')} |"
        for c, i in rule_infos().items()
    ]
    assert rows == expected


def test_readme_main_command_runs() -> None:
    command = command_after("main-command")
    tickmig_part = command.split("&& .venv/bin/tickmig ", 1)[1]
    proc = subprocess.run(
        [sys.executable, "-m", "tickmig", *shlex.split(tickmig_part)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    # the example's proof fails on purpose (a task Kapacitor refuses): exit 1, as the README says
    assert proc.returncode == 1, proc.stderr
    assert proc.stderr.startswith("tickmig: the proof fails: ")
    assert proc.stdout.strip()


def test_ci_runs_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "test-command" in ci and "bash -c" in ci
    assert command_after("test-command").endswith(".venv/bin/pytest")


@pytest.mark.parametrize(
    "tool",
    [
        ["ruff", "check", "tickmig", "tests", "bench"],
        ["ruff", "format", "--check", "tickmig", "tests", "bench"],
        ["mypy"],
    ],
    ids=["ruff-check", "ruff-format", "mypy"],
)
def test_code_quality(tool: list[str]) -> None:
    exe = shutil.which(tool[0], path=str(Path(sys.executable).parent))
    if exe is None:
        pytest.skip(f"{tool[0]} is not installed")
    proc = subprocess.run([exe, *tool[1:]], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
