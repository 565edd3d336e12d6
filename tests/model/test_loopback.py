"""A stream task fed by another task's `kapacitorLoopback()` (Kapacitor's
pipeline/kapacitor_loopback.go: both names required; kapacitor_loopback.go writes every point
with them into Kapacitor's own stream, `TaskMaster.WriteKapacitorPoint`). Such a pair is fed
inside Kapacitor: no TM110, no Telegraf output, no bucket or mapping (its points never reach
InfluxDB), and a plan rename moves the loopback with the stream tasks reading it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.report.cases import tickmig

PRODUCER = """dbrp "telegraf"."autogen"

stream
    |from()
        .measurement('cpu')
    |window()
        .period(1m)
        .every(1m)
    |mean('usage_user')
        .as('usage_user')
    |kapacitorLoopback()
        .database('{db}')
        .retentionPolicy('{rp}')
        .measurement('cpu_by_dc')
"""
CONSUMER = """dbrp "rollups"."autogen"

stream
    |from()
        .measurement('cpu_by_dc')
    |alert()
        .crit(lambda: "usage_user" > 90)
"""
PLAN = 'target = "oss"\n[[rename]]\nfrom = "rollups/autogen"\nto = "rollups2/autogen"\n'
TELEGRAF = '[[outputs.influxdb]]\n  urls = ["http://localhost:8086"]\n  database = "telegraf"\n'


def deployment(tmp_path: Path, db: str = "rollups", rp: str = "autogen") -> Path:
    tasks = tmp_path / "tasks"
    tasks.mkdir()
    (tasks / "producer.tick").write_text(PRODUCER.format(db=db, rp=rp), encoding="utf-8")
    (tasks / "consumer.tick").write_text(CONSUMER, encoding="utf-8")
    (tmp_path / "plan.toml").write_text(PLAN, encoding="utf-8")
    (tmp_path / "telegraf.conf").write_text(TELEGRAF, encoding="utf-8")
    return tasks


def tm110(tasks: Path, *extra: str) -> list[str]:
    """The files with a TM110 finding, by name."""
    proc = tickmig(["check", str(tasks), "--select", "TM110", "--exit-zero", "--no-cache",
                    "--output-format", "json", *extra])  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    return with_tm110(proc.stdout)


def with_tm110(output: str) -> list[str]:
    files = json.loads(output)["files"]
    return sorted(Path(f["path"]).name for f in files if f["diagnostics"])


def test_a_loopback_feeds_the_stream_task_reading_its_pair(tmp_path: Path) -> None:
    tasks = deployment(tmp_path)
    # the producer's own input still needs a writer; the consumer is fed inside Kapacitor
    assert tm110(tasks) == ["producer.tick"]
    conf = str(tmp_path / "telegraf.conf")
    assert tm110(tasks, "--telegraf-conf", conf) == ["producer.tick"]


def test_a_loopback_of_another_pair_feeds_nothing(tmp_path: Path) -> None:
    # Stream tasks match the exact (db, rp): a loopback into rollups.one_week does not feed
    # a task reading rollups.autogen.
    tasks = deployment(tmp_path, rp="one_week")
    assert tm110(tasks) == ["consumer.tick", "producer.tick"]


def test_the_check_cache_does_not_hide_a_new_loopback(tmp_path: Path) -> None:
    tasks = tmp_path / "tasks"
    tasks.mkdir()
    (tasks / "consumer.tick").write_text(CONSUMER, encoding="utf-8")
    cache = ["--cache-dir", str(tmp_path / "cache")]

    def cached_tm110() -> list[str]:
        proc = tickmig(["check", str(tasks), "--select", "TM110", "--exit-zero",
                        "--output-format", "json", *cache])  # fmt: skip
        assert proc.returncode == 0, proc.stderr
        return with_tm110(proc.stdout)

    assert cached_tm110() == ["consumer.tick"]
    (tasks / "producer.tick").write_text(PRODUCER.format(db="rollups", rp="autogen"), "utf-8")
    assert cached_tm110() == ["producer.tick"]


def test_a_plan_rename_moves_the_loopback_with_its_readers(tmp_path: Path) -> None:
    tasks = deployment(tmp_path)
    plan = ["--mapping", str(tmp_path / "plan.toml")]
    first = tickmig(["migrate", str(tasks), *plan, "--write"])
    assert first.returncode == 0, first.stderr
    producer = (tasks / "producer.tick").read_text(encoding="utf-8")
    consumer = (tasks / "consumer.tick").read_text(encoding="utf-8")
    assert ".database('rollups2')" in producer
    assert ".retentionPolicy('autogen')" in producer
    assert consumer.startswith('dbrp "rollups2"."autogen"')
    second = tickmig(["migrate", str(tasks), *plan, "--write"])
    assert second.returncode == 0, second.stderr
    assert (tasks / "producer.tick").read_text(encoding="utf-8") == producer
    assert (tasks / "consumer.tick").read_text(encoding="utf-8") == consumer
    assert tm110(tasks, *plan) == ["producer.tick"]


def report(tmp_path: Path, tasks: Path) -> dict[str, Any]:
    plan, conf = str(tmp_path / "plan.toml"), str(tmp_path / "telegraf.conf")
    proc = tickmig(
        ["report", str(tasks), "--mapping", plan, "--telegraf-conf", conf, "--format", "json"]
    )
    assert proc.returncode == 0, proc.stderr
    doc: dict[str, Any] = json.loads(proc.stdout)
    return doc


def test_the_report_adds_nothing_for_a_loopback_fed_pair(tmp_path: Path) -> None:
    doc = report(tmp_path, deployment(tmp_path))
    assert doc["verdict"]["ok"] is True
    text = json.dumps(doc["actions"]) + json.dumps(doc["commands"])
    # no bucket, no mapping, no token permission, no Telegraf output for rollups/rollups2
    assert "rollups" not in text
    inputs = {o["dbrp"]["database"]: o for o in doc["telegraf"]["outputs"]}
    assert inputs["rollups2"]["loopback"] is True
    assert inputs["rollups2"]["status"] == "kapacitor"
    patched = json.dumps(doc["telegraf"]["files"])
    assert "rollups" not in patched
    # the loopback and the stream task read the same pair after the plan, and one feeds the other
    flows = {(f["kind"], Path(f["subject"]).name): f for f in doc["flows"]}
    loop = flows[("kapacitor-write", "producer.tick")]
    reader = flows[("stream-input", "consumer.tick")]
    assert loop["actor"] == "kapacitorLoopback"
    assert loop["dbrp"] == reader["dbrp"] == {"database": "rollups2", "retention_policy": "autogen"}
    assert reader["fed_by"] == [loop["subject"]]


TEMPLATE = """var target string

dbrp "telegraf"."autogen"

stream
    |from()
        .measurement('cpu')
    |kapacitorLoopback()
        .database(target)
        .retentionPolicy('autogen')
"""


def test_a_loopback_whose_database_a_task_definition_fills(tmp_path: Path) -> None:
    load = tmp_path / "kapacitor"
    (load / "templates").mkdir(parents=True)
    (load / "tasks").mkdir()
    (load / "templates" / "loop.tick").write_text(TEMPLATE, encoding="utf-8")
    (load / "tasks" / "consumer.tick").write_text(CONSUMER, encoding="utf-8")
    definition = "template-id: loop\ndbrps:\n  - db: telegraf\n    rp: autogen\nvars:\n"
    definition += "  target:\n    type: string\n    value: {db}\n"
    (load / "tasks" / "loop.yaml").write_text(definition.format(db="rollups"), "utf-8")
    # the template's own finding is reported at the template (the task's dbrp is telegraf)
    assert "consumer.tick" not in tm110(load)
    (load / "tasks" / "loop.yaml").write_text(definition.format(db="other"), "utf-8")
    assert "consumer.tick" in tm110(load)
