"""TM120: the mapping plan renames a database/retention policy the script uses."""

from __future__ import annotations

from collections.abc import Iterator

from tickmig.diagnostics import Applicability, Diagnostic, Edit, Fix, Severity
from tickmig.rules.base import Context, Rule, quote_string
from tickmig.rules.helpers.dbrp import quoted, use_location
from tickmig.rules.helpers.fixes import planned, rewrite
from tickmig.tasks.model import DBRPUse, Value


class PlannedRename(Rule):
    """The mapping plan renames a DBRP this script uses; the script must follow.

    ## What it does
    For every `dbrp` statement, `from()` filter, `query()` FROM source and `influxDBOut()`
    pair that a `[[rename]]` of the plan (`from = "db/rp"`, `to = "newdb/newrp"`) covers,
    reports the use and offers the rewrite.

    ## Why is this bad?
    Once the data lives under the new name, a script that keeps the old one queries nothing,
    subscribes to nothing, or writes where no mapping exists.

    ## Example
    With `from = "telegraf/one_year"` and `to = "telegraf/downsampled"`:
    ```
    |influxDBOut()
        .database('telegraf')
        .retentionPolicy('one_year')
    ```
    becomes
    ```
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

    ## References
    ../shared/docs/influxdb2-migration.md section 1; `tickmig/mappings/plan.py`.
    """

    code = "TM120"
    name = "planned-rename"
    severity = Severity.WARNING
    fix_safety = Applicability.SAFE

    def check(self, ctx: Context) -> Iterator[Diagnostic]:
        task = ctx.task
        for use in task.uses():
            if use.via == "kapacitorLoopback":
                continue
            db, rp = use.database.text, use.retention_policy.text
            if not db:
                continue
            rp_key = rp if use.retention_policy.kind != "unset" else None
            new_db, new_rp = planned(ctx, db, rp_key)
            if (new_db, new_rp) == (db, rp_key):
                continue
            changes: list[tuple[DBRPUse, Value, str]] = []
            if new_db != db:
                changes.append((use, use.database, new_db))
            if new_rp != rp_key and new_rp is not None:
                if use.retention_policy.kind == "unset":
                    changes = []  # inserting a retention policy is TM113's business
                else:
                    changes.append((use, use.retention_policy, new_rp))
            title = f"Rename to {quoted(new_db, new_rp)}"
            fix = rewrite(ctx, changes, title) if changes else None
            notes: tuple[str, ...] = ()
            if fix is None:
                notes = (_why_no_fix(use),)
                fix = _split(changes, title)
            yield self.diagnostic(
                use_location(ctx, use),
                f"the mapping plan renames {quoted(db, rp_key)} to {quoted(new_db, new_rp)}",
                fix=fix,
                notes=notes,
            )


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


def _why_no_fix(use: DBRPUse) -> str:
    for value in (use.database, use.retention_policy):
        if value.kind == "var":
            return (
                f"var {value.var} is used elsewhere too, or with values the plan renames "
                "differently: split it by hand"
            )
        if value.kind in ("expression", "unknown"):
            return "the value is computed, so there is no one place to rewrite"
        if value.kind == "unset":
            return "the retention policy is not written: insert it by hand (or see TM113)"
    return "tickmig cannot rewrite this value"
