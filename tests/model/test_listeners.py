"""Issue 10, what the migration model's writers into Kapacitor change: a stream task whose
input a kapacitor.conf listener already feeds gets no TM110 and no new Telegraf output
(the listener's database and retention policy as Kapacitor reads them, defaults included)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.report.cases import tickmig

from .cases import KAPACITOR, SCENARIO, report_json

SCENARIO_ROOT = Path(__file__).resolve().parents[2] / SCENARIO


def codes(findings: list[dict[str, Any]]) -> list[str]:
    return [f["code"] for f in findings]


def test_report_has_no_tm110_for_the_udp_fed_task() -> None:
    doc = report_json()
    by_path = {t["path"]: t for t in doc["tasks"]}
    udp = by_path[f"{SCENARIO}/kapacitor/tasks/udp_alert.tick"]
    assert "TM110" not in codes(udp["findings"])
    # A task nothing feeds yet keeps it.
    pages = by_path[f"{SCENARIO}/kapacitor/tasks/pages_hits.tick"]
    assert "TM110" in codes(pages["findings"])


def test_check_with_the_kapacitor_conf_reads_the_listener() -> None:
    task = f"{SCENARIO}/kapacitor/tasks/udp_alert.tick"
    without = tickmig(["check", task, "--output-format", "json", "--exit-zero"])
    assert "TM110" in without.stdout, without.stderr
    proc = tickmig(
        ["check", task, "--kapacitor-conf", KAPACITOR, "--output-format", "json", "--exit-zero"]
    )
    assert proc.returncode == 0, proc.stderr
    assert "TM110" not in proc.stdout


def write_deployment(tmp_path: Path, conf: str, tick: str) -> tuple[Path, Path]:
    tasks = tmp_path / "tasks"
    tasks.mkdir()
    (tasks / "t.tick").write_text(tick, encoding="utf-8")
    kconf = tmp_path / "kapacitor.conf"
    kconf.write_text(conf, encoding="utf-8")
    return tasks, kconf


def report(tasks: Path, kconf: Path) -> dict[str, Any]:
    proc = tickmig(["report", str(tasks), "--kapacitor-conf", str(kconf), "--format", "json"])
    assert proc.stdout, proc.stderr
    doc: dict[str, Any] = json.loads(proc.stdout)
    return doc


STREAM = 'dbrp "{db}"."autogen"\n\nstream\n    |from()\n        .measurement(\'m\')\n    |log()\n'


def test_collectd_listener_writes_its_default_database(tmp_path: Path) -> None:
    # [collectd] without `database` writes "collectd" (InfluxDB 1.x services/collectd
    # DefaultDatabase, which Kapacitor embeds); the empty rp takes default-retention-policy.
    conf = 'default-retention-policy = "autogen"\n[collectd]\n  enabled = true\n'
    tasks, kconf = write_deployment(tmp_path, conf, STREAM.format(db="collectd"))
    doc = report(tasks, kconf)
    (stream,) = [f for f in doc["flows"] if f["kind"] == "stream-input"]
    assert stream["lands"] and stream["fed_by"] == [f"{kconf} [[collectd]] #1 (no bind-address)"]
    assert not [a for a in doc["actions"] if a["kind"] == "telegraf-output"]
    assert "TM110" not in codes(doc["tasks"][0]["findings"])


def test_graphite_listener_with_database_and_retention_policy(tmp_path: Path) -> None:
    conf = (
        '[[graphite]]\n  enabled = true\n  bind-address = ":2003"\n'
        '  database = "carbon"\n  retention-policy = "autogen"\n'
    )
    tasks, kconf = write_deployment(tmp_path, conf, STREAM.format(db="carbon"))
    doc = report(tasks, kconf)
    assert not [a for a in doc["actions"] if a["kind"] == "telegraf-output"]
    assert "TM110" not in codes(doc["tasks"][0]["findings"])


def test_a_disabled_listener_feeds_nothing(tmp_path: Path) -> None:
    conf = '[[udp]]\n  enabled = false\n  database = "carbon"\n  retention-policy = "autogen"\n'
    tasks, kconf = write_deployment(tmp_path, conf, STREAM.format(db="carbon"))
    doc = report(tasks, kconf)
    assert [a for a in doc["actions"] if a["kind"] == "telegraf-output"]
    assert "TM110" in codes(doc["tasks"][0]["findings"])


def test_a_listener_writing_a_renamed_pair_is_patched_to_the_new_name(tmp_path: Path) -> None:
    # The plan renames udp_metrics -> queues: `migrate` rewrites the task to read
    # queues.autogen, and the patched kapacitor.conf makes [[udp]] write it, so the task
    # still gets data and no Telegraf output is proposed for it.
    tasks, kconf = write_deployment(
        tmp_path,
        (SCENARIO_ROOT / "config" / "kapacitor.conf").read_text(encoding="utf-8"),
        (SCENARIO_ROOT / "kapacitor" / "tasks" / "udp_alert.tick").read_text(encoding="utf-8"),
    )
    plan = tmp_path / "plan.toml"
    plan.write_text('[[rename]]\nfrom = "udp_metrics"\nto = "queues"\n', encoding="utf-8")
    out = tmp_path / "patched"
    proc = tickmig(
        [
            "report",
            str(tasks),
            "--mapping",
            str(plan),
            "--kapacitor-conf",
            str(kconf),
            "--format",
            "json",
            "--patched-dir",
            str(out),
        ]
    )
    doc = json.loads(proc.stdout)
    (stream,) = [f for f in doc["flows"] if f["kind"] == "stream-input"]
    assert stream["dbrp"] == {"database": "queues", "retention_policy": "autogen"}
    assert stream["lands"] and stream["fed_by"], stream
    (listener,) = [f for f in doc["flows"] if f["kind"] == "kapacitor-write"]
    assert listener["dbrp"] == {"database": "queues", "retention_policy": "autogen"}
    assert not [a for a in doc["actions"] if a["kind"] == "telegraf-output"]
    assert "TM110" not in codes(doc["tasks"][0]["findings"])
    patched = (out / "kapacitor.patched.conf").read_text(encoding="utf-8")
    assert 'database = "queues"' in patched and "udp_metrics" not in patched
    assert "TM321" in proc.stdout
