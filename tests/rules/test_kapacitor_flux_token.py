"""TM317 (kapacitor-flux-token): QueryFlux() through a section without a token."""

from __future__ import annotations

import pytest

from .configs import assert_config_unchanged, deployment


@pytest.mark.parametrize(
    ("text", "fires"),
    [
        ('[[influxdb]]\n  name = "a"\n  username = "u"\n', True),
        ('[[influxdb]]\n  name = "a"\n  token = "t"\n', False),
    ],
)
def test_unchanged(text: str, fires: bool) -> None:
    assert_config_unchanged("TM317", text, fires, deployment(flux={"tasks/f.tick": None}))


def test_no_flux_task_no_finding() -> None:
    assert_config_unchanged("TM317", '[[influxdb]]\n  name = "a"\n', False)
