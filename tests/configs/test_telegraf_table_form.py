"""`[outputs.influxdb]` written as one table: Telegraf's loader (config/config.go,
LoadConfigData, "legacy [outputs.influxdb] support") reads a table as one plugin, exactly as
an array of one table; it refuses an `outputs` that is not a table and a plugin that is
neither a table nor an array of tables ("unsupported config format"). tickmig's facts, its
findings' labels, its patches and the migration model agree with that."""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

import pytest

from tickmig.configs.telegraf_facts import load_telegraf
from tickmig.model.inputs import read_telegraf

from .helpers import codes, facts, run
from .samples import write

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]

BODY = """\
  urls = ["http://influx:8086"]
  database = "telegraf"

  [outputs.influxdb.tagpass]
    cpu = ["cpu-total"]

[[inputs.cpu]]
"""
TABLE = "[outputs.influxdb]\n" + BODY
ARRAY = "[[outputs.influxdb]]\n" + BODY


def test_a_table_is_read_as_one_plugin_like_an_array_of_one(tmp_path: Path) -> None:
    (single,) = load_telegraf(write(tmp_path, "table.conf", TABLE)).outputs
    (element,) = load_telegraf(write(tmp_path, "array.conf", ARRAY)).outputs
    assert single.single and not element.single
    assert single.label == "[outputs.influxdb]"
    assert element.label == "[[outputs.influxdb]] #1"
    same = ("path", "single")
    assert dataclasses.replace(single, path="", single=False) == dataclasses.replace(
        element, path="", single=False
    ), [f.name for f in dataclasses.fields(single) if f.name not in same]
    assert (single.line, single.database, single.filters.tagpass) == (
        1,
        "telegraf",
        {"cpu": ("cpu-total",)},
    )


def test_findings_name_the_table_as_written_and_the_patch_keeps_it_a_table(
    tmp_path: Path,
) -> None:
    check = run(facts(), [write(tmp_path, "t.conf", TABLE)], kapacitor_url="http://k:9092")
    messages = [d.message for r in check.results for d in r.diagnostics]
    assert messages and not [m for m in messages if "[[outputs.influxdb]] #1" in m]
    assert [m for m in messages if m.startswith("[outputs.influxdb] writes")]
    # The output to Kapacitor cannot be added beside a table (TM307 says so); the fixes that
    # can be made (TM302) are made inside the one table, and the copy still parses as one.
    assert ("TM307", 1) in codes(check)
    (file,) = check.telegraf.files
    patched = tomllib.loads(file.patched_text or "")
    assert patched["outputs"]["influxdb"] == {
        "urls": ["http://influx:8086"],
        "database": "telegraf",
        "skip_database_creation": True,
        "tagpass": {"cpu": ["cpu-total"]},
    }


REFUSED = {
    "outputs-not-a-table": ("outputs = 1\n", None, 'error parsing field "outputs" as table'),
    "plugin-a-number": ("[outputs]\ninfluxdb = 1\n", 1, "unsupported config format: influxdb"),
    "plugin-an-array-of-numbers": (
        "[outputs]\ninfluxdb = [1, 2]\n",
        1,
        "unsupported config format: influxdb",
    ),
    "another-plugin-malformed": (
        '[[outputs.influxdb]]\n  database = "telegraf"\n\n[outputs]\nfile = "x"\n',
        4,
        "unsupported config format: file",
    ),
}


@pytest.mark.parametrize("case", REFUSED)
def test_a_file_telegraf_refuses_is_an_error_naming_the_file(tmp_path: Path, case: str) -> None:
    text, line, words = REFUSED[case]
    path = write(tmp_path, "t.conf", text)
    check = run(facts(), [path], kapacitor_url="http://k:9092")
    (problem,) = check.problems
    assert (problem.path, problem.line) == (path, line)
    assert problem.message.startswith("Telegraf refuses this file: ")
    assert words in problem.message
    (file,) = check.telegraf.files
    assert file.error is not None and file.patched_text is None
    # The migration model does not count its outputs as writers either.
    assert read_telegraf([path], None) == []
