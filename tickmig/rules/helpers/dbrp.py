"""Helpers shared by the DBRP rules: which (database, retention policy) pairs a use means,
where to report it, and which resolutions are findings."""

from __future__ import annotations

from tickmig.diagnostics import Location
from tickmig.mappings import Resolution, ResolutionStatus
from tickmig.rules.base import Context
from tickmig.tasks.flow import writes_empty_rp, written_pairs
from tickmig.tasks.model import DBRPUse

__all__ = ["broken", "quoted", "read_pair", "use_location", "writes_empty_rp", "written_pairs"]


def read_pair(use: DBRPUse) -> tuple[str, str] | None:
    """The pair a dbrp statement or a fully written FROM source reads, if known."""
    db, rp = use.database.text, use.retention_policy.text
    if not db or not rp:
        return None
    return db, rp


def broken(res: Resolution) -> bool:
    """A resolution InfluxDB 2 would refuse (not merely unknown, not a system database)."""
    return res.status in (ResolutionStatus.MISSING, ResolutionStatus.AMBIGUOUS)


def use_location(ctx: Context, use: DBRPUse, part: str = "database") -> Location:
    """Where to report a use: the value as written, else the construct."""
    value = use.database if part == "database" else use.retention_policy
    if value.kind in ("literal", "var") or (value.kind == "template" and value.path != use.path):
        return ctx.at(value)
    node = use.node
    if node is not None:
        return ctx.location(use.path, node.start, node.end)
    return ctx.location(use.path, use.start, use.end)


def renamed(res: Resolution, database: str, retention_policy: str | None) -> tuple[str, str | None]:
    """The pair the plan renames (database, retention_policy) to, or the pair itself."""
    rename = res.rename
    if rename is None or rename.to_database is None:
        return database, retention_policy
    rp = rename.to_retention_policy if rename.to_retention_policy is not None else retention_policy
    return rename.to_database, rp


def quoted_after_plan(res: Resolution, database: str, retention_policy: str | None) -> str:
    """`"db"."rp"`, with `, renamed by the plan to "new"."rp"` when the plan renames it."""
    new = renamed(res, database, retention_policy)
    if new == (database, retention_policy):
        return quoted(database, retention_policy)
    return f"{quoted(database, retention_policy)}, renamed by the plan to {quoted(*new)}"


def quoted(database: str, retention_policy: str | None) -> str:
    if retention_policy is None:
        return f'"{database}" with no retention policy'
    return f'"{database}"."{retention_policy}"'
