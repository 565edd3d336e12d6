"""TM303 (telegraf-output-destination): Where a Telegraf output's writes land."""

from __future__ import annotations

import pytest

from .configs import assert_config_unchanged, config_findings


@pytest.mark.parametrize(
    ("text", "fires"),
    [
        ('[[outputs.influxdb]]\n  database = "telegraf"\n  retention_policy = "autogen"\n', True),
        ('[[outputs.influxdb]]\n  urls = ["http://kapacitor:9092"]\n', False),
        ('[[outputs.influxdb_v2]]\n  bucket = "telegraf/autogen"\n', True),
    ],
)
def test_unchanged(text: str, fires: bool) -> None:
    assert_config_unchanged("TM303", text, fires)


def test_an_unmapped_pair_is_a_warning_a_mapped_one_info() -> None:
    (mapped,) = config_findings("TM303", '[[outputs.influxdb]]\n  database = "telegraf"\n')
    assert mapped.severity.value == "info" and 'bucket "telegraf/autogen"' in mapped.message
    (lost,) = config_findings("TM303", '[[outputs.influxdb]]\n  database = "pages"\n')
    assert lost.severity.value == "warning"
