"""What database and retention policy the points reaching a pipeline node carry, as Kapacitor's
edge messages decide it, and so what an `influxDBOut()` without `.database()` or
`.retentionPolicy()` really sends.

Kapacitor (`influxdb_out.go`, `InfluxDBOutNode.Point` and `.BufferedBatch`, then `write`): a
*point* message is written with the point's own database and retention policy, a *batch* with
empty ones; `.database()`/`.retentionPolicy()` replace them only when set. A stream point gets
its db/rp from the writer (`TaskMaster.WritePoints`, an empty rp replaced by
`default-retention-policy`); nodes that pass points on copy them (`p.ShallowCopy()` in where,
eval, default, ...), nodes that build new points (`edge.NewPointMessage(name, "", "", ...)` in
the InfluxQL functions, join, combine, flatten, stats, trickle, autoscale) or batches (window,
query) leave them empty. A UDF returns whatever the agent puts in its points."""

from __future__ import annotations

from dataclasses import replace

from tickmig.tasks.model import DBRPUse, PipelineNode, PointSource, Task, method_key
from tickmig.tickscript.nodes import Chain, Declaration, Identifier, Node, Paren

#: Nodes whose Point handler returns the point (or `p.ShallowCopy()`), keeping its db/rp:
#: kapacitor stream.go, where.go, eval.go, default.go, delete.go, shift.go, sideload.go,
#: alert.go, change_detect.go, derivative.go, state_tracking.go, sample.go, log.go,
#: http_out.go, http_post.go, group_by.go, union.go, barrier.go.
KEEPS = frozenset(
    {
        "From",
        "Where",
        "Eval",
        "Default",
        "Delete",
        "Shift",
        "Sideload",
        "Alert",
        "ChangeDetect",
        "Derivative",
        "StateDuration",
        "StateCount",
        "Sample",
        "Log",
        "HttpOut",
        "HttpPost",
        "GroupBy",
        "Union",
        "Barrier",
        "NoOp",
    }
)

#: Nodes that emit batches (window, query) or new points with an empty db/rp
#: (`edge.NewPointMessage(name, "", "", ...)`: influxql.gen.go, join.go, combine.go,
#: flatten.go, stats.go, trickle.go, autoscale.go; deadman is stats + alert).
EMPTIES = frozenset(
    {
        "Window",
        "Query",
        "Join",
        "Combine",
        "Flatten",
        "Stats",
        "Deadman",
        "Trickle",
        "K8sAutoscale",
        "SwarmAutoscale",
        "Ec2Autoscale",
        "Count",
        "Distinct",
        "Mean",
        "Median",
        "Mode",
        "Spread",
        "Sum",
        "First",
        "Last",
        "Min",
        "Max",
        "Percentile",
        "Top",
        "Bottom",
        "Stddev",
        "Elapsed",
        "Difference",
        "MovingAverage",
        "HoltWinters",
        "HoltWintersWithFit",
        "CumulativeSum",
    }
)


def annotate(task: Task) -> None:
    """Sets `points` on every influxDBOut/kapacitorLoopback write of the task."""
    graph = _Graph(task)
    for index, use in enumerate(task.writes):
        pnode = next((n for n in task.nodes if n.call is use.node), None)
        if pnode is not None:
            task.writes[index] = replace(use, points=graph.source(pnode, set()))


def loopback_pairs(task: Task) -> list[tuple[str, str]]:
    """The (database, retention policy) pairs the task's `kapacitorLoopback()` nodes write
    back into Kapacitor's own stream, where tickmig can read both names. Kapacitor refuses a
    loopback without either (`KapacitorLoopbackNode.validate`, pipeline/kapacitor_loopback.go)
    and sets both on every point it writes (`kapacitor_loopback.go`, `Point` and `BatchPoint`,
    then `TaskMaster.WriteKapacitorPoint`): stream tasks reading that pair receive them, and
    none of them reaches InfluxDB."""
    out: list[tuple[str, str]] = []
    for use in task.writes:
        if use.via != "kapacitorLoopback":
            continue
        db, rp = use.database, use.retention_policy
        if db.kind == "unset" or rp.kind == "unset" or db.text is None or rp.text is None:
            continue
        if (db.text, rp.text) not in out:
            out.append((db.text, rp.text))
    return out


