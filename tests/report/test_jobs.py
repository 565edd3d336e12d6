"""`tickmig report -j N` (issue 14): the migration behind the report runs in N processes, and the
report is byte for byte the report of one process, in every format."""

from __future__ import annotations

import pytest

from .cases import GOLDENS, scenario_args, tickmig
from .conftest import Run


@pytest.mark.parametrize("output_format", list(GOLDENS))
def test_two_processes_write_the_report_of_one(
    scenario: dict[str, Run], output_format: str
) -> None:
    one = tickmig(scenario_args(output_format, "-j", "1"))
    two = tickmig(scenario_args(output_format, "-j", "2"))
    assert one.stdout, one.stderr
    assert two.stdout == one.stdout == scenario[output_format].stdout
    assert two.stderr == one.stderr
    assert two.returncode == one.returncode == scenario[output_format].returncode


def test_jobs_must_be_positive() -> None:
    done = tickmig(scenario_args("json", "-j", "0"))
    assert done.returncode == 2
    assert "-j" in done.stderr and not done.stdout
