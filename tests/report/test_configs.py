"""The Telegraf and kapacitor.conf checks on small hand-written files, through the same
functions the report uses, with the facts about the tasks given directly."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from tickmig.configs.kapacitor_conf import kapacitor_report
from tickmig.configs.model import Facts, Pair, StreamInput
from tickmig.configs.telegraf import telegraf_report
from tickmig.mappings import Mapping, MappingSet
from tickmig.settings import Settings

from .cases import tickmig

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]

KAPACITOR = "http://localhost:9092"
TELEGRAF = Pair("telegraf", "autogen")
MAPPINGS = MappingSet(
    (Mapping("telegraf", "autogen", "b1", "telegraf/autogen", True, False, "o", "m1", "test"),),
    (),
    (),
    "oss",
    "test",
)


def facts(
    *,
    influx_url: str | None = None,
    all_known: bool = True,
    clusters: dict[str | None, set[str]] | None = None,
    flux: dict[str, str | None] | None = None,
) -> Facts:
    """Two stream tasks read telegraf/autogen: measurements mem and cpu, or (all_known False)
    cpu and one that tickmig cannot tell."""
    measurements = {"mem", "cpu"} if all_known else {"cpu"}
    stream = StreamInput(TELEGRAF, {"tasks/a.tick", "tasks/b.tick"}, measurements, all_known)
    settings = Settings(org="acme", influx_url=influx_url)
    return Facts(MAPPINGS, settings, [stream], clusters or {}, flux or {}, {}, set())


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


TELEGRAF_CONF = """\
[[outputs.influxdb]]
  urls = ["http://influx:8086"]
  database = "telegraf"

[[inputs.cpu]]
"""


def test_namepass_lists_the_measurements_sorted(tmp_path: Path) -> None:
    report = telegraf_report(facts(), [write(tmp_path, "t.conf", TELEGRAF_CONF)], KAPACITOR)
    (output,) = report.outputs
    assert output.namepass == ["cpu", "mem"]
    patched = tomllib.loads(report.files[0].patched_text or "")
    assert patched["outputs"]["influxdb"][1]["namepass"] == ["cpu", "mem"]


def test_no_namepass_when_a_measurement_is_unknown(tmp_path: Path) -> None:
    report = telegraf_report(
        facts(all_known=False), [write(tmp_path, "t.conf", TELEGRAF_CONF)], KAPACITOR
    )
    assert report.outputs[0].namepass is None
    patched = tomllib.loads(report.files[0].patched_text or "")
    assert "namepass" not in patched["outputs"]["influxdb"][1]
    assert "namepass" not in report.snippet


def test_influx_url_points_the_existing_output_at_influxdb2(tmp_path: Path) -> None:
    report = telegraf_report(
        facts(influx_url="http://influx2:8086"),
        [write(tmp_path, "t.conf", TELEGRAF_CONF)],
        KAPACITOR,
    )
    patched = tomllib.loads(report.files[0].patched_text or "")
    first, second = patched["outputs"]["influxdb"]
    assert first["urls"] == ["http://influx2:8086"]
    assert first["skip_database_creation"] is True
    assert second["urls"] == [KAPACITOR]
    assert 'urls = ["http://influx2:8086"]' in report.snippet


def test_agent_that_writes_another_database_gets_no_kapacitor_output(tmp_path: Path) -> None:
    conf = TELEGRAF_CONF.replace('"telegraf"', '"other"')
    report = telegraf_report(facts(), [write(tmp_path, "t.conf", conf)], KAPACITOR)
    patched = tomllib.loads(report.files[0].patched_text or "")
    assert len(patched["outputs"]["influxdb"]) == 1
    assert any(
        "no output of this file writes database" in f.message for f in report.files[0].findings
    )


def test_snippet_is_toml(tmp_path: Path) -> None:
    report = telegraf_report(facts(), [], KAPACITOR)
    data = tomllib.loads(report.snippet)
    assert data["outputs"]["influxdb"][0] == {
        "urls": [KAPACITOR],
        "database": "telegraf",
        "retention_policy": "autogen",
        "skip_database_creation": True,
        "namepass": ["cpu", "mem"],
    }
    assert data["outputs"]["influxdb_v2"][0] == {
        "urls": ["${INFLUX_URL}"],
        "token": "${INFLUX_TOKEN}",
        "organization": "acme",
        "bucket": "telegraf/autogen",
    }


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
    report = kapacitor_report(
        facts(clusters={"two": {"tasks/x.tick"}, "three": {"tasks/y.tick"}}), path, KAPACITOR
    )
    assert [(c.name, c.found) for c in report.clusters] == [("three", False), ("two", True)]
    messages = [f.message for f in report.file.findings] if report.file else []
    assert any(
        ".cluster('three') (in tasks/y.tick) names no [[influxdb]] section" in m for m in messages
    )
    assert any("exactly one must be" in m for m in messages)
    assert [s.auth for s in report.sections] == ["token", "none"]
    # Section "two" has no credentials at all: an (empty) token is added for it only.
    patched = tomllib.loads(report.file.patched_text or "") if report.file else {}
    assert [s.get("token") for s in patched["influxdb"]] == ["abc-secret-token", ""]
    # The missing top-level default-retention-policy is added (every stream task reads
    # autogen).
    assert patched["default-retention-policy"] == "autogen"
    assert report.file is not None and "abc-secret-token" not in (report.file.diff or "")


def test_query_flux_needs_a_token_on_its_section(tmp_path: Path) -> None:
    conf = KAPACITOR_CONF.replace('  token = "abc-secret-token"\n', "").replace(
        'name = "one"', 'name = "one"\n  default = true\n  username = "k"\n  password = "pw"'
    )
    path = write(tmp_path, "kapacitor.conf", conf)
    report = kapacitor_report(facts(flux={"tasks/f.tick": None}), path, KAPACITOR)
    assert report.file is not None
    assert any(
        "tasks/f.tick uses queryFlux()" in f.message and '"one" needs a token' in f.message
        for f in report.file.findings
    )
    assert "pw" not in json.dumps([f.message for f in report.file.findings])


def test_report_with_stream_task_reading_every_measurement(tmp_path: Path) -> None:
    """End to end: one stream task without .measurement(): no namepass anywhere."""
    tasks = tmp_path / "load" / "tasks"
    tasks.mkdir(parents=True)
    (tasks / "all.tick").write_text(
        'dbrp "telegraf"."autogen"\n\nstream\n    |from()\n    |log()\n', encoding="utf-8"
    )
    (tasks / "cpu.tick").write_text(
        'dbrp "telegraf"."autogen"\n\nstream\n    |from()\n        .measurement(\'cpu\')\n'
        "    |log()\n",
        encoding="utf-8",
    )
    conf = write(tmp_path, "telegraf.conf", TELEGRAF_CONF)
    proc = tickmig(
        [
            "report",
            str(tmp_path / "load"),
            "--telegraf-conf",
            conf,
            "--format",
            "json",
            "--patched-dir",
            str(tmp_path / "out"),
        ]
    )
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["telegraf"]["outputs"][0]["namepass"] is None
    # No kapacitor.conf, no --kapacitor-url: a placeholder that Telegraf fills from its
    # environment, flagged at the top of the report.
    assert any("placeholder" in note for note in doc["verdict"]["notes"])
    patched = tomllib.loads((tmp_path / "out" / "telegraf.patched.conf").read_text())
    assert patched["outputs"]["influxdb"][1] == {
        "urls": ["http://${KAPACITOR_HOST}:9092"],
        "database": "telegraf",
        "retention_policy": "autogen",
        "skip_database_creation": True,
    }
