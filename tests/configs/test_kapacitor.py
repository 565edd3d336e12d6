"""The kapacitor.conf checks (TM31x, TM320) and their patches, on small files and on
Kapacitor's own etc/kapacitor/kapacitor.conf."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, Goldens

from .helpers import codes, facts, run
from .samples import kapacitor_stock, write

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]

KAPACITOR_CONF = """\
hostname = "k"

[[influxdb]]
  enabled = true
  name = "one"
  urls = ["http://influx:8086"]
  token = "abc-secret-token"
  disable-subscriptions = true

[[influxdb]]
  enabled = true
  name = "two"
  urls = ["http://influx:8086"]
  disable-subscriptions = true
"""


def test_cluster_names_and_default_section(tmp_path: Path) -> None:
    path = write(tmp_path, "kapacitor.conf", KAPACITOR_CONF)
    check = run(facts(clusters={"two": {"tasks/x.tick"}, "three": {"tasks/y.tick"}}), [], path)
    report = check.kapacitor
    assert [(c.name, c.found) for c in report.clusters] == [("three", False), ("two", True)]
    assert report.file is not None
    messages = {f.code: f.message for f in report.file.findings}
    assert ".cluster('three') (in tasks/y.tick) names no [[influxdb]] section" in messages["TM315"]
    assert "exactly one must be" in messages["TM314"]
    assert [s.auth for s in report.sections] == ["token", "none"]
    # Section "two" has no credentials at all: an (empty) token is added for it only.
    patched = tomllib.loads(report.file.patched_text or "")
    assert [s.get("token") for s in patched["influxdb"]] == ["abc-secret-token", ""]
    # The missing top-level default-retention-policy is added (every stream task reads
    # autogen), at the top, before the first table.
    assert patched["default-retention-policy"] == "autogen"
    assert "abc-secret-token" not in (report.file.diff or "")
    # Kapacitor's URL for Telegraf comes from hostname and the default port.
    assert check.telegraf.kapacitor_url == "http://k:9092"


def test_query_flux_needs_a_token_on_its_section(tmp_path: Path) -> None:
    conf = KAPACITOR_CONF.replace('  token = "abc-secret-token"\n', "").replace(
        'name = "one"', 'name = "one"\n  default = true\n  username = "k"\n  password = "pw"'
    )
    check = run(facts(flux={"tasks/f.tick": None}), [], write(tmp_path, "kapacitor.conf", conf))
    assert check.kapacitor.file is not None
    findings = check.kapacitor.file.findings
    assert any(f.code == "TM317" and "tasks/f.tick uses queryFlux()" in f.message for f in findings)
    assert "pw" not in json.dumps([f.message for f in findings])


def test_stock_kapacitor_conf(
    tmp_path: Path, goldens: Goldens, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Kapacitor's packaged kapacitor.conf: subscriptions on, no credentials, overrides on."""
    write(tmp_path, "kapacitor.conf", kapacitor_stock())
    monkeypatch.chdir(tmp_path)
    check = run(facts(), [], "kapacitor.conf")
    assert codes(check) == [
        ("TM318", 15),
        ("TM320", 86),
        ("TM313", 162),
        ("TM312", 163),
        ("TM311", 181),
    ]
    file = check.kapacitor.file
    assert file is not None and file.error is None
    patched = tomllib.loads(file.patched_text or "")
    (section,) = patched["influxdb"]
    assert section["disable-subscriptions"] is True and section["token"] == ""
    assert section["urls"] == ["http://localhost:8086"]  # never rewritten unless asked
    goldens.check(ROOT / "fixtures" / "configs" / "kapacitor-stock.diff", file.diff or "")


@pytest.mark.parametrize(
    ("edit", "warned"),
    [
        ((), True),
        ((("  enabled = true\n\n[logging]", "  enabled = false\n\n[logging]"),), False),
        ((("skip-config-overrides = false", "skip-config-overrides = true"),), False),
    ],
)
def test_config_override_warning_honours_the_file(
    tmp_path: Path, edit: tuple[tuple[str, str], ...], warned: bool
) -> None:
    text = kapacitor_stock()
    for old, new in edit:
        assert old in text
        text = text.replace(old, new, 1)
    check = run(facts(), [], write(tmp_path, "kapacitor.conf", text))
    assert ("TM320" in {c for c, _ in codes(check)}) is warned
    assert check.kapacitor.warnings == []


def test_without_kapacitor_conf_the_report_still_warns_about_overrides() -> None:
    check = run(facts())
    assert any("override kapacitor.conf" in w for w in check.kapacitor.warnings)
    assert check.telegraf.kapacitor_url == "${KAPACITOR_URL}"


def test_patch_influx_url_only_when_asked(tmp_path: Path) -> None:
    path = write(tmp_path, "kapacitor.conf", KAPACITOR_CONF)
    never = run(facts(influx_url="http://used-by-tickmig:8086"), [], path)
    assert never.kapacitor.file is not None
    assert "used-by-tickmig" not in (never.kapacitor.file.patched_text or "")
    asked = run(facts(patch_influx_url="http://influx2:8086"), [], path)
    assert asked.kapacitor.file is not None
    patched = tomllib.loads(asked.kapacitor.file.patched_text or "")
    assert [s["urls"] for s in patched["influxdb"]] == [["http://influx2:8086"]] * 2


def test_unreadable_file_is_a_problem_with_its_position(tmp_path: Path) -> None:
    path = write(tmp_path, "kapacitor.conf", "[[influxdb]\n")
    check = run(facts(), [], path)
    (problem,) = check.problems
    assert problem.path == path and problem.line == 1
    assert check.kapacitor.file is not None and check.kapacitor.file.error is not None


def test_a_second_run_on_the_patched_stock_conf_changes_nothing(tmp_path: Path) -> None:
    first = run(facts(), [], write(tmp_path, "kapacitor.conf", kapacitor_stock()))
    assert first.kapacitor.file is not None
    text = first.kapacitor.file.patched_text or ""
    second = run(facts(), [], write(tmp_path, "again.conf", text))
    assert second.kapacitor.file is not None
    assert second.kapacitor.file.patched_text == text
    # What is left needs a human: the URL of InfluxDB 2, the token's value, the overrides.
    assert {c for c, _ in codes(second)} == {"TM312", "TM313", "TM320"}
