"""Every input error is visible in every `check` output format, and in the exit status: a task
definition that does not parse, one naming a missing template, a file that is not text, a path
that does not exist, a directory with nothing to check. Text never says "All checks passed!"
beside exit 2. Through the real program."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from tests.output.test_sarif import _validate


def tickmig(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tickmig", "check", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "NO_COLOR": "1"},
    )


@pytest.fixture
def load_directory(tmp_path: Path) -> Path:
    root = tmp_path / "kapacitor"
    (root / "tasks").mkdir(parents=True)
    (root / "templates").mkdir()
    (root / "templates" / "cpu.tick").write_text(
        'dbrp "telegraf"."autogen"\n\nstream\n    |from()\n        .measurement(\'cpu\')\n'
        '    |alert()\n        .crit(lambda: "usage_idle" < 10)\n',
        encoding="utf-8",
    )
    (root / "tasks" / "broken.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    (root / "tasks" / "orphan.yaml").write_text(
        "id: orphan\ntemplate-id: nosuch\ndbrps:\n  - db: telegraf\n    rp: autogen\n",
        encoding="utf-8",
    )
    (root / "binary.tick").write_bytes(b"stream\x00")
    return tmp_path


EXPECTED = [
    ("kapacitor/binary.tick", 1, 7),
    ("kapacitor/tasks/broken.yaml", 2, 1),
    ("kapacitor/tasks/orphan.yaml", None, None),
]


def test_sarif_has_a_result_per_input_error_and_an_unsuccessful_invocation(
    load_directory: Path, sarif_schema: dict[str, Any]
) -> None:
    proc = tickmig("kapacitor", "--output-format", "sarif", cwd=load_directory)
    assert proc.returncode == 2
    log = json.loads(proc.stdout)
    _validate(log, sarif_schema)
    (run,) = log["runs"]
    errors = [r for r in run["results"] if r["ruleId"] == "TM005"]
    found = []
    for r in errors:
        physical = r["locations"][0]["physicalLocation"]
        region = physical.get("region", {})
        found.append(
            (
                physical["artifactLocation"]["uri"],
                region.get("startLine"),
                region.get("startColumn"),
            )
        )
    assert found == EXPECTED
    (invocation,) = run["invocations"]
    assert invocation["executionSuccessful"] is False
    assert len(invocation["toolExecutionNotifications"]) == 3


def test_a_clean_run_has_a_successful_invocation(tmp_path: Path) -> None:
    (tmp_path / "ok.tick").write_text(
        'dbrp "a"."b"\n\nbatch|query(\'SELECT * FROM "a"."b"."m"\')|log()\n'
    )
    proc = tickmig("ok.tick", "--output-format", "sarif", "--select", "TM104", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["runs"][0]["invocations"] == [{"executionSuccessful": True}]


def test_junit_has_an_error_per_input_error(load_directory: Path) -> None:
    proc = tickmig("kapacitor", "--output-format", "junit", cwd=load_directory)
    assert proc.returncode == 2
    root = ET.fromstring(proc.stdout)
    assert root.get("errors") == "3"
    suites = {s.get("name"): s for s in root.iter("testsuite")}
    for path, _line, _column in EXPECTED:
        suite = suites[path]
        assert suite.get("errors") == "1"
        assert suite.find("testcase/error") is not None
    assert not [c for c in root.iter("testcase") if c.get("name") == "no problems"]


@pytest.mark.parametrize("fmt", ["json", "json-lines"])
def test_json_formats_have_a_record_per_input_error(load_directory: Path, fmt: str) -> None:
    proc = tickmig("kapacitor", "--output-format", fmt, cwd=load_directory)
    assert proc.returncode == 2
    if fmt == "json":
        rows = [d for f in json.loads(proc.stdout)["files"] for d in f["diagnostics"]]
    else:
        rows = [json.loads(line) for line in proc.stdout.splitlines()]
    errors = [(r["location"]["path"], r["location"]["line"]) for r in rows if r["code"] == "TM005"]
    assert errors == [(p, line or 0) for p, line, _ in EXPECTED]


def test_github_has_an_error_annotation_per_input_error(load_directory: Path) -> None:
    proc = tickmig("kapacitor", "--output-format", "github", cwd=load_directory)
    assert proc.returncode == 2
    lines = [line for line in proc.stdout.splitlines() if "TM005" in line]
    assert lines[0].startswith("::error file=kapacitor/binary.tick,line=1,col=7,")
    assert lines[1].startswith("::error file=kapacitor/tasks/broken.yaml,line=2,col=1,")
    assert lines[2].startswith("::error file=kapacitor/tasks/orphan.yaml,title=TM005 input-error::")
    assert "template 'nosuch' not found" in lines[2]


def test_text_names_each_input_error_and_never_says_all_passed(load_directory: Path) -> None:
    proc = tickmig("kapacitor", cwd=load_directory)
    assert proc.returncode == 2
    assert "All checks passed!" not in proc.stdout
    assert "kapacitor/tasks/orphan.yaml: TM005 template 'nosuch' not found" in proc.stdout
    assert "kapacitor/tasks/broken.yaml:2:1: TM005 invalid YAML" in proc.stdout


@pytest.mark.parametrize("fmt", ["text", "sarif", "junit", "json", "json-lines", "github"])
def test_an_empty_or_mistyped_directory_is_an_error(tmp_path: Path, fmt: str) -> None:
    (tmp_path / "empty").mkdir()
    for path in ("empty", "kapacitr"):
        proc = tickmig(path, "--output-format", fmt, cwd=tmp_path)
        assert proc.returncode == 2, (path, proc.stdout)
        assert "All checks passed!" not in proc.stdout
        assert "TM005" in proc.stdout
        assert path in proc.stderr


def test_all_checks_passed_only_with_exit_0_and_a_file_checked(tmp_path: Path) -> None:
    (tmp_path / "ok.tick").write_text('dbrp "a"."b"\n\nstream|from()|log()\n')
    proc = tickmig("ok.tick", "--select", "TM104", cwd=tmp_path)
    assert (proc.returncode, proc.stdout) == (0, "All checks passed!\n")


def test_migrate_refuses_an_empty_or_mistyped_directory(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    for path in ("empty", "kapacitr"):
        proc = subprocess.run(
            [sys.executable, "-m", "tickmig", "migrate", path],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert proc.returncode == 2
        assert proc.stderr.startswith(f"tickmig: error: {path}: no ")
