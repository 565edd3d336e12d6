"""TM404 v3-database-limit: the databases a migration creates must fit the edition's limit."""

from __future__ import annotations

import pytest

from .examples import assert_unchanged, findings

CODE = "TM404"


def writing(*databases: str) -> str:
    """A task reading "telegraf"."autogen" and writing each database."""
    text = (
        'var data = batch\n    |query(\'SELECT mean("usage") FROM "telegraf"."autogen"."cpu"\')\n'
    )
    for database in databases:
        text += f"data\n    |influxDBOut()\n        .database('{database}')\n"
    return text


SIX = writing("app", "billing", "chronograf", "ops", "web")
FIVE = writing("app", "billing", "chronograf", "ops")

UNCHANGED = [
    pytest.param(SIX, "v3-core", True, id="six-on-core"),
    pytest.param(FIVE, "v3-core", False, id="five-on-core"),
    pytest.param(SIX, "v3-enterprise", False, id="six-on-enterprise"),
    pytest.param(SIX, None, False, id="influxdb-2"),
]


@pytest.mark.parametrize(("text", "target", "fires"), UNCHANGED)
def test_migrate_leaves_it_unchanged(text: str, target: str | None, fires: bool) -> None:
    assert_unchanged(CODE, text, fires, target)


def test_each_database_created_is_named_once() -> None:
    messages = [d.message for d in findings(CODE, SIX, target="v3-core")]
    assert len(messages) == 6
    assert all("one of 6 the migration creates" in m for m in messages)
