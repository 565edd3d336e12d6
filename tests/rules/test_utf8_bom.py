"""TM117 utf8-bom: a script stored with a byte order mark is reported, and left alone."""

from __future__ import annotations

import pytest

from .examples import PATH, findings, source

CODE = "TM117"
SCRIPT = "stream\n    |from()\n"


@pytest.mark.parametrize(("bom", "fires"), [(True, True), (False, False)], ids=["bom", "no-bom"])
def test_fires_only_with_a_bom(bom: bool, fires: bool) -> None:
    assert bool(findings(CODE, SCRIPT, bom=bom)) is fires


def test_points_at_the_start_of_the_file() -> None:
    (finding,) = findings(CODE, SCRIPT, bom=True)
    assert (finding.location.path, finding.location.line, finding.location.column) == (PATH, 1, 1)


def test_the_text_after_the_bom_is_checked_as_usual() -> None:
    stored = source(SCRIPT, bom=True)
    assert (stored.bom, stored.text) == (True, SCRIPT)
    assert findings("TM001", "stream\n    |from(\n", bom=True) != []


def test_migrate_leaves_it_unchanged() -> None:
    from tickmig.engine.checker import Checker
    from tickmig.engine.fixer import migrate
    from tickmig.tasks.workspace import Workspace

    from .examples import MAPPINGS

    result = migrate(Workspace.of_texts([source(SCRIPT, bom=True)]), Checker(MAPPINGS, {CODE}))
    assert result.changes == {} and result.failed == {}
