"""TM114 system-database: 1.x system databases do not exist in InfluxDB 2."""

from __future__ import annotations

import pytest

from .examples import BATCH, assert_unchanged, marked

CODE = "TM114"

INTERNAL = 'batch\n    |query(\'SELECT mean("writeReq") FROM "_internal"."monitor"."httpd"\')\n'
UNCHANGED = [
    pytest.param(INTERNAL, True, id="internal"),
    pytest.param(BATCH, False, id="user-database"),
]
POINTS_AT = [
    pytest.param(INTERNAL, ['"_internal"'], id="the-database"),
]


@pytest.mark.parametrize(("text", "fires"), UNCHANGED)
def test_migrate_leaves_it_unchanged(text: str, fires: bool) -> None:
    assert_unchanged(CODE, text, fires)


@pytest.mark.parametrize(("text", "spans"), POINTS_AT)
def test_the_finding_points_at(text: str, spans: list[str]) -> None:
    assert marked(CODE, text) == spans
