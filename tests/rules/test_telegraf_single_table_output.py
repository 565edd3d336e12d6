"""TM307 (telegraf-single-table-output): No output can be added beside a single table."""

from __future__ import annotations

import pytest

from .configs import assert_config_unchanged


@pytest.mark.parametrize(
    ("text", "fires"),
    [
        ('[outputs.influxdb]\n  database = "telegraf"\n', True),
        ('[outputs.influxdb]\n  database = "other"\n', False),
        ('[[outputs.influxdb]]\n  database = "other"\n', False),
    ],
)
def test_unchanged(text: str, fires: bool) -> None:
    assert_config_unchanged("TM307", text, fires)
