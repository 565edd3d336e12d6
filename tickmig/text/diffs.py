"""Unified diffs (difflib), coloured with ANSI escapes when asked to."""

from __future__ import annotations

import difflib

_RED, _GREEN, _CYAN, _BOLD, _RESET = "\x1b[31m", "\x1b[32m", "\x1b[36m", "\x1b[1m", "\x1b[0m"


def unified_diff(path: str, old: str, new: str, *, color: bool = False) -> str:
    """The diff of one file, `a/path` to `b/path`; a missing final newline is marked as git
    does."""
    old_lines = old.splitlines(keepends=True)
    new_lines = new.splitlines(keepends=True)
    out: list[str] = []
    for line in difflib.unified_diff(old_lines, new_lines, f"a/{path}", f"b/{path}"):
        if not line.endswith("\n"):
            line += "\n\\ No newline at end of file\n"
        if color:
            if line.startswith(("+++", "---")):
                line = _BOLD + line.rstrip("\n") + _RESET + "\n"
            elif line.startswith("@@"):
                line = _CYAN + line.rstrip("\n") + _RESET + "\n"
            elif line.startswith("+"):
                line = _GREEN + line.rstrip("\n") + _RESET + "\n"
            elif line.startswith("-"):
                line = _RED + line.rstrip("\n") + _RESET + "\n"
        out.append(line)
    return "".join(out)


def use_color(choice: str, stream_is_tty: bool) -> bool:
    """--color auto|always|never, with NO_COLOR and FORCE_COLOR honoured for auto."""
    import os

    if choice == "always":
        return True
    if choice == "never" or os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return stream_is_tty
