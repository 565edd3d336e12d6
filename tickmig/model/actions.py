"""The actions of a migration, derived from the model, in the order an operator runs them:
create buckets, create DBRP mappings and set defaults, rewrite scripts, add Telegraf outputs
to Kapacitor, patch kapacitor.conf, create Kapacitor's token.

They are worked out on a copy of the target (tickmig.model.target) exactly as the influx CLI
sends them: `influx v1 dbrp create` never sends `--default` (the first mapping of a database
becomes its default), so a later default is an `influx v1 dbrp update --default`."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass, field

from tickmig.configs.model import Pair
from tickmig.mappings.model import go_duration_seconds
from tickmig.model.flows import Flow, MigrationModel, kapacitor_pair
from tickmig.model.inputs import FILTER_KEYS, TelegrafOutput
from tickmig.model.target import ApiError, InfluxDB2
from tickmig.targets.cloudplan import SYSTEM_BUCKETS, bucket_retention, quota_note

#: Action kinds in operator order.
ORDER = (
    "bucket-create",
    # InfluxDB 3 (tickmig.model.proof_v3): databases instead of buckets and mappings.
    "database-create",
    "dbrp-create",
    "dbrp-default",
    "script-rewrite",
    "telegraf-output",
    # The token before kapacitor.conf: its value goes into [[influxdb]] token.
    "token",
    "kapacitor-conf",
    "conflict",
)


@dataclass
class Action:
    kind: str
    summary: str
    pair: Pair | None = None
    bucket: str | None = None
    #: Seconds, 0 = forever; None: no source knows the 1.x duration (and the plan sets none).
    retention: int | None = None
    #: Buckets: the 1.x duration (seconds, 0 = forever; None: unknown); it differs from
    #: ``retention`` where the Cloud plan does not allow it (tickmig.targets.cloudplan).
    v1_retention: int | None = None
    #: Telegraf outputs: the file patched (None: a snippet for the agents) and the output
    #: whose filters it copies.
    file: str | None = None
    mirrors: str | None = None
    filters: tuple[tuple[str, object], ...] = ()
    #: An existing Telegraf output to Kapacitor renamed in place (nothing is added).
    in_place: bool = False
    #: Token: bucket names read and written.
    read: tuple[str, ...] = ()
    write: tuple[str, ...] = ()
    #: The flows this action serves.
    flows: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class Plan:
    actions: list[Action]
    #: Problems the actions cannot solve (a mapping to another bucket...), by flow id.
    blocked: dict[str, str] = field(default_factory=dict)


def org_name(model: MigrationModel) -> str:
    return model.inputs.org or "$INFLUX_ORG"


def derive_actions(model: MigrationModel, target: InfluxDB2) -> Plan:
    org = org_name(model)
    sim = copy.deepcopy(target)
    sim.limits = None  # what the migration needs; the proof applies the plan's limits
    plan = Plan([])
    _mappings(model, sim, org, plan)
    if model.inputs.mappings.profile.cloud_like:
        _quota_notes(model, target.counted(org), plan)
    changed = sorted(model.inputs.changed_scripts)
    if changed:
        plan.actions.append(
            Action(
                "script-rewrite",
                f"rewrite {len(changed)} script{'s' if len(changed) != 1 else ''} "
                "(tickmig migrate --write with the same options)",
                notes=changed,
            )
        )
    telegraf_actions(model, plan)
    _token(model, plan)
    plan.actions.sort(key=lambda a: ORDER.index(a.kind))
    return plan


def _needs(model: MigrationModel) -> list[tuple[Pair, str, list[Flow]]]:
    """(pair written or queried, bucket it must land in, flows) for InfluxDB 2."""
    out: dict[tuple[Pair, str], list[Flow]] = {}
    for flow in model.flows:
        if flow.kind in ("write", "batch-read") and flow.bucket is not None:
            if flow.kind == "batch-read" and flow.pair.retention_policy is None:
                continue  # unqualified: Kapacitor refuses the query (TM103)
            out.setdefault((flow.pair, flow.bucket), []).append(flow)
    # A database's default first: its first mapping becomes the default anyway.
    return sorted(
        ((p, b, f) for (p, b), f in out.items()),
        key=lambda x: (x[0].database, x[0].retention_policy is not None, x[0].sort_key(), x[1]),
    )


def _mappings(model: MigrationModel, sim: InfluxDB2, org: str, plan: Plan) -> None:
    needs = _needs(model)
    for pair, bucket_name, flows in needs:
        ids = [f.id for f in flows]
        db = pair.database
        bucket = sim.bucket_named(org, bucket_name)
        created = bucket is None
        if bucket is None:
            v1 = _retention(model, pair, flows)
            profile = model.inputs.mappings.profile
            retention, notes = (
                bucket_retention(profile.cloud_plan, v1, profile.label)
                if profile.cloud_like
                else (v1, [])
            )
            sim.create_bucket(org, bucket_name, retention or 0)
            plan.actions.append(
                Action(
                    "bucket-create",
                    f'create bucket "{bucket_name}"',
                    pair,
                    bucket_name,
                    retention,
                    v1_retention=v1,
                    flows=ids,
                    notes=notes,
                )
            )
            bucket = sim.bucket_named(org, bucket_name)
        assert bucket is not None
        rp = pair.retention_policy
        pin = False  # a virtual default made physical before another mapping takes it
        if rp is None:
            current = sim.find(org, db, None)
            if current is not None and current.bucket_id == bucket.id:
                # A virtual default stops being the default once the database has a physical
                # mapping (dbrp/service.go): when the migration creates one for another bucket
                # of this database, the default is made physical first.
                if not current.virtual or not any(
                    p.database == db and b != bucket_name for p, b, _ in needs
                ):
                    continue
                pin = True
                rp = current.retention_policy
            else:
                same = [m for m in sim.dbrps(org) if m.database == db and m.bucket_id == bucket.id]
                rp = same[0].retention_policy if same else "autogen"
        exact = sim.find(org, db, rp)
        if exact is not None and exact.bucket_id != bucket.id and not exact.virtual:
            other = sim.bucket(exact.bucket_id)
            why = (
                f'"{db}"."{rp}" is mapped to bucket "{other.name if other else exact.bucket_id}", '
                f'not "{bucket_name}": a mapping\'s bucket cannot be changed; delete it '
                "(influx v1 dbrp delete) and run this script again"
            )
            plan.actions.append(Action("conflict", why, Pair(db, rp), bucket_name, flows=ids))
            for i in ids:
                plan.blocked[i] = why
            continue
        if (
            # A bucket created here gets a physical mapping too: its virtual one serves
            # writes only on OSS >= 2.4 and InfluxQL reads only on >= 2.5.
            exact is None
            or (exact.virtual and (created or pin or exact.bucket_id != bucket.id))
            or (exact.virtual and pair.retention_policy is None and not exact.default)
        ):
            try:
                sim.create_dbrp(org, db, rp, bucket.id)
            except ApiError as exc:
                for i in ids:
                    plan.blocked[i] = exc.message
                continue
            plan.actions.append(
                Action(
                    "dbrp-create",
                    f'map "{db}"."{rp}" to bucket "{bucket_name}"',
                    Pair(db, rp),
                    bucket_name,
                    flows=ids,
                )
            )
        if pair.retention_policy is None:
            current = sim.find(org, db, None)
            mapping = sim.find(org, db, rp)
            if mapping is not None and (current is None or current.id != mapping.id):
                sim.update_dbrp(org, mapping.id, default=True)
                plan.actions.append(
                    Action(
                        "dbrp-default",
                        f'make "{db}"."{rp}" the default of "{db}" (writes without a '
                        "retention policy)",
                        Pair(db, rp),
                        bucket_name,
                        flows=ids,
                    )
                )


def _quota_notes(model: MigrationModel, existing: int, plan: Plan) -> None:
    """On Cloud: the bucket creations past the plan's quota (the Free plan's when no plan is
    given) say so in their comments."""
    profile = model.inputs.mappings.profile
    creates = [
        a for a in plan.actions if a.kind == "bucket-create" and a.bucket not in SYSTEM_BUCKETS
    ]
    for number, action in enumerate(creates, 1):
        listed = bool(model.inputs.mappings.buckets)
        note = quota_note(profile.cloud_plan, existing, number, profile.label, listed)
        if note is not None:
            action.notes.append(note)


def _retention(model: MigrationModel, pair: Pair, flows: list[Flow]) -> int | None:
    """The 1.x retention duration (seconds, 0 = INF) of the pair or of a flow's pair before
    the plan: from ModelInputs.retention, else the source inventory (`--influxql-url` on a
    1.x server). A pair without an rp takes the 1.x database's default retention policy."""
    ms = model.inputs.mappings
    for candidate in (pair, *(f.before for f in flows)):
        if candidate in model.inputs.retention:
            return model.inputs.retention[candidate]
        rp = candidate.retention_policy
        if rp is None:
            rp = next(
                (r.name for r in ms.inventory if r.database == candidate.database and r.default),
                None,
            )
        found = ms.source_retention_policy(candidate.database, rp) if rp else None
        if found is not None and found.duration is not None:
            seconds = go_duration_seconds(found.duration)
            if seconds is not None:
                return seconds
    return None


