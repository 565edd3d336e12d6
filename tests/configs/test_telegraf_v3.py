"""Telegraf on an InfluxDB 3 target: an [[outputs.influxdb_v3]] (Telegraf's sample.conf keys:
urls, token, database) is added beside each output to InfluxDB 1.x, writing the database that
1.x writes of its (db, rp) reach, with the output's metric filters; nothing is removed."""

from __future__ import annotations

import tempfile
from dataclasses import replace
from pathlib import Path

import tomllib

from tests.rules.configs import deployment
from tickmig.engine.configs import ConfigCheck, check_configs
from tickmig.mappings import embedded_default
from tickmig.targets import parse_target

CONF = """\
[[outputs.influxdb]]
  urls = ["http://influxdb-01:8086"]
  database = "telegraf"
  retention_policy = "OneYear"
  namepass = ["cpu", "mem"]

[[outputs.influxdb]]
  urls = ["http://influxdb-01:8086"]
  database_tag = "db"
"""


def check(target: str, text: str = CONF, patch_url: str | None = None) -> ConfigCheck:
    facts = replace(
        deployment(stream=False),
        mappings=embedded_default(parse_target(target)),
        patch_influx_url=patch_url,
    )
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "telegraf.conf"
        path.write_text(text, encoding="utf-8")
        return check_configs(facts, [str(path)], None, {"TM302", "TM304"}, "http://k:9092")


def test_an_influxdb_v3_output_is_added_beside_the_1x_output():
    result = check("v3-core")
    (file,) = result.telegraf.files
    doc = tomllib.loads(file.patched_text or "")
    (v3,) = doc["outputs"]["influxdb_v3"]
    # rp lowercased as InfluxDB 3 does on write; the filters copied
    assert v3 == {
        "urls": ["${INFLUXDB3_URL}"],
        "token": "${INFLUXDB3_TOKEN}",
        "database": "telegraf/oneyear",
        "namepass": ["cpu", "mem"],
    }
    assert len(doc["outputs"]["influxdb"]) == 2  # nothing removed
    codes = [d.code for r in result.results for d in r.diagnostics]
    assert codes == [
        "TM304"
    ]  # no TM302 for an output that keeps writing 1.x; none for database_tag


def test_patch_influx_url_and_a_second_run_adds_nothing(tmp_path):
    first = check("v3-enterprise", patch_url="https://influxdb3:8181")
    patched = first.telegraf.files[0].patched_text or ""
    assert 'urls = ["https://influxdb3:8181"]' in patched
    again = check("v3-enterprise", patched, "https://influxdb3:8181")
    assert [d.code for r in again.results for d in r.diagnostics] == []


def test_oss_is_unchanged_by_the_v3_branch():
    result = check("oss")
    assert "influxdb_v3" not in (result.telegraf.files[0].patched_text or "")
    assert {d.code for r in result.results for d in r.diagnostics} == {"TM302", "TM304"}
