"""An error in a file an option names (the settings file, a --mapping file or plan,
--telegraf-conf, --kapacitor-conf, a `dbrp` setting) is a result in every `check` output
format, located at that file (line and column when known), and exit status 2: as a script
that cannot be read is (tests/output/test_input_errors.py). Through the real program."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from tests.output.test_input_errors import tickmig
from tests.output.test_sarif import _validate

SCRIPT = 'dbrp "telegraf"."autogen"\n\nstream\n    |from()\n        .measurement(\'cpu\')\n'

#: name -> (files to write, options, (file, line, column) of the error, words of its message)
CASES: dict[str, tuple[dict[str, str], list[str], tuple[str, int | None, int | None], str]] = {
    "plan": (
        {"plan.toml": '[[rename]]\nfrom = "telegraf/autogen"\n'},
        ["--mapping", "plan.toml"],
        ("plan.toml", 1, 1),
        "expected exactly one of",
    ),
    "mapping-json": (
        {"dbrps.json": '{"content": ['},
        ["--mapping", "dbrps.json"],
        ("dbrps.json", 1, 14),
        "invalid JSON",
    ),
    "missing-mapping": ({}, ["--mapping", "nosuch.json"], ("nosuch.json", None, None), "no such"),
    "config": (
        {"settings.toml": 'select = ["TM1"]\ntarget = \n'},
        ["--config", "settings.toml"],
        ("settings.toml", 2, 10),
        "invalid TOML",
    ),
    "config-dbrp": (
        {"settings.toml": 'dbrp = ["nodot"]\n'},
        ["--config", "settings.toml"],
        ("settings.toml", None, None),
        "dbrp 'nodot': expected DB.RP",
    ),
    "telegraf": (
        {"telegraf.conf": "[[outputs.influxdb]\n"},
        ["--telegraf-conf", "telegraf.conf"],
        ("telegraf.conf", 1, 20),
        "invalid TOML",
    ),
    "kapacitor": (
        {"kapacitor.conf": "[[influxdb]]\nenabled = true\nurls = \n"},
        ["--kapacitor-conf", "kapacitor.conf"],
        ("kapacitor.conf", 3, 8),
        "invalid TOML",
    ),
}


def _setup(tmp_path: Path, case: str) -> list[str]:
    files, options, _where, _words = CASES[case]
    (tmp_path / "cpu.tick").write_text(SCRIPT, encoding="utf-8")
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    return ["cpu.tick", *options]


def _errors(rows: list[dict[str, Any]]) -> list[tuple[str, int, str]]:
    return [
        (r["location"]["path"], r["location"]["line"], r["message"])
        for r in rows
        if r["code"] == "TM005"
    ]


@pytest.mark.parametrize("case", CASES)
def test_sarif_locates_the_option_file_and_the_invocation_failed(
    tmp_path: Path, case: str, sarif_schema: dict[str, Any]
) -> None:
    args = _setup(tmp_path, case)
    path, line, column = CASES[case][2]
    proc = tickmig(*args, "--output-format", "sarif", cwd=tmp_path)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.startswith(f"tickmig: error: {path}"), proc.stderr
    log = json.loads(proc.stdout)
    _validate(log, sarif_schema)
    (run,) = log["runs"]
    (error,) = [r for r in run["results"] if r["ruleId"] == "TM005"]
    assert CASES[case][3] in error["message"]["text"]
    physical = error["locations"][0]["physicalLocation"]
    assert physical["artifactLocation"]["uri"] == path
    region = physical.get("region", {})
    assert (region.get("startLine"), region.get("startColumn")) == (line, column)
    (invocation,) = run["invocations"]
    assert invocation["executionSuccessful"] is False
    (note,) = invocation["toolExecutionNotifications"]
    assert note["locations"] == error["locations"]


@pytest.mark.parametrize("case", CASES)
def test_junit_github_json_and_text_show_the_option_file_error(tmp_path: Path, case: str) -> None:
    args = _setup(tmp_path, case)
    path, line, column = CASES[case][2]
    words = CASES[case][3]

    proc = tickmig(*args, "--output-format", "junit", cwd=tmp_path)
    assert proc.returncode == 2
    suites = {s.get("name"): s for s in ET.fromstring(proc.stdout).iter("testsuite")}
    error = suites[path].find("testcase/error")
    assert error is not None and words in (error.get("message") or "")

    proc = tickmig(*args, "--output-format", "github", cwd=tmp_path)
    assert proc.returncode == 2
    where = f"file={path}" + (f",line={line},col={column}," if line else ",title=")
    assert [ln for ln in proc.stdout.splitlines() if ln.startswith(f"::error {where}")]

    proc = tickmig(*args, "--output-format", "json", cwd=tmp_path)
    assert proc.returncode == 2
    rows = [d for f in json.loads(proc.stdout)["files"] for d in f["diagnostics"]]
    ((found_path, found_line, message),) = _errors(rows)
    assert (found_path, found_line) == (path, line or 0) and words in message

    proc = tickmig(*args, "--output-format", "json-lines", cwd=tmp_path)
    assert proc.returncode == 2
    rows = [json.loads(row) for row in proc.stdout.splitlines()]
    assert [(p, n) for p, n, _ in _errors(rows)] == [(path, line or 0)]

    proc = tickmig(*args, cwd=tmp_path)
    assert proc.returncode == 2
    assert "All checks passed!" not in proc.stdout
    prefix = f"{path}:{line}:{column}: TM005 " if line else f"{path}: TM005 "
    assert [ln for ln in proc.stdout.splitlines() if ln.startswith(prefix) and words in ln]


def test_a_settings_file_found_upwards_is_the_location(tmp_path: Path) -> None:
    (tmp_path / "tickmig.toml").write_text('mapping = ["plan.toml"]\n', encoding="utf-8")
    (tmp_path / "plan.toml").write_text('[[rename]]\nfrom = "telegraf"\n', encoding="utf-8")
    (tmp_path / "tasks").mkdir()
    (tmp_path / "tasks" / "cpu.tick").write_text(SCRIPT, encoding="utf-8")
    proc = tickmig("cpu.tick", "--output-format", "json-lines", cwd=tmp_path / "tasks")
    assert proc.returncode == 2
    ((path, line, _message),) = _errors([json.loads(row) for row in proc.stdout.splitlines()])
    assert (path, line) == (str(tmp_path / "plan.toml"), 1)


def test_a_command_line_value_stays_a_usage_error(tmp_path: Path) -> None:
    # No file is wrong: nothing to locate a result at; one line on stderr, exit 2.
    (tmp_path / "cpu.tick").write_text(SCRIPT, encoding="utf-8")
    proc = tickmig("cpu.tick", "--dbrp", "nodot", "--output-format", "sarif", cwd=tmp_path)
    assert (proc.returncode, proc.stdout) == (2, "")
    assert (
        proc.stderr
        == "tickmig: error: --dbrp 'nodot': expected DB.RP (as kapacitor define -dbrp)\n"
    )


def test_when_the_report_cannot_be_written_both_errors_are_said(tmp_path: Path) -> None:
    args = _setup(tmp_path, "plan")
    proc = tickmig(*args, "--output-format", "sarif", "-o", "nosuch/out.sarif", cwd=tmp_path)
    assert proc.returncode == 2
    first, second = proc.stderr.splitlines()
    assert first.startswith("tickmig: error: plan.toml:1:1: [[rename]] #1: expected exactly")
    assert second == "tickmig: error: nosuch/out.sarif: cannot write: No such file or directory"
