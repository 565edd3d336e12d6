"""An empty directory (no `*.tick`, no task definition below it) is an input error for `report`
and `migrate` as it is for `check`: exit 2, a message naming the path, and nothing written."""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tickmig.report import FORMATS

MESSAGE = "no *.tick file and no task definition below this directory"


def tickmig(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tickmig", *args], capture_output=True, text=True, timeout=120
    )


@pytest.fixture(params=["empty", "only-notes"])
def nothing_to_do(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    directory = tmp_path / "in"
    directory.mkdir()
    if request.param == "only-notes":
        (directory / "README.txt").write_text("no scripts here\n", encoding="utf-8")
        (directory / "sub").mkdir()
    return directory


@pytest.mark.parametrize("fmt", FORMATS)
def test_report_of_an_empty_directory_is_an_error_in_every_format(
    nothing_to_do: Path, fmt: str
) -> None:
    proc = tickmig("report", str(nothing_to_do), "--output-format", fmt)
    assert "Traceback" not in proc.stderr
    assert proc.returncode == 2
    assert f"tickmig: error: {nothing_to_do}: {MESSAGE}\n" in proc.stderr
    if fmt == "json":
        errors = json.loads(proc.stdout)["errors"]["input"]
        assert errors == [f"{nothing_to_do}: {MESSAGE}"]
    else:  # markdown escapes punctuation with a backslash
        shown = " ".join(html.unescape(re.sub(r"\\(.)", r"\1", proc.stdout)).split())
        assert f"{nothing_to_do}: {MESSAGE}" in shown


def test_report_names_only_the_empty_directory(nothing_to_do: Path, tmp_path: Path) -> None:
    full = tmp_path / "full"
    full.mkdir()
    (full / "a.tick").write_text("stream\n    |from()\n", encoding="utf-8")
    proc = tickmig("report", str(full), str(nothing_to_do), "--output-format", "text")
    assert proc.returncode == 2
    assert proc.stderr.count("tickmig: error:") == 1
    assert str(nothing_to_do) in proc.stderr and str(full) + ":" not in proc.stderr


@pytest.mark.parametrize("mode", [[], ["--check"], ["--output-dir", "OUT"], ["--write"]])
def test_migrate_of_an_empty_directory_is_an_error_and_writes_nothing(
    nothing_to_do: Path, tmp_path: Path, mode: list[str]
) -> None:
    out = tmp_path / "out"
    args = [str(out) if a == "OUT" else a for a in mode]
    before = sorted(p.name for p in nothing_to_do.rglob("*"))
    proc = tickmig("migrate", str(nothing_to_do), *args)
    assert "Traceback" not in proc.stderr
    assert proc.returncode == 2
    assert str(nothing_to_do) in proc.stderr and MESSAGE in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
    assert proc.stdout == ""
    assert not out.exists()
    assert sorted(p.name for p in nothing_to_do.rglob("*")) == before