def feeders(model: MigrationModel, pair: Pair) -> list[Flow]:
    """The writes to Kapacitor that carry `pair` (an empty rp takes default-retention-policy)."""
    return [f for f in model.by_kind("kapacitor-write") if kapacitor_pair(model, f) == pair]


def telegraf_actions(model: MigrationModel, plan: Plan) -> None:
    for writer in model.by_kind("kapacitor-write"):
        if writer.actor != "telegraf" or not writer.renamed:
            continue
        fed = [f.id for f in model.by_kind("stream-input") if f.pair == writer.pair]
        plan.actions.append(
            Action(
                "telegraf-output",
                f"rename in place the output to Kapacitor {writer.subject}: it sends "
                f"{_sent(model, writer.before).label}, the migrated stream tasks read "
                f"{writer.pair.label} "
                f'(database = "{writer.pair.database}", retention_policy = '
                f'"{writer.pair.retention_policy or ""}")',
                writer.pair,
                file=writer.path,
                in_place=True,
                flows=[writer.id, *fed],
            )
        )
    seen: set[Pair] = set()
    for flow in model.by_kind("stream-input"):
        if flow.pair in seen or feeders(model, flow.pair):
            continue
        seen.add(flow.pair)
        readers = [f for f in model.by_kind("stream-input") if f.pair == flow.pair]
        ids = [f.id for f in readers]
        befores = {f.before for f in readers}
        mirrored = [o for o in model.inputs.telegraf if _writes(o, befores)]
        if not mirrored:
            plan.actions.append(
                Action(
                    "telegraf-output",
                    f"add an [[outputs.influxdb]] to Kapacitor writing {flow.pair.label} to the "
                    "Telegraf agents (or other writers) that write "
                    + ", ".join(sorted(b.label for b in befores)),
                    flow.pair,
                    flows=ids,
                )
            )
            continue
        for output in mirrored:
            plan.actions.append(
                Action(
                    "telegraf-output",
                    f"add an [[outputs.influxdb]] to Kapacitor writing {flow.pair.label} in "
                    f"{output.path}, beside {output.label}",
                    flow.pair,
                    file=output.path,
                    mirrors=output.label,
                    filters=tuple((k, v) for k, v in output.filters if k in FILTER_KEYS),
                    flows=ids,
                )
            )


