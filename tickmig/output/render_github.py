"""`--output-format github`: one GitHub Actions workflow command per diagnostic
(`::error file=…,line=…::message`), which the runner turns into annotations on the diff."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from tickmig.diagnostics import Diagnostic, FileResult, Severity
from tickmig.output.common import is_unsafe_fix, ordered, posix_path
from tickmig.rules.info import RuleInfo

COMMANDS: Mapping[Severity, str] = {
    Severity.ERROR: "error",
    Severity.WARNING: "warning",
    Severity.INFO: "notice",
}


def render(
    results: Sequence[FileResult], rules: Mapping[str, RuleInfo], *, tool_version: str
) -> str:
    return "".join(
        _command(diagnostic) + "\n"
        for _, diagnostics in ordered(results)
        for diagnostic in diagnostics
    )


def _command(diagnostic: Diagnostic) -> str:
    loc = diagnostic.location
    properties = [("file", posix_path(loc.path))]
    if loc.line >= 1:  # a file-level input error has no position
        properties.append(("line", str(loc.line)))
        # GitHub takes columns only for a span on one line.
        if loc.end_line == loc.line:
            properties.append(("col", str(loc.column)))
        properties.append(("endLine", str(loc.end_line)))
        if loc.end_line == loc.line:
            properties.append(("endColumn", str(loc.end_column)))
    properties.append(("title", f"{diagnostic.code} {diagnostic.name}"))
    props = ",".join(f"{key}={escape_property(value)}" for key, value in properties)
    return f"::{COMMANDS[diagnostic.severity]} {props}::{escape_data(_message(diagnostic))}"


def _message(diagnostic: Diagnostic) -> str:
    """The message, then the fix and the notes on lines of their own."""
    lines = [diagnostic.message]
    if diagnostic.fix is not None:
        hint = " (unsafe fix available with --unsafe-fixes)" if is_unsafe_fix(diagnostic) else ""
        lines.append(f"help: {diagnostic.fix.title}{hint}")
    lines.extend(f"note: {note}" for note in diagnostic.notes)
    return "\n".join(lines)


def escape_data(text: str) -> str:
    """Escape a command's message as GitHub's runner expects (`%`, CR and LF)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a property value: the message escapes plus `:` and `,`, which delimit properties."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")
