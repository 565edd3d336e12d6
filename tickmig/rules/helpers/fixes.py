"""Fixes shared by the DBRP rules: rewriting a database or retention-policy value where it is
written (a literal, a var's declaration, a task definition's value) as a mapping plan says."""

from __future__ import annotations

from tickmig.diagnostics import Applicability, Edit, Fix
from tickmig.rules.base import Context, quote_string
from tickmig.tasks.model import DBRPUse, Task, Value


def value_text(ctx: Context, value: Value, new: str, via: str) -> str | None:
    """The text to write in place of `value` so that it reads `new`, or None if unknown."""
    written = ctx.texts.get(value.path, "")[value.start : value.end]
    if value.kind == "template":
        from tickmig.tasks.located import scalar_text

        return scalar_text(value.path, written, new)
    if via == "query":
        # an InfluxQL identifier inside a TICKscript string: InfluxQL's quoting, and no `'`,
        # which would need the string's own escape
        from tickmig.influxql.quoting import quote_ident

        return None if "'" in new else quote_ident(new)
    if written.startswith('"'):  # a reference: Kapacitor's only escape is \"
        return '"' + new.replace('"', '\\"') + '"'
    if written.startswith("'"):
        return quote_string(new)
    return None


def rewrite(ctx: Context, uses: list[tuple[DBRPUse, Value, str]], title: str) -> Fix | None:
    """A fix writing each (use, value, new text) pair, or None when one cannot be rewritten:
    a computed value, or a var also used where the plan wants another value (or none)."""
    edits: dict[tuple[str, int, int], Edit] = {}
    for use, value, new in uses:
        if value.kind == "unset" and use.via == "influxDBOut" and value.path == use.path:
            inserted = _rp_insertion(ctx, use, new)
            if inserted is None:
                return None
            edits[(value.path, inserted.start, inserted.end)] = inserted
            continue
        if value.kind not in ("literal", "var", "template") or not value.text:
            return None
        if value.kind == "var" and not _var_agrees(ctx, value, new):
            return None
        text = value_text(ctx, value, new, use.via)
        if text is None:
            return None
        key = (value.path, value.start, value.end)
        if key in edits and edits[key].text != text:
            return None
        edits[key] = Edit(value.path, value.start, value.end, text)
    if not edits:
        return None
    return Fix(
        title, tuple(sorted(edits.values(), key=lambda e: (e.path, e.start))), Applicability.SAFE
    )


def planned(ctx: Context, database: str, retention_policy: str | None) -> tuple[str, str | None]:
    """The (database, retention policy) a plan rename gives a reference (itself if none)."""
    rename = ctx.mappings.rename_for(database, retention_policy)
    if rename is None or rename.to_database is None:
        return database, retention_policy
    return rename.to_database, rename.to_retention_policy or retention_policy


def _var_agrees(ctx: Context, value: Value, new: str) -> bool:
    """A var's declaration may be edited when the var is used only as DBRP values (or as
    the query of `|query()`, whose FROM sources hold them), and every one of those uses gets
    the same new text from the plan."""
    task = ctx.task
    name = value.var or ""
    if var_used_otherwise(task, name):
        return False
    for use in task.uses():
        for part, other in (("db", use.database), ("rp", use.retention_policy)):
            if other.var != name or other.start != value.start:
                continue
            db, rp = use.database.text, use.retention_policy.text
            if db is None:
                return False
            new_db, new_rp = planned(ctx, db, rp)
            if (new_db if part == "db" else new_rp) != new:
                return False
    return True


def var_used_otherwise(task: Task, name: str) -> bool:
    """True when var `name` is referred to anywhere else than as a `.database()` or
    `.retentionPolicy()` argument or as the query of `|query()`."""
    allowed = task.dbrp_arguments | task.query_arguments
    return any(ref not in allowed for ref in task.var_refs.get(name, []))


Changes = list[tuple[DBRPUse, Value, str]]


def use_changes(
    ctx: Context, use: DBRPUse
) -> tuple[str, str | None, str, str | None, Changes] | None:
    """For a use the plan renames: (db, rp, new db, new rp, the values to rewrite); the list
    is empty when a value cannot be written (an unset retention policy: TM113's business).
    None when the plan does not rename the use. A kapacitorLoopback() write is renamed like
    any other: the stream tasks reading its pair inside Kapacitor are renamed too."""
    db, rp = use.database.text, use.retention_policy.text
    if not db:
        return None
    rp_key = rp if use.retention_policy.kind != "unset" else None
    own = _own_rp(ctx, use) if rp_key is None else None
    if own is not None:
        rp_key = own  # the point's own rp: the write's pair is (db, own)
    new_db, new_rp = planned(ctx, db, rp_key)
    if (new_db, new_rp) == (db, rp_key):
        return None
    changes: Changes = []
    if new_db != db:
        changes.append((use, use.database, new_db))
    if own is not None and new_rp is not None:
        # after the migration the points carry the renamed input pair's rp
        if new_rp != planned(ctx, *_input_pair(ctx, use))[1]:
            changes.append((use, use.retention_policy, new_rp))
    elif new_rp != rp_key and new_rp is not None:
        if use.retention_policy.kind == "unset":
            changes = []  # inserting a retention policy is TM113's business
        else:
            changes.append((use, use.retention_policy, new_rp))
    return db, rp_key, new_db, new_rp, changes


def _own_rp(ctx: Context, use: DBRPUse) -> str | None:
    """For an influxDBOut without `.retentionPolicy()` whose points keep their own rp, that
    rp when there is exactly one (tickmig.tasks.flow); else None."""
    from tickmig.tasks.flow import point_pairs, writes_empty_rp

    if use.via != "influxDBOut" or use.points is None or writes_empty_rp(use):
        return None
    rps = {rp for _db, rp in point_pairs(ctx.task, use)}
    return rps.pop() if len(rps) == 1 else None


def _input_pair(ctx: Context, use: DBRPUse) -> tuple[str, str]:
    from tickmig.tasks.flow import input_pairs

    assert use.points is not None
    pairs = input_pairs(ctx.task, use.points)
    return pairs[0]


def _rp_insertion(ctx: Context, use: DBRPUse, rp: str) -> Edit | None:
    """`.retentionPolicy('rp')` inserted after the influxDBOut's `.database()` call."""
    from tickmig.rules.write_without_default_rp import database_call, insertion

    call = database_call(ctx, use)
    if call is None:
        return None
    text = insertion(ctx.texts[use.path], call, f".retentionPolicy({quote_string(rp)})")
    return Edit(use.path, call.end, call.end, text)
