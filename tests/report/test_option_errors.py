"""`tickmig report` with a file the options name that cannot be read (a --mapping plan or
file, the settings file): every format shows the error, the proof is not run (no task is
reported against mappings that were not read), exit 2. Through the real program."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest

SCRIPT = 'dbrp "telegraf"."autogen"\n\nstream\n    |from()\n        .measurement(\'cpu\')\n'
PLAN = '[[rename]]\nfrom = "telegraf/autogen"\n'
MESSAGE = "plan.toml:1:1: [[rename]] #1: expected exactly one of"


def report(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tickmig", "report", "cpu.tick", *args],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "NO_COLOR": "1"},
    )


@pytest.fixture
def inputs(tmp_path: Path) -> Path:
    (tmp_path / "cpu.tick").write_text(SCRIPT, encoding="utf-8")
    (tmp_path / "plan.toml").write_text(PLAN, encoding="utf-8")
    (tmp_path / "settings.toml").write_text('mapping = ["plan.toml"]\n', encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("fmt", ["markdown", "html", "text", "json"])
@pytest.mark.parametrize("option", [["--mapping", "plan.toml"], ["--config", "settings.toml"]])
def test_every_format_shows_the_option_file_error(
    inputs: Path, fmt: str, option: list[str], report_schema: dict[str, Any]
) -> None:
    proc = report(inputs, *option, "--format", fmt)
    assert proc.returncode == 2
    expected = MESSAGE  # the settings' paths are relative to the settings file: ./plan.toml
    assert proc.stderr.startswith(f"tickmig: error: {expected}")
    if fmt == "json":
        doc = json.loads(proc.stdout)
        jsonschema.Draft202012Validator(report_schema).validate(doc)
        (error,) = doc["errors"]["input"]
        assert error.startswith(expected)
        assert doc["summary"]["input_errors"] == 1
        assert doc["verdict"]["ok"] is False and doc["tasks"] == []
    else:
        shown = proc.stdout.replace("\\[", "[").replace("\\]", "]").replace("\\#", "#")
        assert expected in " ".join(shown.split())
        assert "nothing to prove" not in shown  # no verdict about tasks that were not read
