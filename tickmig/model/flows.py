"""The migration model: every data flow of the deployment, resolved once.

A flow is a writer sending a (db, rp) somewhere (a Telegraf output, a Kapacitor listener, an
`influxDBOut()`), or a reader of a (db, rp) (a stream task's input, a batch query's source).
Each carries the pair named today (`before`) and the pair after the plan (`pair`: a plan
`to` renames it), where it should land (the plan's bucket, the mapping's, or Kapacitor), and
who feeds it. Actions (tickmig.model.actions) and the proof (tickmig.model.proof) are
computed from it; the report, the Telegraf and kapacitor.conf views all read it."""

from __future__ import annotations

from dataclasses import dataclass, field

from tickmig.configs.model import Pair
from tickmig.mappings import MappingSet
from tickmig.model.inputs import (
    KAPACITOR_URL_PLACEHOLDER,
    KapacitorFacts,
    Listener,
    TelegrafOutput,
)
from tickmig.model.sent import influxdbout_pairs, subscribed, text
from tickmig.tasks.model import Task

#: kind of flow -> what it is, for the reports.
FLOW_KINDS = {
    "write": "a writer sends points to InfluxDB 2",
    "kapacitor-write": "a writer sends points to Kapacitor",
    "stream-input": "a stream task reads what is written to Kapacitor",
    "batch-read": "a batch task queries InfluxDB 2",
}


@dataclass
class Flow:
    id: str
    kind: str
    #: telegraf, listener, influxDBOut, kapacitorLoopback, stream, batch
    actor: str
    subject: str
    path: str
    start: int
    end: int
    before: Pair
    pair: Pair
    #: The bucket the plan or the mappings want this pair in (InfluxDB flows).
    bucket: str | None = None
    why: str = ""
    #: Stream inputs: who writes this pair to Kapacitor; Kapacitor writes: the tasks it feeds.
    fed_by: list[str] = field(default_factory=list)
    # --- filled by the proof -------------------------------------------------------------
    lands: bool = False
    landing: str = ""
    status: str = ""
    reason: str = ""
    caveat: str = ""

    @property
    def renamed(self) -> bool:
        return self.before != self.pair


@dataclass
class ModelInputs:
    tasks: list[Task]
    mappings: MappingSet
    org: str | None
    telegraf: list[TelegrafOutput] = field(default_factory=list)
    kapacitor: KapacitorFacts = field(default_factory=KapacitorFacts)
    #: --kapacitor-url when given.
    kapacitor_url: str | None = None
    #: 1.x retention durations by (db, rp) from a source inventory (seconds; 0 = INF).
    retention: dict[Pair, int] = field(default_factory=dict)
    #: Scripts `migrate` rewrites.
    changed_scripts: list[str] = field(default_factory=list)


@dataclass
class MigrationModel:
    inputs: ModelInputs
    flows: list[Flow]
    kapacitor_url: str
    #: "option", "kapacitor.conf" or "placeholder".
    kapacitor_url_source: str
    #: Tasks whose DBRPs tickmig cannot see (defined with `kapacitor define -dbrp`, a value
    #: it cannot follow): their flows are not in the model, so the proof does not cover them.
    unseen: list[str] = field(default_factory=list)

    def by_kind(self, kind: str) -> list[Flow]:
        return [f for f in self.flows if f.kind == kind]


def entry_of(task: Task) -> str:
    return task.definition or task.path


def plan_pair(ms: MappingSet, pair: Pair) -> Pair:
    """The pair after the plan: a `to` entry renames it, a `bucket` entry keeps it."""
    rename = ms.rename_for(pair.database, pair.retention_policy)
    if rename is None or rename.to_database is None:
        return pair
    return Pair(rename.to_database, rename.to_retention_policy or pair.retention_policy)


def planned_bucket(ms: MappingSet, pair: Pair) -> tuple[str | None, str]:
    """The bucket the plan or the mappings want for a (renamed) pair, and why."""
    db, rp = pair.database, pair.retention_policy
    for candidate in (rp, None) if rp is not None else (None, "autogen"):
        rename = ms.rename_for(db, candidate)
        if rename is not None and rename.bucket is not None:
            return rename.bucket, f"the plan ({rename.source}) maps it to this bucket"
    res = ms.resolve(db, rp)
    if res.rename is None and res.bucket is not None:
        return res.bucket, res.reason
    if rp is None:
        rp = "autogen"
    return f"{db}/{rp}", "InfluxDB's naming convention for a migrated db/rp (influxd upgrade)"


