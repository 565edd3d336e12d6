"""Runs the fixtures scenario once per format (through the real program) and shares the
outputs with the tests; also the report JSON Schema."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from .cases import GOLDENS, scenario_args, tickmig


@dataclass(frozen=True)
class Run:
    stdout: str
    stderr: str
    returncode: int
    patched: dict[str, str]


@pytest.fixture(scope="session")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Run]:
    """--format value -> the run of the fixtures scenario (patched copies written too)."""
    runs: dict[str, Run] = {}
    for output_format in GOLDENS:
        out = tmp_path_factory.mktemp(f"patched-{output_format}")
        proc = tickmig(scenario_args(output_format, "--patched-dir", str(out)))
        patched = {p.name: p.read_text(encoding="utf-8") for p in sorted(out.iterdir())}
        runs[output_format] = Run(proc.stdout, proc.stderr, proc.returncode, patched)
    return runs


@pytest.fixture(scope="session")
def report_schema() -> dict[str, Any]:
    from tickmig.report.render_json import schema

    return schema()


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")
