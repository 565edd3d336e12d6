"""Builds the migration report: checks every task, runs the migration in memory (nothing is
written), resolves every DBRP the tasks use, plans the `influx` commands, and checks and
patches the Telegraf and Kapacitor configuration files given."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace

from tickmig.configs.model import Facts, StreamInput
from tickmig.diagnostics import Applicability, Diagnostic, FileResult
from tickmig.engine.checker import Checker, check_paths, checker_for
from tickmig.engine.fixer import Migration, migrate
from tickmig.errors import ConfigError
from tickmig.model.actions import ORDER, Action
from tickmig.model.flows import (
    MigrationModel,
    ModelInputs,
    build_model,
    fed_by_configs,
    loopback_written,
    plan_pair,
)
from tickmig.model.inputs import read_kapacitor, read_telegraf
from tickmig.model.proof import Verdict, prove
from tickmig.model.script import command_rows, render_script
from tickmig.model.target import InfluxDB2
from tickmig.report.facts import clusters, flux_tasks, stream_inputs
from tickmig.report.model import (
    KINDS,
    STATUSES,
    Command,
    FindingRow,
    KapacitorReport,
    Pair,
    PairReport,
    Report,
    ReportOptions,
    Summary,
    TaskReport,
    TelegrafReport,
    UseRow,
)
from tickmig.report.uses import (
    Texts,
    definitions_for,
    resolve_pairs,
    sent_pairs,
    task_uses,
    use_rows,
)
from tickmig.settings import Settings
from tickmig.tasks.delivery import Delivery
from tickmig.tasks.loaddir import Definition, template_path
from tickmig.tasks.workspace import Workspace, load_workspace
from tickmig.text.source import STDIN


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
    migration = migrate(workspace, checker)
    # The findings still there after the migration are not part of the report.
    migration.remaining = []
    run = migration.before
    # The task models of the files as they are, taken once the migration's passes are done
    # (no rule runs): its passes and the models never hold memory at the same time.
    tasks = check_paths(workspace, replace(checker, enabled=set()), keep_tasks=True).tasks
    texts = Texts(workspace)
    definitions = definitions_for(tasks, workspace)
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
    sent = sent_pairs(model)
    pairs, _resolutions, loopback = resolve_pairs(tasks, mappings, sent)
    loopback |= loopback_written(model)  # the stream inputs below are the renamed pairs
    # Everything the report needs from the task models, taken now: then the models (each
    # file's tree) are released before the per-file entries are built.
    by_pair = {p.pair: p for p in pairs}
    per_task = {
        entry: _TaskFacts(
            task.kind,
            use_rows(task, entry, by_pair, texts, sent),
            task.delivery if task.type != "invalid" else None,
        )
        for entry, task in by_entry.items()
    }
    inputs = _planned_inputs(model, stream_inputs(tasks, definitions, loopback))
    cluster_uses, flux = clusters(tasks), flux_tasks(tasks)
    unknown_uses = sum(1 for t in tasks if not t.template for u in task_uses(t) if u.pair is None)
    del by_entry, texts

    plan, proven, target = prove(model)
    _status_after(pairs, model, target)
    if mappings.profile.cloud_like:  # the Cloud plan's limits need the whole migration
        from tickmig.model.limits import plan_findings, with_findings

        found = plan_findings(model, plan, workspace, checker.enabled)
        run.results = with_findings(run.results, found)
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
    tasks.clear()  # the model's list too: nothing below reads a task model (the proof did)
    entries = [
        _task_report(result, per_task.get(result.path), migration, definitions)
        for result in run.results
    ]
    for path in sorted(set(migration.changes) - {e.path for e in entries}):
        entries.append(_task_report(FileResult(path), None, migration, definitions))
    entries.sort(key=lambda e: e.path)
    facts = Facts(
        mappings,
        # The patches never write the address tickmig itself used to reach InfluxDB.
        replace(settings, influx_url=None),
        inputs,
        cluster_uses,
        flux,
        by_pair,
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
            unknown_uses,
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
            merged.source_retention_policy = item.pair.retention_policy
    return [out[p] for p in sorted(out, key=Pair.sort_key)]


# --- DBRPs ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _TaskFacts:
    """What a file's entry needs from its task model: the kind of task it is, its DBRP uses,
    how it reaches Kapacitor (None for an invalid task)."""

    kind: str
    uses: list[UseRow]
    delivery: Delivery | None


def _task_report(
    result: FileResult,
    task: _TaskFacts | None,
    migration: Migration,
    definitions: dict[str, Definition],
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
    if task is not None:
        entry.uses = task.uses
        entry.delivery = task.delivery
    entry.findings = [_finding(d) for d in result.diagnostics]
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


# --- summary ----------------------------------------------------------------------------------


def _summary(
    entries: list[TaskReport],
    pairs: list[PairReport],
    unknown: int,
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
