"""The human report of `tickmig check` (`--output-format text`), laid out like ruff's: a
`path:line:col: CODE [*] message` header, the source line with the span underlined, the fix
as `help:`, the notes, and a one-line summary."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence

from tickmig.diagnostics import Diagnostic, FileResult
from tickmig.output.common import (
    SourceLines,
    is_config_fix,
    is_safe_fix,
    is_unsafe_fix,
    ordered,
    posix_path,
)
from tickmig.rules.info import RuleInfo

#: Tabs in the shown source line are expanded to this many columns (ruff's default).
TAB_WIDTH = 4


def render(
    results: Sequence[FileResult], rules: Mapping[str, RuleInfo], *, tool_version: str
) -> str:
    """The report: one block per diagnostic, blank lines between them, then the summary."""
    blocks: list[str] = []
    fixable = unsafe = files_with_problems = patched = 0
    for result, diagnostics in ordered(results):
        lines = SourceLines(result)
        files_with_problems += bool(diagnostics)
        for diagnostic in diagnostics:
            blocks.append(_block(diagnostic, lines))
            if is_config_fix(diagnostic, rules):
                patched += 1
                continue
            fixable += is_safe_fix(diagnostic)
            unsafe += is_unsafe_fix(diagnostic)
    summary = _summary(len(blocks), files_with_problems, fixable, unsafe)
    if patched:
        summary = (
            summary[:-1] + f"; {patched} fixed in the patched copies that tickmig report "
            "--patched-dir writes."
        )
    if not results:
        summary = "No files were checked."
    return "".join(block + "\n\n" for block in blocks) + summary + "\n"


def _block(diagnostic: Diagnostic, lines: SourceLines) -> str:
    loc = diagnostic.location
    marker = " [*]" if is_safe_fix(diagnostic) else ""
    first, *more = diagnostic.message.split("\n")
    where = f"{posix_path(loc.path)}:{loc.line}:{loc.column}" if loc.line else posix_path(loc.path)
    out = [f"{where}: {diagnostic.code}{marker} {first}"]
    out.extend(f"  {line}" for line in more)
    text = lines.line(loc.path, loc.line)
    if text is not None:
        out.extend(_excerpt(text, loc.line, loc.column, loc.end_column, loc.end_line > loc.line))
    if diagnostic.fix is not None:
        hint = " (unsafe fix available with --unsafe-fixes)" if is_unsafe_fix(diagnostic) else ""
        out.append(f"help: {diagnostic.fix.title}{hint}")
    out.extend(f"note: {note}" for note in diagnostic.notes)
    return "\n".join(out)


def _excerpt(text: str, line: int, column: int, end_column: int, to_eol: bool) -> list[str]:
    """The gutter, the line, and carets under columns [column, end_column) of that line (to
    its end when the span goes on to later lines; one caret for an empty span)."""
    shown, cells = _display(text)
    start = min(max(column, 1), len(text) + 1) - 1
    end = len(text) if to_eol else min(max(end_column - 1, start), len(text))
    carets = max(cells[end] - cells[start], 1)
    pad = " " * len(str(line))
    return [
        f"{pad} |",
        f"{line} |" + (f" {shown}" if shown else ""),
        f"{pad} | " + " " * cells[start] + "^" * carets,
        f"{pad} |",
    ]


def _display(text: str) -> tuple[str, list[int]]:
    """The line as a terminal shows it (tabs expanded, control characters made visible), and
    the display column at which each character, and the end of the line, starts."""
    shown: list[str] = []
    cells = [0]
    for char in text:
        if char == "\t":
            width = TAB_WIDTH - cells[-1] % TAB_WIDTH
            shown.append(" " * width)
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            width = 1
            shown.append(chr(0x2421) if ord(char) == 0x7F else chr(0x2400 + ord(char)))
        else:
            width = _width(char)
            shown.append(char)
        cells.append(cells[-1] + width)
    return "".join(shown), cells


def _width(char: str) -> int:
    if unicodedata.combining(char) or unicodedata.category(char) == "Cf":
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def _summary(problems: int, files: int, fixable: int, unsafe: int) -> str:
    if problems == 0:
        return "All checks passed!"
    found = f"Found {_plural(problems, 'problem')} in {_plural(files, 'file')}"
    if fixable and unsafe:
        return f"{found} ({fixable} fixable by tickmig migrate; {unsafe} more with --unsafe-fixes)."
    if fixable:
        return f"{found} ({fixable} fixable by tickmig migrate)."
    if unsafe:
        return f"{found} ({unsafe} fixable by tickmig migrate --unsafe-fixes)."
    return f"{found}."


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"
