"""What the report says about the fixtures scenario, checked against facts taken from the
scenario itself (fixtures/migration/README.md and the files), not from tickmig: every task,
every DBRP and every command is named in every format; the proposed Telegraf and Kapacitor
configurations parse as TOML, keep every comment, and change only what they should; no secret
of the configuration files leaks into a report."""

from __future__ import annotations

import html
import json
import sys
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from .cases import (
    KAPACITOR_CONF,
    ROOT,
    SCENARIO,
    TELEGRAF_CONF,
    scenario_args,
    tickmig,
)
from .conftest import Run

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]

LOAD_DIR = ROOT / SCENARIO / "kapacitor"
#: Every file of the load directory: 15 tasks, 3 task definitions, 2 templates.
TASK_FILES = sorted(
    str(p.relative_to(ROOT))
    for pattern in ("tasks/*.tick", "tasks/*.yaml", "tasks/*.json", "templates/*.tick")
    for p in LOAD_DIR.glob(pattern)
)
#: The README's table "The DBRP pairs the tasks use" (None: no retention policy).
DBRPS = {
    ("telegraf", "autogen"): ("exact", "telegraf/autogen"),
    ("telegraf", "one_month"): ("exact", "telegraf/one_month"),
    # The plan renames it to telegraf/downsampled, which has a physical mapping.
    ("telegraf", "one_year"): ("exact", "telegraf/downsampled"),
    # .database('derived') alone on points that pass unchanged from from(): Kapacitor sends
    # their own rp, autogen, which the virtual mapping of bucket derived/autogen serves.
    ("derived", "autogen"): ("virtual", "derived/autogen"),
    ("chronograf", "autogen"): ("exact", "chronograf/autogen"),
    ("app_metrics", "autogen"): ("assumed", "app-metrics"),
    ("kapacitor_rollups", "autogen"): ("kapacitor", None),
}
#: The README: app_metrics/autogen -> bucket app-metrics (b5d9f3a07e1c4682), then Kapacitor's
#: token.
COMMANDS = [
    # The plan maps app_metrics.autogen to bucket "app-metrics": checked, then created.
    '[ -n "$(dbrp_id app_metrics autogen)" ] || influx v1 dbrp create --org "$ORG" '
    '--db app_metrics --rp autogen --bucket-id "$(bucket_id app-metrics)"',
    # Kapacitor's token, only if tickmig did not create it already.
    'influx auth list --org "$ORG" --hide-headers | grep -q -F tickmig-kapacitor || '
    'influx auth create --org "$ORG" --description tickmig-kapacitor '
    '--read-bucket "$(bucket_id app-metrics)"',
]
#: Passwords written in fixtures/migration/config/kapacitor.conf.
SECRETS = ["Zq7-xW4m-Rt2p", "vK9-dL3s-Pq8n"]


def label(db: str, rp: str | None) -> str:
    return f'"{db}"' if rp is None else f'"{db}"."{rp}"'


