"""Every format of `tickmig report` on the fixtures scenario equals its reviewed golden file
byte for byte, and so do the patched configuration copies. After an intended change, run
`pytest --update-goldens` and review the diff of fixtures/migration-report/."""

from __future__ import annotations

import pytest

from tests.conftest import Goldens

from .cases import GOLDEN_DIR, GOLDENS, LOAD_DIR, PATCHED, scenario_args, tickmig
from .conftest import Run


@pytest.mark.parametrize("output_format", list(GOLDENS))
def test_report_matches_golden(
    scenario: dict[str, Run], output_format: str, goldens: Goldens
) -> None:
    run = scenario[output_format]
    # the example's net_drops_monthly reads a pair it does not declare: Kapacitor refuses it,
    # so the proof fails and report says so in its exit status as well as its first lines
    assert run.returncode == 1, run.stderr
    assert run.stderr.startswith("tickmig: the proof fails: 1 of ")
    goldens.check(GOLDEN_DIR / GOLDENS[output_format], run.stdout)


@pytest.mark.parametrize("name", PATCHED)
def test_patched_copy_matches_golden(scenario: dict[str, Run], name: str, goldens: Goldens) -> None:
    for run in scenario.values():
        goldens.check(GOLDEN_DIR / name, run.patched[name])


def test_every_format_writes_the_same_patched_copies(scenario: dict[str, Run]) -> None:
    assert all(sorted(run.patched) == sorted(PATCHED) for run in scenario.values())


def test_output_format_is_the_same_option_as_format() -> None:
    """`report` takes `--output-format` like every other command; `--format` stays."""
    args = scenario_args("text")
    args[args.index("--format")] = "--output-format"
    proc = tickmig(args)
    assert proc.stdout == (GOLDEN_DIR / GOLDENS["text"]).read_text(encoding="utf-8")
    bad = tickmig(["report", LOAD_DIR, "--output-format", "pdf"])
    assert bad.returncode == 2
    assert bad.stderr == (
        "tickmig: error: unknown --output-format 'pdf' (one of: markdown, html, json, text)\n"
    )
