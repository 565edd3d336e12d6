"""`tickmig migrate`: apply the fixes of the checks as span edits, file by file, behind a safety
net (the text parses again, only the edited nodes changed, a second run changes nothing),
and optionally annotate what tickmig cannot change with TODO comments."""

from __future__ import annotations

import re
from bisect import bisect_left, insort
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from tickmig.diagnostics import Applicability, Diagnostic, Edit, Fix
from tickmig.engine.checker import Checker, CheckRun, Memo, check_paths
from tickmig.engine.jobs import Kept, Trees, kept, lean
from tickmig.engine.safety_net import (
    DEFINITION_SUFFIXES,
    check_edited_definition,
    define_time_problem,
    refused,
    verify,
    verify_edit,
)
from tickmig.engine.unchained import unchained
from tickmig.errors import ConfigError, InputError, TickSyntaxError
from tickmig.rules import ALL_RULES
from tickmig.tasks.loaddir import instantiate
from tickmig.tasks.model import Task
from tickmig.tasks.workspace import Workspace
from tickmig.text.edits import OverlappingEditsError, apply_edits, overlaps
from tickmig.text.source import SourceFile
from tickmig.tickscript.nodes import Script
from tickmig.tickscript.parser import parse

__all__ = [
    "DEFINITION_SUFFIXES",
    "FileChange",
    "Migration",
    "applicable",
    "check_edited_definition",
    "define_time_problem",
    "migrate",
    "verify_edit",
]

MAX_PASSES = 10
#: Findings that need a change in the script (their rule says `annotate = True`);
#: --annotate marks those tickmig cannot make.
ANNOTATE = frozenset(rule.code for rule in ALL_RULES if rule.annotate)
TODO_MARK = "TICKMIG-TODO"


@dataclass
class FileChange:
    path: str
    original: SourceFile
    text: str
    applied: list[Diagnostic] = field(default_factory=list)
    todos: int = 0

    @property
    def changed(self) -> bool:
        return self.text != self.original.text


@dataclass
class Migration:
    changes: dict[str, FileChange] = field(default_factory=dict)
    #: Paths left untouched because an edit failed the safety net, with the reason.
    failed: dict[str, str] = field(default_factory=dict)
    input_errors: list[str] = field(default_factory=list)
    scanned: int = 0
    unsafe_skipped: int = 0
    #: Findings still there after the migration (for the summary and --annotate).
    remaining: list[Diagnostic] = field(default_factory=list)
    #: The check of the files as they were, before any fix (the migration's first pass).
    before: CheckRun = field(default_factory=CheckRun)
    #: The passes that applied fixes (fixes that do not overlap are applied in one pass).
    passes: int = 0
    #: The tree of each changed script's migrated text (`changes[path].text`), as the safety
    #: net parsed it: the migrated scripts' task models without parsing them again
    #: (`analyse(tree, path)`; unchanged files are as `before` has them).
    trees: dict[str, Script] = field(default_factory=dict)

    def changed(self) -> list[FileChange]:
        return [c for c in sorted(self.changes.values(), key=lambda c: c.path) if c.changed]

    @property
    def fixes_applied(self) -> int:
        return sum(len(c.applied) for c in self.changes.values())

    @property
    def errors(self) -> int:
        return len(self.failed) + len(self.input_errors)


def applicable(d: Diagnostic, unsafe: bool) -> bool:
    fix = d.fix
    if fix is None or not fix.edits or fix.applicability is Applicability.DISPLAY_ONLY:
        return False
    return fix.applicability is Applicability.SAFE or unsafe


