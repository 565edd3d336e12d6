"""The proof on InfluxDB 3 (Core, Enterprise): apply the migration's actions to an in-memory
InfluxDB 3 (tickmig.model.target_v3) that starts as a live server (--influx3-url) lists its
databases, or empty, then check every flow: each write lands in the database the plan wants
(and is not refused for its name or the database limit), each batch query finds its database,
each stream input is fed with exactly the (db, rp) it reads, and Kapacitor's token covers its
reads and writes (Enterprise; Core's token is an admin token).

The actions are the ones the report prints: the active ``influxdb3 create database`` commands
(a commented one is not run: the first write then auto-creates the database), the script
rewrites, the Telegraf outputs to Kapacitor and the token. Writes are applied before queries,
in flow order; when auto-create reaches the database limit, which write fails first depends on
the order writes arrive at run time, and the verdict says so."""

from __future__ import annotations

import copy

from tickmig.model.actions import Action, Plan, telegraf_actions, token_action
from tickmig.model.flows import Flow, MigrationModel
from tickmig.model.kapacitor_version import gate, kapacitor_version
from tickmig.model.proof import Verdict, _refused, judge, refuse_unqualified_read
from tickmig.model.target import InfluxDB2
from tickmig.model.target_v3 import InfluxDB3, V3ApiError, V3Db, V3QueryError
from tickmig.targets.durations import parse_v1_duration
from tickmig.targets.plan import V3Plan
from tickmig.targets.profile import version_text
from tickmig.targets.v3names import query_database, write_database


def initial_v3(model: MigrationModel) -> InfluxDB3:
    """The server as --influx3-url listed it (empty when none was read)."""
    ms = model.inputs.mappings
    target = InfluxDB3(ms.profile.database_limit)
    for db in ms.databases:
        if db.name not in target.databases:
            # Listed by the server: it exists, whatever the limit says now.
            target.databases[db.name] = V3Db(db.name)
    return target


def planned_database(flow: Flow) -> str:
    """The InfluxDB 3 database the migrated scripts mean: the naming rule applied to the pair
    after the plan (a `database =` entry of the plan is a rename to the pair that reaches it)."""
    if flow.kind == "batch-read":
        return query_database(flow.pair.database, flow.pair.retention_policy)
    return write_database(flow.pair.database, flow.pair.retention_policy)


def derive_v3_actions(model: MigrationModel, plan: V3Plan) -> Plan:
    """The model's actions on InfluxDB 3, in operator order."""
    from tickmig.targets.commands import v3_actions

    out = Plan([])
    for v3 in v3_actions(plan):
        if v3.kind != "database-create" or not v3.active or v3.database is None:
            continue  # a commented command is not run: the first write creates the database
        name = v3.database
        found = plan.get(name)
        retention = None
        if found is not None and found.v1_duration is not None:
            try:
                retention = parse_v1_duration(found.v1_duration) or None
            except ValueError:
                retention = None
        out.actions.append(
            Action(
                "database-create",
                f'create database "{name}"' + (f" ({v3.comments[0]})" if v3.comments else ""),
                bucket=name,
                retention=retention,
                flows=[f.id for f in model.flows if f.bucket == name],
            )
        )
    changed = sorted(model.inputs.changed_scripts)
    if changed:
        out.actions.append(
            Action(
                "script-rewrite",
                f"rewrite {len(changed)} script{'s' if len(changed) != 1 else ''} "
                "(tickmig migrate --write with the same options)",
                notes=changed,
            )
        )
    telegraf_actions(model, out)
    out.actions.append(_token(model, plan))
    order = ("database-create", "script-rewrite", "telegraf-output", "token")
    out.actions.sort(key=lambda a: order.index(a.kind))
    return out


def _token(model: MigrationModel, plan: V3Plan) -> Action:
    flows = [
        f.id
        for f in model.flows
        if f.kind == "batch-read" or (f.kind == "write" and f.actor == "influxDBOut")
    ]
    if not plan.profile.resource_tokens:
        return Action(
            "token",
            f"create Kapacitor's token: {plan.profile.label} has admin tokens only (every "
            "database, read and write)",
            read=("*",),
            write=("*",),
            flows=flows,
        )
    read = sorted(d.name for d in plan.databases if d.read and d.invalid is None)
    write = sorted(d.name for d in plan.databases if d.written and d.invalid is None)
    return token_action(read, write, flows)


