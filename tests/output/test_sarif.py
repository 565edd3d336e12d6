"""The SARIF format: valid against the official SARIF 2.1.0 schema, rules, results, regions,
fixes that splice the source as the diagnostics' edits do, and stable fingerprints."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import unquote

import pytest
from jsonschema.validators import validator_for

from tickmig.diagnostics import Diagnostic, FileResult, Severity
from tickmig.output import RENDERERS
from tickmig.output.render_sarif import artifact_location

from .cases import RULES, TOOL_VERSION, location, render, results, span

LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def _validate(log: dict[str, Any], schema: dict[str, Any]) -> None:
    # The schema names its own meta-schema (draft-04 for the OASIS 2.1.0 file).
    validator = validator_for(schema)
    validator.check_schema(schema)
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator(schema).iter_errors(log)]
    assert errors == []


def _run(files: list[FileResult] | None = None) -> dict[str, Any]:
    log = json.loads(render("sarif", files))
    (run,) = log["runs"]
    result: dict[str, Any] = run
    return result


def test_valid_against_the_sarif_schema(sarif_schema: dict[str, Any]) -> None:
    log = json.loads(render("sarif"))
    _validate(log, sarif_schema)
    assert log["$schema"] == sarif_schema["id"]
    assert log["version"] == "2.1.0"


def test_empty_log_is_valid_too(sarif_schema: dict[str, Any]) -> None:
    log = json.loads(render("sarif", []))
    _validate(log, sarif_schema)
    assert log["runs"][0]["results"] == []


def test_the_validation_can_fail(sarif_schema: dict[str, Any]) -> None:
    log = json.loads(render("sarif"))
    log["runs"][0]["results"][0]["level"] = "fatal"
    with pytest.raises(AssertionError):
        _validate(log, sarif_schema)


def test_driver_lists_every_rule_sorted_by_code() -> None:
    driver = _run()["tool"]["driver"]
    assert driver["name"] == "tickmig"
    assert driver["version"] == TOOL_VERSION
    assert "informationUri" not in driver
    rules = driver["rules"]
    assert [r["id"] for r in rules] == sorted(RULES)  # TM104 too, though nothing reports it
    for rule in rules:
        info = RULES[rule["id"]]
        assert rule["name"] == info.name
        assert rule["shortDescription"] == {"text": info.summary}
        assert rule["fullDescription"] == {"text": info.explanation}
        assert rule["help"]["text"] == info.explanation
        assert rule["defaultConfiguration"] == {"level": LEVELS[info.severity]}


def test_results_point_at_their_rule_and_region() -> None:
    run = _run()
    assert run["columnKind"] == "unicodeCodePoints"
    expected = sorted(
        (d for r in results() for d in r.diagnostics),
        key=lambda d: (d.location.path.replace("\\", "/"), d.location.line, d.location.column),
    )
    assert len(run["results"]) == len(expected)
    for result, diagnostic in zip(run["results"], expected, strict=True):
        loc = diagnostic.location
        assert result["ruleId"] == diagnostic.code
        assert run["tool"]["driver"]["rules"][result["ruleIndex"]]["id"] == diagnostic.code
        assert result["level"] == LEVELS[diagnostic.severity]
        assert result["message"] == {"text": diagnostic.message}
        (where,) = result["locations"]
        physical = where["physicalLocation"]
        assert physical["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        assert unquote(physical["artifactLocation"]["uri"]) == loc.path
        assert physical["region"] == {
            "startLine": loc.line,
            "startColumn": loc.column,
            "endLine": loc.end_line,
            "endColumn": loc.end_column,
            "charOffset": loc.start,
            "charLength": loc.end - loc.start,
        }
        assert result.get("properties", {}).get("notes", []) == list(diagnostic.notes)
        assert ("fixes" in result) == (diagnostic.fix is not None)


def _apply(text: str, replacements: list[dict[str, Any]]) -> str:
    for r in sorted(replacements, key=lambda r: r["deletedRegion"]["charOffset"], reverse=True):
        start = r["deletedRegion"]["charOffset"]
        end = start + r["deletedRegion"]["charLength"]
        text = text[:start] + r["insertedContent"]["text"] + text[end:]
    return text


def test_fixes_replace_the_regions_their_edits_name() -> None:
    (cpu,) = [r for r in results() if r.path == "tasks/cpu_alert.tick"]
    assert cpu.source is not None
    fixed = {}
    for result in _run()["results"]:
        for fix in result.get("fixes", []):
            (change,) = fix["artifactChanges"]
            assert change["artifactLocation"]["uri"] == "tasks/cpu_alert.tick"
            fixed[result["ruleId"]] = (fix, _apply(cpu.source, change["replacements"]))
    assert sorted(fixed) == ["TM101", "TM102", "TM103", "TM305"]
    fix, text = fixed["TM101"]
    assert fix["description"] == {"text": 'Use "metrics"."autogen"'}
    assert fix["properties"] == {"applicability": "safe"}
    assert text.splitlines()[1] == 'dbrp "metrics"."autogen"'
    fix, text = fixed["TM305"]
    assert fix["properties"] == {"applicability": "display-only"}
    assert text.splitlines()[6:8] == [
        '\t\t.where(lambda: "host" =~ /^web-\\d+$/)',
        "\t\t.groupBy('host')",
    ]
    assert fixed["TM103"][0]["properties"] == {"applicability": "unsafe"}


def _fingerprints(files: list[FileResult]) -> list[str]:
    return [r["partialFingerprints"]["tickmigLineHash/v1"] for r in _run(files)["results"]]


def _dbrp_problem(source: str, needle: str = '"telegraf"') -> Diagnostic:
    loc = span("a.tick", source, needle)
    return Diagnostic("TM101", "dbrp-renamed", "renamed", Severity.WARNING, loc)


def test_fingerprints_survive_lines_moving_and_tell_lines_apart() -> None:
    source = 'dbrp "telegraf"."autogen"\n'
    moved = '// a new header comment\n\n    dbrp "telegraf"."autogen"\n'
    other = 'dbrp "telegraf"."one_week"\n'
    (before,) = _fingerprints([FileResult("a.tick", [_dbrp_problem(source)], source=source)])
    (after,) = _fingerprints([FileResult("a.tick", [_dbrp_problem(moved)], source=moved)])
    (changed,) = _fingerprints([FileResult("a.tick", [_dbrp_problem(other)], source=other)])
    assert before == after
    assert before != changed
    assert _fingerprints(results()) == _fingerprints(results())
    assert len(set(_fingerprints(results()))) == 6


def test_identical_lines_get_distinct_fingerprints() -> None:
    source = 'dbrp "telegraf"."autogen"\ndbrp "telegraf"."autogen"\n'
    second_line = source.index("\n") + 1
    first = _dbrp_problem(source)
    second = Diagnostic(
        "TM101",
        "dbrp-renamed",
        "renamed",
        Severity.WARNING,
        location("a.tick", source, second_line + 5, second_line + 15),
    )
    one, two = _fingerprints([FileResult("a.tick", [second, first], source=source)])
    assert one.split(":")[0] == two.split(":")[0]
    assert (one.split(":")[1], two.split(":")[1]) == ("1", "2")


def test_a_code_missing_from_the_rules_gets_a_bare_rule(sarif_schema: dict[str, Any]) -> None:
    source = "stream\n"
    loc = span("a.tick", source, "stream")
    syntax = Diagnostic("TM000", "syntax-error", "unexpected EOF", Severity.ERROR, loc)
    log = json.loads(
        RENDERERS["sarif"]([FileResult("a.tick", [syntax])], RULES, tool_version=TOOL_VERSION)
    )
    _validate(log, sarif_schema)
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert rules[0] == {"id": "TM000", "name": "syntax-error"}
    assert [r["id"] for r in rules[1:]] == sorted(RULES)
    assert run["results"][0]["ruleIndex"] == 0


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("tasks/cpu.tick", {"uri": "tasks/cpu.tick", "uriBaseId": "%SRCROOT%"}),
        ("tasks\\cpu.tick", {"uri": "tasks/cpu.tick", "uriBaseId": "%SRCROOT%"}),
        ("my tasks/é.tick", {"uri": "my%20tasks/%C3%A9.tick", "uriBaseId": "%SRCROOT%"}),
        ("/srv/kapacitor/cpu.tick", {"uri": "file:///srv/kapacitor/cpu.tick"}),
        ("C:\\kapacitor\\cpu.tick", {"uri": "file:///C:/kapacitor/cpu.tick"}),
    ],
)
def test_artifact_locations_are_uris(path: str, expected: dict[str, str]) -> None:
    assert artifact_location(path) == expected
