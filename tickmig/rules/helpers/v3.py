"""Helpers of the target rules (TM4xx): the (database, retention policy) pairs a task sends to
InfluxDB (influxDBOut writes, batch query sources), with the InfluxDB 3 database each reaches."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from tickmig.rules.helpers.dbrp import written_pairs
from tickmig.targets.plan import PairUse
from tickmig.targets.v3names import query_database, write_database
from tickmig.tasks.model import DBRPUse, Task


@dataclass(frozen=True)
class Reach:
    """One pair a task writes or queries, and the InfluxDB 3 database it reaches."""

    use: DBRPUse
    database: str
    retention_policy: str | None
    direction: str  # "read" or "write"

    @property
    def v3_name(self) -> str:
        if self.direction == "write":
            return write_database(self.database, self.retention_policy)
        return query_database(self.database, self.retention_policy)

    @property
    def verb(self) -> str:
        return "influxDBOut writes to" if self.direction == "write" else "the query reads"


def reaches(task: Task) -> Iterator[Reach]:
    """influxDBOut writes (known pairs) and, in batch tasks, fully known query sources; an
    empty rp (``"db".."m"``) counts as unset."""
    for use in task.writes:
        if use.via != "influxDBOut":
            continue
        for db, rp in written_pairs(task, use):
            yield Reach(use, db, rp or None, "write")
    if task.type != "batch":
        return
    for use in task.reads:
        if use.via != "query" or not use.database.text:
            continue
        value = use.retention_policy
        if value.kind != "unset" and value.text is None:
            continue
        yield Reach(use, use.database.text, value.text or None, "read")


def pair_uses(task: Task) -> list[PairUse]:
    """The task's pairs for a V3Plan; a stream task's dbrps are its input, which Telegraf
    writes to InfluxDB 3 next to its output to Kapacitor ("feed")."""
    uses = [
        PairUse(r.database, r.retention_policy, r.direction, task.path, r.use.measurement)
        for r in reaches(task)
    ]
    if task.type == "stream":
        for dbrp in task.dbrps:
            db, rp = dbrp.database.text, dbrp.retention_policy.text
            if db:
                uses.append(PairUse(db, rp or None, "feed", task.path))
    return uses


def pair_text(database: str, retention_policy: str | None) -> str:
    if retention_policy is None:
        return f'"{database}"'
    return f'"{database}"."{retention_policy}"'
