"""Helpers shared by the DBRP rules: which (database, retention policy) pairs a use means,
where to report it, and which resolutions are findings."""

from __future__ import annotations

from tickmig.diagnostics import Location
from tickmig.mappings import Resolution, ResolutionStatus
from tickmig.rules.base import Context
from tickmig.tasks.model import DBRPUse, Task


def written_pairs(task: Task, use: DBRPUse) -> list[tuple[str, str | None]]:
    """The pairs an influxDBOut writes to. An unset database means the point's own, i.e.
    the task's input DBRPs (and an unset rp then the point's rp too); an unset rp with a set
    database means the database's default mapping (None)."""
    db, rp = use.database, use.retention_policy
    if db.kind == "unset":
        pairs: list[tuple[str, str | None]] = []
        for dbrp in task.dbrps:
            if dbrp.database.text is not None:
                own = dbrp.retention_policy.text
                pairs.append((dbrp.database.text, rp.text if rp.kind != "unset" else own))
        return pairs
    if db.text is None or (rp.kind != "unset" and rp.text is None):
        return []
    return [(db.text, rp.text if rp.kind != "unset" else None)]


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


def quoted(database: str, retention_policy: str | None) -> str:
    if retention_policy is None:
        return f'"{database}" with no retention policy'
    return f'"{database}"."{retention_policy}"'
