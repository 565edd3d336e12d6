"""TM312 (kapacitor-influxdb-credentials): No token on an [[influxdb]] section."""

from __future__ import annotations

import pytest

from .configs import assert_config_fixed, assert_config_unchanged, config_findings


@pytest.mark.parametrize(
    ("text", "fires"),
    [
        ('[[influxdb]]\n  token = "t"\n', False),
        ("[[influxdb]]\n  enabled = false\n", False),
        ('[[influxdb]]\n  token = ""\n', True),  # an empty token is none; nothing to add
    ],
)
def test_unchanged(text: str, fires: bool) -> None:
    assert_config_unchanged("TM312", text, fires)


def test_no_credentials_is_an_error_a_user_a_warning() -> None:
    (none,) = config_findings("TM312", "[[influxdb]]\n")
    text = '[[influxdb]]\n  username = "k"\n  password = "s3cr3t-pw"\n'
    (user,) = config_findings("TM312", text)
    assert (none.severity.value, user.severity.value) == ("error", "warning")
    assert "s3cr3t" not in user.message


def test_fixed() -> None:
    assert_config_fixed(
        "TM312",
        '[[influxdb]]\n  username = "k"\n  password = "p"\n  timeout = 0\n',
        '[[influxdb]]\n  username = "k"\n  password = "p"\n'
        "  # InfluxDB 2 API token (Kapacitor >= 1.6), used instead of\n"
        "  # username/password when set. Fill it in, or set KAPACITOR_INFLUXDB_0_TOKEN.\n"
        '  token = ""\n  timeout = 0\n',
    )
