"""The per-file pipeline of `tickmig check`: read, parse, model, run the rules, apply
suppressions. It never raises for one file: every problem becomes part of a result."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from tickmig.diagnostics import Diagnostic, FileResult, InputProblem, Location, Severity
from tickmig.engine.jobs import AUTO_PARALLEL, Memo, Trees, check_scripts, input_problem
from tickmig.engine.loopback import feeds_fact, loopback_feeds
from tickmig.engine.suppression import SUPPRESSION, suppress
from tickmig.engine.v3plan import plan_for, workspace_tasks
from tickmig.errors import ConfigError, InputError, TickSyntaxError
from tickmig.mappings import MappingSet
from tickmig.rules import ALL_RULES
from tickmig.rules.base import Context, Rule
from tickmig.settings import Settings
from tickmig.targets.plan import V3Plan
from tickmig.tasks.analysis import analyse
from tickmig.tasks.loaddir import Definition, find_definitions, instantiate
from tickmig.tasks.model import Task
from tickmig.tasks.workspace import Loader, Workspace
from tickmig.text.source import SourceFile, find_scripts
from tickmig.tickscript.nodes import Script
from tickmig.tickscript.parser import parse

if TYPE_CHECKING:
    from tickmig.engine.cache import ResultCache

#: What other modules import from here (the script-level pieces live in engine.jobs and
#: engine.suppression).
__all__ = [
    "AUTO_PARALLEL",
    "SUPPRESSION",
    "CheckRun",
    "Checker",
    "Memo",
    "Progress",
    "check_paths",
    "checker_for",
    "suppress",
    "syntax_diagnostic",
    "unmatched_paths",
]


@dataclass
class CheckRun:
    """The results of one check over many files, plus the input errors (exit status 2)."""

    results: list[FileResult] = field(default_factory=list)
    input_errors: list[str] = field(default_factory=list)
    #: With check_paths(keep_tasks=True): every task model, scripts first, then definitions.
    tasks: list[Task] = field(default_factory=list)
    #: The same input errors, with the file and position each is about.
    problems: list[InputProblem] = field(default_factory=list)

    def add_problem(self, problem: InputProblem) -> None:
        self.input_errors.append(str(problem))
        self.problems.append(problem)

    def diagnostics(self) -> list[Diagnostic]:
        return [d for r in self.results for d in r.diagnostics]


def checker_for(settings: Settings) -> Checker:
    """The rules `--select`/`--ignore` enable, with the mappings the settings name."""
    from tickmig.mappings.options import load_mappings
    from tickmig.rules import select

    try:
        enabled = select(settings.select, settings.ignore)
    except ValueError as exc:
        raise ConfigError(f"{settings.where('select', 'ignore')}{exc}") from None
    from tickmig.tasks.dbrps import parse_dbrp

    where = f"{settings.source}: dbrp" if "dbrp" in settings.from_file else "--dbrp"
    dbrps = tuple(parse_dbrp(text, where) for text in settings.dbrp)
    return Checker(load_mappings(settings), enabled, dbrps=dbrps)


@dataclass
class Checker:
    mappings: MappingSet
    enabled: set[str]
    rules: list[Rule] = field(init=False)
    #: The migration's InfluxDB 3 databases (v3 targets), set by check_paths.
    plan: V3Plan | None = None
    #: `--dbrp DB.RP`: the DBRPs `kapacitor define -dbrp` gives the scripts checked.
    dbrps: tuple[tuple[str, str], ...] = ()
    #: Pairs already written into Kapacitor (see Context.fed), set by those who read configs.
    fed: dict[tuple[str, str | None], str] = field(default_factory=dict)
    #: Pairs the workspace's own kapacitorLoopback writes feed, set by check_paths.
    loopback: dict[tuple[str, str | None], str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.rules = [rule() for rule in ALL_RULES if rule.code in self.enabled]

    @property
    def feeds(self) -> dict[tuple[str, str | None], str]:
        """Everything already written into Kapacitor: the configuration files' writers first."""
        return {**self.loopback, **self.fed} if self.loopback else self.fed

    # --- one script ----------------------------------------------------------------------

    def check_source(self, source: SourceFile, facts: Iterable[str] = ()) -> FileResult:
        return self.check(source, facts)[0]

    def check(
        self,
        source: SourceFile,
        facts: Iterable[str] = (),
        parsed: Script | TickSyntaxError | None = None,
        analysed: Task | None = None,
    ) -> tuple[FileResult, Task | None]:
        """One script's result, and its task model when it parses; `parsed` is the text's
        tree (or syntax error) when it is already known, `analysed` its task model (as
        `analyse` gives it) when that is."""
        path = source.path
        result = FileResult(path, source=source.text)
        try:
            if isinstance(parsed, TickSyntaxError):
                raise parsed
            script = parse(source.text, path) if parsed is None else parsed
        except TickSyntaxError as exc:
            if "TM001" in self.enabled:
                result.diagnostics.append(syntax_diagnostic(exc, path))
            return result, None
        task = analyse(script, path) if analysed is None else analysed
        planned = self.mappings.dbrps_for(path) if self.mappings.task_dbrps else ()
        if self.dbrps or planned:
            from tickmig.tasks.dbrps import with_dbrps

            if self.dbrps:
                task = with_dbrps(task, self.dbrps, "--dbrp")
            else:
                task = with_dbrps(task, planned, "the plan's [[task]]")
        result.task_type = task.kind
        facts = set(facts) | ({"bom"} if source.bom else set())
        ctx = Context(task, self.mappings, {path: source.text}, facts, self.plan, fed=self.feeds)
        result.diagnostics = suppress(self._run(ctx), {path: script})
        return result, task

    def check_definition(
        self, definition: Definition, template: Task
    ) -> tuple[Task, list[Diagnostic]]:
        """The task a definition creates from its template (analysed), and its findings."""
        task = instantiate(template, definition)
        texts = {task.path: template.script.source, definition.path: definition.text}
        facts = {"dbrps-from-command-line"} if definition.vars_only else set()
        ctx = Context(task, self.mappings, texts, facts, self.plan, fed=self.feeds)
        return task, suppress(self._run(ctx), {task.path: template.script})

    def _run(self, ctx: Context) -> list[Diagnostic]:
        out: list[Diagnostic] = []
        for rule in self.rules:
            try:
                out.extend(rule.check(ctx))
            except Exception as exc:  # a bug in one rule must not lose the other findings
                out.append(
                    Diagnostic(
                        "TM000",
                        "internal-error",
                        f"internal error in {rule.code} ({rule.name}): {type(exc).__name__}: {exc}"
                        " — please report it",
                        Severity.ERROR,
                        ctx.location(ctx.task.path, 0, 0),
                    )
                )
        return out