def migrate(
    workspace: Workspace,
    checker: Checker,
    *,
    unsafe: bool = False,
    annotate: bool = False,
    jobs: int = 1,
    keep_tasks: bool = False,
) -> Migration:
    """Compute the migration of every file in memory; nothing is written here. With
    `keep_tasks`, `before` (the first pass) keeps the task models of the files as they were."""
    result = Migration()
    overlay: dict[str, SourceFile] = {}
    memo: Memo = {}
    trees: Trees = {}
    run = CheckRun()
    first_checker = checker
    # After the first pass, a plan's rename never applies to a pair another rename produced:
    # `a->b, b->c` keeps a at b, and a swap `a->b, b->a` settles (issue 11).
    checker = unchained(checker)
    # Without such chains it is the same checker: the first pass's results still hold.
    later_memo: Memo = memo if checker is first_checker else {}
    for attempt in range(MAX_PASSES):
        first = attempt == 0
        run = check_paths(
            workspace,
            first_checker if first else checker,
            jobs=jobs,
            overlay=overlay,
            keep_tasks=keep_tasks and first,
            memo=memo if first else later_memo,
            trees=trees,
        )
        if first:
            result.before = run
        candidates = [
            d
            for d in run.diagnostics()
            if applicable(d, unsafe) and not _touches(d.fix, result.failed)
        ]
        if not candidates:
            break
        result.passes += 1
        _apply(result, workspace, overlay, trees, _non_overlapping(candidates))
    else:
        for d in run.diagnostics():
            if applicable(d, unsafe) and d.fix is not None:
                for edit in d.fix.edits:
                    result.failed.setdefault(
                        edit.path, f"fixes did not settle after {MAX_PASSES} passes"
                    )
    # The safety net's last check: a second run must find nothing more to change, and every
    # task Kapacitor accepted before (definitions with their templates) it still accepts.
    run = check_paths(
        workspace, checker, jobs=jobs, overlay=_kept(overlay, result), memo=later_memo
    )
    for d in run.diagnostics():
        if applicable(d, unsafe) and d.fix is not None:
            for edit in d.fix.edits:
                result.failed.setdefault(edit.path, "a second run would change it again")
    if _refused_now(result, workspace, overlay):
        run = check_paths(
            workspace, checker, jobs=jobs, overlay=_kept(overlay, result), memo=later_memo
        )
    if annotate:
        _annotate(result, workspace, overlay, trees, run, unsafe)
        run = check_paths(
            workspace,
            checker,
            jobs=jobs,
            overlay=_kept(overlay, result),
            memo=later_memo,
            trees=trees,
        )
    result.input_errors = list(run.input_errors)
    result.unsafe_skipped = sum(
        1
        for d in run.diagnostics()
        if not unsafe
        and d.fix is not None
        and d.fix.edits
        and d.fix.applicability is Applicability.UNSAFE
    )
    result.remaining = run.diagnostics()
    result.scanned = len({r.path for r in run.results})
    for path in list(result.changes):
        if path in result.failed:
            del result.changes[path]
    result.trees = {c.path: trees[c.path].tree for c in result.changed() if c.path in trees}
    return result


def _refused_now(
    result: Migration, workspace: Workspace, overlay: Mapping[str, SourceFile]
) -> bool:
    """The define-time checks of the tasks a load directory's definitions create from their
    templates (the safety net checks each script alone, but such a task spans two files):
    mark failed the files of each one the migration would make Kapacitor refuse (and the
    files changed by the same fixes); True if any."""
    changed = {c.path for c in result.changed()} - set(result.failed)
    if not changed or not workspace.definition_files:
        return False
    before = _defined_tasks(workspace, {})
    marked = False
    for key, task in _defined_tasks(workspace, _kept(overlay, result)).items():
        old = before.get(key)
        if old is None or task.definition is None or not {task.path, task.definition} & changed:
            continue
        problem = refused(old, task)
        if problem is None:
            continue
        files = {task.definition, task.path} & changed
        for path in list(files):
            files |= {e.path for d in result.changes[path].applied if d.fix for e in d.fix.edits}
        for path in sorted(files):
            result.failed.setdefault(path, problem)
        marked = True
    return marked


def _defined_tasks(workspace: Workspace, overlay: Mapping[str, SourceFile]) -> dict[str, Task]:
    """The task each definition of the workspace creates, with the texts of `overlay`."""
    load = workspace.loader(overlay)
    tasks: dict[str, Task] = {}
    for path in workspace.definition_files:
        try:
            definition = workspace.definition(path, load)
            template = workspace.template_of(definition, load)
            if template is not None:
                tasks[path] = instantiate(workspace.template_task(template, load), definition)
        except (InputError, ConfigError, TickSyntaxError):
            continue
    return tasks


def _kept(overlay: Mapping[str, SourceFile], result: Migration) -> dict[str, SourceFile]:
    return {p: s for p, s in overlay.items() if p not in result.failed}


def _touches(fix: Fix | None, failed: Mapping[str, str]) -> bool:
    return fix is not None and any(e.path in failed for e in fix.edits)


def _non_overlapping(candidates: list[Diagnostic]) -> list[Diagnostic]:
    """Fixes to apply together: each whole, none overlapping an earlier one (the others wait
    for the next pass, where they are computed again on the new text). Each edit is compared
    only with the edits already taken in its own file, around its place (found by bisection):
    the work grows with the number of fixes, not with its square."""
    chosen: list[Diagnostic] = []
    taken: dict[str, list[tuple[int, int]]] = {}
    for d in sorted(candidates, key=Diagnostic.sort_key):
        assert d.fix is not None
        if any(_overlaps_taken(e, taken.get(e.path, ())) for e in d.fix.edits):
            continue
        chosen.append(d)
        for e in d.fix.edits:
            insort(taken.setdefault(e.path, []), (e.start, e.end))
    return chosen


def _overlaps_taken(edit: Edit, spans: Sequence[tuple[int, int]]) -> bool:
    """Whether `edit` overlaps one of `spans` (sorted, none overlapping another): only the
    spans next to its place can."""
    at = bisect_left(spans, (edit.start, edit.end))
    return any(overlaps(edit, Edit(edit.path, s, e, "")) for s, e in spans[max(0, at - 1) : at + 1])


