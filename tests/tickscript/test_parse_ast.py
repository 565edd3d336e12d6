"""`tickmig parse --ast` on real scripts, and the verdicts and trees Kapacitor gives the odd
cases: a script that starts with a byte order mark, an empty script."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import corpus_oracle


def tickmig(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tickmig", *args], capture_output=True, text=True, timeout=600
    )


@pytest.mark.parametrize("ast_format", ["tickmig", "kapacitor"])
def test_parse_ast_prints_every_corpus_script(corpus_dir: Path, ast_format: str) -> None:
    """Every accepted script (most have comments) gets a tree; no traceback."""
    names = [row["file"] for row in corpus_oracle()]
    proc = tickmig(
        "parse",
        "--ast",
        "--ast-format",
        ast_format,
        "--output-format",
        "json-lines",
        *(str(corpus_dir / n) for n in names),
    )
    assert "Traceback" not in proc.stderr
    rows = [json.loads(line) for line in proc.stdout.splitlines()]
    assert len(rows) == len(names)
    accepted = [r for r in rows if r["ok"]]
    assert len(accepted) == 566
    assert all(isinstance(r["ast"], dict) for r in accepted)


def test_parse_ast_of_a_commented_script_carries_its_comments(tmp_path: Path) -> None:
    script = tmp_path / "c.tick"
    script.write_text("// the cpu stream\nstream\n    |from()\n// the end\n", encoding="utf-8")
    proc = tickmig("parse", "--ast", "--output-format", "json", str(script))
    assert proc.returncode == 0, proc.stderr
    tree = json.loads(proc.stdout)[0]["ast"]
    assert tree["statements"][0]["left"]["comment"] == ["the cpu stream"]
    assert tree["trailing_comments"] == [["the end"]]


def test_a_script_starting_with_a_bom_is_rejected_as_kapacitor_does(tmp_path: Path) -> None:
    """Kapacitor's lexer knows no byte order mark: U+FEFF is an unknown rune at 1:1
    (`unexpected unknown state, last char: '\\ufeff' line 1 char 1`)."""
    script = tmp_path / "bom.tick"
    script.write_bytes(b"\xef\xbb\xbfstream\n    |from()\n")
    proc = tickmig("parse", "--output-format", "json-lines", str(script))
    assert proc.returncode == 1
    assert json.loads(proc.stdout) == {
        "path": str(script),
        "ok": False,
        "errors": [{"line": 1, "column": 1, "message": "unknown state, last char: '\\ufeff'"}],
    }


def test_an_empty_scripts_kapacitor_tree_has_null_nodes(tmp_path: Path) -> None:
    script = tmp_path / "empty.tick"
    script.write_bytes(b"")
    proc = tickmig(
        "parse", "--ast", "--ast-format", "kapacitor", "--output-format", "json", str(script)
    )
    assert proc.returncode == 0
    assert json.loads(proc.stdout)[0]["ast"] == {
        "node": "ProgramNode",
        "Nodes": None,
        "pos": 0,
        "line": 1,
        "char": 1,
    }


def test_parse_of_a_directory_with_no_script_is_an_error(tmp_path: Path) -> None:
    proc = tickmig("parse", str(tmp_path))
    assert proc.returncode == 2
    assert proc.stderr == f"tickmig: error: {tmp_path}: no *.tick file below this directory\n"
