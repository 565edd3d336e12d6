"""Builds the migration report: checks every task, runs the migration in memory (nothing is
written), resolves every DBRP the tasks use, plans the `influx` commands, and checks and
patches the Telegraf and Kapacitor configuration files given."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from tickmig.configs.model import Facts, StreamInput
from tickmig.diagnostics import Applicability, Diagnostic, FileResult
from tickmig.engine.checker import Checker, checker_for
from tickmig.engine.fixer import Migration, migrate
from tickmig.errors import ConfigError, InputError
from tickmig.mappings import MappingSet, Resolution, ResolutionStatus
from tickmig.model.actions import ORDER, Action
from tickmig.model.flows import (
    MigrationModel,
    ModelInputs,
    build_model,
    fed_by_configs,
    plan_pair,
)
from tickmig.model.inputs import read_kapacitor, read_telegraf
from tickmig.model.proof import Verdict, prove
from tickmig.model.script import command_rows, render_script
from tickmig.model.target import InfluxDB2
from tickmig.report.model import (
    KINDS,
    STATUSES,
    Command,
    FindingRow,
    KapacitorReport,
    Pair,
    PairReport,
    Report,
    Summary,
    TaskReport,
    TelegrafReport,
    UseRow,
)
from tickmig.settings import Settings
from tickmig.tasks.loaddir import Definition, template_path
from tickmig.tasks.model import DBRPUse, Task, Value
from tickmig.tasks.workspace import Workspace, load_workspace
from tickmig.text.source import STDIN
from tickmig.text.spans import LineIndex
from tickmig.tickscript.nodes import Identifier

STREAM_INPUT_VIAS = ("dbrp", "task-dbrps")


@dataclass
class ReportOptions:
    telegraf_confs: list[str] = field(default_factory=list)
    kapacitor_conf: str | None = None
    #: --kapacitor-url; None: from kapacitor.conf, else a placeholder (never a guess).
    kapacitor_url: str | None = None
    #: --patch-influx-url: write this InfluxDB 2 URL into the patched copies.
    patch_influx_url: str | None = None


class _Texts:
    """File texts by path, from the workspace (for line numbers)."""

    def __init__(self, workspace: Workspace) -> None:
        self._workspace = workspace
        self._indexes: dict[str, LineIndex] = {}

    def text(self, path: str) -> str:
        try:
            return self._workspace.source(path).text
        except InputError:
            return ""

    def line(self, path: str, offset: int) -> int:
        index = self._indexes.get(path)
        if index is None:
            index = self._indexes[path] = LineIndex(self.text(path))
        return index.line_column(offset)[0]


def load_inputs(paths: Sequence[str], settings: Settings) -> tuple[Checker, Workspace]:
    """The checker the settings ask for and the workspace of the paths; raises ConfigError
    or InputError (usage errors) for bad mapping sources or paths, or standard input."""
    checker = checker_for(settings)
    workspace = load_workspace(paths)
    if STDIN in workspace.scripts:
        raise ConfigError("tickmig report reads files and directories, not standard input")
    return checker, workspace


def build_report(
    workspace: Workspace, checker: Checker, settings: Settings, options: ReportOptions
) -> Report:
    """The whole report. Problems in the configuration files become part of it."""
    from tickmig.rules import rule_infos

    mappings = checker.mappings
    checker.fed = fed_by_configs(
        mappings, options.telegraf_confs, options.kapacitor_conf, options.kapacitor_url
    )
    migration = migrate(workspace, checker, keep_tasks=True)
    run = migration.before
    tasks = run.tasks
    texts = _Texts(workspace)
    definitions = _definitions(tasks, workspace)
    by_entry = {task.definition or task.path: task for task in tasks}

    kapacitor_facts = read_kapacitor(options.kapacitor_conf)
    known_url = options.kapacitor_url or kapacitor_facts.url
    model = build_model(
        ModelInputs(
            tasks,
            mappings,
            settings.org,
            read_telegraf(options.telegraf_confs, known_url),
            kapacitor_facts,
            options.kapacitor_url,
            changed_scripts=sorted(c.path for c in migration.changed()),
        )
    )
    # What each influxDBOut() really sends (the point's own db/rp where points pass unchanged).
    sent = _sent_pairs(model)
    pairs, _resolutions, loopback = _pairs(tasks, mappings, sent)
    entries = [
        _task_report(result, by_entry.get(result.path), migration, definitions, pairs, texts, sent)
        for result in run.results
    ]
    for path in sorted(set(migration.changes) - {e.path for e in entries}):
        entries.append(
            _task_report(FileResult(path), None, migration, definitions, pairs, texts, sent)
        )
    entries.sort(key=lambda e: e.path)

    plan, proven, target = prove(model)
    _status_after(pairs, model, target)
    verdict: Verdict | None = proven
    script = render_script(plan, settings.org, proven.assumption)
    commands = [
        Command(kind, action.pair, line, comments, bool(line))
        for kind, action, line, comments in command_rows(plan)
    ]
    if mappings.profile.v3 and checker.plan is not None:
        from tickmig.model.proof_v3 import prove_v3
        from tickmig.targets.commands import render_v3_script, v3_actions

        # InfluxDB 3 has no DBRP mappings: the proof runs on an in-memory InfluxDB 3.
        plan, verdict, _v3 = prove_v3(model, checker.plan)
        v3 = v3_actions(checker.plan)
        commands = [Command(a.kind, None, a.command, list(a.comments), a.active) for a in v3]
        script = render_v3_script(checker.plan, v3)
    facts = Facts(
        mappings,
        # The patches never write the address tickmig itself used to reach InfluxDB.
        replace(settings, influx_url=None),
        _planned_inputs(model, _stream_inputs(tasks, definitions, loopback)),
        _clusters(tasks),
        _flux_tasks(tasks),
        {p.pair: p for p in pairs},
        loopback,
        writer_landing={
            f.subject: (f.lands, f.landing if f.lands else f"{f.status} ({f.reason})")
            for f in model.flows
            if f.actor == "telegraf" and f.kind == "write"
        },
        patch_influx_url=options.patch_influx_url,
    )

    from tickmig.configs.model import KapacitorTarget
    from tickmig.engine.configs import check_configs

    source = {"option": "--kapacitor-url", "placeholder": "placeholder"}.get(
        model.kapacitor_url_source, options.kapacitor_conf or "kapacitor.conf"
    )
    configs = check_configs(
        facts,
        options.telegraf_confs,
        options.kapacitor_conf,
        checker.enabled,
        options.kapacitor_url,
        target=KapacitorTarget(model.kapacitor_url, source),
    )
    telegraf, kapacitor = configs.telegraf, configs.kapacitor
    if kapacitor.file is not None and kapacitor.file.diff:
        plan.actions.append(
            Action(
                "kapacitor-conf",
                f"patch {kapacitor.file.path} as its diff below shows (then fill in the token "
                "and restart Kapacitor)",
                file=kapacitor.file.path,
            )
        )
        plan.actions.sort(key=lambda a: ORDER.index(a.kind))
    input_errors = sorted(set(run.input_errors) | set(migration.input_errors))
    pair_list = sorted(pairs, key=lambda p: p.pair.sort_key())
    report = Report(
        paths=list(workspace.paths),
        org=settings.org,
        target=mappings.profile.name,
        mapping_origin=mappings.origin,
        summary=_summary(
            entries,
            pair_list,
            tasks,
            migration,
            run.diagnostics(),
            commands,
            telegraf,
            kapacitor,
            input_errors,
        ),
        pairs=pair_list,
        tasks=entries,
        commands=commands,
        script=script,
        telegraf=telegraf,
        kapacitor=kapacitor,
        input_errors=input_errors,
        rule_names={code: info.name for code, info in rule_infos().items()},
        flows=model.flows,
        verdict=verdict,
        actions=plan.actions,
        kapacitor_url_source=model.kapacitor_url_source,
    )
    return report


def _status_after(pairs: list[PairReport], model: MigrationModel, target: InfluxDB2) -> None:
    """Each DBRP's status once the plan and the actions are applied (what the proof sees)."""
    from tickmig.model.actions import org_name
    from tickmig.model.proof import status_after

    if model.inputs.mappings.profile.v3:
        return  # no DBRP mappings on InfluxDB 3: the v3 plan and proof say where data goes
    for p in pairs:
        if p.status in ("exact", "default", "virtual", "assumed", "missing", "ambiguous"):
            used = p.renamed_to or p.pair
            p.after = status_after(target, org_name(model), used)


