"""The per-file pipeline of `tickmig check`: read, parse, model, run the rules, apply
suppressions. It never raises for one file: every problem becomes part of a result."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from tickmig.diagnostics import Diagnostic, FileResult, Location, Severity
from tickmig.errors import ConfigError, InputError, TickSyntaxError
from tickmig.mappings import MappingSet
from tickmig.rules import ALL_RULES
from tickmig.rules.base import Context, Rule
from tickmig.settings import Settings
from tickmig.tasks.analysis import analyse
from tickmig.tasks.loaddir import (
    Definition,
    fills,
    find_definitions,
    find_vars_files,
    instantiate,
    read_definition,
    read_vars_file,
    template_path,
    templates_of,
)
from tickmig.tasks.model import Task
from tickmig.text.source import SourceFile, read_source
from tickmig.text.spans import LineIndex
from tickmig.tickscript.nodes import Script
from tickmig.tickscript.parser import parse

SUPPRESSION = re.compile(r"//\s*tickmig:\s*(ignore|ignore-file)(?:\[([A-Za-z0-9_, ]*)\])?")


@dataclass
class CheckRun:
    """The results of one check over many files, plus the input errors (exit status 2)."""

    results: list[FileResult] = field(default_factory=list)
    input_errors: list[str] = field(default_factory=list)

    def diagnostics(self) -> list[Diagnostic]:
        return [d for r in self.results for d in r.diagnostics]


def checker_for(settings: Settings) -> Checker:
    """The rules `--select`/`--ignore` enable, with the mappings the settings name."""
    from tickmig.mappings.options import load_mappings
    from tickmig.rules import select

    try:
        enabled = select(settings.select, settings.ignore)
    except ValueError as exc:
        raise ConfigError(str(exc)) from None
    return Checker(load_mappings(settings), enabled)


@dataclass
class Checker:
    mappings: MappingSet
    enabled: set[str]
    rules: list[Rule] = field(init=False)

    def __post_init__(self) -> None:
        self.rules = [rule() for rule in ALL_RULES if rule.code in self.enabled]

    # --- one script ----------------------------------------------------------------------

    def check_source(self, source: SourceFile, facts: Iterable[str] = ()) -> FileResult:
        path = source.path
        result = FileResult(path, source=source.text)
        try:
            script = parse(source.text, path)
        except TickSyntaxError as exc:
            if "TM001" in self.enabled:
                result.diagnostics.append(syntax_diagnostic(exc, path))
            return result
        task = analyse(script, path)
        result.task_type = task.kind
        facts = set(facts) | ({"bom"} if source.bom else set())
        ctx = Context(task, self.mappings, {path: source.text}, facts)
        result.diagnostics = suppress(self._run(ctx), {path: script})
        return result

    def check_definition(
        self, definition: Definition, template: Script, template_text: str, template_file: str
    ) -> list[Diagnostic]:
        """The findings of the task a definition creates from its template."""
        task = instantiate(analyse(template, template_file), definition)
        texts = {task.path: template_text, definition.path: definition.text}
        facts = {"dbrps-from-command-line"} if definition.vars_only else set()
        ctx = Context(task, self.mappings, texts, facts)
        return suppress(self._run(ctx), {task.path: template})

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


def suppress(diagnostics: list[Diagnostic], scripts: dict[str, Script]) -> list[Diagnostic]:
    """Drop findings silenced by `// tickmig: ignore[TMnnn]` on their line or the line above,
    or by `// tickmig: ignore-file[TMnnn]` anywhere in the file (no codes: every code)."""
    rules: dict[str, tuple[dict[int, set[str] | None], set[str] | None, bool]] = {}
    for path, script in scripts.items():
        index = LineIndex(script.source)
        lines: dict[int, set[str] | None] = {}
        file_codes: set[str] | None = set()
        whole_file = False
        for comment in script.comments:
            for match in SUPPRESSION.finditer(comment.value):
                codes = {
                    c.strip().upper() for c in (match.group(2) or "").split(",") if c.strip()
                } or None
                if match.group(1) == "ignore-file":
                    if codes is None:
                        whole_file = True
                    elif file_codes is not None:
                        file_codes |= codes
                    continue
                line, _ = index.line_column(comment.start + match.start())
                for target in (line, line + 1):
                    known = lines.get(target, set())
                    lines[target] = None if codes is None or known is None else known | codes
        rules[path] = (lines, file_codes, whole_file)
    kept = []
    for d in diagnostics:
        entry = rules.get(d.location.path)
        if entry is not None:
            lines, file_codes, whole_file = entry
            if whole_file or (file_codes and d.code in file_codes):
                continue
            codes = lines.get(d.location.line, set())
            if codes is None or d.code in codes:
                continue
        kept.append(d)
    return kept


class Progress(Protocol):
    def step(self) -> None: ...


def check_paths(
    paths: Sequence[str],
    scripts: Sequence[str],
    checker: Checker,
    *,
    jobs: int = 1,
    progress: Progress | None = None,
    overlay: Mapping[str, SourceFile] | None = None,
) -> CheckRun:
    """Check `scripts` (found from `paths`), and the task definitions of every load directory
    among `paths`; results are grouped by the file each finding points at. `overlay` holds
    texts to use instead of the files' (a migration in progress)."""
    run = CheckRun()
    by_path: dict[str, FileResult] = {}
    overlay = overlay or {}
    definitions = _read_definitions(paths, run, overlay)
    instantiated = {
        os.path.normpath(t)
        for d in definitions
        if (t := _template_for(d, overlay) if d.vars_only else template_path(d))
    }
    jobs_list = [
        (p, {"instantiated"} if os.path.normpath(p) in instantiated else set()) for p in scripts
    ]
    for outcome in _map(checker, jobs_list, jobs, overlay):
        if isinstance(outcome, str):
            run.input_errors.append(outcome)
        else:
            by_path[outcome.path] = outcome
        if progress is not None:
            progress.step()
    for definition in definitions:
        _check_definition(checker, definition, by_path, run, overlay)
    for result in by_path.values():
        result.diagnostics = _unique(result.sorted())
    run.results = [by_path[p] for p in sorted(by_path)]
    return run


