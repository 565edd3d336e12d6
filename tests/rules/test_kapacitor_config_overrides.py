"""TM320 (kapacitor-config-overrides): Stored overrides beat the edited file."""

from __future__ import annotations

import pytest

from .configs import assert_config_unchanged


@pytest.mark.parametrize(
    ("text", "fires"),
    [
        ("", True),
        ("skip-config-overrides = false\n[config-override]\n  enabled = true\n", True),
        ("skip-config-overrides = true\n", False),
        ("[config-override]\n  enabled = false\n", False),
    ],
)
def test_honours_the_file(text: str, fires: bool) -> None:
    assert_config_unchanged("TM320", text, fires)
