"""TM314 (kapacitor-default-cluster): Exactly one default [[influxdb]]."""

from __future__ import annotations

import pytest

from .configs import assert_config_unchanged


@pytest.mark.parametrize(
    ("text", "fires"),
    [
        ('[[influxdb]]\n  name = "a"\n[[influxdb]]\n  name = "b"\n', True),
        ('[[influxdb]]\n  name = "a"\n  default = true\n[[influxdb]]\n  name = "b"\n', False),
        ('[[influxdb]]\n  name = "a"\n[[influxdb]]\n  name = "b"\n  enabled = false\n', False),
    ],
)
def test_unchanged(text: str, fires: bool) -> None:
    assert_config_unchanged("TM314", text, fires)