def _apply(
    result: Migration,
    workspace: Workspace,
    overlay: dict[str, SourceFile],
    trees: Trees,
    fixes: list[Diagnostic],
) -> None:
    """Apply the fixes (none overlapping another), each file's edits at once, behind the
    safety net; the tree of each edited text is kept in `trees` for the next check."""
    load = workspace.loader(overlay)
    by_path: dict[str, list[Diagnostic]] = {}
    for d in fixes:
        assert d.fix is not None
        for path in {e.path for e in d.fix.edits}:
            by_path.setdefault(path, []).append(d)
    for path, diags in sorted(by_path.items()):
        edits = [e for d in diags for e in d.fix.edits if e.path == path]  # type: ignore[union-attr]
        try:
            current = load(path)
        except InputError as exc:
            result.failed[path] = str(exc)
            continue
        change = result.changes.setdefault(path, FileChange(path, current, current.text))
        try:
            new_text = apply_edits(current.text, edits)
        except OverlappingEditsError as exc:  # pragma: no cover - _non_overlapping prevents it
            result.failed[path] = str(exc)
            continue
        if _settle(result, workspace, overlay, trees, current, new_text, edits):
            change.applied.extend(diags)


def _settle(
    result: Migration,
    workspace: Workspace,
    overlay: dict[str, SourceFile],
    trees: Trees,
    current: SourceFile,
    new_text: str,
    edits: Sequence[Edit],
) -> bool:
    """Put the edited text of a file in the overlay if it passes the safety net (its tree
    kept), else mark the file failed; True when it passed."""
    path = current.path
    old = kept(trees, path, current.text)
    problem, tree, task = verify(
        path,
        current.text,
        new_text,
        edits,
        old.tree if old is not None else _script(workspace, path, current.text),
        old.task if old is not None else None,
    )
    if problem is not None:
        result.failed[path] = problem
        trees.pop(path, None)
        return False
    if tree is not None:
        workspace.remember(path, new_text, tree)
        trees[path] = lean(Kept(new_text, tree, task))
    overlay[path] = replace(current, text=new_text)
    result.changes[path].text = new_text
    return True


def _script(workspace: Workspace, path: str, text: str) -> Script | None:
    known = workspace.parsed(path, text)
    return known if isinstance(known, Script) else None


# --- TODO annotations -----------------------------------------------------------------------


def _annotate(
    result: Migration,
    workspace: Workspace,
    overlay: dict[str, SourceFile],
    trees: Trees,
    run: CheckRun,
    unsafe: bool,
) -> None:
    """A TODO above each statement needing a change this run does not make (no fix, or an
    unsafe one without --unsafe-fixes)."""
    todos: dict[str, list[Diagnostic]] = {}
    for d in run.diagnostics():
        if (
            d.code in ANNOTATE
            and not applicable(d, unsafe)
            and d.location.path.endswith(".tick")
            and d.location.path not in result.failed
        ):
            todos.setdefault(d.location.path, []).append(d)
    load = workspace.loader(overlay)
    for path, diags in sorted(todos.items()):
        try:
            current = load(path)
            found = kept(trees, path, current.text)
            script = found.tree if found is not None else parse(current.text, path)
        except (InputError, TickSyntaxError):
            continue
        if found is None:
            trees[path] = Kept(current.text, script)
        edits: dict[int, list[str]] = {}
        for d in diags:
            at = _statement_line_start(current.text, script.statements, d.location.start)
            marker = f"{TODO_MARK}({d.code})"
            if marker in _comment_block_above(current.text, at) or marker in "".join(
                edits.get(at, [])
            ):
                continue
            indent = re.match(r"[ \t]*", current.text[at:]).group()  # type: ignore[union-attr]
            message = " ".join(d.message.split())
            edits.setdefault(at, []).append(f"{indent}// {marker}: {message}{current.newline}")
        if not edits:
            continue
        edit_list = [Edit(path, at, at, "".join(texts)) for at, texts in sorted(edits.items())]
        new_text = apply_edits(current.text, edit_list)
        change = result.changes.setdefault(path, FileChange(path, current, current.text))
        if _settle(result, workspace, overlay, trees, current, new_text, edit_list):
            change.todos += sum(len(t) for t in edits.values())


def _statement_line_start(text: str, statements: Sequence[object], offset: int) -> int:
    """The start of the line where the top-level statement holding `offset` begins."""
    start = 0
    for statement in statements:
        if statement.start <= offset:  # type: ignore[attr-defined]
            start = statement.start  # type: ignore[attr-defined]
    return text.rfind("\n", 0, start) + 1


def _comment_block_above(text: str, line_start: int) -> str:
    """The comment lines right above `line_start`."""
    lines = text[:line_start].splitlines()
    block: list[str] = []
    for line in reversed(lines):
        if line.strip().startswith("//"):
            block.append(line)
        else:
            break
    return "\n".join(block)