def _planned_inputs(model: MigrationModel, inputs: list[StreamInput]) -> list[StreamInput]:
    """The stream inputs as the migrated tasks read them (a plan rename applied), without
    those a Kapacitor listener or an existing writer already feeds."""
    from tickmig.model.actions import feeders

    ms = model.inputs.mappings
    out: dict[Pair, StreamInput] = {}
    for item in inputs:
        pair = plan_pair(ms, item.pair)
        if any(f.actor == "listener" for f in feeders(model, pair)):
            continue
        merged = out.setdefault(pair, StreamInput(pair, all_known=item.all_known))
        merged.tasks |= item.tasks
        merged.measurements |= item.measurements
        merged.all_known = merged.all_known and item.all_known
        if pair != item.pair:
            merged.source_database = item.pair.database
    return [out[p] for p in sorted(out, key=Pair.sort_key)]


# --- DBRPs ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Use:
    direction: str
    via: str
    pair: Pair | None
    label: str
    path: str
    start: int
    #: Where the database value is written (a task definition's value, a var), if anywhere.
    value_path: str
    value_start: int


def _part(value: Value) -> str:
    if value.text is not None:
        return f'"{value.text}"'
    if value.var is not None:
        return f"<var {value.var}>"
    return "<unknown>"


Sent = dict[tuple[str, int], list[Pair]]


