"""TM120: the mapping plan renames a database/retention policy the script uses."""

from __future__ import annotations

from collections.abc import Iterator

from tickmig.diagnostics import Applicability, Diagnostic, Edit, Fix, Severity
from tickmig.rules.base import Context, Rule, quote_string
from tickmig.rules.helpers.dbrp import quoted, read_pair, use_location
from tickmig.rules.helpers.fixes import (
    Changes,
    planned,
    rewrite,
    use_changes,
    var_used_otherwise,
)
from tickmig.tasks.model import DBRPUse, Task, Value


class PlannedRename(Rule):
    """The mapping plan renames a DBRP this script uses; the script must follow.

    ## What it does
    For every `dbrp` statement, `from()` filter, `query()` FROM source, `influxDBOut()` and
    `kapacitorLoopback()` pair that a `[[rename]]` of the plan (`from = "db/rp"`, `to =
    "newdb/newrp"`) covers, reports the use and offers the rewrite.

    ## Why is this bad?
    Once the data lives under the new name, a script that keeps the old one queries nothing,
    subscribes to nothing, or writes where no mapping exists. A `kapacitorLoopback()` that
    kept the old name would feed nothing: the stream tasks reading its pair inside Kapacitor
    are renamed with the plan.

    ## Example
    With the plan's `from = "telegraf/one_year"` and `to = "telegraf/downsampled"`:
    ```tick
    batch
        |query('SELECT mean("usage") FROM "telegraf"."autogen"."cpu"')
        |influxDBOut()
            .database('telegraf')
            .retentionPolicy('one_year')
    ```
    Use instead (what the fix writes):
    ```tick
    batch
        |query('SELECT mean("usage") FROM "telegraf"."autogen"."cpu"')
        |influxDBOut()
            .database('telegraf')
            .retentionPolicy('downsampled')
    ```

    ## Fix safety
    Safe: only the literal is rewritten, where it is written: in the use, in the `var` that
    holds it when every use of that var gets the same new value, or in the task definition
    that fills a template var. A `var` used for anything else than DBRP values, or for pairs
    the plan renames differently, is never rewritten; the note says why, and the unsafe fix
    writes the new value at the use instead of the var's name (splitting the use from the
    var, whose other uses keep the old value).

    A task's declared DBRPs (its `dbrp` statements, or its definition's `dbrps`) and the
    batch queries that read them change together, in one fix: Kapacitor refuses a batch task
    whose query reads a pair the task does not declare (`batch query is not allowed to request
    data from ...`), so renaming one without the others would break the task. When one of them
    cannot be rewritten, none is (the note names it).

    ## References
    docs.influxdata.com/influxdb/v2/reference/api/influxdb-1x/dbrp/;
    the plan format: `tickmig/mappings/plan.py`.
    """

    code = "TM120"
    name = "planned-rename"
    severity = Severity.WARNING
    fix_safety = Applicability.SAFE
    annotate = True

    def check(self, ctx: Context) -> Iterator[Diagnostic]:
        task = ctx.task
        planned_changes: dict[int, tuple[str, str | None, str, str | None, Changes]] = {}
        for use in task.uses():
            found = use_changes(ctx, use)
            if found is not None:
                planned_changes[id(use)] = found
        for use in task.uses():
            if id(use) not in planned_changes:
                continue
            db, rp_key, new_db, new_rp, changes = planned_changes[id(use)]
            title = f"Rename to {quoted(new_db, new_rp)}"
            group = _group(task, use)
            notes: tuple[str, ...] = ()
            if len(group) > 1:
                parts = [(m, planned_changes[id(m)][4]) for m in group]
                fix = group_fix(ctx, parts, _group_title(title, group))
                if fix is None:
                    notes = (_why_no_group_fix(ctx, parts),)
            else:
                fix = rewrite(ctx, changes, title) if changes else None
                if fix is None:
                    notes = (_why_no_fix(ctx, use),)
                    fix = _split(changes, title)
            yield self.diagnostic(
                use_location(ctx, use),
                f"the mapping plan renames {quoted(db, rp_key)} to {quoted(new_db, new_rp)}",
                fix=fix,
                notes=notes,
            )


def rename_fix(ctx: Context, use: DBRPUse) -> Fix | None:
    """The fix TM120 offers for `use` (None when the plan does not rename it or tickmig
    cannot rewrite it): TM104 leaves such a query to it."""
    if use_changes(ctx, use) is None:
        return None
    group = _group(ctx.task, use)
    parts = []
    for member in group:
        found = use_changes(ctx, member)
        if found is None:
            return None
        parts.append((member, found[4]))
    return group_fix(ctx, parts, "")


