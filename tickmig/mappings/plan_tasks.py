"""The `[[task]]` tables of a mapping plan: the DBRPs of tasks defined with
`kapacitor define -dbrp` (no `dbrp` statement in their file), for a directory of them::

    [[task]]
    id = "cpu_alert"              # the task ID: the script's file name without .tick
    dbrps = ["telegraf.autogen"]  # as kapacitor define -dbrp DB.RP (one or more)

    [[task]]
    path = "scripts/mem.tick"     # or the script's path (its end: "mem.tick" matches too)
    dbrps = ["telegraf.autogen", "telegraf.one_month"]
"""

from __future__ import annotations

import re

from tickmig.mappings.errors import MappingError
from tickmig.mappings.model import TaskDBRPs

TASK_KEYS = frozenset({"id", "path", "dbrps"})
_HEADER = re.compile(r"^\s*\[\[\s*task\s*\]\]")


def parse_tasks(entries: object, lines: list[str], path: str) -> tuple[TaskDBRPs, ...]:
    """The `[[task]]` tables of a plan; one MappingError (with the line) per mistake."""
    headers = [i + 1 for i, line in enumerate(lines) if _HEADER.match(line)]

    def fail(index: int, message: str) -> MappingError:
        line = headers[index] if index < len(headers) else None
        return MappingError(f"[[task]] #{index + 1}: {message}", path=path, line=line, column=1)

    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise MappingError("expected [[task]] tables (an array of tables)", path=path)
    out: list[TaskDBRPs] = []
    for index, entry in enumerate(entries):
        unknown = sorted(set(entry) - TASK_KEYS)
        if unknown:
            raise fail(index, f'unknown key "{unknown[0]}" (expected "id" or "path", "dbrps")')
        task_id, task_path = entry.get("id"), entry.get("path")
        if (task_id is None) == (task_path is None):
            raise fail(index, 'give exactly one of "id" and "path"')
        for value in (task_id, task_path):
            if value is not None and (not isinstance(value, str) or not value):
                raise fail(index, '"id" and "path" must be non-empty strings')
        dbrps = entry.get("dbrps")
        if not isinstance(dbrps, list) or not dbrps:
            raise fail(index, '"dbrps" must be a non-empty list of "db.rp" strings')
        pairs = []
        for text in dbrps:
            db, dot, rp = text.partition(".") if isinstance(text, str) else ("", "", "")
            if not dot or not db or not rp:
                raise fail(index, f'"dbrps": {text!r} is not "db.rp" (as kapacitor define -dbrp)')
            pairs.append((db, rp))
        source = f"{path} task #{index + 1}"
        out.append(TaskDBRPs(task_id, task_path, tuple(pairs), source))
    return tuple(out)
