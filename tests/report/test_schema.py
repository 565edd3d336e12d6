"""The JSON format against its shipped JSON Schema (draft 2020-12): the schema is itself
valid, every report of the scenario validates, and the schema does reject what it forbids."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from .cases import LOAD_DIR, tickmig
from .conftest import Run

Validator = jsonschema.Draft202012Validator


def test_schema_is_valid(report_schema: dict[str, Any]) -> None:
    Validator.check_schema(report_schema)


def test_schema_ships_inside_the_package() -> None:
    import tickmig.report

    package = Path(tickmig.report.__file__).parent
    assert json.loads((package / "report.schema.json").read_text(encoding="utf-8"))["title"]


def test_scenario_report_validates(scenario: dict[str, Run], report_schema: dict[str, Any]) -> None:
    doc = json.loads(scenario["json"].stdout)
    Validator(report_schema).validate(doc)
    assert doc["version"] == 2


def test_report_without_configuration_files_validates(report_schema: dict[str, Any]) -> None:
    # No mapping source at all: the embedded default (nothing known about the server).
    proc = tickmig(["report", LOAD_DIR, "--format", "json"])
    doc = json.loads(proc.stdout)
    assert proc.returncode == (0 if doc["verdict"]["ok"] else 1), proc.stderr
    Validator(report_schema).validate(doc)
    assert doc["telegraf"]["files"] == [] and doc["kapacitor"]["file"] is None
    # Nothing is known about the server: every command checks before it creates.
    assert all(" || " in c["command"] for c in doc["commands"]["items"] if c["active"])
    assert "the script checks before it" in doc["verdict"]["assumption"]


@pytest.mark.parametrize(
    ("change", "where"),
    [
        (lambda d: d.update(version=1), "version"),
        (lambda d: d.pop("summary"), "summary"),
        (lambda d: d["dbrps"][0].update(status="fine"), "status"),
        (lambda d: d["tasks"][0].update(extra=1), "extra"),
        (lambda d: d["tasks"][0]["findings"].append({"code": "X"}), "findings"),
    ],
)
def test_schema_rejects_what_it_forbids(
    scenario: dict[str, Run], report_schema: dict[str, Any], change: Any, where: str
) -> None:
    doc = copy.deepcopy(json.loads(scenario["json"].stdout))
    change(doc)
    errors = list(Validator(report_schema).iter_errors(doc))
    assert errors
    assert any(where in e.message or where in map(str, e.absolute_path) for e in errors)
