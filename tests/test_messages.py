"""Messages read as words (issue 11, item 7): help shows no Python types or framework
metavars, a missing path is `PATH: no such file`, and a YAML or JSON file named explicitly is
not parsed as a TICKscript."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

COMMANDS = ["parse", "check", "migrate", "report", "rules", "export", "apply"]


def tickmig(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tickmig", *args],
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
        env={"COLUMNS": "100", "PATH": "/usr/bin:/bin"},
    )


@pytest.mark.parametrize("command", COMMANDS)
def test_help_metavars_are_words(command: str) -> None:
    done = tickmig(command, "--help")
    if "No such command" in done.stderr:
        pytest.skip(f"no {command} command on this branch")
    assert done.returncode == 0, done.stderr
    for framework in ("<list[", "<str>", "<int", "<float", "{paths}", "{PATH", "<path>"):
        assert framework not in done.stdout, (framework, done.stdout)


@pytest.mark.parametrize("command", COMMANDS)
def test_option_values_read_as_words_not_parameter_names(command: str) -> None:
    """`--influx-version 2.N`, `--cloud-plan PLAN`: an option's own word, never the Python
    parameter's name in capitals (`CLOUD_PLAN`)."""
    done = tickmig(command, "--help")
    if "No such command" in done.stderr:
        pytest.skip(f"no {command} command on this branch")
    named = re.findall(r"--[a-z0-9-]+ ([A-Z][A-Z0-9]*_[A-Z0-9_]+)\b", done.stdout)
    assert named == [], done.stdout


def test_paths_argument_reads_path(tmp_path: Path) -> None:
    done = tickmig("check", "--help")
    assert "Usage: tickmig check [OPTIONS] PATH..." in done.stdout
    assert "  PATH...  Files or directories" in done.stdout


@pytest.mark.parametrize(
    ("name", "text", "kind"),
    [
        ("handlers/slack.yaml", "topic: cpu\nid: slack\nkind: slack\n", "a YAML"),
        ("vars/x.json", '{"crit": {"type": "float", "value": 90}}\n', "a JSON"),
        ("tasks/t.yml", "id: t\ntemplate-id: x\n", "a YAML"),
    ],
)
def test_a_yaml_or_json_file_named_explicitly_is_not_a_tickscript(
    tmp_path: Path, name: str, text: str, kind: str
) -> None:
    path = tmp_path / name
    path.parent.mkdir()
    path.write_text(text)
    for command in ("check", "parse"):
        done = tickmig(command, str(path))
        assert done.returncode == 2
        assert f"{path}: {kind} file, not a TICKscript" in done.stderr
        assert "TM001" not in done.stdout + done.stderr
        assert "unknown state" not in done.stdout + done.stderr


def test_a_missing_path_has_no_line_and_column(tmp_path: Path) -> None:
    done = tickmig("parse", str(tmp_path / "nosuch.tick"))
    assert done.returncode == 2
    assert f"{tmp_path / 'nosuch.tick'}: no such file" in done.stderr
    assert ":1:1:" not in done.stderr
