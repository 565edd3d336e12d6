"""DBRPs given outside the script, as `kapacitor define -dbrp db.rp` gives them: `--dbrp DB.RP`
on the command line (for scripts defined with the kapacitor CLI), or a plan's `[[task]]`
entry (for a directory of them)."""

from __future__ import annotations

from dataclasses import replace

from tickmig.errors import ConfigError
from tickmig.tasks.model import DBRPUse, Task, Value


def parse_dbrp(text: str, where: str = "--dbrp") -> tuple[str, str]:
    """`db.rp` as `kapacitor define -dbrp` reads it: split at the first dot (a database name
    with a dot cannot be given there either); both parts non-empty."""
    db, dot, rp = text.partition(".")
    if not dot or not db or not rp:
        raise ConfigError(f"{where} {text!r}: expected DB.RP (as kapacitor define -dbrp)")
    return db, rp


def with_dbrps(task: Task, dbrps: tuple[tuple[str, str], ...], origin: str) -> Task:
    """The task as `kapacitor define -dbrp` would define it: the given DBRPs are the task's
    (via "command-line"; not written in any file, so never rewritten). When the script has
    `dbrp` statements too, both are kept: Kapacitor refuses that (TM004 says so)."""
    if not dbrps:
        return task
    uses = [
        DBRPUse(
            "read",
            "command-line",
            Value("expression", db, task.path, 0, 0, var=origin),
            Value("expression", rp, task.path, 0, 0, var=origin),
            task.path,
            0,
            0,
        )
        for db, rp in dbrps
    ]
    return replace(task, dbrps=[*task.dbrps, *uses])
