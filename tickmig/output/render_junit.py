"""`--output-format junit`: JUnit XML for CI test dashboards, one test suite per checked file,
one failing test case per diagnostic, and one passing case for a file without any."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence

from tickmig.diagnostics import Diagnostic, FileResult
from tickmig.output.common import TOOL_NAME, is_unsafe_fix, ordered, posix_path
from tickmig.rules.info import RuleInfo

#: Characters XML 1.0 cannot carry at all, not even as character references.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'


def render(
    results: Sequence[FileResult], rules: Mapping[str, RuleInfo], *, tool_version: str
) -> str:
    root = ET.Element("testsuites", name=TOOL_NAME)
    tests = failures = 0
    for result, diagnostics in ordered(results):
        path = posix_path(result.path)
        classname = f"{TOOL_NAME}.{path}"
        cases = max(len(diagnostics), 1)
        suite = ET.SubElement(
            root,
            "testsuite",
            name=_xml(path),
            tests=str(cases),
            failures=str(len(diagnostics)),
            errors="0",
        )
        if not diagnostics:
            ET.SubElement(suite, "testcase", classname=_xml(classname), name="no problems")
        for diagnostic in diagnostics:
            loc = diagnostic.location
            case = ET.SubElement(
                suite,
                "testcase",
                classname=_xml(classname),
                name=_xml(f"{diagnostic.code} {loc.line}:{loc.column}"),
            )
            failure = ET.SubElement(
                case,
                "failure",
                type=_xml(diagnostic.code),
                message=_xml(diagnostic.message.replace("\t", " ")),
            )
            failure.text = _xml(_details(diagnostic))
        tests += cases
        failures += len(diagnostics)
    root.set("tests", str(tests))
    root.set("failures", str(failures))
    root.set("errors", "0")
    ET.indent(root)
    return DECLARATION + ET.tostring(root, encoding="unicode") + "\n"


def _details(diagnostic: Diagnostic) -> str:
    loc = diagnostic.location
    lines = [
        f"{posix_path(loc.path)}:{loc.line}:{loc.column}: {diagnostic.code} {diagnostic.name}"
        f" ({diagnostic.severity.value})",
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
