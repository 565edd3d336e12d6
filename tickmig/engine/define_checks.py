"""What Kapacitor's task store checks when a task is defined and enabled, offline.

Kapacitor (services/task_store/service.go, handleCreateTask; task.go, checkDBRPs) refuses a
task whose TICKscript has no `stream`/`batch` pipeline or both (`invalid task type`), that
declares no DBRP (`must specify dbrp`), that has `dbrp` statements while its definition lists
`dbrps` too (`cannot specify dbrp in both implicitly and explicitly`), and, when it starts, a
batch task whose query reads a pair it does not declare (`batch query is not allowed to request
data from "db"."rp"`). A migration must never make a task fail one of these checks: the safety
net compares the refusals before and after the edits, kind by kind, and refuses the edit when
one is new (as it refuses an edit whose text does not parse)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from tickmig.tasks.model import Task

#: The rules that report, in `tickmig check`, what Kapacitor refuses when a task is defined.
DEFINE_TIME_CODES = frozenset({"TM002", "TM003", "TM004", "TM104"})

INVALID_TYPE = "invalid task type"
NO_DBRP = "must specify dbrp"
BOTH = "cannot specify dbrp in both implicitly and explicitly"
NOT_ALLOWED = "batch query is not allowed to request data from"


def refusals(task: Task) -> list[str]:
    """Kapacitor's messages for what it would refuse in `task` (an instantiated task for a
    task definition; a template alone is only checked for what it says itself)."""
    out: list[str] = []
    if task.type == "invalid":
        out.append(INVALID_TYPE)
        return out
    in_script = [u for u in task.dbrps if u.via == "dbrp"]
    in_definition = [u for u in task.dbrps if u.via == "task-dbrps"]
    if in_script and in_definition:
        out.append(BOTH)
    if not task.dbrps and not task.template and task.definition is None:
        out.append(NO_DBRP)
    declared = {
        (u.database.text, u.retention_policy.text)
        for u in (in_script if in_script else in_definition)
    }
    if task.type == "batch" and declared and all(None not in p for p in declared):
        for use in task.reads:
            if use.via != "query":
                continue
            # an unqualified FROM source is the pair ("", "") to Kapacitor (query.go, DBRPs)
            db = "" if use.database.kind == "unset" else use.database.text
            rp = "" if use.retention_policy.kind == "unset" else use.retention_policy.text
            if db is not None and rp is not None and (db, rp) not in declared:
                out.append(f'{NOT_ALLOWED} "{db}"."{rp}"')
    return out


def kinds(messages: Iterable[str]) -> Counter[str]:
    """The refusals counted by kind (a query's pair is left out: renaming it keeps its kind)."""
    return Counter(NOT_ALLOWED if m.startswith(NOT_ALLOWED) else m for m in messages)


def new_refusal(before: Iterable[str], after: list[str]) -> str | None:
    """The first refusal `after` has more of than `before`, as a safety-net reason, or None."""
    grown = kinds(after) - kinds(before)
    for message in after:
        kind = NOT_ALLOWED if message.startswith(NOT_ALLOWED) else message
        if grown[kind]:
            return f"Kapacitor would refuse the migrated task: {message}"
    return None