def _sent_pairs(model: MigrationModel) -> Sent:
    """(task, influxDBOut node offset) -> the pairs it sends, from the migration model."""
    out: Sent = {}
    for flow in model.flows:
        if flow.actor == "influxDBOut":
            found = out.setdefault((flow.subject, flow.start), [])
            if flow.before not in found:
                found.append(flow.before)
    return out


def task_uses(task: Task, sent: Sent | None = None) -> list[_Use]:
    """The DBRP references of a task (a `from()` without both a database and a retention
    policy only filters the task's DBRPs, and an unqualified query source names none: both
    are left out; check reports the latter as TM103). With `sent` (the model's), an
    `influxDBOut()` counts with each pair it really sends."""
    out: list[_Use] = []
    entry = task.definition or task.path
    for use in task.uses():
        db, rp = use.database, use.retention_policy
        if use.via == "from" and (db.kind == "unset" or rp.kind == "unset"):
            continue
        if use.via == "query" and db.kind == "unset":
            continue
        rp_unset = rp.kind == "unset"
        known = db.text is not None and (rp_unset or rp.text is not None)
        pair = Pair(db.text, None if rp_unset else rp.text) if known else None  # type: ignore[arg-type]
        label = (
            pair.label
            if pair is not None
            else (_part(db) if rp_unset else f"{_part(db)}.{_part(rp)}")
        )
        # The node's offsets are in the task's script (the template of a task definition).
        start = use.node.start if use.node is not None and use.path == task.path else use.start
        node_start = use.node.start if use.node is not None else -1
        really = (sent or {}).get((entry, node_start), [])
        if use.via == "influxDBOut" and really and really != [pair]:
            value_start = db.start if db.end > db.start else start
            out.extend(
                _Use(use.direction, use.via, p, p.label, use.path, start, db.path, value_start)
                for p in really
            )
            continue
        out.append(
            _Use(
                use.direction,
                use.via,
                pair,
                label,
                use.path,
                start,
                db.path,
                db.start if db.end > db.start else start,
            )
        )
    return out


def _is_stream_task(task: Task) -> bool:
    return task.type == "stream" and not task.template


