"""TM313 (kapacitor-influxdb-url): An [[influxdb]] section must point at InfluxDB 2."""

from __future__ import annotations

import pytest

from .configs import assert_config_unchanged, config_patched, deployment


@pytest.mark.parametrize(
    ("text", "fires"),
    [
        ('[[influxdb]]\n  urls = ["http://influx:8086"]\n', True),
        ("[[influxdb]]\n  enabled = false\n", False),
    ],
)
def test_unchanged_unless_asked(text: str, fires: bool) -> None:
    assert_config_unchanged("TM313", text, fires)


def test_patch_influx_url_sets_the_urls_and_keeps_the_name() -> None:
    from dataclasses import replace

    facts = replace(deployment(), patch_influx_url="http://influx2:8086")
    text = '[[influxdb]]\n  name = "metrics"\n  urls = ["http://influx:8086"]\n'
    assert config_patched("TM313", text, facts) == (
        '[[influxdb]]\n  name = "metrics"\n  urls = ["http://influx2:8086"]\n'
    )
