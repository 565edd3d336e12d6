"""TM301 (telegraf-kapacitor-output-without-rp): An output to Kapacitor without retention_policy."""

from __future__ import annotations

import pytest

from .configs import assert_config_unchanged


@pytest.mark.parametrize(
    ("text", "fires"),
    [
        (
            '[[outputs.influxdb]]\n  urls = ["http://kapacitor:9092"]\n  database = "telegraf"\n',
            True,
        ),
        (
            '[[outputs.influxdb]]\n  urls = ["http://kapacitor:9092"]\n  database = "telegraf"\n'
            '  retention_policy = "autogen"\n',
            False,
        ),
        (
            '[[outputs.influxdb]]\n  urls = ["http://kapacitor:9092"]\n'
            '  retention_policy_tag = "rp"\n',
            False,
        ),
        ('[[outputs.influxdb]]\n  urls = ["http://influx:8086"]\n  database = "telegraf"\n', False),
    ],
)
def test_unchanged(text: str, fires: bool) -> None:
    assert_config_unchanged("TM301", text, fires)