def _pairs(
    tasks: list[Task], mappings: MappingSet, sent: Sent
) -> tuple[list[PairReport], list[tuple[Pair, Resolution]], set[Pair]]:
    readers: dict[Pair, set[str]] = {}
    writers: dict[Pair, set[str]] = {}
    stream_inputs: dict[Pair, set[str]] = {}
    influx_uses: set[Pair] = set()
    loopback: set[Pair] = set()
    for task in tasks:
        if task.template:
            continue
        entry = task.definition or task.path
        for use in task_uses(task, sent):
            if use.pair is None:
                continue
            if use.direction == "read":
                readers.setdefault(use.pair, set()).add(entry)
                if _is_stream_task(task) and use.via in STREAM_INPUT_VIAS:
                    stream_inputs.setdefault(use.pair, set()).add(entry)
                elif not _is_stream_task(task):
                    influx_uses.add(use.pair)
            elif use.via == "kapacitorLoopback":
                loopback.add(use.pair)
                writers.setdefault(use.pair, set()).add(entry)
            else:
                writers.setdefault(use.pair, set()).add(entry)
                influx_uses.add(use.pair)
    out: list[PairReport] = []
    resolutions: list[tuple[Pair, Resolution]] = []
    for pair in sorted(set(readers) | set(writers), key=Pair.sort_key):
        report = PairReport(
            pair,
            "",
            None,
            "",
            None,
            sorted(readers.get(pair, ())),
            sorted(writers.get(pair, ())),
            sorted(stream_inputs.get(pair, ())),
        )
        if pair in loopback and pair not in influx_uses:
            report.status = "kapacitor"
            report.reason = (
                "only kapacitorLoopback writes it: the points stay inside "
                "Kapacitor, no DBRP mapping is needed"
            )
        else:
            res = mappings.resolve(pair.database, pair.retention_policy)
            report.status = res.status.value
            report.bucket = res.bucket
            report.reason = res.reason
            rename = res.rename
            if rename is not None and rename.to_database is not None:
                report.renamed_to = Pair(
                    rename.to_database, rename.to_retention_policy or pair.retention_policy
                )
            if res.status is not ResolutionStatus.SYSTEM:
                resolutions.append((pair, res))
        out.append(report)
    return out, resolutions, loopback


def _use_rows(
    task: Task | None, entry: str, pairs: dict[Pair, PairReport], texts: _Texts, sent: Sent
) -> list[UseRow]:
    if task is None:
        return []
    rows: dict[tuple[str, str], UseRow] = {}
    for use in task_uses(task, sent):
        status, bucket, note = "unknown", None, None
        if task.template:
            status = "template"
        elif use.via == "kapacitorLoopback":
            status = "kapacitor"
        elif use.pair is not None and use.pair in pairs:
            found = pairs[use.pair]
            status, bucket = found.status, found.bucket
            if found.renamed_to is not None:
                note = f"the plan renames it to {found.renamed_to.label}"
        row = rows.setdefault(
            (use.direction, use.label),
            UseRow(use.direction, use.label, use.pair, [], [], status, bucket, note),
        )
        if use.via not in row.vias:
            row.vias.append(use.via)
        path, offset = use.path, use.start
        if path != entry and use.value_path == entry:
            path, offset = use.value_path, use.value_start
        line = texts.line(path, offset)
        place = f"{line}" if path == entry else f"{path}:{line}"
        if place not in row.places:
            row.places.append(place)
    return sorted(rows.values(), key=lambda r: (r.direction != "read", r.label))


# --- tasks ------------------------------------------------------------------------------------


def _definitions(tasks: list[Task], workspace: Workspace) -> dict[str, Definition]:
    """The definition (or vars file) of every task a definition creates."""
    return {
        task.definition: workspace.definitions[task.definition]
        for task in tasks
        if task.definition is not None and task.definition in workspace.definitions
    }