def syntax_diagnostic(exc: TickSyntaxError, path: str) -> Diagnostic:
    end_column = exc.column + max(1, len(exc.found)) if exc.found != "EOF" else exc.column
    location = Location(path, exc.offset, exc.offset, exc.line, exc.column, exc.line, end_column)
    return Diagnostic("TM001", "syntax-error", exc.message, Severity.ERROR, location)


class Progress(Protocol):
    def step(self) -> None: ...


def check_paths(
    workspace: Workspace,
    checker: Checker,
    *,
    jobs: int = 1,
    progress: Progress | None = None,
    overlay: Mapping[str, SourceFile] | None = None,
    keep_tasks: bool = False,
    memo: Memo | None = None,
    cache: ResultCache | None = None,
    trees: Trees | None = None,
) -> CheckRun:
    """Check the workspace's scripts and the tasks its load directories' definitions create;
    results are grouped by the file each finding points at. `overlay` holds texts to use
    instead of the files' (a migration in progress). With `keep_tasks` (in this process) the
    run also keeps the task model of every script that parses and of every defined task.
    `memo` keeps script results from one call to the next (the passes of a migration);
    `cache` keeps them from one run to the next (`tickmig check`, unless --no-cache).
    `trees` (a migration's) gives the trees already built and keeps those worth keeping
    (see engine.jobs.Trees)."""
    run = CheckRun()
    by_path: dict[str, FileResult] = {}
    load = workspace.loader(overlay)
    definitions = _definitions(workspace, load, run)
    templates = {d.path: workspace.template_of(d, load) for d in definitions}
    instantiated = {os.path.normpath(t) for t in templates.values() if t}
    if checker.mappings.profile.v3:
        plan = plan_for(checker.mappings, workspace_tasks(workspace, load, definitions))
        if plan != checker.plan and memo:
            memo.clear()  # the findings of every script depend on the whole migration
        checker.plan = plan
        cache = None  # a cached result cannot know what the other scripts reach
    # TM110 of a script depends on the other scripts' loopbacks: the fact keys its result.
    checker.loopback = loopback_feeds(workspace, load, definitions, cache)
    fed = feeds_fact(checker.loopback)
    jobs_list = [
        (p, ({"instantiated"} if os.path.normpath(p) in instantiated else set()) | fed)
        for p in workspace.scripts
    ]
    if keep_tasks:
        jobs = 1
    tasks = run.tasks if keep_tasks else None
    step = None if progress is None else progress.step
    for outcome in check_scripts(
        checker, workspace, jobs_list, jobs, load, tasks, memo, cache, trees, step
    ):
        if isinstance(outcome, InputProblem):
            run.add_problem(outcome)
        else:
            by_path[outcome.path] = outcome
    for definition in definitions:
        task = _check_definition(
            checker, workspace, definition, templates[definition.path], by_path, run, load
        )
        if keep_tasks and task is not None:
            run.tasks.append(task)
    for result in by_path.values():
        result.diagnostics = _unique(result.sorted())
    run.results = [by_path[p] for p in sorted(by_path)]
    return run


