"""TM316 (kapacitor-clusters-disagree): Sections point at different servers."""

from __future__ import annotations

import pytest

from .configs import assert_config_unchanged


@pytest.mark.parametrize(
    ("text", "fires"),
    [
        (
            '[[influxdb]]\n  urls = ["http://a:8086"]\n[[influxdb]]\n  urls = ["http://b:8086"]\n',
            True,
        ),
        (
            '[[influxdb]]\n  urls = ["http://a:8086"]\n[[influxdb]]\n  urls = ["http://a:8086"]\n',
            False,
        ),
    ],
)
def test_unchanged(text: str, fires: bool) -> None:
    assert_config_unchanged("TM316", text, fires)
