"""Issue 10: the output to Kapacitor that tickmig adds next to an `[[outputs.influxdb]]` keeps
every metric filter of the output it mirrors (Telegraf docs/CONFIGURATION.md "Metric
Filtering"), so Kapacitor never sees more than that output sent it through subscriptions."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

from .helpers import facts, run
from .samples import write

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]

KAPACITOR = "http://kapacitor:9092"
OUTPUT = '[[outputs.influxdb]]\n  urls = ["http://influx:8086"]\n  database = "telegraf"\n'


@pytest.mark.parametrize(
    ("line", "key", "value"),
    [
        ('namedrop = ["debug_*"]', "namedrop", ["debug_*"]),
        ('fieldexclude = ["raw_*"]', "fieldexclude", ["raw_*"]),
        ('fielddrop = ["raw_*"]', "fielddrop", ["raw_*"]),
        ('fieldpass = ["usage_*"]', "fieldpass", ["usage_*"]),
        ('taginclude = ["host", "dc"]', "taginclude", ["host", "dc"]),
        ('tagexclude = ["rack"]', "tagexclude", ["rack"]),
        ("metricpass = 'fields.usage_idle < 90'", "metricpass", "fields.usage_idle < 90"),
        ('namedrop_separator = "."', "namedrop_separator", "."),
    ],
)
def test_the_added_output_keeps_the_filter(tmp_path: Path, line: str, key: str, value: Any) -> None:
    conf = OUTPUT + f"  {line}\n"
    check = run(facts(), [write(tmp_path, "t.conf", conf)], kapacitor_url=KAPACITOR)
    (file,) = check.telegraf.files
    assert file.error is None, file.error
    mirrored, added = tomllib.loads(file.patched_text or "")["outputs"]["influxdb"]
    assert added["urls"] == [KAPACITOR]
    assert added[key] == mirrored[key] == value


def test_tagdrop_subtable_is_kept(tmp_path: Path) -> None:
    conf = OUTPUT + '  [outputs.influxdb.tagdrop]\n    env = ["test"]\n'
    check = run(facts(), [write(tmp_path, "t.conf", conf)], kapacitor_url=KAPACITOR)
    (file,) = check.telegraf.files
    _, added = tomllib.loads(file.patched_text or "")["outputs"]["influxdb"]
    assert added["tagdrop"] == {"env": ["test"]}