def _definitions(workspace: Workspace, load: Loader, run: CheckRun) -> list[Definition]:
    """The definitions and vars files (as the overlay has them); their errors into `run`."""
    definitions: list[Definition] = []
    for path in workspace.definition_files:
        try:
            definitions.append(workspace.definition(path, load))
        except (InputError, ConfigError) as exc:
            run.add_problem(input_problem(path, exc))
    return definitions


def _check_definition(
    checker: Checker,
    workspace: Workspace,
    definition: Definition,
    tpath: str | None,
    by_path: dict[str, FileResult],
    run: CheckRun,
    load: Loader,
) -> Task | None:
    result = by_path.setdefault(
        definition.path, FileResult(definition.path, source=definition.text)
    )
    result.task_type = "task-definition"
    if tpath is None:
        if definition.vars_only:
            return None  # a vars file no template of the load directory matches: not a task
        run.add_problem(
            InputProblem(
                definition.path,
                f"template {definition.template_id!r} not found in templates/ beside tasks/",
            )
        )
        return None
    try:
        template = workspace.template_task(tpath, load)
    except (InputError, TickSyntaxError):
        return None  # reported when the template itself is checked
    task, diagnostics = checker.check_definition(definition, template)
    for d in diagnostics:
        target = by_path.setdefault(d.location.path, FileResult(d.location.path))
        target.diagnostics.append(d)
    return task


def _unique(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    seen: set[tuple[str, int, int, str]] = set()
    unique = []
    for d in diagnostics:
        key = (d.code, d.location.start, d.location.end, d.message)
        if key not in seen:
            seen.add(key)
            unique.append(d)
    return unique


def unmatched_paths(paths: Sequence[str]) -> list[InputProblem]:
    """A problem for each path that names nothing to check: one that does not exist, a
    directory with no `*.tick` file and no task definition below it."""
    problems: list[InputProblem] = []
    for path in paths:
        if path == "-":
            continue
        if not os.path.lexists(path):
            problems.append(InputProblem(path, "no such file or directory"))
        elif os.path.isdir(path) and not find_scripts([path]) and not find_definitions(path):
            problems.append(
                InputProblem(path, "no *.tick file and no task definition below this directory")
            )
    return problems
