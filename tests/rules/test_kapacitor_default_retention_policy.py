"""TM318 (kapacitor-default-retention-policy): default-retention-policy and the stream
tasks' retention policies."""

from __future__ import annotations

import pytest

from .configs import assert_config_fixed, assert_config_unchanged, deployment


@pytest.mark.parametrize(
    ("text", "fires"),
    [
        ('default-retention-policy = "autogen"\n', False),
        ('default-retention-policy = "weekly"\n', True),  # info: no stream task reads it
    ],
)
def test_unchanged(text: str, fires: bool) -> None:
    assert_config_unchanged("TM318", text, fires)


def test_no_stream_task_no_finding() -> None:
    assert_config_unchanged(
        "TM318", 'default-retention-policy = ""\n', False, deployment(stream=False)
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('default-retention-policy = ""\n', 'default-retention-policy = "autogen"\n'),
        (
            'hostname = "k"\n\n[http]\n',
            'hostname = "k"\n# Retention policy of points written to Kapacitor without one.\n'
            'default-retention-policy = "autogen"\n\n[http]\n',
        ),
    ],
)
def test_fixed(text: str, expected: str) -> None:
    assert_config_fixed("TM318", text, expected)
