"""TM102 read-from-unmapped-dbrp: a batch query must read a mapped pair."""

from __future__ import annotations

import pytest

from .examples import assert_unchanged, marked

CODE = "TM102"


def query(database: str, retention_policy: str) -> str:
    return (
        f'dbrp "{database}"."{retention_policy}"\n\nbatch\n'
        f'    |query(\'SELECT max("usage") FROM "{database}"."{retention_policy}"."cpu"\')\n'
    )


UNCHANGED = [
    pytest.param(query("telegraf", "one_month"), False, id="mapped"),
    pytest.param(query("telegraf", "two_years"), True, id="unmapped"),
    pytest.param(query("scratch", "autogen"), True, id="unknown-database"),
]
POINTS_AT = [
    pytest.param(
        query("scratch", "autogen"), ['"scratch"', '"scratch"'], id="dbrp-statement-and-query"
    ),
]


@pytest.mark.parametrize(("text", "fires"), UNCHANGED)
def test_migrate_leaves_it_unchanged(text: str, fires: bool) -> None:
    assert_unchanged(CODE, text, fires)


@pytest.mark.parametrize(("text", "spans"), POINTS_AT)
def test_the_finding_points_at(text: str, spans: list[str]) -> None:
    assert marked(CODE, text) == spans