def _task_report(
    result: FileResult,
    task: Task | None,
    migration: Migration,
    definitions: dict[str, Definition],
    pairs: list[PairReport],
    texts: _Texts,
    sent: Sent,
) -> TaskReport:
    path = result.path
    kind = result.task_type or (
        "syntax-error" if any(d.code == "TM001" for d in result.diagnostics) else "unknown"
    )
    stem = os.path.splitext(os.path.basename(path))[0]
    entry = TaskReport(path, stem, kind)
    definition = definitions.get(path)
    if definition is not None:
        entry.id = definition.id
        entry.template = template_path(definition)
        if task is not None:
            entry.creates = task.kind
    by_pair = {p.pair: p for p in pairs}
    entry.uses = _use_rows(task, path, by_pair, texts, sent)
    entry.findings = [_finding(d) for d in result.diagnostics]
    if task is not None and task.type != "invalid":
        entry.delivery = task.delivery
    change = migration.changes.get(path)
    if change is not None and change.changed:
        from tickmig.text.diffs import unified_diff

        entry.diff = unified_diff(path, change.original.text, change.text)
        entry.safe_fixes = len(change.applied)
    entry.unsafe_fixes = sum(
        1
        for d in result.diagnostics
        if d.fix is not None and d.fix.edits and d.fix.applicability is Applicability.UNSAFE
    )
    entry.migration_error = migration.failed.get(path)
    return entry


def _finding(d: Diagnostic) -> FindingRow:
    fix = d.fix.applicability.value if d.fix is not None else None
    loc = d.location
    return FindingRow(
        d.code,
        d.name,
        d.severity.value,
        loc.path,
        loc.line,
        loc.column,
        " ".join(d.message.split()),
        fix,
    )


# --- what the configuration checks need ---------------------------------------------------------


def config_facts(
    workspace: Workspace,
    tasks: list[Task],
    mappings: MappingSet,
    settings: Settings,
    options: ReportOptions,
) -> Facts:
    """What the TM3xx rules need to know about the tasks (for `check --telegraf-conf`)."""
    pairs, _resolutions, loopback = _pairs(tasks, mappings, {})
    definitions = _definitions(tasks, workspace)
    return _facts(tasks, definitions, mappings, settings, pairs, loopback, options)


def _facts(
    tasks: list[Task],
    definitions: dict[str, Definition],
    mappings: MappingSet,
    settings: Settings,
    pairs: list[PairReport],
    loopback: set[Pair],
    options: ReportOptions,
) -> Facts:
    return Facts(
        mappings,
        # The patches never write the address tickmig itself used to reach InfluxDB.
        replace(settings, influx_url=None),
        _stream_inputs(tasks, definitions, loopback),
        _clusters(tasks),
        _flux_tasks(tasks),
        {p.pair: p for p in pairs},
        loopback,
        patch_influx_url=options.patch_influx_url,
    )


def _stream_inputs(
    tasks: list[Task], definitions: dict[str, Definition], loopback: set[Pair]
) -> list[StreamInput]:
    """Every (db, rp) that stream tasks take as input, and the measurements they read from it
    (`from().measurement()`; all must be known for Telegraf's namepass)."""
    inputs: dict[Pair, StreamInput] = {}
    # A stream task whose DBRPs are not in view (a vars file, defined with `-dbrp` on the
    # command line) may read any pair: then no namepass can be known to be complete.
    unseen_subscriber = False
    for task in tasks:
        if not _is_stream_task(task):
            continue
        entry = task.definition or task.path
        froms = [u for u in task.reads if u.via == "from"]
        subscriptions = [
            u
            for u in task_uses(task)
            if u.direction == "read" and u.via in STREAM_INPUT_VIAS and u.pair is not None
        ]
        unseen_subscriber = unseen_subscriber or not subscriptions
        for use in task_uses(task):
            if use.direction != "read" or use.via not in STREAM_INPUT_VIAS or use.pair is None:
                continue
            item = inputs.setdefault(use.pair, StreamInput(use.pair))
            item.tasks.add(entry)
            applicable = [f for f in froms if _filters_pair(f, use.pair)]
            if not applicable:
                item.all_known = False
            for source in applicable:
                measurement = _measurement(task, source, definitions)
                if measurement is None:
                    item.all_known = False
                else:
                    item.measurements.add(measurement)
    if unseen_subscriber:
        for item in inputs.values():
            item.all_known = False
    return [inputs[p] for p in sorted(inputs, key=Pair.sort_key)]


