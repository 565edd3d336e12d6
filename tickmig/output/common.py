"""What every report format shares: the order of files and diagnostics, POSIX paths, the JSON
shape of a diagnostic, and the source line a diagnostic points at."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from tickmig.diagnostics import Applicability, Diagnostic, Edit, FileResult, Fix
from tickmig.rules.info import RuleInfo
from tickmig.text.spans import LineIndex

#: The reports' name for the tool, in JSON, SARIF and JUnit output.
TOOL_NAME = "tickmig"


def posix_path(path: str) -> str:
    """The path as given, with Windows separators turned into `/` (nothing is resolved)."""
    return path.replace("\\", "/")


def diagnostic_key(diagnostic: Diagnostic) -> tuple[str, int, int, str, str, str]:
    """(path, line, column, code, message), then the whole diagnostic so that ties between
    otherwise different diagnostics are still broken the same way on every run."""
    loc = diagnostic.location
    return (
        posix_path(loc.path),
        loc.line,
        loc.column,
        diagnostic.code,
        diagnostic.message,
        repr(diagnostic),
    )


def ordered(results: Sequence[FileResult]) -> list[tuple[FileResult, list[Diagnostic]]]:
    """Files sorted by POSIX path, each with its diagnostics sorted by `diagnostic_key`."""
    files = sorted(results, key=lambda result: (posix_path(result.path), result.path))
    return [(result, sorted(result.diagnostics, key=diagnostic_key)) for result in files]


def sorted_edits(fix: Fix) -> list[Edit]:
    """A fix's edits by (path, start, end); the sort is stable, so two insertions at the same
    offset keep the order the rule gave them."""
    return sorted(fix.edits, key=lambda edit: (posix_path(edit.path), edit.start, edit.end))


def is_safe_fix(diagnostic: Diagnostic) -> bool:
    return diagnostic.fix is not None and diagnostic.fix.applicability is Applicability.SAFE


def is_config_fix(diagnostic: Diagnostic, rules: Mapping[str, RuleInfo]) -> bool:
    """A fix of a Telegraf or kapacitor.conf rule (TM3xx): `tickmig report` applies it to the
    patched copy of the file; `migrate` never edits configuration files."""
    info = rules.get(diagnostic.code)
    return diagnostic.fix is not None and info is not None and info.config


def is_unsafe_fix(diagnostic: Diagnostic) -> bool:
    return diagnostic.fix is not None and diagnostic.fix.applicability is Applicability.UNSAFE


def diagnostic_dict(diagnostic: Diagnostic) -> dict[str, Any]:
    """The JSON and JSON Lines shape of one diagnostic (key order is part of the format)."""
    loc = diagnostic.location
    fix = diagnostic.fix
    return {
        "code": diagnostic.code,
        "name": diagnostic.name,
        "message": diagnostic.message,
        "severity": diagnostic.severity.value,
        "location": {
            "path": posix_path(loc.path),
            "line": loc.line,
            "column": loc.column,
            "end_line": loc.end_line,
            "end_column": loc.end_column,
            "start": loc.start,
            "end": loc.end,
        },
        "fix": None
        if fix is None
        else {
            "title": fix.title,
            "applicability": fix.applicability.value,
            "edits": [
                {"path": posix_path(e.path), "start": e.start, "end": e.end, "text": e.text}
                for e in sorted_edits(fix)
            ],
        },
        "notes": list(diagnostic.notes),
    }


class SourceLines:
    """The lines of one checked file, for showing or fingerprinting the line a diagnostic is on.

    A diagnostic can point into another file than the one it was reported for (a task file, a
    mapping); only the file's own text is known, so such lines are None.
    """

    def __init__(self, result: FileResult) -> None:
        self._path = posix_path(result.path)
        self._index = LineIndex(result.source) if result.source is not None else None
        self._count = result.source.count("\n") + 1 if result.source is not None else 0

    def line(self, path: str, line: int) -> str | None:
        """The text of 1-based `line` of `path` without its line ending, or None if unknown."""
        if self._index is None or posix_path(path) != self._path:
            return None
        if not 1 <= line <= self._count:
            return None
        return self._index.line_text(line)
