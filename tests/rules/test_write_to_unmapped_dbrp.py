"""TM101 write-to-unmapped-dbrp: influxDBOut() must write to a mapped pair."""

from __future__ import annotations

import pytest

from .examples import BATCH, assert_unchanged, marked

CODE = "TM101"


def write_to(database: str, retention_policy: str) -> str:
    return (
        BATCH
        + f"    |influxDBOut()\n        .database('{database}')\n"
        + f"        .retentionPolicy('{retention_policy}')\n"
    )


UNCHANGED = [
    pytest.param(write_to("derived", "hourly"), False, id="mapped"),
    pytest.param(write_to("telegraf", "autogen"), False, id="default-mapping"),
    pytest.param(write_to("scratch", "autogen"), True, id="unmapped-database"),
    pytest.param(write_to("derived", "weekly"), True, id="unmapped-retention-policy"),
]
POINTS_AT = [
    pytest.param(write_to("scratch", "autogen"), ["'scratch'"], id="the-database"),
]


@pytest.mark.parametrize(("text", "fires"), UNCHANGED)
def test_migrate_leaves_it_unchanged(text: str, fires: bool) -> None:
    assert_unchanged(CODE, text, fires)


@pytest.mark.parametrize(("text", "spans"), POINTS_AT)
def test_the_finding_points_at(text: str, spans: list[str]) -> None:
    assert marked(CODE, text) == spans
