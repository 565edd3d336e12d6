"""TM413 target-no-flux: queryFlux() cannot run on InfluxDB 3."""

from __future__ import annotations

import pytest

from .examples import BATCH, assert_unchanged, marked

CODE = "TM413"
V3 = "v3-core"

FLUX = "batch\n    |queryFlux('from(bucket: \"app\") |> range(start: -5m)')\n"
UNCHANGED = [
    pytest.param(FLUX, V3, True, id="queryflux"),
    pytest.param(BATCH, V3, False, id="influxql"),
    pytest.param(FLUX, None, False, id="influxdb-2"),
]
POINTS_AT = [
    pytest.param(FLUX, [FLUX[11:-1]], id="the-call"),
]


@pytest.mark.parametrize(("text", "target", "fires"), UNCHANGED)
def test_migrate_leaves_it_unchanged(text: str, target: str | None, fires: bool) -> None:
    assert_unchanged(CODE, text, fires, target)


@pytest.mark.parametrize(("text", "spans"), POINTS_AT)
def test_the_finding_points_at(text: str, spans: list[str]) -> None:
    assert marked(CODE, text, V3) == spans
