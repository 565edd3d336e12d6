"""A Telegraf output that already writes to Kapacitor, when the plan renames the pair it
sends: `report` renames that output in place (its `database` and `retention_policy`; its
filters and comments stay), adds no second output, and every view says the same (the actions,
the proof, the patched copy). A second run on the patched copy changes nothing. When a
metric's tag chooses the database (`database_tag`), which no patch can rename, the finding
says so and an output for the new pair is added instead."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]

from tests.report.cases import tickmig

TASK = """dbrp "pages"."autogen"
stream|from().measurement('hits')|alert().crit(lambda: "count" > 90)
"""
#: kapacitor.conf: Kapacitor listens on kapa.example:9999, and points written without an rp
#: get "autogen".
KAPACITOR = 'hostname = "kapa.example"\ndefault-retention-policy = "autogen"\n'
KAPACITOR += '[http]\n  bind-address = ":9999"\n'
TELEGRAF = """# The main output.
[[outputs.influxdb]]
  urls = ["http://influx:8086"]
  database = "pages"
  skip_database_creation = true

# Stream tasks read pages through Kapacitor.
[[outputs.influxdb]]
  ## Kapacitor's write API
  urls = ["{url}"]
  database = "pages" # the db the tasks read
{extra}  skip_database_creation = true
  namepass = ["hits"]
  [outputs.influxdb.tagpass]
    site = ["a", "b"]
"""


def deployment(tmp_path: Path, to: str, url: str, extra: str = "") -> list[str]:
    (tmp_path / "tasks").mkdir()
    (tmp_path / "tasks" / "pages.tick").write_text(TASK, encoding="utf-8")
    plan = f'target = "oss"\n[[rename]]\nfrom = "pages/autogen"\nto = "{to}"\n'
    (tmp_path / "plan.toml").write_text(plan, encoding="utf-8")
    (tmp_path / "kapacitor.conf").write_text(KAPACITOR, encoding="utf-8")
    conf = TELEGRAF.format(url=url, extra=extra)
    (tmp_path / "telegraf.conf").write_text(conf, encoding="utf-8")
    return ["report", str(tmp_path / "tasks"), "--mapping", str(tmp_path / "plan.toml"),
            "--kapacitor-conf", str(tmp_path / "kapacitor.conf"), "--format", "json"]  # fmt: skip


def report(args: list[str], conf: Path, patched: Path) -> tuple[dict[str, Any], str]:
    patched.mkdir(exist_ok=True)
    proc = tickmig([*args, "--telegraf-conf", str(conf), "--patched-dir", str(patched)])
    assert proc.returncode == 0, proc.stderr
    doc: dict[str, Any] = json.loads(proc.stdout)
    return doc, (patched / "telegraf.patched.conf").read_text(encoding="utf-8")


def telegraf_actions(doc: dict[str, Any]) -> list[str]:
    return [a["summary"] for a in doc["actions"] if a["kind"] == "telegraf-output"]


def test_the_output_to_kapacitor_is_renamed_in_place_rp_included(tmp_path: Path) -> None:
    # The output sends no rp (Kapacitor fills in "autogen"); the plan renames the pair to
    # web/one_week; the output's URL is Kapacitor's from kapacitor.conf (not port 9092).
    args = deployment(tmp_path, "web/one_week", "http://kapa.example:9999")
    doc, text = report(args, tmp_path / "telegraf.conf", tmp_path / "p1")
    outputs = tomllib.loads(text)["outputs"]["influxdb"]
    assert len(outputs) == 2  # no second output to Kapacitor
    kapacitor = outputs[1]
    assert kapacitor["database"] == "web"
    assert kapacitor["retention_policy"] == "one_week"
    assert kapacitor["namepass"] == ["hits"]
    assert kapacitor["tagpass"] == {"site": ["a", "b"]}
    assert '  database = "web" # the db the tasks read\n' in text
    assert "  ## Kapacitor's write API\n" in text
    # the actions and the proof say the same: the renamed output feeds the migrated task
    (action,) = telegraf_actions(doc)
    assert action.startswith("rename in place the output to Kapacitor")
    assert '"pages"."autogen"' in action and '"web"."one_week"' in action
    assert doc["verdict"]["ok"] is True
    (reader,) = [f for f in doc["flows"] if f["kind"] == "stream-input"]
    assert reader["dbrp"] == {"database": "web", "retention_policy": "one_week"}
    assert reader["fed_by"] == [f"{tmp_path / 'telegraf.conf'} [[outputs.influxdb]] #2"]


def test_a_second_run_on_the_renamed_output_changes_nothing(tmp_path: Path) -> None:
    args = deployment(
        tmp_path, "web/autogen", "http://kapacitor:9092", '  retention_policy = "autogen"\n'
    )
    doc, first = report(args, tmp_path / "telegraf.conf", tmp_path / "p1")
    assert first.count("[[outputs.influxdb]]") == 2
    # the model's actions rename the output too, they add none
    assert [a.split(":")[0] for a in telegraf_actions(doc)] == [
        f"rename in place the output to Kapacitor {tmp_path / 'telegraf.conf'} "
        "[[outputs.influxdb]] #2"
    ]
    again = tmp_path / "again"
    again.mkdir()
    (again / "telegraf.conf").write_text(first, encoding="utf-8")
    doc, second = report(args, again / "telegraf.conf", tmp_path / "p2")
    assert second == first
    (entry,) = doc["telegraf"]["files"]
    assert not entry["diff"]
    assert telegraf_actions(doc) == []
    assert doc["verdict"]["ok"] is True


def test_a_database_tag_is_not_renamed_and_the_operator_is_told(tmp_path: Path) -> None:
    extra = '  database_tag = "db"\n  retention_policy = "autogen"\n'
    args = deployment(tmp_path, "web/autogen", "http://kapacitor:9092", extra)
    doc, text = report(args, tmp_path / "telegraf.conf", tmp_path / "p1")
    outputs = tomllib.loads(text)["outputs"]["influxdb"]
    tagged = next(o for o in outputs if o.get("database_tag"))
    assert tagged["database"] == "pages"  # untouched: the tag decides, not this key
    added = [o for o in outputs if o.get("database") == "web"]
    assert len(added) == 1 and added[0]["retention_policy"] == "autogen"
    (entry,) = doc["telegraf"]["files"]
    messages = [f["message"] for f in entry["findings"] if f["code"] == "TM305"]
    assert any('database_tag = "db" (have it say "web"' in m for m in messages), messages
    # the model adds the same output the patch adds
    (action,) = telegraf_actions(doc)
    assert action.startswith('add an [[outputs.influxdb]] to Kapacitor writing "web"."autogen"')
