"""TM330 (v3-fluxtask-enabled): Kapacitor's Flux task service against InfluxDB 3."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tickmig.mappings import embedded_default
from tickmig.targets import parse_target

from .configs import assert_config_fixed, assert_config_unchanged, config_findings, deployment


def on(target: str):  # type: ignore[no-untyped-def]
    return replace(deployment(), mappings=embedded_default(parse_target(target)))


ENABLED = '[fluxtask]\n  enabled = true\n  task-run-influxdb = "localhost"\n'


@pytest.mark.parametrize("target", ["v3-core", "v3-enterprise"])
def test_fixed_on_v3(target: str) -> None:
    expected = '[fluxtask]\n  enabled = false\n  task-run-influxdb = "localhost"\n'
    assert_config_fixed("TM330", ENABLED, expected, on(target))
    (finding,) = config_findings("TM330", ENABLED, on(target))
    assert finding.location.line == 2 and "has no Flux" in finding.message


@pytest.mark.parametrize(
    ("text", "target"),
    [
        (ENABLED, "oss"),  # InfluxDB 2 has Flux
        (ENABLED, "cloud"),
        ("[fluxtask]\n  enabled = false\n", "v3-core"),
        ('[[influxdb]]\n  name = "x"\n', "v3-core"),  # no [fluxtask]: Kapacitor's default is off
    ],
)
def test_unchanged(text: str, target: str) -> None:
    assert_config_unchanged("TM330", text, False, on(target))
