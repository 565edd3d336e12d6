"""Awkward input: every case is either a correct parse or one clear message naming the file,
line and column; never a traceback, never a hang."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tickmig.errors import InputError, TickSyntaxError
from tickmig.text.source import decode, find_scripts, read_source
from tickmig.tickscript.parser import parse


def run_parse(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tickmig", "parse", *args],
        input=stdin.decode() if stdin is not None else None,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_syntax_error_names_file_line_column_with_caret(tmp_path: Path) -> None:
    path = tmp_path / "bad.tick"
    path.write_text("stream\n    |from()\n    |window(\n        .period(10s)\n", encoding="utf-8")
    proc = run_parse(str(path))
    assert proc.returncode == 1
    assert proc.stdout.splitlines() == [
        f"{path}:4:9: syntax error: unexpected '.', expected an expression or ')'",
        "          .period(10s)",
        "          ^",
    ]
    assert "Traceback" not in proc.stdout + proc.stderr


def test_caret_points_at_the_column() -> None:
    with pytest.raises(TickSyntaxError) as info:
        parse("var x = 1\nvar y = (2 + ]\n", "a.tick")
    err = info.value
    assert (err.line, err.column) == (2, 14)
    assert err.render().splitlines() == [
        "a.tick:2:14: syntax error: unexpected ']', expected an expression",
        "  var y = (2 + ]",
        "               ^",
    ]


def test_empty_and_blank_files_parse_to_nothing() -> None:
    assert parse("").statements == ()
    assert parse("  \n\t\n").statements == ()
    assert [c.lines for c in parse("// only a comment\n").trailing_comments] == [
        ("only a comment",)
    ]


def test_bom_is_remembered_and_not_parsed() -> None:
    source = decode("x.tick", b"\xef\xbb\xbfstream|from()\n")
    assert source.bom and source.text == "stream|from()\n"
    assert len(parse(source.text).statements) == 1


def test_crlf_and_tabs() -> None:
    text = "stream\r\n\t|from()\r\n\t\t.measurement('cpu')\r\n\t|window(\r\n"
    source = decode("x.tick", text.encode())
    assert source.newline == "\r\n"
    with pytest.raises(TickSyntaxError) as info:
        parse(source.text)
    assert (info.value.line, info.value.column) == (5, 1)
    assert "\r" not in info.value.excerpt()


def test_non_utf8_names_the_first_bad_byte() -> None:
    with pytest.raises(InputError) as info:
        decode("x.tick", b"stream\n|from()\n.measurement('caf\xe9')\n")
    assert (info.value.line, info.value.column) == (3, 18)
    assert "not valid UTF-8 (byte 0xe9)" in str(info.value)


def test_binary_files_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "blob.tick"
    path.write_bytes(b"\x7fELF\x02\x01\x00\x00binary")
    proc = run_parse(str(path), "--output-format", "json-lines")
    row = json.loads(proc.stdout)
    assert proc.returncode == 1 and row["ok"] is False
    assert row["errors"][0]["message"].startswith("binary file")


def test_unreadable_and_missing_paths(tmp_path: Path) -> None:
    proc = run_parse(str(tmp_path / "nope.tick"))
    assert proc.returncode == 2
    assert proc.stderr == f"tickmig: error: {tmp_path / 'nope.tick'}: no such file\n"
    with pytest.raises(InputError):
        read_source(str(tmp_path))


def test_very_large_file_parses_quickly(tmp_path: Path) -> None:
    block = (
        "stream\n    |from()\n        .measurement('cpu')\n"
        '    |alert()\n        .crit(lambda: "v" > 1)\n'
    )
    text = block * 20000  # about 1.9 MB, 100,000 lines
    script = parse(text)
    assert len(script.statements) == 20000


@pytest.mark.parametrize(
    "src",
    [
        "var x = " + "(" * 20000 + "1" + ")" * 20000,
        "var x = " + "-" * 20000 + "1",
        "var x = " + " + ".join(["1"] * 50000),
        "var x = stream" + "|a()" * 20000,
        "lambda: " + "f(" * 3000 + "1" + ")" * 3000,
    ],
    ids=["parens", "unary", "binary", "chain", "calls"],
)
def test_deep_nesting_parses(src: str) -> None:
    script = parse(src)
    assert sum(1 for _ in script.walk()) > 3000


def test_deep_nesting_through_the_cli(tmp_path: Path) -> None:
    path = tmp_path / "deep.tick"
    path.write_text("var x = " + "(" * 5000 + "1" + ")" * 5000, encoding="utf-8")
    proc = run_parse(str(path), "--ast", "--output-format", "json-lines")
    assert "Traceback" not in proc.stderr
    assert proc.returncode == 0
    row = json.loads(proc.stdout)
    assert row["ok"] is True
    assert row["ast"] is None and "too deeply nested" in row["ast_error"]


def test_directories_are_searched_for_tick_files(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "two.tick").write_text("stream|from()", encoding="utf-8")
    (tmp_path / "one.tick").write_text("batch|query('x')", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not a script", encoding="utf-8")
    assert find_scripts([str(tmp_path)]) == [
        str(tmp_path / "b" / "two.tick"),
        str(tmp_path / "one.tick"),
    ]
