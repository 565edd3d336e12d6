"""The junit format: well-formed UTF-8 XML whose counts agree with its test cases, one
failing case per diagnostic and one passing case for a clean file."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from tickmig.diagnostics import Diagnostic, FileResult, Location, Severity

from .cases import render, results


def _parse(out: str) -> ET.Element:
    return ET.fromstring(out.encode("utf-8"))


def test_declaration_and_root() -> None:
    out = render("junit")
    assert out.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites ')
    assert out.endswith("</testsuites>\n")
    root = _parse(out)
    assert root.tag == "testsuites"
    assert root.get("name") == "tickmig"


def test_counts_agree_with_the_cases() -> None:
    root = _parse(render("junit"))
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == [
        "tasks/cpu_alert.tick",
        "tasks/disk_ok.tick",
        "templates/alerte_mélangée.tick",
    ]
    for suite in suites:
        cases = suite.findall("testcase")
        assert int(suite.get("tests", "")) == len(cases)
        assert int(suite.get("failures", "")) == len(suite.findall("testcase/failure"))
        assert suite.get("errors") == "0"
    assert [(s.get("tests"), s.get("failures")) for s in suites] == [
        ("5", "5"),
        ("1", "0"),
        ("1", "1"),
    ]
    assert root.get("tests") == str(sum(int(s.get("tests", "")) for s in suites)) == "7"
    assert root.get("failures") == "6"
    assert root.get("errors") == "0"


def test_a_clean_file_has_one_passing_case() -> None:
    root = _parse(render("junit"))
    (case,) = root.findall("testsuite[@name='tasks/disk_ok.tick']/testcase")
    assert case.attrib == {"classname": "tickmig.tasks/disk_ok.tick", "name": "no problems"}
    assert list(case) == []


def test_failures_carry_code_position_and_message() -> None:
    root = _parse(render("junit"))
    cpu = root.find("testsuite[@name='tasks/cpu_alert.tick']")
    assert cpu is not None
    names = [c.get("name") for c in cpu.findall("testcase")]
    assert names == ["TM101 2:6", "TM301 4:12", "TM305 15:27", "TM102 17:13", "TM103 18:20"]
    assert {c.get("classname") for c in cpu.findall("testcase")} == {"tickmig.tasks/cpu_alert.tick"}
    failure = cpu.find("testcase[@name='TM103 18:20']/failure")
    assert failure is not None
    (tm103,) = [d for r in results() for d in r.diagnostics if d.code == "TM103"]
    assert failure.get("type") == "TM103"
    assert failure.get("message") == tm103.message  # the newline survives as &#10;
    assert failure.text is not None
    assert failure.text.splitlines()[0] == (
        "tasks/cpu_alert.tick:18:20: TM103 unmapped-retention-policy (error)"
    )
    assert "help: Write to 'autogen' instead" in failure.text


def test_characters_xml_cannot_carry_are_escaped_visibly() -> None:
    loc = Location("a.tick", 0, 1, 1, 1, 1, 2)
    message = "string '\x1b[31m' holds \x00 <&> \"quotes\""
    diagnostic = Diagnostic("TM101", "dbrp-renamed", message, Severity.WARNING, loc)
    root = _parse(render("junit", [FileResult("a.tick", [diagnostic])]))
    failure = root.find("testsuite/testcase/failure")
    assert failure is not None
    assert failure.get("message") == "string '\\x1b[31m' holds \\x00 <&> \"quotes\""


def test_no_files() -> None:
    root = _parse(render("junit", []))
    assert root.attrib == {"name": "tickmig", "tests": "0", "failures": "0", "errors": "0"}
    assert list(root) == []
