"""`tickmig parse`: output formats and exit statuses, through the real program."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest


def tickmig(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tickmig", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def scripts(tmp_path: Path) -> Path:
    (tmp_path / "good.tick").write_text("stream\n    |from()\n", encoding="utf-8")
    (tmp_path / "bad.tick").write_text("stream\n    |from(\n", encoding="utf-8")
    return tmp_path


def test_json_lines_shape(scripts: Path) -> None:
    proc = tickmig("parse", "--output-format", "json-lines", str(scripts))
    rows = [json.loads(line) for line in proc.stdout.splitlines()]
    assert proc.returncode == 1
    assert rows == [
        {
            "path": str(scripts / "bad.tick"),
            "ok": False,
            "errors": [
                {
                    "line": 3,
                    "column": 1,
                    "message": "unexpected end of input, expected an expression or ')'",
                }
            ],
        },
        {"path": str(scripts / "good.tick"), "ok": True, "errors": []},
    ]


def test_json_with_ast(scripts: Path) -> None:
    proc = tickmig("parse", "--output-format", "json", "--ast", str(scripts / "good.tick"))
    assert proc.returncode == 0
    (row,) = json.loads(proc.stdout)
    chain = row["ast"]["statements"][0]
    assert (chain["node"], chain["op"], chain["right"]["name"]) == ("Chain", "|", "from")
    assert chain["span"] == [0, 18] and (chain["line"], chain["column"]) == (1, 1)


def test_kapacitor_ast_format(scripts: Path) -> None:
    proc = tickmig(
        "parse",
        "--output-format",
        "json",
        "--ast",
        "--ast-format",
        "kapacitor",
        str(scripts / "good.tick"),
    )
    (row,) = json.loads(proc.stdout)
    assert row["ast"]["Nodes"][0]["node"] == "ChainNode"
    assert row["ast"]["Nodes"][0]["pos"] == 11


def test_text_format_and_stdin() -> None:
    proc = tickmig("parse", "-", stdin="var x = 5m\n")
    assert proc.returncode == 0
    assert proc.stdout == "<stdin>: ok\n"
    proc = tickmig("parse", "-", stdin="var x = \n")
    assert proc.returncode == 1
    assert proc.stdout.startswith("<stdin>:2:1: syntax error:")


def test_usage_errors_exit_2() -> None:
    assert tickmig("parse", "--output-format", "yaml", "-").returncode == 2
    assert tickmig("parse").returncode == 2
    assert tickmig("frobnicate").returncode == 2


def test_version() -> None:
    proc = tickmig("--version")
    assert proc.returncode == 0 and proc.stdout.startswith("tickmig ")
