"""TM302 (telegraf-database-creation): CREATE DATABASE against InfluxDB 2 or Kapacitor."""

from __future__ import annotations

import pytest

from .configs import assert_config_fixed, assert_config_unchanged


@pytest.mark.parametrize(
    "text",
    [
        '[[outputs.influxdb]]\n  urls = ["http://influx:8086"]\n  skip_database_creation = true\n',
        '[[outputs.influxdb_v2]]\n  urls = ["http://influx:8086"]\n  bucket = "b"\n',
    ],
)
def test_unchanged(text: str) -> None:
    assert_config_unchanged("TM302", text, False)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            '[[outputs.influxdb]]\n  urls = ["http://influx:8086"]\n',
            '[[outputs.influxdb]]\n  urls = ["http://influx:8086"]\n'
            "  skip_database_creation = true\n",
        ),
        (  # under its commented-out sample line
            '[[outputs.influxdb]]\n  # skip_database_creation = false\n  database = "x"\n',
            "[[outputs.influxdb]]\n  # skip_database_creation = false\n"
            '  skip_database_creation = true\n  database = "x"\n',
        ),
        (
            "[[outputs.influxdb]]\n  skip_database_creation = false # was\n",
            "[[outputs.influxdb]]\n  skip_database_creation = true # was\n",
        ),
    ],
)
def test_fixed(text: str, expected: str) -> None:
    assert_config_fixed("TM302", text, expected)
