"""`--output-format sarif`: a SARIF 2.1.0 log with one run, every known rule in
`tool.driver.rules`, one result per diagnostic with its region, fix and fingerprint, and
one invocation, unsuccessful when an input could not be checked (TM005; also a notification)."""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import quote

from tickmig.diagnostics import INPUT_ERROR, Diagnostic, FileResult, Fix, Severity
from tickmig.output.common import TOOL_NAME, SourceLines, ordered, posix_path, sorted_edits
from tickmig.rules.info import RuleInfo

#: The `id` of the OASIS SARIF 2.1.0 schema (errata 01), which this log conforms to.
SCHEMA_URI = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
SARIF_VERSION = "2.1.0"
#: Where relative artifact URIs are rooted: the checkout, as GitHub code scanning expects.
SRCROOT = "%SRCROOT%"
#: Versioned name of tickmig's own fingerprint (not GitHub's primaryLocationLineHash).
FINGERPRINT = "tickmigLineHash/v1"

LEVELS: Mapping[Severity, str] = {
    Severity.ERROR: "error",
    Severity.WARNING: "warning",
    Severity.INFO: "note",
}

_WINDOWS_DRIVE = re.compile(r"^[A-Za-z]:/")


def render(
    results: Sequence[FileResult], rules: Mapping[str, RuleInfo], *, tool_version: str
) -> str:
    files = ordered(results)
    descriptors = _rules(rules, [d for _, diagnostics in files for d in diagnostics])
    index = {descriptor["id"]: i for i, descriptor in enumerate(descriptors)}
    out: list[dict[str, Any]] = []
    seen: Counter[tuple[str, str, str]] = Counter()
    for result, diagnostics in files:
        lines = SourceLines(result)
        for diagnostic in diagnostics:
            sarif = _result(diagnostic, index[diagnostic.code])
            sarif["partialFingerprints"] = {FINGERPRINT: _fingerprint(diagnostic, lines, seen)}
            out.append(sarif)
    log = {
        "$schema": SCHEMA_URI,
        "version": SARIF_VERSION,
        "runs": [
            {
                "tool": {
                    "driver": {"name": TOOL_NAME, "version": tool_version, "rules": descriptors}
                },
                "columnKind": "unicodeCodePoints",
                "results": out,
                "invocations": [_invocation(files)],
            }
        ],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


def _rules(rules: Mapping[str, RuleInfo], diagnostics: list[Diagnostic]) -> list[dict[str, Any]]:
    """Every rule tickmig knows, sorted by code, plus a bare entry for any code a diagnostic
    uses that the mapping lacks, so that every result has a `ruleIndex`."""
    descriptors = {info.code: _rule(info) for info in rules.values()}
    for diagnostic in diagnostics:
        descriptors.setdefault(diagnostic.code, {"id": diagnostic.code, "name": diagnostic.name})
    return [descriptors[code] for code in sorted(descriptors)]


def _rule(info: RuleInfo) -> dict[str, Any]:
    return {
        "id": info.code,
        "name": info.name,
        "shortDescription": {"text": info.summary},
        "fullDescription": {"text": info.explanation},
        "help": {"text": info.explanation, "markdown": info.explanation},
        "defaultConfiguration": {"level": LEVELS[info.severity]},
    }


def _result(diagnostic: Diagnostic, rule_index: int) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": diagnostic.code,
        "ruleIndex": rule_index,
        "level": LEVELS[diagnostic.severity],
        "message": {"text": diagnostic.message},
        "locations": [{"physicalLocation": _physical(diagnostic)}],
    }
    if diagnostic.fix is not None:
        result["fixes"] = [_fix(diagnostic.fix)]
    if diagnostic.notes:
        result["properties"] = {"notes": list(diagnostic.notes)}
    return result


def _physical(diagnostic: Diagnostic) -> dict[str, Any]:
    """The file and region of a diagnostic; no region for a file-level input error."""
    loc = diagnostic.location
    physical: dict[str, Any] = {"artifactLocation": artifact_location(loc.path)}
    if loc.line >= 1:
        physical["region"] = {
            "startLine": loc.line,
            "startColumn": loc.column,
            "endLine": loc.end_line,
            "endColumn": loc.end_column,
            "charOffset": loc.start,
            "charLength": loc.end - loc.start,
        }
    return physical


def _invocation(files: list[tuple[FileResult, list[Diagnostic]]]) -> dict[str, Any]:
    """The run's invocation: it did not succeed when an input could not be checked (exit 2),
    and each such input is a tool execution notification as well as a result."""
    errors = [d for _, diagnostics in files for d in diagnostics if d.code == INPUT_ERROR]
    invocation: dict[str, Any] = {"executionSuccessful": not errors}
    if errors:
        invocation["toolExecutionNotifications"] = [
            {
                "level": "error",
                "message": {"text": d.message},
                "locations": [{"physicalLocation": _physical(d)}],
                "descriptor": {"id": d.code},
            }
            for d in errors
        ]
    return invocation


def _fix(fix: Fix) -> dict[str, Any]:
    changes: dict[str, list[dict[str, Any]]] = {}
    for edit in sorted_edits(fix):
        changes.setdefault(posix_path(edit.path), []).append(
            {
                "deletedRegion": {"charOffset": edit.start, "charLength": edit.end - edit.start},
                "insertedContent": {"text": edit.text},
            }
        )
    return {
        "description": {"text": fix.title},
        "artifactChanges": [
            {"artifactLocation": artifact_location(path), "replacements": replacements}
            for path, replacements in changes.items()
        ],
        "properties": {"applicability": fix.applicability.value},
    }


def artifact_location(path: str) -> dict[str, str]:
    """A relative path becomes a percent-encoded URI under %SRCROOT%; an absolute one (never
    made absolute here, only passed through) becomes a file: URI."""
    posix = posix_path(path)
    if posix.startswith("/"):
        return {"uri": "file://" + quote(posix)}
    if _WINDOWS_DRIVE.match(posix):
        return {"uri": "file:///" + posix[:2] + quote(posix[2:])}
    return {"uri": quote(posix), "uriBaseId": SRCROOT}


def _fingerprint(
    diagnostic: Diagnostic, lines: SourceLines, seen: Counter[tuple[str, str, str]]
) -> str:
    """A hash of the code, the path and the text of the diagnostic's first line without its
    indentation (the message when the line is unknown), so that it survives lines moving up
    or down; `:N` counts earlier results with the same hash, as identical lines repeat."""
    loc = diagnostic.location
    text = lines.line(loc.path, loc.line)
    anchor = text.strip() if text is not None else diagnostic.message
    key = (diagnostic.code, posix_path(loc.path), anchor)
    digest = hashlib.sha256("\0".join(key).encode("utf-8", "surrogatepass")).hexdigest()[:32]
    seen[key] += 1
    return f"{digest}:{seen[key]}"