def _sent(model: MigrationModel, pair: Pair) -> Pair:
    """A pair written to Kapacitor as its stream has it (default-retention-policy filled in)."""
    default_rp = model.inputs.kapacitor.default_retention_policy or None
    return Pair(pair.database, pair.retention_policy or default_rp)


def _writes(output: TelegrafOutput, pairs: set[Pair]) -> bool:
    if output.destination != "influxdb":
        return False
    if output.dynamic:
        return True
    if output.pair is not None:
        return any(p.database == output.pair.database for p in pairs)
    if output.bucket is not None:
        return any(p.database == output.bucket.partition("/")[0] for p in pairs)
    return False


def _token(model: MigrationModel, plan: Plan) -> None:
    read = sorted({f.bucket for f in model.by_kind("batch-read") if f.bucket})
    write = sorted(
        {f.bucket for f in model.by_kind("write") if f.actor == "influxDBOut" and f.bucket}
    )
    if not read and not write:
        return
    flows = [
        f.id
        for f in model.flows
        if f.kind == "batch-read" or (f.kind == "write" and f.actor == "influxDBOut")
    ]
    plan.actions.append(token_action(read, write, flows))


def token_action(read: Sequence[str], write: Sequence[str], flows: list[str]) -> Action:
    """Kapacitor's token with exactly these buckets (databases on InfluxDB 3) to read and write."""
    return Action(
        "token",
        "create Kapacitor's token: read "
        + (", ".join(f'"{b}"' for b in read) or "nothing")
        + "; write "
        + (", ".join(f'"{b}"' for b in write) or "nothing"),
        read=tuple(read),
        write=tuple(write),
        flows=flows,
    )
