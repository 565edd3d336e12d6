"""Removing a property call (`.name(...)`) from a chain without disturbing its neighbours."""

from __future__ import annotations

from tickmig.diagnostics import Applicability, Edit, Fix
from tickmig.tickscript.nodes import Call


def property_removal(text: str, call: Call) -> tuple[int, int] | None:
    """The span to delete to remove property `call`: its `.`, the call, and, when it stands
    on its own line, that whole line. None if the text around it is unusual (a comment
    between the dot and the name, say)."""
    dot = text.rfind(".", 0, call.start)
    if dot == -1 or text[dot + 1 : call.start].strip():
        return None
    line_start = text.rfind("\n", 0, dot) + 1
    line_end = text.find("\n", call.end)
    line_end = len(text) if line_end == -1 else line_end
    own_line = not text[line_start:dot].strip() and not text[call.end : line_end].strip()
    if own_line:
        # delete the line and its line break (the previous one if it is the last line)
        if line_end < len(text):
            return line_start, line_end + 1
        return max(0, line_start - 1), line_end
    return dot, call.end


def removal_fix(path: str, text: str, call: Call) -> Fix | None:
    """An unsafe fix removing property `call` (None when its surroundings are unusual)."""
    span = property_removal(text, call)
    if span is None:
        return None
    return Fix(f"Remove .{call.name}()", (Edit(path, span[0], span[1], ""),), Applicability.UNSAFE)
