"""TM004 dbrp-declared-twice: a template with `dbrp` statements and a definition with `dbrps`."""

from __future__ import annotations

from pathlib import Path

import pytest

from .examples import Example, load_directory_findings

CODE = "TM004"
TEMPLATE = "var measurement string\n\nstream\n    |from()\n        .measurement(measurement)\n"
DEFINITION = "template-id: cpu\nvars: {measurement: {type: string, value: cpu}}\n"
DBRPS = "dbrps: [{db: telegraf, rp: autogen}]\n"
STATEMENT = 'dbrp "telegraf"."autogen"\n\n'


def load_directory(template: str, definition: str) -> list[Example]:
    return [
        Example(template, False, "templates/cpu.tick"),
        Example(definition, False, "tasks/cpu.yaml"),
    ]


@pytest.mark.parametrize(
    ("template", "definition", "fires"),
    [
        pytest.param(STATEMENT + TEMPLATE, DEFINITION + DBRPS, True, id="both"),
        pytest.param(TEMPLATE, DEFINITION + DBRPS, False, id="definition-only"),
        pytest.param(STATEMENT + TEMPLATE, DEFINITION, False, id="template-only"),
    ],
)
def test_fires_only_when_both_declare(
    template: str, definition: str, fires: bool, tmp_path: Path
) -> None:
    found = load_directory_findings(CODE, load_directory(template, definition), tmp_path)
    assert bool(found) is fires


def test_points_at_the_definitions_dbrps(tmp_path: Path) -> None:
    files = load_directory(STATEMENT + TEMPLATE, DEFINITION + DBRPS)
    (finding,) = load_directory_findings(CODE, files, tmp_path)
    assert finding.location.path == str(tmp_path / "tasks" / "cpu.yaml")
    assert finding.location.line == 3
    assert finding.notes == (f"the template's dbrp statement: {tmp_path}/templates/cpu.tick:1",)