def point_pairs(task: Task, use: DBRPUse) -> list[tuple[str, str]]:
    """The (database, retention policy) pairs a write sends when its points keep their own:
    each DBRP the task declares that its `from()` filters let through, with the write's
    `.database()`/`.retentionPolicy()` in place of the point's where they are set."""
    source = use.points
    if source is None or source.kind not in ("point", "mixed"):
        return []
    out: list[tuple[str, str]] = []
    for db, rp in input_pairs(task, source):
        pair = (
            use.database.text if use.database.kind != "unset" else db,
            use.retention_policy.text if use.retention_policy.kind != "unset" else rp,
        )
        if pair[0] is not None and pair[1] is not None and pair not in out:
            out.append((pair[0], pair[1]))
    return out


def written_pairs(task: Task, use: DBRPUse) -> list[tuple[str, str | None]]:
    """The pairs an influxDBOut writes to. Kapacitor fills an unset database or retention
    policy from the data (tickmig.tasks.flow): points passed on unchanged from `from()` keep
    their own db/rp (the task's input DBRPs), batch-shaped data has empty ones, and an empty
    rp means the database's default mapping (None here). When tickmig cannot tell (a UDF),
    both readings are given."""
    db, rp = use.database, use.retention_policy
    if (db.kind != "unset" and db.text is None) or (rp.kind != "unset" and rp.text is None):
        return []
    if db.kind != "unset" and rp.kind != "unset":
        return [(db.text or "", rp.text)]
    kind = use.points.kind if use.points is not None else "unknown"
    if kind == "unknown" and db.kind == "unset" and use.points is not None:
        # the point's own database, so most likely its own rp too
        kind, use = "point", replace(use, points=replace(use.points, kind="point"))
    pairs: list[tuple[str, str | None]] = []
    if kind in ("point", "mixed"):
        pairs.extend(point_pairs(task, use))
    if kind in ("empty", "mixed", "unknown") and db.text and (db.text, None) not in pairs:
        pairs.append((db.text, None))
    return pairs


def writes_empty_rp(use: DBRPUse) -> bool:
    """True when an influxDBOut without `.retentionPolicy()` sends (some of) its points with
    an empty rp: batch-shaped data, or data tickmig cannot follow (a UDF)."""
    if use.retention_policy.kind != "unset":
        return False
    return use.points is None or use.points.kind != "point"


def input_pairs(task: Task, source: PointSource) -> list[tuple[str, str]]:
    """The task's DBRPs that reach the write through the `from()` nodes of `source`."""
    declared = [
        (u.database.text, u.retention_policy.text)
        for u in task.dbrps
        if u.database.text is not None and u.retention_policy.text is not None
    ]
    out: list[tuple[str, str]] = []
    for read in source.reads or (None,):
        for db, rp in declared:
            if read is not None and not _lets_through(read, db, rp):
                continue
            if (db, rp) not in out:
                out.append((db, rp))
    return out


def _lets_through(read: DBRPUse, db: str, rp: str) -> bool:
    for value, name in ((read.database, db), (read.retention_policy, rp)):
        if value.kind != "unset" and value.text is not None and value.text != name:
            return False
    return True


