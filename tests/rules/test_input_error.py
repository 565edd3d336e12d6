"""TM005 input-error: what could not be checked is a finding of the file it is about."""

from __future__ import annotations

from pathlib import Path

import pytest

from .examples import Example, load_directory_findings

CODE = "TM005"
TEMPLATE = Example("stream\n    |from()\n", False, "templates/cpu.tick")


@pytest.mark.parametrize(
    ("files", "message"),
    [
        pytest.param(
            [Example("template-id: cpu\n", False, "tasks/cpu.yaml")],
            "template 'cpu' not found in templates/ beside tasks/",
            id="template-missing",
        ),
        pytest.param(
            [TEMPLATE, Example("template-id: [cpu\n", False, "tasks/cpu.yaml")],
            "invalid YAML",
            id="definition-does-not-parse",
        ),
        pytest.param(
            [TEMPLATE, Example('{"template-id": }', False, "tasks/cpu.json")],
            "expected a JSON value",
            id="json-definition-does-not-parse",
        ),
    ],
)
def test_a_broken_definition_is_a_finding_of_its_file(
    files: list[Example], message: str, tmp_path: Path
) -> None:
    (finding,) = load_directory_findings(CODE, files, tmp_path)
    assert finding.location.path == str(tmp_path / files[-1].path)  # type: ignore[operator]
    assert message in finding.message


def test_a_sound_load_directory_has_none(tmp_path: Path) -> None:
    files = [
        TEMPLATE,
        Example("template-id: cpu\ndbrps: [{db: a, rp: b}]\n", False, "tasks/cpu.yaml"),
    ]
    assert load_directory_findings(CODE, files, tmp_path) == []