def _map(
    checker: Checker,
    items: list[tuple[str, set[str]]],
    jobs: int,
    overlay: Mapping[str, SourceFile],
) -> Iterator[FileResult | str]:
    if jobs <= 1 or len(items) < 2 or any(p == "-" for p, _ in items):
        for path, facts in items:
            yield check_file(checker, path, facts, overlay)
        return
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=jobs) as pool:
        chunk = max(1, len(items) // (jobs * 4))
        work = [(checker, p, f, {p: overlay[p]} if p in overlay else {}) for p, f in items]
        yield from pool.map(_check_file_star, work, chunksize=chunk)


def _check_file_star(
    args: tuple[Checker, str, set[str], Mapping[str, SourceFile]],
) -> FileResult | str:
    return check_file(*args)


def load(path: str, overlay: Mapping[str, SourceFile]) -> SourceFile:
    """The file's decoded text: the overlay's version when it has one."""
    found = overlay.get(path)
    return found if found is not None else read_source(path)


def check_file(
    checker: Checker, path: str, facts: set[str], overlay: Mapping[str, SourceFile] | None = None
) -> FileResult | str:
    """One script's result, or the message of an input error."""
    try:
        source = load(path, overlay or {})
    except InputError as exc:
        return str(exc)
    return checker.check_source(source, facts)


def _read_definitions(
    paths: Sequence[str], run: CheckRun, overlay: Mapping[str, SourceFile]
) -> list[Definition]:
    definitions: list[Definition] = []
    for directory in sorted({p for p in paths if os.path.isdir(p)}):
        for def_path in find_definitions(directory):
            try:
                definitions.append(read_definition(def_path, load(def_path, overlay).text))
            except (InputError, ConfigError) as exc:
                run.input_errors.append(str(exc))
        for vars_path in find_vars_files(directory):
            try:
                definitions.append(read_vars_file(vars_path, load(vars_path, overlay).text))
            except (InputError, ConfigError) as exc:
                run.input_errors.append(str(exc))
    return definitions


def _check_definition(
    checker: Checker,
    definition: Definition,
    by_path: dict[str, FileResult],
    run: CheckRun,
    overlay: Mapping[str, SourceFile],
) -> None:
    result = by_path.setdefault(
        definition.path, FileResult(definition.path, source=definition.text)
    )
    result.task_type = "task-definition"
    tpath = (
        _template_for(definition, overlay) if definition.vars_only else (template_path(definition))
    )
    if tpath is None:
        if definition.vars_only:
            return  # a vars file no template of the load directory matches: not a task
        run.input_errors.append(
            f"{definition.path}: template {definition.template_id!r} not found in templates/ "
            "beside tasks/"
        )
        return
    try:
        template_source = load(tpath, overlay)
        template = parse(template_source.text, tpath)
    except (InputError, TickSyntaxError):
        return  # reported when the template itself is checked
    for d in checker.check_definition(definition, template, template_source.text, tpath):
        target = by_path.setdefault(d.location.path, FileResult(d.location.path))
        target.diagnostics.append(d)


def _template_for(definition: Definition, overlay: Mapping[str, SourceFile]) -> str | None:
    """The one template of the load directory whose variables a vars file fills."""
    matches = []
    for path in templates_of(definition):
        try:
            template = analyse(parse(load(path, overlay).text, path), path)
        except (InputError, TickSyntaxError):
            continue
        if fills(definition, template):
            matches.append(path)
    return matches[0] if len(matches) == 1 else None


def _unique(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    seen: set[tuple[str, int, int, str]] = set()
    unique = []
    for d in diagnostics:
        key = (d.code, d.location.start, d.location.end, d.message)
        if key not in seen:
            seen.add(key)
            unique.append(d)
    return unique


def collect_tasks(
    paths: Sequence[str],
    scripts: Sequence[str],
    overlay: Mapping[str, SourceFile] | None = None,
) -> tuple[list[Task], list[str]]:
    """The task model of every script that parses, and of every task a load directory's
    definitions create from a template; plus the messages of files that could not be read.
    (Scripts that do not parse are left out: `check` reports them.)"""
    overlay = overlay or {}
    run = CheckRun()
    tasks: list[Task] = []
    for path in scripts:
        try:
            source = load(path, overlay)
            tasks.append(analyse(parse(source.text, path), path))
        except InputError as exc:
            run.input_errors.append(str(exc))
        except TickSyntaxError:
            continue
    for definition in _read_definitions(paths, run, overlay):
        tpath = (
            _template_for(definition, overlay)
            if definition.vars_only
            else template_path(definition)
        )
        if tpath is None:
            continue
        try:
            template = parse(load(tpath, overlay).text, tpath)
        except (InputError, TickSyntaxError):
            continue
        tasks.append(instantiate(analyse(template, tpath), definition))
    return tasks, run.input_errors
