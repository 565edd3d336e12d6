"""Which (database, retention policy) a task's DBRP references really mean at run time.

* A stream task reads the pairs of its `dbrp` statements (or task definition).
* `influxDBOut()` fills an unset `.database()`/`.retentionPolicy()` from each point: points that
  reach it unchanged from `from()` (where, eval, default, delete, shift, sideload, ...) keep
  their own db and rp; batch-shaped data (batch tasks, after window, aggregates, selectors,
  join) has an empty db and rp (kapacitor v1.8.3 `influxdb_out.go:134,151-158`,
  `edge/messages.go`; ../shared/docs/influxdb2-migration.md section 7).
"""

from __future__ import annotations

from dataclasses import dataclass

from tickmig.configs.model import Pair
from tickmig.tasks.model import DBRPUse, PipelineNode, Task, Value, method_key
from tickmig.tickscript.nodes import Declaration, Identifier

#: Nodes that pass the points they get on unchanged (db and rp kept).
PASS_THROUGH = frozenset(
    method_key(n)
    for n in (
        "from",
        "where",
        "eval",
        "default",
        "delete",
        "shift",
        "sideload",
        "log",
        "stateDuration",
        "stateCount",
        "changeDetect",
        "noOp",
    )
)


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


def _chains(task: Task) -> dict[int, list[PipelineNode]]:
    out: dict[int, list[PipelineNode]] = {}
    for node in task.nodes:
        out.setdefault(id(node.chain), []).append(node)
    return out


def _upstream(task: Task, use: DBRPUse) -> list[PipelineNode] | None:
    """The nodes before the write node, following vars back to `stream`/`batch`; None when
    tickmig cannot follow them."""
    chains = _chains(task)
    decls: dict[str, object] = {
        s.name.name: s.value for s in task.script.statements if isinstance(s, Declaration)
    }
    for nodes in chains.values():
        for i, node in enumerate(nodes):
            if node.call is use.node and use.node is not None:
                return _before(nodes[:i], chains, decls, set())
    return None


def _before(
    nodes: list[PipelineNode],
    chains: dict[int, list[PipelineNode]],
    decls: dict[str, object],
    seen: set[str],
) -> list[PipelineNode] | None:
    if not nodes:
        return None
    head = nodes[0]
    if head.call is None and head.name in ("stream", "batch"):
        return nodes
    if head.call is None and head.name in decls and head.name not in seen:
        value = decls[head.name]
        for chain_nodes in chains.values():
            if chain_nodes and chain_nodes[0].chain is value:
                inner = _before(chain_nodes, chains, decls, seen | {head.name})
                return None if inner is None else [*inner, *nodes[1:]]
        if isinstance(value, Identifier):
            return None
    return None


def influxdbout_pairs(task: Task, use: DBRPUse) -> list[Sent]:
    """What one `influxDBOut()` sends: its own db/rp where set, else the point's."""
    db, rp = text(use.database), text(use.retention_policy)
    if db is not None and rp is not None:
        return [Sent(Pair(db, rp), "set on the node")]
    if (use.database.kind != "unset" and db is None) or (
        use.retention_policy.kind != "unset" and rp is None
    ):
        return []  # a value tickmig cannot follow
    if task.type == "stream":
        upstream = _upstream(task, use)
        if upstream is not None and all(method_key(n.name) in PASS_THROUGH for n in upstream[1:]):
            froms = [n for n in upstream if method_key(n.name) == "From"]
            points = [p for p in subscribed(task) if all(_from_allows(task, f, p) for f in froms)]
            return [
                Sent(
                    Pair(db or p.database, rp or p.retention_policy),
                    f"points reach it unchanged from {p.label}: Kapacitor sends their own "
                    + ("retention policy" if db is not None else "database and retention policy"),
                )
                for p in points
            ]
    if db is None:
        return []  # batch-shaped points have no database: Kapacitor's write fails with 400
    return [
        Sent(
            Pair(db, None),
            "batch-shaped data has no retention policy: InfluxDB uses the database's default",
        )
    ]


def _from_allows(task: Task, node: PipelineNode, pair: Pair) -> bool:
    for use in task.reads:
        if use.via == "from" and use.node is node.call:
            db, rp = text(use.database), text(use.retention_policy)
            if db is not None and db != pair.database:
                return False
            if rp is not None and rp != pair.retention_policy:
                return False
    return True
