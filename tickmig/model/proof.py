"""The proof: apply the actions to an in-memory InfluxDB 2 (tickmig.model.target) that starts
as the mapping sources describe the server, then check every flow: each write lands in the
bucket it should, each batch query resolves, each stream input is fed with exactly the
(db, rp) it reads, and Kapacitor's token covers every read and write."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

from tickmig.configs.model import Pair
from tickmig.engine.define_checks import NO_DBRP, NOT_ALLOWED, refusals
from tickmig.mappings import MappingSet
from tickmig.model.actions import Action, Plan, derive_actions, feeders, org_name
from tickmig.model.flows import Flow, MigrationModel, entry_of
from tickmig.model.target import ApiError, InfluxDB2, QueryError, TargetMapping


@dataclass
class Verdict:
    flows: int
    failing: list[Flow] = field(default_factory=list)
    #: Why the proof started from a guess (no mapping source read from a server).
    assumption: str | None = None
    action_errors: list[str] = field(default_factory=list)
    #: Tasks whose DBRPs are not in view: not proven.
    unseen: list[str] = field(default_factory=list)
    #: What tickmig decided about the mapping sources (MappingSet.notes), said first.
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failing and not self.action_errors

    @property
    def headline(self) -> str:
        if self.flows == 0:
            return "no data flow: nothing to prove"
        tail = ""
        if self.unseen:
            count = len(self.unseen)
            tail = f"; {count} task{'s' if count != 1 else ''} not proven (DBRPs not in view)"
        if self.ok:
            return f"all {self.flows} flows land{tail}"
        return f"{len(self.failing)} of {self.flows} flows do not land{tail}"


def initial_target(ms: MappingSet, org: str) -> InfluxDB2:
    """The server as the mapping sources describe it (empty when none was read)."""
    target = InfluxDB2(virtual_mappings=ms.profile.virtual_mappings)
    for b in ms.buckets:
        if target.bucket(b.id) is None and target.bucket_named(org, b.name) is None:
            target.create_bucket(org, b.name, 0, id=b.id)
    for m in ms.mappings:
        if m.virtual:
            continue
        bucket_id = m.bucket_id or f"unknown-{m.bucket_name}"
        if target.bucket(bucket_id) is None:
            name = m.bucket_name or bucket_id
            if target.bucket_named(org, name) is not None:
                continue
            target.create_bucket(org, name, 0, id=bucket_id)
        try:
            created = target.create_dbrp(org, m.database, m.retention_policy, bucket_id)
        except ApiError:
            continue
        if m.default and not created.default:
            target.update_dbrp(org, created.id, default=True)
    # What exists is there already; the plan's limits apply to what the migration creates.
    target.limits = ms.profile.plan_limits
    return target


def apply(
    target: InfluxDB2, org: str, actions: list[Action], refused: dict[str, str] | None = None
) -> list[str]:
    """Run the actions as the shell script does; the errors InfluxDB would answer. A bucket
    InfluxDB refuses (a Cloud plan's limits) is why its flows fail: into `refused`, by flow."""
    errors: list[str] = []
    for action in actions:
        try:
            _apply(target, org, action)
        except ApiError as exc:
            errors.append(f"{action.summary}: {exc.status} {exc.message}")
            if action.kind == "bucket-create" and refused is not None:
                why = f'InfluxDB refused to create bucket "{action.bucket}": {exc}'
                for flow in action.flows:
                    refused.setdefault(flow, why)
    return errors


def _apply(target: InfluxDB2, org: str, action: Action) -> None:
    if action.kind == "bucket-create" and action.bucket is not None:
        if target.bucket_named(org, action.bucket) is None:  # the script checks first
            target.create_bucket(org, action.bucket, action.retention or 0)
    elif action.kind == "dbrp-create" and action.pair is not None and action.bucket:
        db, rp = action.pair.database, action.pair.retention_policy or ""
        if any(m.retention_policy == rp for m in _physical(target, org, db)):
            return  # the script checks first
        bucket = target.bucket_named(org, action.bucket)
        target.create_dbrp(org, db, rp, bucket.id if bucket else "")
    elif action.kind == "dbrp-default" and action.pair is not None:
        db, rp = action.pair.database, action.pair.retention_policy or ""
        found = [m for m in _physical(target, org, db) if m.retention_policy == rp]
        if not found:
            raise ApiError(404, "not found", "unable to find DBRP")
        target.update_dbrp(org, found[0].id, default=True)


def _physical(target: InfluxDB2, org: str, db: str) -> list[TargetMapping]:
    return [m for m in target.dbrps(org) if m.database == db and not m.virtual]


def prove(model: MigrationModel, plan: Plan | None = None) -> tuple[Plan, Verdict, InfluxDB2]:
    """Derive the actions (unless given), apply them, and judge every flow."""
    org = org_name(model)
    ms = model.inputs.mappings
    start = initial_target(ms, org)
    plan = plan or derive_actions(model, start)
    after = copy.deepcopy(start)
    verdict = Verdict(
        len(model.flows), unseen=list(model.unseen), notes=list(model.inputs.mappings.notes)
    )
    refused: dict[str, str] = {}
    verdict.action_errors = apply(after, org, plan.actions, refused)
    blocked = {**refused, **plan.blocked}
    if not ms.from_server:
        verdict.assumption = (
            "no mapping source read from a server: the proof starts from an InfluxDB 2 "
            "with only what the plan and --mapping files say; the script checks before it "
            "creates anything"
        )
    token = next((a for a in plan.actions if a.kind == "token"), None)
    # The outputs tickmig adds (an existing output renamed in place is a feeder already).
    added = {a.pair for a in plan.actions if a.kind == "telegraf-output" and not a.in_place}
    # Outputs proposed for writers tickmig does not see (no Telegraf file in view writes the
    # pair): fed only once the operator adds them there.
    unplaced = {a.pair for a in plan.actions if a.kind == "telegraf-output" and a.file is None} - {
        a.pair for a in plan.actions if a.kind == "telegraf-output" and a.file is not None
    }
    refused = _refused(model)
    for flow in model.flows:
        if flow.subject in refused:
            flow.lands, flow.landing, flow.status = False, "nowhere", "refused by Kapacitor"
            flow.reason = f"Kapacitor refuses the task ({refused[flow.subject]})"
        else:
            judge(flow, model, after, org, token, added, blocked.get(flow.id))
            if flow.kind == "stream-input" and flow.pair in unplaced and flow.lands:
                flow.caveat = "; ".join(
                    x
                    for x in (
                        f"no Telegraf file in view writes {flow.before.label}: it is fed once "
                        "whatever writes it also sends it to Kapacitor (see the Telegraf "
                        "section)",
                        flow.caveat,
                    )
                    if x
                )
        if not flow.lands:
            verdict.failing.append(flow)
    return plan, verdict, after


def _refused(model: MigrationModel) -> dict[str, str]:
    """The tasks Kapacitor refuses to define or start, with its first message: none of their
    flows happens. A task with no DBRP in view is not refused but unproven (it may be
    defined with `-dbrp`)."""
    out: dict[str, str] = {}
    for task in model.inputs.tasks:
        if task.template:
            continue
        messages = [m for m in refusals(task) if m != NO_DBRP]
        # An unqualified FROM is the pair ("", "") or ("db", "") to Kapacitor, which no task
        # declares, whether its DBRPs come from the script, a definition or `-dbrp`.
        for use in task.reads:
            if use.via == "query" and "unset" in (use.database.kind, use.retention_policy.kind):
                db = "" if use.database.kind == "unset" else use.database.text
                rp = "" if use.retention_policy.kind == "unset" else use.retention_policy.text
                messages.append(f'{NOT_ALLOWED} "{db}"."{rp}"')
        if messages:
            out[entry_of(task)] = messages[0]
    return out


def judge(
    flow: Flow,
    model: MigrationModel,
    target: InfluxDB2,
    org: str,
    token: Action | None,
    added: set[Pair | None],
    blocked: str | None,
) -> None:
    db, rp = flow.pair.database, flow.pair.retention_policy
    if flow.kind == "write":
        try:
            bucket = target.write(org, db, rp)
        except ApiError as exc:
            flow.lands, flow.landing, flow.status = False, "nowhere", f"{exc.status} {exc.message}"
            flow.reason = blocked or f"InfluxDB 2 answers {exc.status} {exc.message!r}"
            return
        flow.landing, flow.status = f'bucket "{bucket.name}"', "204"
        flow.lands = flow.bucket is None or bucket.name == flow.bucket
        if not flow.lands:
            flow.reason = blocked or f'lands in bucket "{bucket.name}", not "{flow.bucket}"'
        elif flow.actor == "influxDBOut" and (token is None or bucket.name not in token.write):
            flow.lands, flow.status = False, "403 insufficient permissions for write"
            flow.reason = "Kapacitor's token may not write this bucket"
        return
    if flow.kind == "batch-read":
        if rp is None:
            refuse_unqualified_read(flow)
            return
        try:
            bucket = target.query(org, db, rp)
        except QueryError as exc:
            flow.lands, flow.landing, flow.status = False, "nowhere", str(exc)
            flow.reason = blocked or f'the query fails: "{exc}"'
            return
        flow.landing, flow.status = f'bucket "{bucket.name}"', "200"
        flow.lands = flow.bucket is None or bucket.name == flow.bucket
        if not flow.lands:
            flow.reason = f'reads bucket "{bucket.name}", not "{flow.bucket}"'
        elif token is None or bucket.name not in token.read:
            flow.lands, flow.status = False, "401 unauthorized"
            flow.reason = "Kapacitor's token may not read this bucket"
        return
    if flow.kind == "kapacitor-write":
        default_rp = model.inputs.kapacitor.default_retention_policy or None
        pair = Pair(db, rp or default_rp)
        readers = [f.subject for f in model.by_kind("stream-input") if f.pair == pair]
        flow.fed_by = sorted(set(readers))
        flow.lands, flow.landing, flow.status = True, "Kapacitor", "204"
        if rp is None and default_rp is None:
            flow.caveat = "no retention policy and no default-retention-policy: reaches no task"
        elif not readers:
            # A near miss: stream tasks match the exact (db, rp), so another rp feeds nobody.
            near = sorted(
                {
                    f"{f.subject} reads {f.pair.label}"
                    for f in model.by_kind("stream-input")
                    if f.pair.database == db
                }
            )
            if near:
                flow.caveat = f"no stream task reads {pair.label} ({'; '.join(near)})"
        return
    writers = [f.subject for f in feeders(model, flow.pair)]
    if flow.pair in added:
        placeholder = model.kapacitor_url_source == "placeholder"
        writers.append("the Telegraf output tickmig adds (see the Telegraf section)")
        if placeholder:
            flow.caveat = (
                f"the Kapacitor URL is a placeholder ({model.kapacitor_url}): give "
                "--kapacitor-conf or --kapacitor-url, or set KAPACITOR_HOST for Telegraf"
            )
    flow.fed_by = writers
    flow.lands = bool(writers)
    flow.landing = "Kapacitor stream" if writers else "nowhere"
    flow.status = "fed" if writers else "never fed"
    if not writers:
        flow.reason = f"nothing writes {flow.pair.label} to Kapacitor"


def failure_message(flow: Flow) -> str:
    """One sentence for a failing flow (TM130's message)."""
    what = {
        "write": "writes",
        "batch-read": "queries",
        "stream-input": "reads from Kapacitor",
        "kapacitor-write": "writes to Kapacitor",
    }[flow.kind]
    renamed = f" (the plan renames {flow.before.label})" if flow.renamed else ""
    return (
        f"{what} {flow.pair.label}{renamed}, which does not land even after the migration's "
        f"actions: {flow.reason or flow.status}"
    )


def status_after(target: InfluxDB2, org: str, pair: Pair) -> tuple[str, str | None]:
    """How `pair` resolves on the target once the actions ran (what the proof sees): the
    status ("exact", "default", "virtual" or "missing") and the bucket."""
    mapping = target.find(org, pair.database, pair.retention_policy)
    bucket = target.bucket(mapping.bucket_id) if mapping is not None else None
    if mapping is None or bucket is None:
        return "missing", None
    if mapping.virtual:
        return "virtual", bucket.name
    return ("exact" if pair.retention_policy else "default"), bucket.name


def refuse_unqualified_read(flow: Flow) -> None:
    """A batch query whose FROM names no retention policy: Kapacitor refuses the task (TM103),
    on every target, so the read lands nowhere."""
    flow.lands, flow.landing, flow.status = False, "nowhere", "refused by Kapacitor"
    flow.reason = (
        'the FROM names no retention policy: Kapacitor refuses it ("batch query is not '
        'allowed to request data from ...", TM103)'
    )