def build_model(inputs: ModelInputs) -> MigrationModel:
    url, source = _kapacitor_url(inputs)
    flows: list[Flow] = []
    unseen: list[str] = []
    ms = inputs.mappings
    for task in sorted(inputs.tasks, key=entry_of):
        if task.template or task.type == "invalid":
            continue
        entry = entry_of(task)
        if not subscribed(task) and not any(u.via == "query" for u in task.reads):
            unseen.append(entry)
        if task.type == "stream":
            for pair in subscribed(task):
                use = next(u for u in task.dbrps if text(u.database) == pair.database)
                flows.append(
                    Flow(
                        "",
                        "stream-input",
                        "stream",
                        entry,
                        use.path,
                        use.start,
                        use.end,
                        pair,
                        plan_pair(ms, pair),
                        why="InfluxDB 2 has no subscriptions: only writes to Kapacitor reach it",
                    )
                )
        for use in task.reads:
            if use.via != "query":
                continue
            db, rp = text(use.database), text(use.retention_policy)
            if db is None:
                continue
            pair = Pair(db, rp)
            after = plan_pair(ms, pair)
            bucket, why = planned_bucket(ms, after)
            flows.append(
                Flow(
                    "",
                    "batch-read",
                    "batch",
                    entry,
                    use.path,
                    use.start,
                    use.end,
                    pair,
                    after,
                    bucket,
                    why,
                )
            )
        for use in task.writes:
            if use.via == "kapacitorLoopback":
                db, rp = text(use.database), text(use.retention_policy)
                if db is not None:
                    pair = Pair(db, rp)
                    flows.append(
                        Flow(
                            "",
                            "kapacitor-write",
                            "kapacitorLoopback",
                            entry,
                            use.path,
                            use.start,
                            use.end,
                            pair,
                            plan_pair(ms, pair),
                            why="kapacitorLoopback writes into Kapacitor's own stream",
                        )
                    )
                continue
            start, end = (use.node.start, use.node.end) if use.node else (use.start, use.end)
            for sent in influxdbout_pairs(task, use):
                after = plan_pair(ms, sent.pair)
                bucket, why = planned_bucket(ms, after)
                flows.append(
                    Flow(
                        "",
                        "write",
                        "influxDBOut",
                        entry,
                        use.path,
                        start,
                        end,
                        sent.pair,
                        after,
                        bucket,
                        f"{sent.why}; {why}",
                    )
                )
    default_rp = inputs.kapacitor.default_retention_policy or None
    for output in inputs.telegraf:
        flows.extend(_telegraf_flows(ms, output, default_rp))
    for listener in inputs.kapacitor.listeners:
        flows.append(_listener_flow(ms, listener, default_rp))
    flows.sort(key=lambda f: (list(FLOW_KINDS).index(f.kind), f.pair.sort_key(), f.subject))
    for i, flow in enumerate(flows):
        flow.id = f"F{i + 1:02d}"
    return MigrationModel(inputs, flows, url, source, unseen)


def kapacitor_pair(model: MigrationModel, flow: Flow) -> Pair:
    """The (db, rp) a write to Kapacitor carries into its stream: an empty rp takes
    kapacitor.conf's default-retention-policy, as Kapacitor's task master does."""
    default_rp = model.inputs.kapacitor.default_retention_policy or None
    return Pair(flow.pair.database, flow.pair.retention_policy or default_rp)


def fed_pairs(model: MigrationModel) -> dict[tuple[str, str | None], str]:
    """Every (db, rp) the model's writers already send into Kapacitor, and the first writer
    (by flow order) that does: what TM110 and the Telegraf actions leave alone."""
    out: dict[tuple[str, str | None], str] = {}
    default_rp = model.inputs.kapacitor.default_retention_policy or None
    for flow in model.by_kind("kapacitor-write"):
        # The pair after the plan, and the one written today (which the scripts read until
        # `migrate` rewrites them).
        for pair in (flow.pair, flow.before):
            key = (pair.database, pair.retention_policy or default_rp)
            out.setdefault(key, flow.subject)
    return out


