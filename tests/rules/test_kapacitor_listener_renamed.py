"""TM321 (kapacitor-listener-renamed): a listener writing a pair the plan renames (the
example plan renames "telegraf"."one_year" to "telegraf"."downsampled")."""

from __future__ import annotations

import pytest

from .configs import assert_config_fixed, assert_config_unchanged


@pytest.mark.parametrize(
    "text",
    [
        '[[udp]]\n  enabled = true\n  database = "telegraf"\n  retention-policy = "autogen"\n',
        # Disabled: it writes nothing.
        '[[udp]]\n  enabled = false\n  database = "telegraf"\n  retention-policy = "one_year"\n',
    ],
)
def test_unchanged(text: str) -> None:
    assert_config_unchanged("TM321", text, False)


def test_rp_renamed() -> None:
    assert_config_fixed(
        "TM321",
        '[[udp]]\n  enabled = true\n  database = "telegraf"\n  retention-policy = "one_year"\n',
        '[[udp]]\n  enabled = true\n  database = "telegraf"\n  retention-policy = "downsampled"\n',
    )


def test_empty_rp_takes_default_retention_policy() -> None:
    # Kapacitor gives the listener's points default-retention-policy: that pair is renamed,
    # so the listener must now name the new rp itself.
    assert_config_fixed(
        "TM321",
        'default-retention-policy = "one_year"\n\n[[graphite]]\n  enabled = true\n'
        '  database = "telegraf"\n',
        'default-retention-policy = "one_year"\n\n[[graphite]]\n  enabled = true\n'
        '  database = "telegraf"\n  retention-policy = "downsampled"\n',
    )