def _filters_pair(source: DBRPUse, pair: Pair) -> bool:
    """Whether a `from()` node can receive points of `pair` (its own filters allow them)."""
    db, rp = source.database, source.retention_policy
    if db.kind != "unset" and db.text is not None and db.text != pair.database:
        return False
    return not (rp.kind != "unset" and rp.text is not None and rp.text != pair.retention_policy)


def _measurement(task: Task, source: DBRPUse, definitions: dict[str, Definition]) -> str | None:
    """The measurement a `from()` reads; a template var is looked up in the task definition."""
    definition = definitions.get(task.definition or "")
    if definition is not None:
        for node in task.nodes:
            if node.call is not source.node:
                continue
            prop = node.property("measurement")
            arg = prop.args[0] if prop is not None and prop.args else None
            if isinstance(arg, Identifier) and arg.name in definition.vars:
                _type, located = definition.vars[arg.name]
                if located is not None and isinstance(located.value, str):
                    return located.value
                return None
    return source.measurement


def _clusters(tasks: list[Task]) -> dict[str | None, set[str]]:
    out: dict[str | None, set[str]] = {}
    for task in tasks:
        if task.template:
            continue
        for feature in task.features:
            if feature.name == "cluster":
                name = feature.argument.text if feature.argument is not None else None
                out.setdefault(name, set()).add(task.definition or task.path)
    return out


def _flux_tasks(tasks: list[Task]) -> dict[str, str | None]:
    out: dict[str, str | None] = {}
    for task in tasks:
        if task.template or not any(f.name == "queryFlux" for f in task.features):
            continue
        cluster = None
        for node in task.nodes:
            if node.name == "queryFlux":
                prop = node.property("cluster")
                if prop is not None and prop.args:
                    from tickmig.tickscript.nodes import String

                    arg = prop.args[0]
                    cluster = arg.value if isinstance(arg, String) else None
        out[task.definition or task.path] = cluster
    return out


# --- summary ----------------------------------------------------------------------------------


def _summary(
    entries: list[TaskReport],
    pairs: list[PairReport],
    tasks: list[Task],
    migration: Migration,
    diagnostics: list[Diagnostic],
    commands: list[Command],
    telegraf: TelegrafReport,
    kapacitor: KapacitorReport,
    input_errors: list[str],
) -> Summary:
    kinds = dict.fromkeys(KINDS, 0)
    definitions: dict[str, int] = {}
    for entry in entries:
        kinds[entry.kind] = kinds.get(entry.kind, 0) + 1
        if entry.kind == "task-definition" and entry.creates:
            definitions[entry.creates] = definitions.get(entry.creates, 0) + 1
    by_status = dict.fromkeys(STATUSES, 0)
    for pair in pairs:
        by_status[pair.status] = by_status.get(pair.status, 0) + 1
    unknown = sum(1 for t in tasks if not t.template for u in task_uses(t) if u.pair is None)
    codes = Counter(d.code for d in diagnostics)
    config_files = [*telegraf.files, *([kapacitor.file] if kapacitor.file else [])]
    return Summary(
        files=len(entries),
        kinds=kinds,
        definitions=dict(sorted(definitions.items())),
        pairs_read=sum(1 for p in pairs if p.read_by),
        pairs_written=sum(1 for p in pairs if p.written_by),
        pairs=len(pairs),
        by_status=by_status,
        unknown_uses=unknown,
        safe_fixes=migration.fixes_applied,
        files_changed=len(migration.changed()),
        unsafe_fixes=migration.unsafe_skipped,
        migration_failures=len(migration.failed),
        todos=codes.get("TM200", 0),
        findings=len(diagnostics),
        by_code=dict(sorted(codes.items())),
        commands=sum(1 for c in commands if c.active and c.kind != "note"),
        config_errors=sum(1 for f in config_files if f.error is not None),
        input_errors=len(input_errors),
    )
