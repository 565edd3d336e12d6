"""How `check_paths` shares its scripts out: each script's result comes from the run's memo
(the passes of a migration), the result cache (an earlier run), or a check, in this process or
in a pool of processes (`-j N`), always in the scripts' order, so that the output of `-j N` is
the output of `-j 1`. `in_threads` does the same for work that mostly waits (writing files)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, NamedTuple, TypeVar

from tickmig.diagnostics import FileResult, InputProblem
from tickmig.errors import ConfigError, InputError, TickSyntaxError
from tickmig.tasks.analysis import analyse
from tickmig.text.source import SourceFile
from tickmig.tickscript.nodes import Script
from tickmig.tickscript.parser import parse

if TYPE_CHECKING:
    from tickmig.engine.cache import ResultCache
    from tickmig.engine.checker import Checker
    from tickmig.tasks.model import Task
    from tickmig.tasks.workspace import Loader, Workspace

#: With `jobs=0`, checking goes parallel from this many scripts to check (below it, starting
#: the processes costs more than it saves).
AUTO_PARALLEL = 64


#: Script results already computed in this run, by (path, text, facts): the later passes of
#: a migration check again only the files its edits changed.
Memo = dict[tuple[str, str, frozenset[str]], FileResult]


class Kept(NamedTuple):
    """A text of a script, its tree, and its task model as `analyse` gives it (before any
    `--dbrp`), or None when it has not been taken."""

    text: str
    tree: Script
    task: Task | None = None


#: What a migration keeps from one step to the next, by path: the newest text of the file that
#: was parsed, with its tree and task model. The check keeps them for each script it finds
#: something to fix in; the safety net replaces them with those of the edited text; the next
#: pass, the second-run check and the define-time checks reuse them instead of parsing (or
#: analysing) the text again.
Trees = dict[str, Kept]


def lean(known: Kept) -> Kept:
    """What a migration keeps of a parse: the tree (and the task model's tree) without the
    token list, which only the parser's own checks read, so that the trees kept for thousands
    of scripts do not hold every token of every script."""
    tree = known.tree
    if not tree.tokens:
        return known
    slim = replace(tree, tokens=())
    task = known.task
    if task is not None and task.script is tree:
        task = replace(task, script=slim)
    return Kept(known.text, slim, task)


def kept(trees: Trees | None, path: str, text: str) -> Kept | None:
    """What is kept of this text of the file, or None."""
    found = None if trees is None else trees.get(path)
    return found if found is not None and found.text == text else None


def kept_tree(trees: Trees | None, path: str, text: str) -> Script | None:
    """The kept tree of this text of the file, or None."""
    found = kept(trees, path, text)
    return None if found is None else found.tree


def parsed(source: SourceFile) -> Script | TickSyntaxError:
    """The script's tree, or why it does not parse."""
    try:
        return parse(source.text, source.path)
    except TickSyntaxError as exc:
        return exc


def fixable(result: FileResult) -> bool:
    """Whether any finding of the result comes with edits (its tree is worth keeping)."""
    return any(d.fix is not None and d.fix.edits for d in result.diagnostics)


def _copy(result: FileResult) -> FileResult:
    return replace(result, diagnostics=list(result.diagnostics))


def check_scripts(
    checker: Checker,
    workspace: Workspace,
    items: list[tuple[str, set[str]]],
    jobs: int,
    load: Loader,
    tasks: list[Task] | None,
    memo: Memo | None,
    cache: ResultCache | None = None,
    trees: Trees | None = None,
    step: Callable[[], None] | None = None,
) -> Iterator[FileResult | InputProblem]:
    """Each script's result (or its read error), in the order of `items`: from `memo` (this
    run), from `cache` (an earlier run), else checked here, in `jobs` processes (0: one per
    core when there are AUTO_PARALLEL scripts to check or more). `tasks` (only with one
    process) receives the task model of every script checked. A script whose tree is known
    (in `trees`, or a template the workspace parsed) is checked here, without parsing it
    again; with `trees`, the tree of each script checked that has something to fix is kept
    there (a worker process sends it back with the result). `step` is called once per script
    as its result is known (a progress bar: with processes, as each piece comes back)."""
    keep_results = memo is not None
    memo = {} if memo is None else memo
    if tasks is not None:
        cache = None  # the caller wants the task models: every script is checked here
    work: list[tuple[SourceFile, set[str]] | InputProblem] = []
    outcomes: list[FileResult | InputProblem | None] = []
    for path, facts in items:
        try:
            source = load(path)
        except InputError as exc:
            problem = input_problem(path, exc)
            work.append(problem)
            outcomes.append(problem)
            continue
        work.append((source, facts))
        cached = memo.get((path, source.text, frozenset(facts)))
        if cached is None and cache is not None:
            cached = cache.get(path, source.text, _cache_facts(source, facts))
        outcomes.append(_copy(cached) if cached is not None and tasks is None else None)

    def here(source: SourceFile, facts: set[str]) -> FileResult:
        known = kept(trees, source.path, source.text)
        if known is None:
            tree = workspace.parsed(source.path, source.text) or parsed(source)
            plain = analyse(tree, source.path) if isinstance(tree, Script) else None
            known = Kept(source.text, tree, plain) if isinstance(tree, Script) else None
        else:
            tree, plain = known.tree, known.task
        result, task = checker.check(source, facts, tree, plain)
        if trees is not None and known is not None and fixable(result):
            trees[source.path] = lean(known)
        if tasks is not None and task is not None:
            tasks.append(_kept_task(task))
        return result

    def done(source: SourceFile, facts: set[str], result: FileResult) -> FileResult:
        if keep_results:
            memo[(source.path, source.text, frozenset(facts))] = _copy(result)
        if cache is not None:
            cache.put(source.path, source.text, _cache_facts(source, facts), result)
        return result

    pending = [
        i
        for i, (item, o) in enumerate(zip(work, outcomes, strict=True))
        if o is None
        and not isinstance(item, InputProblem)
        and kept_tree(trees, item[0].path, item[0].text) is None
    ]
    if jobs == 0:  # auto: one process per core, when there is enough to share out
        jobs = (os.cpu_count() or 1) if len(pending) >= AUTO_PARALLEL else 1
    if jobs <= 1 or len(pending) < 2 or tasks is not None:
        for item, outcome in zip(work, outcomes, strict=True):
            if outcome is None:
                assert not isinstance(item, InputProblem)
                outcome = done(*item, here(*item))
            if step is not None:
                step()
            yield outcome
        return
    from tickmig.engine.pool import shared_out

    def tick(count: int) -> None:
        for _ in range(count if step is not None else 0):
            step()  # type: ignore[misc]

    tick(len(work) - len(pending))  # known already, or checked here without parsing
    todo = [work[i] for i in pending]
    pooled = shared_out(checker, todo, jobs, trees is not None, here, tick)  # type: ignore[arg-type]
    from_pool = dict(zip(pending, pooled, strict=True))
    for i, (item, outcome) in enumerate(zip(work, outcomes, strict=True)):
        if outcome is None:
            assert not isinstance(item, InputProblem)
            if i in from_pool:
                result, found = from_pool.pop(i)
                if trees is not None and found is not None:
                    trees[item[0].path] = found
            else:
                result = here(*item)
            outcome = done(*item, result)
        yield outcome


def _cache_facts(source: SourceFile, facts: set[str]) -> set[str]:
    """What the cache keys a script's result by, besides its text: the facts it was checked
    with, and how it was stored (a BOM is a finding; the text has none)."""
    return (facts | {"bom"}) if source.bom else facts


def input_problem(path: str, exc: InputError | ConfigError) -> InputProblem:
    """A read or configuration error, as the problem of the file it is about."""
    if isinstance(exc, InputError):
        return InputProblem(exc.path, exc.message, exc.line, exc.column)
    return InputProblem.from_text(path, str(exc))


T = TypeVar("T")
R = TypeVar("R")


def in_threads(work: Callable[[T], R], items: Sequence[T], jobs: int) -> list[R]:
    """`work` of each item, in the items' order, in up to `jobs` threads: writing a file is
    mostly waiting for the disk (fsync), which threads overlap. The work must not touch
    process-wide state (the umask: see tickmig.text.atomic.default_mode)."""
    if jobs <= 1 or len(items) < 2:
        return [work(item) for item in items]
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=jobs) as pool:
        return list(pool.map(work, items))


def _kept_task(task: Task) -> Task:
    """The task model as a run keeps it after its checks: without its syntax tree (see
    tickmig.tasks.kept), so a run that keeps every task (report) does not hold every file's
    tree."""
    from tickmig.tasks.kept import kept

    return kept(task)
