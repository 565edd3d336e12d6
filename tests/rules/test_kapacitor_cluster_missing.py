"""TM315 (kapacitor-cluster-missing): .cluster() names a missing section."""

from __future__ import annotations

import pytest

from .configs import assert_config_unchanged, deployment

SECTIONS = '[[influxdb]]\n  name = "metrics"\n[[influxdb]]\n  name = "off"\n  enabled = false\n'


@pytest.mark.parametrize(
    ("cluster", "fires"), [("metrics", False), ("events", True), ("off", True), (None, True)]
)
def test_cluster_names(cluster: str | None, fires: bool) -> None:
    facts = deployment(clusters={cluster: {"tasks/a.tick"}})
    assert_config_unchanged("TM315", SECTIONS, fires, facts)


def test_fluxtask_names_a_section() -> None:
    text = SECTIONS + '[fluxtask]\n  enabled = true\n  task-run-influxdb = "nope"\n'
    assert_config_unchanged("TM315", text, True)
