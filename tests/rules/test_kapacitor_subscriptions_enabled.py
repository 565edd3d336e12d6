"""TM311 (kapacitor-subscriptions-enabled): Subscriptions on against InfluxDB 2."""

from __future__ import annotations

import pytest

from .configs import assert_config_fixed, assert_config_unchanged


@pytest.mark.parametrize(
    "text",
    [
        "[[influxdb]]\n  disable-subscriptions = true\n",
        "[[influxdb]]\n  enabled = false\n",
    ],
)
def test_unchanged(text: str) -> None:
    assert_config_unchanged("TM311", text, False)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "[[influxdb]]\n  disable-subscriptions = false\n",
            "[[influxdb]]\n  disable-subscriptions = true\n",
        ),
        (
            '[[influxdb]]\n  name = "x"\n',
            '[[influxdb]]\n  name = "x"\n  disable-subscriptions = true\n',
        ),
        (
            '[influxdb]\n  name = "x"\n',
            '[influxdb]\n  name = "x"\n  disable-subscriptions = true\n',
        ),
    ],
)
def test_fixed(text: str, expected: str) -> None:
    assert_config_fixed("TM311", text, expected)
