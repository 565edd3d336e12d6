"""TM414 kapacitor-udf: UDF nodes need a Kapacitor that still runs them."""

from __future__ import annotations

import pytest

from .examples import assert_unchanged, marked

CODE = "TM414"
V3 = "v3-core"

UDF = "stream\n    |from()\n        .measurement('cpu')\n    @movingAvg()\n        .size(10)\n"
UNCHANGED = [
    pytest.param(UDF, V3, True, id="udf"),
    pytest.param(
        UDF.replace("@movingAvg()\n        .size(10)", "|window()"), V3, False, id="built-in"
    ),
]
POINTS_AT = [
    pytest.param(UDF, ["movingAvg()"], id="the-node"),
]


@pytest.mark.parametrize(("text", "target", "fires"), UNCHANGED)
def test_migrate_leaves_it_unchanged(text: str, target: str | None, fires: bool) -> None:
    assert_unchanged(CODE, text, fires, target)


@pytest.mark.parametrize(("text", "spans"), POINTS_AT)
def test_the_finding_points_at(text: str, spans: list[str]) -> None:
    assert marked(CODE, text, V3) == spans
