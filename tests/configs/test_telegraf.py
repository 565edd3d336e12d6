"""The Telegraf checks (TM30x) and their patches, on small files and on Telegraf's own sample
configuration: what is added for stream tasks, where, with which URL and filters."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, Goldens
from tickmig.configs.model import KAPACITOR_URL_PLACEHOLDER, Pair
from tickmig.engine.configs import ConfigCheck

from .helpers import codes, facts, run
from .samples import kapacitor_stock, telegraf_stock, telegraf_usual_edit, write

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]

KAPACITOR = "http://kapacitor:9092"
TELEGRAF_CONF = """\
[[outputs.influxdb]]
  urls = ["http://influx:8086"]
  database = "telegraf"

[[inputs.cpu]]
"""


def patched(check: ConfigCheck, index: int = 0) -> dict[str, Any]:
    files = check.telegraf.files
    assert files[index].error is None, files[index].error
    data: dict[str, Any] = tomllib.loads(files[index].patched_text or "")
    return data


def test_namepass_lists_the_measurements_sorted(tmp_path: Path) -> None:
    check = run(facts(), [write(tmp_path, "t.conf", TELEGRAF_CONF)], kapacitor_url=KAPACITOR)
    (output,) = check.telegraf.outputs
    assert output.namepass == ["cpu", "mem"]
    assert patched(check)["outputs"]["influxdb"][1] == {
        "urls": [KAPACITOR],
        "database": "telegraf",
        "retention_policy": "autogen",
        "skip_database_creation": True,
        "namepass": ["cpu", "mem"],
    }


def test_no_namepass_when_a_measurement_is_unknown(tmp_path: Path) -> None:
    check = run(
        facts(all_known=False), [write(tmp_path, "t.conf", TELEGRAF_CONF)], kapacitor_url=KAPACITOR
    )
    assert check.telegraf.outputs[0].namepass is None
    assert "namepass" not in patched(check)["outputs"]["influxdb"][1]
    assert "namepass" not in check.telegraf.snippet


def test_without_a_kapacitor_url_the_output_gets_a_flagged_placeholder(tmp_path: Path) -> None:
    check = run(facts(), [write(tmp_path, "t.conf", TELEGRAF_CONF)])
    assert check.telegraf.kapacitor_url_source == "placeholder"
    added = patched(check)["outputs"]["influxdb"][1]
    assert added["urls"] == [KAPACITOR_URL_PLACEHOLDER] == ["${KAPACITOR_URL}"]
    assert ("TM306", 1) in codes(check)
    assert "localhost:9092" not in (check.telegraf.files[0].patched_text or "")
    # Given a URL, nothing is flagged.
    assert "TM306" not in {
        c
        for c, _ in codes(
            run(facts(), [write(tmp_path, "u.conf", TELEGRAF_CONF)], kapacitor_url=KAPACITOR)
        )
    }


def test_kapacitor_url_comes_from_kapacitor_conf(tmp_path: Path) -> None:
    conf = (
        kapacitor_stock()
        .replace('hostname = "localhost"', 'hostname = "kapacitor-01.ops"', 1)
        .replace('  bind-address = ":9092"', '  bind-address = ":9192"', 1)
        .replace("  https-enabled = false", "  https-enabled = true", 1)
    )
    check = run(
        facts(),
        [write(tmp_path, "t.conf", TELEGRAF_CONF)],
        write(tmp_path, "kapacitor.conf", conf),
    )
    assert check.telegraf.kapacitor_url == "https://kapacitor-01.ops:9192"
    assert check.telegraf.kapacitor_url_source.endswith("kapacitor.conf")
    assert patched(check)["outputs"]["influxdb"][1]["urls"] == ["https://kapacitor-01.ops:9192"]
    assert "TM306" not in {c for c, _ in codes(check)}


def test_influx_url_is_never_written_unless_asked(tmp_path: Path) -> None:
    path = write(tmp_path, "t.conf", TELEGRAF_CONF)
    check = run(facts(influx_url="http://used-by-tickmig:8086"), [path], kapacitor_url=KAPACITOR)
    assert patched(check)["outputs"]["influxdb"][0]["urls"] == ["http://influx:8086"]
    assert "used-by-tickmig" not in check.telegraf.snippet
    asked = run(facts(patch_influx_url="http://influx2:8086"), [path], kapacitor_url=KAPACITOR)
    first, second = patched(asked)["outputs"]["influxdb"]
    assert first["urls"] == ["http://influx2:8086"] and second["urls"] == [KAPACITOR]
    assert 'urls = ["http://influx2:8086"]' in asked.telegraf.snippet


def test_added_output_copies_the_mirrored_filters_and_narrows_namepass(tmp_path: Path) -> None:
    conf = """\
