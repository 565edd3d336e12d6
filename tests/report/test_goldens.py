"""Every format of `tickmig report` on the fixtures scenario equals its reviewed golden file
byte for byte, and so do the patched configuration copies. After an intended change, run
`.venv/bin/python -m tests.report.regen` and review the diff of fixtures/migration-report/."""

from __future__ import annotations

import pytest

from .cases import GOLDEN_DIR, GOLDENS, PATCHED
from .conftest import Run

REGEN = "outdated golden: run `.venv/bin/python -m tests.report.regen` and review the diff"


@pytest.mark.parametrize("output_format", list(GOLDENS))
def test_report_matches_golden(scenario: dict[str, Run], output_format: str) -> None:
    run = scenario[output_format]
    assert run.returncode == 0, run.stderr
    assert run.stderr == ""
    golden = (GOLDEN_DIR / GOLDENS[output_format]).read_text(encoding="utf-8")
    assert run.stdout == golden, REGEN


@pytest.mark.parametrize("name", PATCHED)
def test_patched_copy_matches_golden(scenario: dict[str, Run], name: str) -> None:
    golden = (GOLDEN_DIR / name).read_text(encoding="utf-8")
    for run in scenario.values():
        assert run.patched[name] == golden, REGEN


def test_every_format_writes_the_same_patched_copies(scenario: dict[str, Run]) -> None:
    assert all(sorted(run.patched) == sorted(PATCHED) for run in scenario.values())
