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


SCRIPT = 'stream\n    |from()\n        .measurement("m")\n'
DEEP = "[" * 100000 + "]" * 100000
#: Malformed inputs through the CLI: (files to write, arguments, the start of the one-line message).
#: In arguments and messages `{d}` is the directory the files are in.
MALFORMED: dict[str, tuple[dict[str, str], list[str], str]] = {
    "decisions-not-json": (
        {"d.json": "{"},
        ["migrate", "a.tick", "--check", "--decisions", "d.json"],
        "d.json: not valid JSON",
    ),
    "decisions-wrong-types": (
        {"d.json": '{"version": "1", "complete": "yes", "files": 3}'},
        ["migrate", "a.tick", "--check", "--decisions", "d.json"],
        "d.json: not a tickmig decisions file",
    ),
    "mapping-deep-json": ({"m.json": DEEP}, ["check", "a.tick", "--mapping", "m.json"], "m.json: "),
    "mapping-wrong-shape": (
        {"m.json": '{"a": 1}'},
        ["check", "a.tick", "--mapping", "m.json"],
        "m.json: expected an object",
    ),
    "plan-unknown-key": (
        {"p.toml": '[[rename]]\nfrom = "a.b"\nto = "c.d"\nbogus = 2\n'},
        ["check", "a.tick", "--mapping", "p.toml"],
        'p.toml:4:1: [[rename]] #1: unknown key "bogus"',
    ),
    "settings-not-toml": (
        {"s.toml": "target = [\n"},
        ["check", "a.tick", "--config", "s.toml"],
        "s.toml: invalid TOML",
    ),
    "settings-target-not-string": (
        {"s.toml": "target = 3\n"},
        ["check", "a.tick", "--config", "s.toml"],
        "s.toml: target must be a string",
    ),
    "settings-unknown-target": (
        {"s.toml": 'target = "nosuch"\n'},
        ["check", "a.tick", "--config", "s.toml"],
        "s.toml: unknown target 'nosuch'",
    ),
    "telegraf-not-toml": (
        {"t.conf": "[[outputs\n"},
        ["check", "a.tick", "--telegraf-conf", "t.conf"],
        "t.conf:1:10: invalid TOML",
    ),
    "kapacitor-conf-not-toml": (
        {"k.conf": "[[influxdb\n"},
        ["check", "a.tick", "--kapacitor-conf", "k.conf"],
        "k.conf:1:11: invalid TOML",
    ),
    "dbrp-without-dot": (
        {},
        ["check", "a.tick", "--dbrp", "nodot"],
        "--dbrp 'nodot': expected DB.RP",
    ),
    "definition-deep-yaml": (
        {"ld/tasks/t.yaml": "a: " + DEEP, "ld/templates/t.tick": SCRIPT},
        ["check", "ld"],
        "ld/tasks/t.yaml:1:1: nested too deeply to read",
    ),
    "vars-not-an-object": (
        {"ld/vars/x.json": "[1, 2]", "ld/templates/t.tick": SCRIPT},
        ["check", "ld"],
        "ld/vars/x.json:1:1: a vars file must be a JSON object",
    ),
}


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_malformed_input_is_one_line_naming_the_file(case: str, tmp_path: Path) -> None:
    files, args, message = MALFORMED[case]
    (tmp_path / "a.tick").write_text(SCRIPT, encoding="utf-8")
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "tickmig", *args],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "Traceback" not in proc.stderr
    assert proc.returncode == 2
    lines = proc.stderr.splitlines()
    assert lines and all(line.startswith("tickmig: error: ") for line in lines)
    assert any(line.startswith(f"tickmig: error: {message}") for line in lines), lines
    if args[0] == "check" and args[1] == "ld":  # an input of check: a result in every format
        where, _, text = message.partition(": ")
        path = where.split(":")[0]
        for fmt in ("json", "sarif"):
            out = subprocess.run(
                [sys.executable, "-m", "tickmig", *args, "--output-format", fmt],
                cwd=tmp_path,
                capture_output=True,
                text=True,
                timeout=120,
            )
            assert out.returncode == 2
            doc = json.loads(out.stdout)
            if fmt == "json":
                found = [(f["path"], d["message"]) for f in doc["files"] for d in f["diagnostics"]]
            else:
                found = [
                    (
                        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
                        r["message"]["text"],
                    )
                    for r in doc["runs"][0]["results"]
                ]
            assert any(p.endswith(path) and m == text for p, m in found), found


def test_telegraf_table_form_of_outputs_is_read_not_a_traceback(tmp_path: Path) -> None:
    """Telegraf's loader accepts `[outputs.influxdb]` (one table) as well as the array form."""
    (tmp_path / "a.tick").write_text(SCRIPT, encoding="utf-8")
    conf = tmp_path / "t.conf"
    conf.write_text('[outputs.influxdb]\nurls = ["http://x:8086"]\ndatabase = "db"\n')
    proc = subprocess.run(
        [sys.executable, "-m", "tickmig", "check", "a.tick", "--telegraf-conf", "t.conf"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "Traceback" not in proc.stderr
    assert proc.returncode in (0, 1), proc.stderr


def test_sarif_output_path_that_is_not_utf8(tmp_path: Path) -> None:
    (tmp_path / "a.tick").write_text(SCRIPT, encoding="utf-8")
    name = b"bad\xff.sarif"
    output = name.decode("utf-8", "surrogateescape")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "tickmig",
            "check",
            "a.tick",
            "--output-format",
            "sarif",
            "-o",
            output,
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "Traceback" not in proc.stderr
    assert proc.returncode in (1, 2)
    written = tmp_path / name.decode("utf-8", "surrogateescape")
    if proc.returncode == 2:  # refused: one line, nothing written
        assert len(proc.stderr.splitlines()) == 1 and not written.exists()
    else:
        assert json.loads(written.read_bytes())["runs"][0]["results"]
