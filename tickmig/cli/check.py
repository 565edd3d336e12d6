"""`tickmig check`: from the command line to exit status: settings, mappings, rule selection,
the workspace, the engine (in several processes with -j), a renderer, and the report written
in one go. Exit 0 clean, 1 findings, 2 usage, configuration or input errors."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Annotated

import typer

from tickmig.cli.options import (
    NO_MAPPING_OPTIONS,
    CheckFormat,
    IgnoreOpt,
    JobsOpt,
    KapacitorConfOpt,
    KapacitorUrlOpt,
    MappingOptions,
    PathsArg,
    SelectOpt,
    TelegrafConfOpt,
    check_kapacitor_url,
    split_codes,
    usage_error,
    with_mapping_options,
)
from tickmig.errors import ConfigError, TickmigError

if TYPE_CHECKING:
    from tickmig.diagnostics import Diagnostic, FileResult
    from tickmig.engine.cache import ResultCache
    from tickmig.engine.checker import Checker, CheckRun
    from tickmig.engine.replay import Recorder
    from tickmig.settings import Settings
    from tickmig.tasks.workspace import Workspace


@with_mapping_options
def check_command(
    paths: PathsArg,
    output_format: Annotated[
        CheckFormat | None,
        typer.Option("--output-format", help="text, json, json-lines, sarif, github or junit."),
    ] = None,
    select: SelectOpt = None,
    ignore: IgnoreOpt = None,
    exit_zero: Annotated[
        bool, typer.Option("--exit-zero", help="Exit 0 even when there are findings.")
    ] = False,
    jobs: JobsOpt = None,
    output: Annotated[
        str | None,
        typer.Option("-o", "--output", help="Write the report to this file instead of stdout."),
    ] = None,
    mapping_options: MappingOptions = NO_MAPPING_OPTIONS,
    telegraf_conf: TelegrafConfOpt = None,
    kapacitor_conf: KapacitorConfOpt = None,
    kapacitor_url: KapacitorUrlOpt = None,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="Neither read nor write the check cache.")
    ] = False,
    cache_dir: Annotated[
        str | None,
        typer.Option(
            "--cache-dir",
            metavar="DIR",
            help="The check cache's folder (default: .tickmig_cache beside the settings file, "
            "or TICKMIG_CACHE_DIR).",
        ),
    ] = None,
) -> None:
    """Find what breaks against InfluxDB 2; never writes a script. Exit 0 clean, 1 findings,
    2 usage, configuration or input errors."""
    settings: Settings | None = None
    try:
        settings = mapping_options.settings(
            select=split_codes(select),
            ignore=split_codes(ignore),
            output_format=output_format.value if output_format else None,
            jobs=jobs,
        )
        if exit_zero:
            settings.exit_zero = True
        if no_cache:
            settings.no_cache = True
        if cache_dir is not None:
            settings.cache_dir = cache_dir
        check_kapacitor_url(kapacitor_url)
        files = ConfigFiles(
            list(telegraf_conf or settings.telegraf_conf),
            kapacitor_conf or settings.kapacitor_conf,
            kapacitor_url,
        )
        code = run_check(paths, settings, output, files)
    except TickmigError as exc:
        from tickmig.cli.option_errors import option_files

        given = option_files(mapping_options, settings, telegraf_conf, kapacitor_conf)
        fmt = output_format.value if output_format else settings.output_format if settings else None
        option_error(exc, given, fmt, output)
    raise typer.Exit(code)


def option_error(
    error: TickmigError, files: list[str], fmt: str | None, output: str | None
) -> None:
    """Exit 2 for an error before the check could run; one about an option's file (the
    settings, a mapping file or plan, a configuration file) is also the report's one result,
    in the format asked for, so that CI output shows it (SARIF: an unsuccessful invocation)."""
    from tickmig import __version__
    from tickmig.cli.option_errors import option_problem
    from tickmig.diagnostics import FileResult
    from tickmig.output import RENDERERS
    from tickmig.rules import rule_infos

    problem = option_problem(error, files)
    renderer = RENDERERS.get(fmt or "text")
    if problem is None or renderer is None:
        usage_error(str(error))
    report = renderer(
        [FileResult(problem.path, [problem.diagnostic()])], rule_infos(), tool_version=__version__
    )
    try:
        _write(report, output)
    except TickmigError as exc:
        typer.echo(f"tickmig: error: {problem}", err=True)
        usage_error(str(exc))
    usage_error(str(problem))


@dataclass
class ConfigFiles:
    """--telegraf-conf, --kapacitor-conf and --kapacitor-url: checked by the TM3xx rules."""

    telegraf: list[str] = field(default_factory=list)
    kapacitor: str | None = None
    kapacitor_url: str | None = None

    def __bool__(self) -> bool:
        return bool(self.telegraf or self.kapacitor)


def run_check(
    paths: Sequence[str], settings: Settings, output: str | None, files: ConfigFiles | None = None
) -> int:
    from tickmig import __version__
    from tickmig.engine.checker import checker_for, unmatched_paths
    from tickmig.output import RENDERERS
    from tickmig.rules import rule_infos
    from tickmig.tasks.workspace import load_workspace

    renderer = RENDERERS.get(settings.output_format)
    if renderer is None:
        raise ConfigError(
            f"unknown output format {settings.output_format!r} (one of: {', '.join(RENDERERS)})"
        )
    recorder = _recorder(paths, settings)
    checker = checker_for(settings)
    for note in checker.mappings.notes:  # what tickmig decided about the plan
        typer.echo(f"tickmig: note: {note}", err=True)
    unmatched = unmatched_paths(paths)
    missing = {p.path for p in unmatched if not os.path.lexists(p.path)}
    workspace = load_workspace([p for p in paths if p not in missing])
    if files:
        run = _with_configs(workspace, checker, settings, files)
        flow_findings(workspace, checker, settings, run, None)
    else:
        cache = _cache(settings, checker)
        run = _run(workspace, checker, settings.jobs, cache)
        flow_findings(workspace, checker, settings, run, cache)
        if cache is not None:
            cache.save()
    for problem in unmatched:
        run.add_problem(problem)
    report = renderer(with_problems(run), rule_infos(), tool_version=__version__)
    _write(report, output)
    for message in run.input_errors:
        sys.stderr.write(f"tickmig: error: {message}\n")
    if run.input_errors:
        return 2
    code = 1 if run.diagnostics() and not settings.exit_zero else 0
    if recorder is not None:
        recorder.save(
            digests=workspace.digests,
            other_files=[
                *settings.mapping,
                *(files.telegraf if files else ()),
                *([files.kapacitor] if files and files.kapacitor else []),
            ],
            report=report,
            output=output,
            messages=run.input_errors,
            status=code,
        )
    return code


def _recorder(paths: Sequence[str], settings: Settings) -> Recorder | None:
    """What records this run for `tickmig.engine.replay` (the next run of the same command
    line on an unchanged tree prints it back): only a command-line run that uses the cache,
    reads no standard input and no live mapping source. --telegraf-conf and --kapacitor-conf
    runs are recorded too (their files' bytes are part of the record), though they do not use
    the per-file cache: their findings need every script's task model."""
    from tickmig.engine import replay

    live = settings.influx_url or settings.influxql_url or settings.influx3_url
    if replay.ARGV is None or settings.no_cache or live or "-" in paths:
        return None
    from tickmig.engine.cache import cache_directory

    return replay.Recorder(replay.ARGV, cache_directory(settings), paths)


def _with_configs(
    workspace: Workspace, checker: Checker, settings: Settings, files: ConfigFiles
) -> CheckRun:
    """The scripts' check, keeping their task models, and the TM3xx rules over the
    configuration files, which need the tasks' stream inputs and clusters. The per-script
    cache is not used here: a cached result has no task model, and the configuration findings
    need every script's. A whole run is still recorded and replayed (tickmig.engine.replay,
    keyed by the configuration files' bytes too)."""
    from tickmig.engine.checker import check_paths
    from tickmig.engine.configs import check_configs
    from tickmig.model.flows import fed_by_configs
    from tickmig.report.facts import config_facts
    from tickmig.report.model import ReportOptions

    checker.fed = fed_by_configs(
        checker.mappings, files.telegraf, files.kapacitor, files.kapacitor_url
    )
    run = check_paths(workspace, checker, keep_tasks=True)
    options = ReportOptions(files.telegraf, files.kapacitor, files.kapacitor_url)
    facts = config_facts(workspace, run.tasks, checker.mappings, settings, options)
    configs = check_configs(
        facts, files.telegraf, files.kapacitor, checker.enabled, files.kapacitor_url
    )
    run.results = sorted([*run.results, *configs.results], key=lambda r: r.path)
    for problem in configs.problems:
        run.add_problem(problem)
    return run


#: The check cache's entry for TM130 (keyed by the digests of every file of the workspace).
FLOWS_KEY = "<migration-proof>"


def flow_findings(
    workspace: Workspace,
    checker: Checker,
    settings: Settings,
    run: CheckRun,
    cache: ResultCache | None = None,
) -> None:
    """TM130: the migration model of the whole workspace, proven; each flow that does not
    land becomes a finding at its place in the task. On InfluxDB Cloud, TM420/TM421: the
    buckets the migration creates against the plan's limits. The check cache keeps them,
    keyed by every file of the workspace (a flow crosses files)."""
    # Without a mapping source read from a server the proof starts from an empty InfluxDB
    # 2, where the actions create everything: no flow can fail (but TM103's).
    proof = "TM130" in checker.enabled and checker.mappings.from_server
    limits = False
    if checker.mappings.profile.cloud_like:
        from tickmig.model.limits import CODES

        limits = bool(checker.enabled.intersection(CODES))
    if not proof and not limits:
        return
    from tickmig.diagnostics import FileResult

    key = "\n".join(f"{p} {d}" for p, d in sorted(workspace.digests.items()))
    cached = cache.get(FLOWS_KEY, key) if cache is not None else None
    if cached is not None:
        found = cached.diagnostics
    else:
        found = _prove_flows(workspace, checker, settings, proof=proof)
        if cache is not None:
            cache.put(FLOWS_KEY, key, (), FileResult(FLOWS_KEY, found))
    if not found:
        return
    results = {r.path: r for r in run.results}
    for d in found:
        result = results.setdefault(d.location.path, FileResult(d.location.path))
        if d not in result.diagnostics:
            result.diagnostics.append(d)
    for result in results.values():
        result.diagnostics = result.sorted()
    run.results = [results[p] for p in sorted(results)]


def _prove_flows(
    workspace: Workspace, checker: Checker, settings: Settings, *, proof: bool = True
) -> list[Diagnostic]:
    from tickmig.engine.checker import Checker, check_paths, suppress
    from tickmig.model.flows import ModelInputs, build_model
    from tickmig.model.limits import plan_findings, workspace_context
    from tickmig.model.proof import failure_message, prove
    from tickmig.rules.base import FlowFailure
    from tickmig.rules.flow_does_not_land import FlowDoesNotLand

    tasks = check_paths(workspace, Checker(checker.mappings, set()), keep_tasks=True).tasks
    model = build_model(ModelInputs(tasks, checker.mappings, settings.org))
    out: list[Diagnostic] = []
    if checker.mappings.profile.v3 and checker.plan is not None:
        from tickmig.model.proof_v3 import prove_v3

        _v3plan, verdict, _v3 = prove_v3(model, checker.plan)  # InfluxDB 3: no DBRP mappings
    else:
        plan, verdict, _target = prove(model)
        out += plan_findings(model, plan, workspace, checker.enabled)  # Cloud's plan limits
    if not proof:
        return out
    failures: dict[str, list[FlowFailure]] = {}
    for flow in verdict.failing:
        unqualified = flow.kind == "batch-read" and flow.pair.retention_policy is None
        if flow.start >= 0 and not unqualified:  # TM103 reports an unqualified FROM
            failure = FlowFailure(flow.path, flow.start, flow.end, failure_message(flow))
            failures.setdefault(flow.subject, []).append(failure)
    rule = FlowDoesNotLand()
    context = workspace_context(workspace, checker.mappings)
    for task in tasks:
        found = failures.get(task.definition or task.path)
        ctx = context(task, {f.path for f in found}) if found else None
        if found and ctx is not None:
            ctx.flow_failures = tuple(found)
            out.extend(suppress(list(rule.check(ctx)), {task.path: task.script}))
    return out


def _cache(settings: Settings, checker: Checker) -> ResultCache | None:
    """The check cache for these settings, or None with --no-cache. Its salt holds all that
    decides a script's result besides its text: tickmig's version, the enabled rules and the
    mappings as loaded (a live source's answer included)."""
    if settings.no_cache:
        return None
    from tickmig import __version__
    from tickmig.engine.cache import ResultCache, cache_directory, salt
    from tickmig.engine.replay import code_fingerprint

    # Every setting that can change a result (whatever is added later, too), not the ones
    # that only say how the results are shown or where they are kept.
    deciding = replace(
        settings, output_format="", exit_zero=False, jobs=0, no_cache=False, cache_dir=None
    )
    run_salt = salt(
        __version__,
        code_fingerprint(),
        repr(deciding),
        ",".join(sorted(checker.enabled)),
        repr(checker.mappings),
    )
    return ResultCache(cache_directory(settings), run_salt)


def with_problems(run: CheckRun) -> list[FileResult]:
    """The results, each input error a TM005 finding of the file it is about, so that every
    output format shows it."""
    from tickmig.diagnostics import FileResult

    by_path = {r.path: replace(r, diagnostics=list(r.diagnostics)) for r in run.results}
    for problem in run.problems:
        result = by_path.setdefault(problem.path, FileResult(problem.path))
        result.diagnostics.append(problem.diagnostic())
    return [by_path[p] for p in sorted(by_path)]


def _run(
    workspace: Workspace, checker: Checker, jobs: int, cache: ResultCache | None = None
) -> CheckRun:
    from tickmig.engine.checker import check_paths

    total = len(workspace.scripts)
    progress = _Progress(total) if sys.stderr.isatty() and total > 20 else None
    try:
        return check_paths(workspace, checker, jobs=jobs, progress=progress, cache=cache)
    finally:
        if progress is not None:
            progress.stop()


class _Progress:
    """A progress bar on standard error, only when it is a terminal."""

    def __init__(self, total: int) -> None:
        from rich.progress import Progress

        self._bar = Progress(transient=True, console=None)
        self._task = self._bar.add_task("checking", total=total)
        self._bar.start()

    def step(self) -> None:
        self._bar.advance(self._task)

    def stop(self) -> None:
        self._bar.stop()


def _write(report: str, output: str | None) -> None:
    if output is None:
        sys.stdout.write(report)
        return
    from tickmig.text.atomic import atomic_write

    try:
        atomic_write(output, report.encode("utf-8"))
    except OSError as exc:
        raise ConfigError(f"{output}: cannot write: {exc.strerror or exc}") from None
