"""TM415 kapacitor-version-gate: the Kapacitor of --kapacitor-version must suit the target."""

from __future__ import annotations

import pytest

from .examples import BATCH, assert_unchanged, marked

CODE = "TM415"
FLUX = "batch\n    |queryFlux('from(bucket: \"app\") |> range(start: -5m)')\n"

UNCHANGED = [
    pytest.param(BATCH, "v3-core kapacitor=1.7.5", True, id="too-old-for-v3"),
    pytest.param(BATCH, "v3-core kapacitor=1.8.2", False, id="new-enough-for-v3"),
    pytest.param(BATCH, "v3-core", False, id="version-unknown"),
    pytest.param("stream|from()\n", "v3-core kapacitor=1.7.5", False, id="touches-no-database"),
]


@pytest.mark.parametrize(("text", "target", "fires"), UNCHANGED)
def test_migrate_leaves_it_unchanged(text: str, target: str, fires: bool) -> None:
    assert_unchanged(CODE, text, fires, target)


def test_points_at_what_the_task_reaches() -> None:
    assert marked(CODE, BATCH, "v3-core kapacitor=1.7.5") == [BATCH[11:-1]]
