"""Which (database, retention policy) a task's DBRP references really mean at run time.

* A stream task reads the pairs of its `dbrp` statements (or task definition).
* `influxDBOut()` fills an unset `.database()`/`.retentionPolicy()` from each point: points that
  reach it unchanged from `from()` (where, eval, default, delete, shift, sideload, ...) keep
  their own db and rp; batch-shaped data (batch tasks, after window, aggregates, selectors,
  join) has an empty db and rp (kapacitor v1.8.3 `influxdb_out.go:134,151-158`,
  `edge/messages.go`).
"""

from __future__ import annotations

from dataclasses import dataclass

from tickmig.configs.model import Pair
from tickmig.tasks.flow import written_pairs
from tickmig.tasks.model import DBRPUse, Task, Value


@dataclass(frozen=True)
class Sent:
    """A pair a write node sends, and why."""

    pair: Pair
    why: str


def text(value: Value) -> str | None:
    return value.text if value.kind != "unset" else None


def subscribed(task: Task) -> list[Pair]:
    """The task's DBRPs (dbrp statements and task-definition DBRPs) that tickmig can read."""
    out: list[Pair] = []
    for use in task.dbrps:
        db, rp = text(use.database), text(use.retention_policy)
        if db is not None and rp is not None and Pair(db, rp) not in out:
            out.append(Pair(db, rp))
    return out


def influxdbout_pairs(task: Task, use: DBRPUse) -> list[Sent]:
    """What one `influxDBOut()` sends: its own db/rp where set, else what the data carries,
    as the task model's flow analysis (tickmig.tasks.flow) reads it from Kapacitor's nodes."""
    db, rp = text(use.database), text(use.retention_policy)
    if db is not None and rp is not None:
        return [Sent(Pair(db, rp), "set on the node")]
    own = "retention policy" if db is not None else "database and retention policy"  # the point's
    sent: list[Sent] = []
    for database, retention_policy in written_pairs(task, use):
        if retention_policy is None:
            why = "batch-shaped data has no retention policy: InfluxDB uses the database's default"
        else:
            why = (
                f"points reach it unchanged from the task's input: Kapacitor sends their own {own}"
            )
        sent.append(Sent(Pair(database, retention_policy), why))
    return sent