def loopback_written(model: MigrationModel) -> set[Pair]:
    """The pairs kapacitorLoopback writes into Kapacitor, as written today and after the plan
    (TM120 renames the loopback with the stream tasks reading it): their points never reach
    InfluxDB, so they need no bucket, no mapping and no Telegraf output."""
    return {
        pair
        for flow in model.flows
        if flow.actor == "kapacitorLoopback"
        for pair in (flow.before, flow.pair)
    }


def fed_by_configs(
    ms: MappingSet,
    telegraf_confs: list[str],
    kapacitor_conf: str | None,
    kapacitor_url: str | None,
) -> dict[tuple[str, str | None], str]:
    """fed_pairs() of the model of the configuration files alone (before the tasks are read:
    the rules need it while they check them)."""
    from tickmig.model.inputs import read_kapacitor, read_telegraf

    facts = read_kapacitor(kapacitor_conf)
    known = kapacitor_url or facts.url
    telegraf = read_telegraf(telegraf_confs, known)
    return fed_pairs(build_model(ModelInputs([], ms, None, telegraf, facts, kapacitor_url)))


def _kapacitor_url(inputs: ModelInputs) -> tuple[str, str]:
    if inputs.kapacitor_url:
        return inputs.kapacitor_url, "option"
    if inputs.kapacitor.url:
        return inputs.kapacitor.url, "kapacitor.conf"
    return KAPACITOR_URL_PLACEHOLDER, "placeholder"


def _telegraf_flows(
    ms: MappingSet, output: TelegrafOutput, default_rp: str | None = None
) -> list[Flow]:
    if output.dynamic and not (output.destination == "kapacitor" and output.pair is not None):
        return []
    if output.pair is None:
        if output.bucket is None:
            return []
        db, _, rp = output.bucket.partition("/")
        pair = Pair(db, rp or None)
        return [
            Flow(
                "",
                "write",
                "telegraf",
                output.label,
                output.path,
                -1,
                -1,
                pair,
                pair,
                output.bucket,
                "[[outputs.influxdb_v2]] writes the bucket by name",
            )
        ]
    if output.destination == "kapacitor":
        # The patched telegraf.conf (TM305) renames the output's database and retention
        # policy in place when the plan renames the pair it sends.
        sent = Pair(output.pair.database, output.pair.retention_policy or default_rp)
        after = plan_pair(ms, sent)
        why = "this output writes to Kapacitor"
        if output.dynamic:
            # database_tag / retention_policy_tag: each metric's tag names the pair, the
            # output's own only when the tag is missing; the patch cannot rename a tag's value.
            after = sent
            why += (
                "; a tag of each metric chooses the database or retention policy (this pair "
                "when the tag is missing): the patch cannot rename it"
            )
        if after != sent:
            why += f"; the patched telegraf.conf (TM305) makes it send {after.label}"
        return [
            Flow(
                "",
                "kapacitor-write",
                "telegraf",
                output.label,
                output.path,
                -1,
                -1,
                output.pair,
                after if after != sent else output.pair,
                why=why,
            )
        ]
    after = plan_pair(ms, output.pair)
    bucket, why = planned_bucket(ms, after)
    return [
        Flow(
            "",
            "write",
            "telegraf",
            output.label,
            output.path,
            -1,
            -1,
            output.pair,
            output.pair,
            bucket,
            why,
        )
    ]


def _listener_flow(ms: MappingSet, listener: Listener, default_rp: str | None) -> Flow:
    # Kapacitor gives the listener's points without an rp its default-retention-policy; a
    # plan rename of that pair is applied by the patched kapacitor.conf (TM321).
    sent = Pair(listener.pair.database, listener.pair.retention_policy or default_rp)
    after = plan_pair(ms, sent)
    why = f"Kapacitor's [[{listener.kind}]] listener writes into its own stream"
    if after != sent:
        why += f"; the patched kapacitor.conf (TM321) makes it write {after.label}"
    return Flow(
        "",
        "kapacitor-write",
        "listener",
        listener.label,
        listener.path,
        -1,
        -1,
        listener.pair,
        after if after != sent else listener.pair,
        why=why,
    )
