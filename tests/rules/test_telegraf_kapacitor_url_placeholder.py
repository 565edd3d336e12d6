"""TM306 (telegraf-kapacitor-url-placeholder): The added output's Kapacitor URL is not known."""

from __future__ import annotations

import pytest

from .configs import config_findings

TEXT = '[[outputs.influxdb]]\n  database = "telegraf"\n'


@pytest.mark.parametrize(("url", "fires"), [(None, True), ("http://kapacitor:9092", False)])
def test_fires_only_without_a_kapacitor_url(url: str | None, fires: bool) -> None:
    assert bool(config_findings("TM306", TEXT, kapacitor_url=url)) is fires


def test_nothing_added_nothing_flagged() -> None:
    assert (
        config_findings("TM306", '[[outputs.influxdb]]\n  database = "x"\n', kapacitor_url=None)
        == []
    )


def test_a_localhost_url_from_kapacitor_conf_is_noted() -> None:
    from dataclasses import replace

    from tickmig.configs.model import KapacitorTarget

    from .configs import deployment

    facts = replace(
        deployment(), kapacitor=KapacitorTarget("http://localhost:9092", "kapacitor.conf")
    )
    (found,) = config_findings("TM306", TEXT, facts, kapacitor_url=None)
    assert found.severity.value == "info" and "hostname of kapacitor.conf" in found.message
