"""Every format is deterministic: two runs give the same bytes, whatever the hash seed
(sets and dicts never decide an order), with no timestamp and the paths as given."""

from __future__ import annotations

import pytest

from .cases import GOLDENS, scenario_args, tickmig
from .conftest import Run


@pytest.mark.parametrize("output_format", list(GOLDENS))
def test_two_runs_give_identical_bytes(scenario: dict[str, Run], output_format: str) -> None:
    seeds = ["1", "4242"]
    outputs = [
        tickmig(scenario_args(output_format), env={"PYTHONHASHSEED": seed}).stdout for seed in seeds
    ]
    assert outputs[0] == outputs[1] == scenario[output_format].stdout


def test_paths_are_relative_as_given(scenario: dict[str, Run]) -> None:
    from .cases import LOAD_DIR, ROOT

    for run in scenario.values():
        assert str(ROOT) not in run.stdout
        assert LOAD_DIR in run.stdout
