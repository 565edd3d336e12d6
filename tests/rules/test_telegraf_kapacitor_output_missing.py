"""TM305 (telegraf-kapacitor-output-missing): The output to Kapacitor a stream task needs."""

from __future__ import annotations

import pytest

from .configs import assert_config_fixed, assert_config_unchanged, deployment


@pytest.mark.parametrize(
    ("text", "fires"),
    [
        (  # already sent to Kapacitor
            '[[outputs.influxdb]]\n  database = "telegraf"\n'
            '[[outputs.influxdb]]\n  urls = ["http://kapacitor:9092"]\n  database = "telegraf"\n'
            '  retention_policy = "autogen"\n',
            False,
        ),
        ('[[outputs.influxdb]]\n  database = "other"\n', True),  # info: someone else writes it
    ],
)
def test_unchanged(text: str, fires: bool) -> None:
    assert_config_unchanged("TM305", text, fires)


def test_no_stream_task_no_finding() -> None:
    assert_config_unchanged(
        "TM305", '[[outputs.influxdb]]\n  database = "telegraf"\n', False, deployment(stream=False)
    )


ADDED = (
    "\n"
    '# Kapacitor stream input "telegraf"."autogen" (2 stream tasks; added by tickmig report).\n'
    "# InfluxDB 2 has no subscriptions: stream tasks only see what is written to Kapacitor.\n"
    "[[outputs.influxdb]]\n"
    '  urls = ["http://kapacitor:9092"]\n'
    '  database = "telegraf"\n'
    '  retention_policy = "autogen"\n'
    "  skip_database_creation = true\n"
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            '[[outputs.influxdb]]\n  database = "telegraf"\n  # timeout = "5s"\n'
            "\n# next\n[[inputs.cpu]]\n",
            '[[outputs.influxdb]]\n  database = "telegraf"\n  # timeout = "5s"\n'
            + ADDED
            + '  ## only the measurements the stream tasks read\n  namepass = ["cpu", "mem"]\n'
            + "\n# next\n[[inputs.cpu]]\n",
        ),
        (
            '[[outputs.influxdb]]\n  database = "telegraf"\n  namepass = ["c*"]\n',
            '[[outputs.influxdb]]\n  database = "telegraf"\n  namepass = ["c*"]\n'
            + ADDED
            + "  ## the metric filters of [[outputs.influxdb]] #1\n"
            + '  ## only the measurements the stream tasks read\n  namepass = ["cpu"]\n',
        ),
    ],
)
def test_fixed(text: str, expected: str) -> None:
    assert_config_fixed("TM305", text, expected)
