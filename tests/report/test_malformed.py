"""A --telegraf-conf or --kapacitor-conf that is not valid TOML: the report names the file,
line and column in that file's section and on standard error, still reports everything else,
and the exit status is 2."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from .cases import KAPACITOR_CONF, ROOT, TELEGRAF_CONF, scenario_args, tickmig
from .test_scenario import COMMANDS, TASK_FILES, html_text

FORMATS = ["markdown", "html", "json", "text"]
LOAD = "fixtures/migration/kapacitor"


def broken_copy(tmp_path: Path, original: str, line: int, new: str, *, replace: bool) -> str:
    lines = (ROOT / original).read_text(encoding="utf-8").splitlines(keepends=True)
    if replace:
        lines[line - 1] = new
    else:
        lines.insert(line - 1, new)
    path = tmp_path / Path(original).name
    path.write_text("".join(lines), encoding="utf-8")
    return str(path)


@pytest.fixture(scope="module")
def broken_telegraf(tmp_path_factory: pytest.TempPathFactory) -> str:
    # Line 20 becomes `  round_interval = = true`: the second "=" is at column 20.
    tmp = tmp_path_factory.mktemp("telegraf")
    return broken_copy(tmp, TELEGRAF_CONF, 20, "  round_interval = = true\n", replace=False)


@pytest.fixture(scope="module")
def broken_kapacitor(tmp_path_factory: pytest.TempPathFactory) -> str:
    # The second `[[influxdb]]` header (line 182) loses a bracket: expected at column 12.
    tmp = tmp_path_factory.mktemp("kapacitor")
    lines = (ROOT / KAPACITOR_CONF).read_text(encoding="utf-8").splitlines()
    assert lines[181] == "[[influxdb]]"
    return broken_copy(tmp, KAPACITOR_CONF, 182, "[[influxdb]\n", replace=True)


def visible(output_format: str, out: str) -> str:
    if output_format == "html":
        return html_text(out)
    if output_format == "markdown":
        return out.replace("\\", "")
    if output_format == "json":
        return out + json.loads(out)["commands"]["script"]
    return out


@pytest.mark.parametrize("output_format", FORMATS)
def test_malformed_telegraf_conf(broken_telegraf: str, output_format: str) -> None:
    proc = tickmig(scenario_args(output_format, telegraf=broken_telegraf))
    where = f"{broken_telegraf}:20:20"
    assert proc.returncode == 2
    assert f"tickmig: error: {where}: invalid TOML: Unexpected character: '='" in proc.stderr
    text = visible(output_format, proc.stdout)
    if output_format == "json":
        doc = json.loads(proc.stdout)
        error = doc["telegraf"]["files"][0]["error"]
        assert (error["line"], error["column"]) == (20, 20)
        assert doc["errors"]["config"] == [
            {"path": broken_telegraf, "line": 20, "column": 20, "message": error["message"]}
        ]
        assert doc["kapacitor"]["file"]["error"] is None
        assert doc["telegraf"]["files"][0]["diff"] is None
    else:
        # In the Telegraf section, before the kapacitor.conf section.
        telegraf = text.index("Telegraf outputs for every stream input")
        kapacitor = text.index('[[influxdb]] "metrics"')
        assert telegraf < text.index(where, telegraf) < kapacitor
    # The rest of the report is there.
    for path in TASK_FILES:
        assert path in text
    for command in COMMANDS:
        assert command in text
    assert "disable-subscriptions must be true" in text


@pytest.mark.parametrize("output_format", FORMATS)
def test_malformed_kapacitor_conf(broken_kapacitor: str, output_format: str) -> None:
    proc = tickmig(scenario_args(output_format, kapacitor=broken_kapacitor))
    where = f"{broken_kapacitor}:182:12"
    assert proc.returncode == 2
    assert f"tickmig: error: {where}: invalid TOML" in proc.stderr
    text = visible(output_format, proc.stdout)
    if output_format == "json":
        doc = json.loads(proc.stdout)
        error = doc["kapacitor"]["file"]["error"]
        assert (error["line"], error["column"]) == (182, 12)
        assert doc["kapacitor"]["clusters"] == [
            {"name": "metrics", "used_by": [f"{LOAD}/tasks/api_error_ratio.tick"], "found": None}
        ]
        assert doc["telegraf"]["files"][0]["error"] is None
    else:
        section = text.index("Settings saved through Kapacitor's API")
        assert section < text.index(where, section)
        assert "not checked" in text
    for path in TASK_FILES:
        assert path in text
    for command in COMMANDS:
        assert command in text
    assert "skip-config-overrides = true" in text  # the override warning is always there
    assert "[[outputs.influxdb]]" in text  # the Telegraf part is there


def test_both_malformed_and_the_report_still_validates(
    broken_telegraf: str, broken_kapacitor: str, report_schema: dict[str, object]
) -> None:
    proc = tickmig(scenario_args("json", telegraf=broken_telegraf, kapacitor=broken_kapacitor))
    assert proc.returncode == 2
    doc = json.loads(proc.stdout)
    jsonschema.validate(doc, report_schema, cls=jsonschema.Draft202012Validator)
    assert [(e["line"], e["column"]) for e in doc["errors"]["config"]] == [(20, 20), (182, 12)]
    assert doc["summary"]["config_errors"] == 2
    assert len(proc.stderr.splitlines()) == 2


def test_missing_config_file(tmp_path: Path) -> None:
    missing = str(tmp_path / "nope.conf")
    proc = tickmig(scenario_args("markdown", telegraf=missing))
    assert proc.returncode == 2
    assert f"tickmig: error: {missing}: no such file" in proc.stderr
    assert f"{missing}`: no such file" in proc.stdout


def test_a_patched_dir_gets_only_the_files_that_parse(broken_telegraf: str, tmp_path: Path) -> None:
    proc = tickmig(scenario_args("text", "--patched-dir", str(tmp_path), telegraf=broken_telegraf))
    assert proc.returncode == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kapacitor.patched.conf"]
