"""The json and json-lines formats: the documented shape, key order, counts, and that the two
formats carry the same diagnostics in the same order."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from .cases import TOOL_VERSION, render, results

DIAGNOSTIC_KEYS = ["code", "name", "message", "severity", "location", "fix", "notes"]
LOCATION_KEYS = ["path", "line", "column", "end_line", "end_column", "start", "end"]


def test_document_shape_and_key_order() -> None:
    out = render("json")
    assert out.endswith("}\n")
    assert out.startswith('{\n  "version": 1,\n  "tool": {\n    "name": "tickmig",')
    doc = json.loads(out)
    assert list(doc) == ["version", "tool", "files", "summary"]
    assert doc["tool"] == {"name": "tickmig", "version": TOOL_VERSION}
    assert [f["path"] for f in doc["files"]] == [
        "tasks/cpu_alert.tick",
        "tasks/disk_ok.tick",
        "templates/alerte_mélangée.tick",
    ]
    assert [f["task_type"] for f in doc["files"]] == ["stream", "batch", "invalid"]
    for file in doc["files"]:
        assert list(file) == ["path", "task_type", "diagnostics"]
        for d in file["diagnostics"]:
            assert list(d) == DIAGNOSTIC_KEYS
            assert list(d["location"]) == LOCATION_KEYS
            assert d["severity"] in ("error", "warning", "info")
            assert isinstance(d["notes"], list)
            if d["fix"] is not None:
                assert list(d["fix"]) == ["title", "applicability", "edits"]
                assert d["fix"]["applicability"] in ("safe", "unsafe", "display-only")
                for edit in d["fix"]["edits"]:
                    assert list(edit) == ["path", "start", "end", "text"]


def test_diagnostics_are_sorted_by_line_then_column_then_code() -> None:
    doc = json.loads(render("json"))
    for file in doc["files"]:
        keys = [
            (d["location"]["line"], d["location"]["column"], d["code"]) for d in file["diagnostics"]
        ]
        assert keys == sorted(keys)
    codes = [d["code"] for d in doc["files"][0]["diagnostics"]]
    assert codes == ["TM101", "TM301", "TM305", "TM102", "TM103"]


def test_summary_matches_the_diagnostics() -> None:
    doc = json.loads(render("json"))
    listed = [d for f in doc["files"] for d in f["diagnostics"]]
    summary = doc["summary"]
    assert summary["files"] == 3
    assert summary["diagnostics"] == len(listed) == 6
    assert summary["by_code"] == dict(sorted(Counter(d["code"] for d in listed).items()))
    assert list(summary["by_code"]) == sorted(summary["by_code"])
    assert summary["by_severity"] == {"error": 2, "warning": 3, "info": 1}


def test_values_come_through_unchanged() -> None:
    doc = json.loads(render("json"))
    by_code = {d["code"]: d for f in doc["files"] for d in f["diagnostics"]}
    tm103 = by_code["TM103"]
    assert tm103["message"] == (
        'no DBRP mapping for "telegraf"."one_month": 100% of writes would fail'
        ' (404, "database not found")\nmapped retention policies: autogen, one_week'
    )
    assert tm103["fix"]["applicability"] == "unsafe"
    assert by_code["TM305"]["fix"]["edits"][0]["text"] == "\n\t\t.groupBy('host')"
    assert by_code["TM201"]["location"] == {
        "path": "templates/alerte_mélangée.tick",
        "line": 1,
        "column": 1,
        "end_line": 1,
        "end_column": 1,
        "start": 0,
        "end": 0,
    }
    # Non-ASCII text is written as is, not as \\u escapes.
    assert "mélangée" in render("json")


def test_the_edits_splice_the_source_as_the_offsets_say() -> None:
    (cpu,) = [r for r in results() if r.path == "tasks/cpu_alert.tick"]
    assert cpu.source is not None
    doc = json.loads(render("json"))
    by_code = {d["code"]: d for d in doc["files"][0]["diagnostics"]}
    edit = by_code["TM101"]["fix"]["edits"][0]
    fixed = cpu.source[: edit["start"]] + edit["text"] + cpu.source[edit["end"] :]
    assert fixed.splitlines()[1] == 'dbrp "metrics"."autogen"'
    loc = by_code["TM102"]["location"]
    assert cpu.source[loc["start"] : loc["end"]] == "'telegraf'"


def test_no_problems() -> None:
    doc = json.loads(render("json", []))
    assert doc["files"] == []
    assert doc["summary"] == {
        "files": 0,
        "diagnostics": 0,
        "by_code": {},
        "by_severity": {"error": 0, "warning": 0, "info": 0},
    }


def test_json_lines_is_the_json_diagnostics_one_per_line() -> None:
    out = render("json-lines")
    assert out.endswith("\n")
    lines = out.splitlines()
    rows: list[dict[str, Any]] = [json.loads(line) for line in lines]
    doc = json.loads(render("json"))
    expected = [(f["path"], d) for f in doc["files"] for d in f["diagnostics"]]
    assert len(rows) == len(expected) == 6
    for row, (path, diagnostic) in zip(rows, expected, strict=True):
        assert list(row) == ["path", *DIAGNOSTIC_KEYS]
        assert row["path"] == path
        assert {k: v for k, v in row.items() if k != "path"} == diagnostic
    # Compact: no indentation and no space after separators.
    assert all(line.startswith('{"path":"') for line in lines)
