"""TM304 (telegraf-influxdb-url): An output to InfluxDB must reach InfluxDB 2."""

from __future__ import annotations

import pytest

from .configs import assert_config_unchanged, config_patched, deployment


@pytest.mark.parametrize(
    ("text", "fires"),
    [
        ('[[outputs.influxdb]]\n  urls = ["http://influx:8086"]\n', True),
        ('[[outputs.influxdb]]\n  urls = ["http://kapacitor:9092"]\n', False),
    ],
)
def test_unchanged_unless_asked(text: str, fires: bool) -> None:
    assert_config_unchanged("TM304", text, fires)


def test_patch_influx_url_sets_the_urls() -> None:
    from dataclasses import replace

    facts = replace(deployment(), patch_influx_url="http://influx2:8086")
    text = '[[outputs.influxdb]]\n  urls = ["http://influx:8086"]\n'
    assert config_patched("TM304", text, facts) == (
        '[[outputs.influxdb]]\n  urls = ["http://influx2:8086"]\n'
    )
