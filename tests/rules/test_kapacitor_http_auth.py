"""TM319 (kapacitor-http-auth): Writers to Kapacitor need a Kapacitor user."""

from __future__ import annotations

import pytest

from .configs import assert_config_unchanged


@pytest.mark.parametrize(
    ("text", "fires"),
    [("[http]\n  auth-enabled = true\n", True), ("[http]\n  auth-enabled = false\n", False)],
)
def test_unchanged(text: str, fires: bool) -> None:
    assert_config_unchanged("TM319", text, fires)
