"""TM310 (kapacitor-no-influxdb): Kapacitor.conf without [[influxdb]]."""

from __future__ import annotations

import pytest

from .configs import assert_config_unchanged


@pytest.mark.parametrize(
    ("text", "fires"),
    [
        ('[http]\n  bind-address = ":9092"\n', True),
        ('[[influxdb]]\n  name = "x"\n', False),
    ],
)
def test_unchanged(text: str, fires: bool) -> None:
    assert_config_unchanged("TM310", text, fires)