class _Graph:
    """Parents of pipeline nodes: the previous node of the chain, the chain a var names, and
    the pipelines `union()`/`join()` take as arguments."""

    def __init__(self, task: Task) -> None:
        self.task = task
        self.by_chain: dict[int, list[PipelineNode]] = {}
        for pnode in task.nodes:
            self.by_chain.setdefault(id(pnode.chain), []).append(pnode)
        self.vars: dict[str, Node] = {}
        for statement in task.script.statements:
            if isinstance(statement, Declaration):
                self.vars.setdefault(statement.name.name, _unparen(statement.value))

    def source(self, pnode: PipelineNode, seen: set[int]) -> PointSource:
        if id(pnode) in seen:
            return PointSource("unknown", (), None, (), "the pipeline loops")
        seen = seen | {id(pnode)}
        name = method_key(pnode.name)
        chain = self.by_chain[id(pnode.chain)]
        position = chain.index(pnode)
        if position == 0:
            return self._head(pnode, seen)
        parents = [self.source(chain[position - 1], seen)]
        if name == "Union" and pnode.call is not None:
            parents += [self._named(arg, seen) for arg in pnode.call.args]
        parent = _merge(parents)
        path = (*parent.path, pnode.name)
        if pnode.call is not None and pnode.call.kind == "dynamic":
            return PointSource(
                "unknown",
                path,
                pnode.name,
                (),
                f"the UDF @{pnode.name}() "
                "builds its own points, with whatever db/rp its agent sets",
            )
        if name in EMPTIES and parent.kind == "empty":
            return replace(parent, path=path)
        if name in EMPTIES:
            return PointSource(
                "empty",
                path,
                pnode.name,
                (),
                f"|{pnode.name}() builds "
                "new points or batches with an empty database and retention policy",
            )
        if name == "InfluxDBOut" or name == "KapacitorLoopback" or name in KEEPS:
            reads = parent.reads
            if name == "From":
                reads = (*reads, *self._from_use(pnode))
            return replace(parent, path=path, reads=reads)
        return PointSource(
            "unknown",
            path,
            pnode.name,
            (),
            f"tickmig does not know what "
            f"|{pnode.name}() does with the points' database and retention policy",
        )

    def _head(self, pnode: PipelineNode, seen: set[int]) -> PointSource:
        if pnode.name == "stream":
            return PointSource(
                "point",
                ("stream",),
                None,
                (),
                "stream points keep the database and retention policy their writer sent",
            )
        if pnode.name == "batch":
            return PointSource(
                "empty",
                ("batch",),
                "batch",
                (),
                "batch tasks emit batches, written with an empty database and retention policy",
            )
        value = self.vars.get(pnode.name)
        if value is None:
            return PointSource(
                "unknown",
                (pnode.name,),
                pnode.name,
                (),
                f"{pnode.name} is not a pipeline tickmig can follow",
            )
        return self._named(value, seen)

    def _named(self, node: Node, seen: set[int]) -> PointSource:
        node = _unparen(node)
        if isinstance(node, Identifier) and node.name in self.vars:
            node = self.vars[node.name]
        chain = self.by_chain.get(id(node)) if isinstance(node, Chain) else None
        if not chain:
            if isinstance(node, Identifier) and node.name in ("stream", "batch"):
                return self._head(PipelineNode(node.name, None, (), node), seen)
            return PointSource("unknown", (), None, (), "a pipeline tickmig cannot follow")
        return self.source(chain[-1], seen)

    def _from_use(self, pnode: PipelineNode) -> tuple[DBRPUse, ...]:
        return tuple(u for u in self.task.reads if u.via == "from" and u.node is pnode.call)


def _merge(parents: list[PointSource]) -> PointSource:
    if len(parents) == 1:
        return parents[0]
    kinds = {p.kind for p in parents}
    kind = "unknown" if "unknown" in kinds else next(iter(kinds)) if len(kinds) == 1 else "mixed"
    reads = tuple(r for p in parents for r in p.reads)
    cause = next((p.cause for p in parents if p.cause), None)
    reason = "; ".join(dict.fromkeys(p.reason for p in parents))
    path = max((p.path for p in parents), key=len)
    return PointSource(kind, path, cause, reads, reason)


def _unparen(node: Node) -> Node:
    while isinstance(node, Paren):
        node = node.expression
    return node