[[outputs.influxdb]]
  urls = ["http://influx:8086"]
  database = "telegraf"
  namepass = ["c*", "disk"]
  fieldinclude = ["usage_*"]
  [outputs.influxdb.tagpass]
    dc = ["ams1"]

[[inputs.cpu]]
"""
    check = run(facts(), [write(tmp_path, "t.conf", conf)], kapacitor_url=KAPACITOR)
    added = patched(check)["outputs"]["influxdb"][1]
    # The tasks read cpu and mem; the mirrored output only ever passed c* and disk.
    assert added["namepass"] == ["cpu"]
    assert added["fieldinclude"] == ["usage_*"]
    assert added["tagpass"] == {"dc": ["ams1"]}
    # The new output comes after the mirrored one's sub-table, before [[inputs.cpu]].
    text = check.telegraf.files[0].patched_text or ""
    assert text.index("dc = [") < text.index("# Kapacitor stream input") < text.index("[[inputs")


def test_stream_input_fed_by_a_kapacitor_udp_listener_gets_no_output(tmp_path: Path) -> None:
    kconf = kapacitor_stock() + (
        '\n[[udp]]\n  enabled = true\n  bind-address = ":9100"\n'
        '  database = "telegraf"\n  retention-policy = "autogen"\n'
    )
    check = run(
        facts(),
        [write(tmp_path, "t.conf", TELEGRAF_CONF)],
        write(tmp_path, "kapacitor.conf", kconf),
    )
    (output,) = check.telegraf.outputs
    assert output.fed_by == "[[udp]] #1"
    assert len(patched(check)["outputs"]["influxdb"]) == 1
    assert "TM305" not in {c for c, _ in codes(check)}
    assert "writes this pair into Kapacitor" in check.telegraf.snippet


def test_existing_output_to_kapacitor_covers_the_pair(tmp_path: Path) -> None:
    conf = TELEGRAF_CONF + (
        '\n[[outputs.influxdb]]\n  urls = ["http://kap.internal:9092"]\n  database = "telegraf"\n'
        '  retention_policy = "autogen"\n  skip_database_creation = true\n'
    )
    check = run(facts(), [write(tmp_path, "t.conf", conf)])
    assert "TM305" not in {c for c, _ in codes(check)}
    assert len(patched(check)["outputs"]["influxdb"]) == 2


def test_a_planned_rename_sends_the_new_name_to_kapacitor(tmp_path: Path) -> None:
    web = Pair("web", "autogen")
    check = run(
        facts(renamed_to=web), [write(tmp_path, "t.conf", TELEGRAF_CONF)], kapacitor_url=KAPACITOR
    )
    added = patched(check)["outputs"]["influxdb"][1]
    assert (added["database"], added["retention_policy"]) == ("web", "autogen")
    # An output that already sends the old name to Kapacitor is pointed at the new one.
    conf = (
        '[[outputs.influxdb]]\n  urls = ["http://kapacitor:9092"]\n  database = "telegraf"\n'
        '  retention_policy = "autogen"\n  skip_database_creation = true\n'
    )
    retarget = run(
        facts(renamed_to=web), [write(tmp_path, "k.conf", conf)], kapacitor_url=KAPACITOR
    )
    assert ("TM305", 3) in codes(retarget)
    assert patched(retarget)["outputs"]["influxdb"] == [
        {
            "urls": ["http://kapacitor:9092"],
            "database": "web",
            "retention_policy": "autogen",
            "skip_database_creation": True,
        }
    ]


def test_agent_that_writes_another_database_gets_no_kapacitor_output(tmp_path: Path) -> None:
    conf = TELEGRAF_CONF.replace('"telegraf"', '"other"')
    check = run(facts(), [write(tmp_path, "t.conf", conf)], kapacitor_url=KAPACITOR)
    assert len(patched(check)["outputs"]["influxdb"]) == 1
    assert any(
        "no output of this file writes database" in f.message
        for f in check.telegraf.files[0].findings
    )


def test_snippet_is_toml() -> None:
    check = run(facts(), kapacitor_url=KAPACITOR)
    data = tomllib.loads(check.telegraf.snippet)
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


def test_suppression_comment_and_ignore_drop_the_finding_and_its_patch(tmp_path: Path) -> None:
    conf = "# tickmig: ignore[TM302]\n" + TELEGRAF_CONF
    check = run(facts(), [write(tmp_path, "t.conf", conf)], kapacitor_url=KAPACITOR)
    assert "TM302" not in {c for c, _ in codes(check)}
    assert "skip_database_creation" not in patched(check)["outputs"]["influxdb"][0]
    enabled = {"TM302"}
    only = run(
        facts(),
        [write(tmp_path, "u.conf", TELEGRAF_CONF)],
        kapacitor_url=KAPACITOR,
        enabled=enabled,
    )
    assert {c for c, _ in codes(only)} == {"TM302"}
    assert len(patched(only)["outputs"]["influxdb"]) == 1


def test_ignore_file_silences_its_codes_wherever_they_are(tmp_path: Path) -> None:
    """`# tickmig: ignore-file[TM302]` at the end of the file silences TM302 on any line, and
    only TM302 (it is not read as a line-level `ignore` of every code)."""
    found = {
        c
        for c, _ in codes(
            run(facts(), [write(tmp_path, "a.conf", TELEGRAF_CONF)], kapacitor_url=KAPACITOR)
        )
    }
    assert "TM302" in found
    conf = TELEGRAF_CONF + "\n# tickmig: ignore-file[TM302]\n"
    check = run(facts(), [write(tmp_path, "t.conf", conf)], kapacitor_url=KAPACITOR)
    assert {c for c, _ in codes(check)} == found - {"TM302"}


def test_stock_sample_patches_cleanly(tmp_path: Path) -> None:
    """Telegraf's own etc/telegraf.conf, every option commented: Telegraf's defaults apply
    (database "telegraf", http://localhost:8086)."""
    check = run(
        facts(), [write(tmp_path, "telegraf.conf", telegraf_stock())], kapacitor_url=KAPACITOR
    )
    file = check.telegraf.files[0]
    assert file.error is None
    first, added = patched(check)["outputs"]["influxdb"]
    assert first == {"skip_database_creation": True}
    assert added["urls"] == [KAPACITOR]


def test_usual_edit_of_the_stock_sample_patches_cleanly_and_keeps_comments_together(
    tmp_path: Path, goldens: Goldens, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only urls and database uncommented: skip_database_creation goes under its commented
    sample line, and the new output after the last commented option of the mirrored one."""
    write(tmp_path, "telegraf.conf", telegraf_usual_edit())
    monkeypatch.chdir(tmp_path)
    check = run(facts(), ["telegraf.conf"], kapacitor_url=KAPACITOR)
    file = check.telegraf.files[0]
    assert file.error is None, file.error
    text = file.patched_text or ""
    lines = text.splitlines()
    skip = lines.index("  skip_database_creation = true")
    assert lines[skip - 1] == "  # skip_database_creation = false"
    header = lines.index(
        '# Kapacitor stream input "telegraf"."autogen" (2 stream tasks; added by tickmig report).'
    )
    assert lines[header - 2] == "  # influx_uint_support = false"
    assert lines[header + 2] == "[[outputs.influxdb]]"
    assert [(c, line) for c, line in codes(check)] == [
        ("TM302", 121),
        ("TM303", 121),
        ("TM305", 121),
        ("TM304", 128),
    ]
    goldens.check(ROOT / "fixtures" / "configs" / "telegraf-usual-edit.diff", file.diff or "")


def test_a_second_run_on_the_patched_stock_sample_changes_nothing(tmp_path: Path) -> None:
    first = run(
        facts(), [write(tmp_path, "telegraf.conf", telegraf_usual_edit())], kapacitor_url=KAPACITOR
    )
    text = first.telegraf.files[0].patched_text or ""
    second = run(facts(), [write(tmp_path, "again.conf", text)], kapacitor_url=KAPACITOR)
    assert second.telegraf.files[0].patched_text == text
    assert {c for c, _ in codes(second)} == {"TM303", "TM304"}  # info only