class _Text(HTMLParser):
    """The text a reader sees: tags dropped, entities decoded, style contents skipped."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._skip = tag in ("style", "script")

    def handle_endtag(self, tag: str) -> None:
        self._skip = False

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def html_text(document: str) -> str:
    parser = _Text()
    parser.feed(document)
    return "".join(parser.parts)


def visible(scenario: dict[str, Run], output_format: str) -> str:
    out = scenario[output_format].stdout
    if output_format == "html":
        return html_text(out)
    if output_format == "markdown":
        return out.replace("\\", "")  # Markdown escapes, as a reader sees them rendered
    return out


FORMATS = ["markdown", "html", "json", "text"]


def test_the_scenario_has_the_files_the_readme_lists() -> None:
    assert len(TASK_FILES) == 20


@pytest.mark.parametrize("output_format", FORMATS)
def test_every_task_is_named(scenario: dict[str, Run], output_format: str) -> None:
    text = visible(scenario, output_format)
    missing = [path for path in TASK_FILES if path not in text]
    assert not missing


@pytest.mark.parametrize("output_format", FORMATS)
def test_every_dbrp_is_named(scenario: dict[str, Run], output_format: str) -> None:
    text = visible(scenario, output_format)
    if output_format == "json":
        text = json.dumps(json.loads(text), ensure_ascii=False)  # labels are JSON-escaped
        text = text.replace('\\"', '"')
    for db, rp in DBRPS:
        assert label(db, rp) in text


@pytest.mark.parametrize("output_format", FORMATS)
def test_every_command_is_given(scenario: dict[str, Run], output_format: str) -> None:
    text = visible(scenario, output_format)
    if output_format == "json":
        text = json.loads(text)["commands"]["script"]
    for command in COMMANDS:
        assert command in text


def test_json_statuses_buckets_and_commands(scenario: dict[str, Run]) -> None:
    doc = json.loads(scenario["json"].stdout)
    got = {
        (d["dbrp"]["database"], d["dbrp"]["retention_policy"]): (d["status"], d["bucket"])
        for d in doc["dbrps"]
    }
    assert got == DBRPS
    active = [c["command"] for c in doc["commands"]["items"] if c["active"]]
    assert [c[: len(want)] for c, want in zip(active, COMMANDS, strict=True)] == COMMANDS
    assert doc["summary"]["commands"] == 2
    # The script runs them in that order, after `set -eu`.
    script = doc["commands"]["script"]
    assert script.index("set -eu") < script.index(COMMANDS[0]) < script.index(COMMANDS[1])


def test_json_summary_counts(scenario: dict[str, Run]) -> None:
    summary = json.loads(scenario["json"].stdout)["summary"]
    assert summary["kinds"] == {
        "stream": 8,
        "batch": 7,
        "template": 2,
        "invalid": 0,
        "syntax-error": 0,
        # three task definitions in tasks/, and vars/staging_mem_used.json, which fills the
        # variables of templates/generic_threshold.tick (see the scenario's README)
        "task-definition": 4,
    }
    assert summary["definitions"] == {"batch": 1, "stream": 3}
    assert summary["dbrps"]["by_status"] == {
        "exact": 4,
        "default": 0,
        "virtual": 1,
        "assumed": 1,
        "missing": 0,
        "ambiguous": 0,
        "system": 0,
        "kapacitor": 1,
    }
    # tickmig migrate on the same scenario (see its README): the plan's two renames in
    # downsample_one_year and one in disk_rollup_5m (load_per_core's stream points keep their
    # own rp: no .retentionPolicy() to insert).
    # unsafe: four .create(), one .writeConsistency(), and the dbrp net_drops_monthly lacks
    assert summary["fixes"] == {"safe": 3, "files_changed": 2, "unsafe": 6, "failed": 0}
    assert summary["todos"] == 0


def test_each_task_shows_the_diff_tickmig_migrate_prints(scenario: dict[str, Run]) -> None:
    from .cases import MAPPINGS

    args = ["migrate", f"{SCENARIO}/kapacitor"]
    for mapping in MAPPINGS:
        args += ["--mapping", mapping]
    migrate = tickmig(args)
    assert migrate.returncode == 0, migrate.stderr
    tasks = json.loads(scenario["json"].stdout)["tasks"]
    diffs = "".join(t["diff"] for t in tasks if t["diff"])
    assert diffs == migrate.stdout
    assert {t["path"] for t in tasks if t["diff"]} == {
        f"{SCENARIO}/kapacitor/tasks/disk_rollup_5m.json",
        f"{SCENARIO}/kapacitor/tasks/downsample_one_year.tick",
    }


def test_the_report_never_writes_a_script(scenario: dict[str, Run]) -> None:
    # The scripts the migration would change are still as committed.
    text = (ROOT / SCENARIO / "kapacitor/tasks/downsample_one_year.tick").read_text()
    assert ".retentionPolicy('one_year')" in text


def namepass_by_pair(report_json: str) -> dict[tuple[str, str], list[str] | None]:
    outputs = json.loads(report_json)["telegraf"]["outputs"]
    return {(o["dbrp"]["database"], o["dbrp"]["retention_policy"]): o["namepass"] for o in outputs}


def test_no_namepass_while_a_stream_task_may_read_any_pair(scenario: dict[str, Run]) -> None:
    # vars/staging_mem_used.json is a stream task whose DBRPs come from `kapacitor define
    # -dbrp` (see the scenario's README): it may read any pair, so no namepass is complete.
    assert namepass_by_pair(scenario["json"].stdout) == {
        ("app_metrics", "autogen"): None,
        ("telegraf", "autogen"): None,
    }


def test_namepass_lists_every_measurement_stream_tasks_read(tmp_path: Path) -> None:
    import shutil

    load = tmp_path / "kapacitor"
    shutil.copytree(LOAD_DIR, load, ignore=shutil.ignore_patterns("vars"))
    args = scenario_args("json")
    args[1] = str(load)
    proc = tickmig(args)
    assert proc.returncode == 1, proc.stderr  # the proof fails (net_drops_monthly is refused)
    # from().measurement() of every stream task reading each pair (web_cpu_idle's comes
    # from its task definition: measurement = cpu).
    assert namepass_by_pair(proc.stdout) == {
        ("app_metrics", "autogen"): ["http_requests"],
        ("telegraf", "autogen"): ["cpu", "disk", "system"],
    }


# --- the patched configuration copies ---------------------------------------------------------


def comment_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip().startswith("#")]


def is_subsequence(needles: list[str], haystack: list[str]) -> bool:
    it = iter(haystack)
    return all(any(line == candidate for candidate in it) for line in needles)


@pytest.mark.parametrize(
    ("name", "original"),
    [
        ("telegraf.patched.conf", TELEGRAF_CONF),
        ("kapacitor.patched.conf", KAPACITOR_CONF),
    ],
)
def test_patched_copies_parse_and_keep_every_comment(
    scenario: dict[str, Run], name: str, original: str
) -> None:
    patched = scenario["json"].patched[name]
    tomllib.loads(patched)
    before = (ROOT / original).read_text(encoding="utf-8")
    assert comment_lines(before)
    assert is_subsequence(comment_lines(before), patched.splitlines())


def test_patched_telegraf_adds_the_kapacitor_output_and_changes_nothing_else(
    scenario: dict[str, Run],
) -> None:
    before = tomllib.loads((ROOT / TELEGRAF_CONF).read_text(encoding="utf-8"))
    after = tomllib.loads(scenario["json"].patched["telegraf.patched.conf"])
    to_influx, to_kapacitor = after["outputs"]["influxdb"]
    assert to_influx == {**before["outputs"]["influxdb"][0], "skip_database_creation": True}
    assert to_kapacitor == {
        # kapacitor.conf's hostname and [http] bind-address, not a guess.
        "urls": ["http://kapacitor-01.ops.internal:9092"],
        "database": "telegraf",
        "retention_policy": "autogen",
        "skip_database_creation": True,
    }
    del after["outputs"]["influxdb"], before["outputs"]["influxdb"]
    assert after == before


def test_patched_kapacitor_conf_changes_only_what_the_checks_ask(scenario: dict[str, Run]) -> None:
    before: dict[str, Any] = tomllib.loads((ROOT / KAPACITOR_CONF).read_text(encoding="utf-8"))
    after: dict[str, Any] = tomllib.loads(scenario["json"].patched["kapacitor.patched.conf"])
    assert after["default-retention-policy"] == "autogen"
    assert [s["name"] for s in after["influxdb"]] == ["localhost", "metrics"]
    for old, new in zip(before["influxdb"], after["influxdb"], strict=True):
        assert new["disable-subscriptions"] is True
        assert new["token"] == ""
        assert new["password"] == old["password"]  # the deployable copy keeps its secrets
        assert {k: v for k, v in new.items() if k not in ("disable-subscriptions", "token")} == {
            k: v for k, v in old.items() if k != "disable-subscriptions"
        }
    for doc in (before, after):
        del doc["default-retention-policy"], doc["influxdb"]
    assert after == before


def test_a_second_run_on_the_patched_copies_changes_nothing(
    scenario: dict[str, Run], tmp_path: Path
) -> None:
    for name, text in scenario["json"].patched.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    proc = tickmig(
        scenario_args(
            "json",
            telegraf=str(tmp_path / "telegraf.patched.conf"),
            kapacitor=str(tmp_path / "kapacitor.patched.conf"),
        )
    )
    doc = json.loads(proc.stdout)
    assert proc.returncode == (0 if doc["verdict"]["ok"] else 1), proc.stderr
    assert doc["telegraf"]["files"][0]["diff"] == ""
    assert doc["kapacitor"]["file"]["diff"] == ""


@pytest.mark.parametrize("output_format", FORMATS)
def test_no_secret_reaches_a_report(scenario: dict[str, Run], output_format: str) -> None:
    out = scenario[output_format].stdout
    for secret in SECRETS:
        assert secret not in out
        assert html.escape(secret) not in out
    assert "********" in out  # the diff shows where the password is, masked


@pytest.mark.parametrize("output_format", FORMATS)
def test_config_override_warning_is_always_there(
    scenario: dict[str, Run], output_format: str
) -> None:
    text = visible(scenario, output_format)
    assert "/kapacitor/v1/config" in text
    assert "skip-config-overrides = true" in text


def test_kapacitor_url_option_reaches_telegraf(tmp_path: Path) -> None:
    proc = tickmig(
        scenario_args(
            "json", "--kapacitor-url", "http://kapacitor-01:9092", "--patched-dir", str(tmp_path)
        )
    )
    assert proc.returncode == 1, proc.stderr  # the proof fails (net_drops_monthly is refused)
    patched = tomllib.loads((tmp_path / "telegraf.patched.conf").read_text(encoding="utf-8"))
    assert patched["outputs"]["influxdb"][1]["urls"] == ["http://kapacitor-01:9092"]
    assert "http://kapacitor-01:9092/kapacitor/v1/config" in proc.stdout