def prove_v3(model: MigrationModel, plan: V3Plan) -> tuple[Plan, Verdict, InfluxDB3]:
    """Derive the actions, apply them to the in-memory InfluxDB 3, and judge every flow."""
    from tickmig.mappings.v3resolution import live_v3

    ms = model.inputs.mappings
    start = initial_v3(model)
    for flow in model.flows:
        if flow.kind in ("write", "batch-read"):
            _retarget(flow)
    actions = derive_v3_actions(model, plan)
    after = copy.deepcopy(start)
    verdict = Verdict(len(model.flows), unseen=list(model.unseen), notes=list(ms.notes))
    for action in actions.actions:
        if action.kind != "database-create" or action.bucket is None:
            continue
        if action.bucket in after.databases:
            continue  # a live server has it: the operator's create would be a 409
        try:
            after.create_database(action.bucket, action.retention)
        except V3ApiError as exc:
            verdict.action_errors.append(f"{action.summary}: {exc.status} {exc.message}")
    notes = []
    if not live_v3(ms):
        notes.append(
            "no InfluxDB 3 server read (--influx3-url): the proof starts from an empty "
            f"{ms.profile.label} with only the databases the script creates"
        )
    known = kapacitor_version(ms.profile, model.inputs.kapacitor.path)
    stopped = gate(ms.profile, known)
    if stopped is not None:
        verdict.action_errors.append(stopped)
    elif known.version is None:
        notes.append(
            f"Kapacitor's version is unknown ({known.how}): the proof assumes "
            f"{version_text(ms.profile.min_kapacitor)} or later, which {ms.profile.label} "
            "needs; give --kapacitor-version to check it"
        )
    verdict.assumption = "; ".join(notes) or None
    token = next((a for a in actions.actions if a.kind == "token"), None)
    added = {a.pair for a in actions.actions if a.kind == "telegraf-output"}
    limited = False
    refused = _refused(model)
    for flow in model.flows:
        if flow.subject in refused and stopped is None:
            # Kapacitor refuses to define or start the task: none of its flows happens.
            if flow.kind in ("write", "batch-read"):
                _retarget(flow)
            flow.lands, flow.landing, flow.status = False, "nowhere", "refused by Kapacitor"
            flow.reason = f"Kapacitor refuses the task ({refused[flow.subject]})"
        elif stopped is not None and not (flow.kind == "write" and flow.actor == "telegraf"):
            flow.lands, flow.landing, flow.status = False, "nowhere", "Kapacitor does not start"
            flow.reason = (
                f"Kapacitor {known.text} does not start against {ms.profile.label} (it needs "
                f"{version_text(ms.profile.min_kapacitor)})"
            )
        elif flow.kind == "write":
            limited = _write(flow, after, token) or limited
        elif flow.kind == "batch-read":
            _read(flow, after, token)
        else:
            judge(flow, model, InfluxDB2(), "", None, added, None)
        if not flow.lands:
            verdict.failing.append(flow)
    if limited:
        verdict.action_errors.append(
            f"writes auto-create databases past {ms.profile.label}'s limit of "
            f"{ms.profile.database_limit}: which write fails depends on the order they arrive "
            "(consolidate: see the plan in the commands)"
        )
    return actions, verdict, after


def _retarget(flow: Flow) -> None:
    """A flow's wanted database on InfluxDB 3 (the model computes InfluxDB 2 buckets)."""
    name = planned_database(flow)
    if flow.bucket == name and flow.why.startswith("InfluxDB 3"):
        return
    verb = "queries of" if flow.kind == "batch-read" else "writes of"
    rule = f"InfluxDB 3 has no DBRP mappings: {verb} {flow.pair.label} reach database '{name}'"
    if flow.actor == "influxDBOut" and "; " in flow.why:
        rule = f"{flow.why.split('; ', 1)[0]}; {rule}"
    if flow.actor == "telegraf" and flow.why.startswith("[[outputs.influxdb_v2]]") and flow.bucket:
        name, rule = flow.bucket, "[[outputs.influxdb_v2]] writes the database by name"
    flow.bucket, flow.why = name, rule


def _write(flow: Flow, target: InfluxDB3, token: Action | None) -> bool:
    """Judge a write; True when it failed for the database limit."""
    db, rp = flow.pair.database, flow.pair.retention_policy
    if flow.actor == "telegraf" and flow.bucket and flow.why.startswith("[[outputs.influxdb_v2"):
        db, rp = flow.bucket, None  # the v2 write API names the database verbatim
    try:
        found = target.write(db, rp)
    except V3ApiError as exc:
        flow.lands, flow.landing, flow.status = False, "nowhere", f"{exc.status} {exc.message}"
        flow.reason = f"InfluxDB 3 answers {exc.status} {exc.message!r}"
        return "exceed limit" in exc.message
    auto = " (auto-created, indefinite retention)" if found.auto_created else ""
    flow.landing, flow.status = f'database "{found.name}"{auto}', "204"
    flow.lands = found.name == flow.bucket
    if not flow.lands:
        flow.reason = f'lands in database "{found.name}", not "{flow.bucket}"'
    elif flow.actor == "influxDBOut" and not _allows(token, "write", found.name):
        flow.lands, flow.status = False, "403 access denied"
        flow.reason = "Kapacitor's token may not write this database"
    return False


def _read(flow: Flow, target: InfluxDB3, token: Action | None) -> None:
    db, rp = flow.pair.database, flow.pair.retention_policy
    if rp is None:
        refuse_unqualified_read(flow)
        return
    try:
        found = target.query(db, rp)
    except V3QueryError as exc:
        flow.lands, flow.landing, flow.status = False, "nowhere", str(exc)
        written = write_database(db, rp)
        where = (
            f"; writes of {flow.pair.label} land in '{written}' (the retention policy is "
            "lowercased on write only)"
            if written != query_database(db, rp)
            else ""
        )
        flow.reason = f'the query fails: "{exc}"{where}'
        return
    flow.landing, flow.status = f'database "{found.name}"', "200"
    flow.lands = True
    if not _allows(token, "read", found.name):
        flow.lands, flow.status = False, "403 access denied"
        flow.reason = "Kapacitor's token may not read this database"


def _allows(token: Action | None, what: str, name: str) -> bool:
    if token is None:
        return False
    names = token.read if what == "read" else token.write
    return "*" in names or name in names
