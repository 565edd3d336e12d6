"""`--output-format junit`: JUnit XML for CI test dashboards, one test suite per checked file,
one failing test case per diagnostic (an erroring one for an input that could not be checked,
TM005), and one passing case for a file without any."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence

from tickmig.diagnostics import INPUT_ERROR, Diagnostic, FileResult
from tickmig.output.common import TOOL_NAME, is_unsafe_fix, ordered, posix_path
from tickmig.rules.info import RuleInfo

#: Characters XML 1.0 cannot carry at all, not even as character references.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'


def render(
    results: Sequence[FileResult], rules: Mapping[str, RuleInfo], *, tool_version: str
) -> str:
    root = ET.Element("testsuites", name=TOOL_NAME)
    tests = failures = errors = 0
    for result, diagnostics in ordered(results):
        path = posix_path(result.path)
        classname = f"{TOOL_NAME}.{path}"
        cases = max(len(diagnostics), 1)
        broken = sum(d.code == INPUT_ERROR for d in diagnostics)
        suite = ET.SubElement(
            root,
            "testsuite",
            name=_xml(path),
            tests=str(cases),
            failures=str(len(diagnostics) - broken),
            errors=str(broken),
        )
        if not diagnostics:
            ET.SubElement(suite, "testcase", classname=_xml(classname), name="no problems")
        for diagnostic in diagnostics:
            loc = diagnostic.location
            where = f" {loc.line}:{loc.column}" if loc.line else ""
            case = ET.SubElement(
                suite,
                "testcase",
                classname=_xml(classname),
                name=_xml(f"{diagnostic.code}{where}"),
            )
            # an input that could not be checked is an error of the test run, not a failure
            failure = ET.SubElement(
                case,
                "error" if diagnostic.code == INPUT_ERROR else "failure",
                type=_xml(diagnostic.code),
                message=_xml(diagnostic.message.replace("\t", " ")),
            )
            failure.text = _xml(_details(diagnostic))
        tests += cases
        failures += len(diagnostics) - broken
        errors += broken
    root.set("tests", str(tests))
    root.set("failures", str(failures))
    root.set("errors", str(errors))
    ET.indent(root)
    return DECLARATION + ET.tostring(root, encoding="unicode") + "\n"


def _details(diagnostic: Diagnostic) -> str:
    loc = diagnostic.location
    where = f"{posix_path(loc.path)}:{loc.line}:{loc.column}" if loc.line else posix_path(loc.path)
    lines = [
        f"{where}: {diagnostic.code} {diagnostic.name} ({diagnostic.severity.value})",
        diagnostic.message,
    ]
    if diagnostic.fix is not None:
        hint = " (unsafe fix available with --unsafe-fixes)" if is_unsafe_fix(diagnostic) else ""
        lines.append(f"help: {diagnostic.fix.title}{hint}")
    lines.extend(f"note: {note}" for note in diagnostic.notes)
    return "\n".join(lines)


def _xml(text: str) -> str:
    """Text that XML can carry: CR line ends become LF (a parser would fold them anyway) and
    characters XML forbids are written as visible escapes such as `\\x1b`."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _NOT_XML.sub(_visible, text)


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
