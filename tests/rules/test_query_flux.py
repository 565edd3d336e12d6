"""TM112 query-flux: queryFlux() nodes are pointed out."""

from __future__ import annotations

import pytest

from .examples import BATCH, assert_unchanged, marked

CODE = "TM112"

FLUX = (
    "batch\n"
    "    |queryFlux('''from(bucket: \"telegraf/autogen\") |> range(start: -1m)''')\n"
    "        .period(1m)\n        .every(1m)\n"
)
UNCHANGED = [
    pytest.param(FLUX, True, id="queryflux"),
    pytest.param(BATCH, False, id="influxql"),
]
POINTS_AT = [
    pytest.param(FLUX, [FLUX[11 : FLUX.index(")\n") + 1]], id="the-call"),
]


@pytest.mark.parametrize(("text", "fires"), UNCHANGED)
def test_migrate_leaves_it_unchanged(text: str, fires: bool) -> None:
    assert_unchanged(CODE, text, fires)


@pytest.mark.parametrize(("text", "spans"), POINTS_AT)
def test_the_finding_points_at(text: str, spans: list[str]) -> None:
    assert marked(CODE, text) == spans