def _group(task: Task, use: DBRPUse) -> list[DBRPUse]:
    """The uses that must change together with `use`: a task's declared DBRPs (`dbrp`
    statements, a definition's `dbrps`) and the batch queries reading them. Kapacitor refuses a
    batch task whose query reads a pair the task does not declare, so renaming one without the
    others breaks the task."""
    if use.via not in ("dbrp", "task-dbrps", "query"):
        return [use]
    pair = read_pair(use)
    if pair is None:
        return [use]
    return [
        u for u in task.uses() if u.via in ("dbrp", "task-dbrps", "query") and read_pair(u) == pair
    ]


def _group_title(title: str, group: list[DBRPUse]) -> str:
    declared = sum(u.via != "query" for u in group)
    queries = len(group) - declared
    what = []
    if declared:
        what.append("the dbrp" + ("s" if declared > 1 else ""))
    if queries:
        what.append(f"the {queries} quer{'ies' if queries > 1 else 'y'} reading it")
    return f"{title}: {' and '.join(what)}, together"


def group_fix(ctx: Context, parts: list[tuple[DBRPUse, Changes]], title: str) -> Fix | None:
    """One fix for a group (or one use): safe when every part can be rewritten where its value
    is written; unsafe when some part needs its var split (see `_split`); None when a part
    cannot be rewritten at all."""
    if any(not changes for _use, changes in parts):
        return None
    everything = [c for _use, changes in parts for c in changes]
    safe = rewrite(ctx, everything, title)
    if safe is not None:
        return safe
    edits: dict[tuple[str, int, int], Edit] = {}
    for _use, changes in parts:
        fix = rewrite(ctx, changes, title) or _split(changes, title)
        if fix is None:
            return None
        for edit in fix.edits:
            key = (edit.path, edit.start, edit.end)
            if key in edits and edits[key] != edit:
                return None
            edits[key] = edit
    ordered = tuple(sorted(edits.values(), key=lambda e: (e.path, e.start)))
    return Fix(f"{title} (at the uses, instead of through the var)", ordered, Applicability.UNSAFE)


def _why_no_group_fix(ctx: Context, parts: list[tuple[DBRPUse, Changes]]) -> str:
    for use, changes in parts:
        if not changes or (rewrite(ctx, changes, "") is None and _split(changes, "") is None):
            where = ctx.location(use.path, use.start, use.end)
            what = "a dbrp" if use.via != "query" else "a query"
            return (
                f"{what} at {where.path}:{where.line} cannot be rewritten "
                f"({_why_no_fix(ctx, use)}); the dbrps and the queries reading them change "
                "together or not at all, since Kapacitor refuses a batch query of an "
                "undeclared pair"
            )
    return "tickmig cannot rewrite these values together"


def _split(changes: list[tuple[DBRPUse, Value, str]], title: str) -> Fix | None:
    """The unsafe alternative when a var cannot be rewritten: write the new value at this use
    instead of the var's name, so the var keeps its value for its other uses."""
    edits = []
    for _use, value, new in changes:
        if value.kind != "var" or value.site is None:
            return None
        edits.append(Edit(value.path, value.site[0], value.site[1], quote_string(new)))
    if not edits:
        return None
    return Fix(f"{title} here, instead of through the var", tuple(edits), Applicability.UNSAFE)


def _why_no_fix(ctx: Context, use: DBRPUse) -> str:
    if use.via == "command-line":
        new_db, new_rp = planned(ctx, use.database.text or "", use.retention_policy.text)
        return (
            f"the task's DBRP is given with {use.database.var}, not in a file: define the task "
            f"with -dbrp {new_db}.{new_rp}"
        )
    for value in (use.database, use.retention_policy):
        if value.kind == "var":
            if var_used_otherwise(ctx.task, value.var or ""):
                return (
                    f"var {value.var} is also used for something else than a database, "
                    "a retention policy or a query: split it by hand"
                )
            return (
                f"var {value.var} is used for pairs the plan renames differently: split it by hand"
            )
        if value.kind in ("expression", "unknown"):
            return "the value is computed, so there is no one place to rewrite"
        if value.kind == "unset":
            return "the retention policy is not written: insert it by hand (or see TM113)"
    return "tickmig cannot rewrite this value"
