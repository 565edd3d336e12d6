"""kapacitor.conf on an InfluxDB 3 target: the findings name InfluxDB 3 (port 8181, its token,
no subscriptions, no Flux) and the patched copy sets disable-subscriptions, a token to fill in
and [fluxtask] enabled = false."""

from __future__ import annotations

import tempfile
from dataclasses import replace
from pathlib import Path

from tests.rules.configs import deployment
from tickmig.engine.configs import ConfigCheck, check_configs
from tickmig.mappings import embedded_default
from tickmig.targets import parse_target

CONF = """\
[[influxdb]]
  enabled = true
  name = "localhost"
  default = true
  urls = ["http://influxdb-01:8086"]
  username = "kapacitor"
  password = "secret"
  disable-subscriptions = false

[fluxtask]
  enabled = true
  task-run-influxdb = "localhost"
"""
CODES = {"TM311", "TM312", "TM313", "TM317", "TM330"}


def check(target: str) -> ConfigCheck:
    facts = replace(
        deployment(flux={"tasks/f.tick": None}),
        mappings=embedded_default(parse_target(target)),
    )
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "kapacitor.conf"
        path.write_text(CONF, encoding="utf-8")
        return check_configs(facts, [], str(path), CODES, "http://kapacitor:9092")


def messages(result: ConfigCheck) -> dict[str, str]:
    return {d.code: d.message for r in result.results for d in r.diagnostics}


def test_v3_findings_name_influxdb_3():
    found = messages(check("v3-core"))
    assert set(found) == {"TM311", "TM312", "TM313", "TM330"}  # TM317: no token helps Flux
    assert "InfluxDB 3 Core has no subscriptions" in found["TM311"]
    assert "port 8181 by default" in found["TM313"] and "8086 is InfluxDB 1.x" in found["TM313"]
    assert "takes the password as a token" in found["TM312"]


def test_v3_patched_copy():
    result = check("v3-enterprise")
    assert result.kapacitor.file is not None
    patched = result.kapacitor.file.patched_text or ""
    assert "disable-subscriptions = true" in patched
    assert "# InfluxDB 3 Enterprise token (Kapacitor >= 1.6)" in patched
    assert 'token = ""' in patched
    assert "[fluxtask]\n  enabled = false\n" in patched
    assert 'urls = ["http://influxdb-01:8086"]' in patched  # never a guessed URL


def test_oss_keeps_its_influxdb_2_wording():
    found = messages(check("oss"))
    assert "TM330" not in found and "TM317" in found
    assert "InfluxDB 2 has no subscriptions" in found["TM311"]
