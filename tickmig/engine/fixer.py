"""`tickmig migrate`: apply the fixes of the checks as span edits, file by file, behind a safety
net (the text parses again, only the edited nodes changed, a second run changes nothing),
and optionally annotate what tickmig cannot change with TODO comments."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from tickmig.diagnostics import Applicability, Diagnostic, Edit, Fix
from tickmig.engine.checker import Checker, CheckRun, Memo, check_paths
from tickmig.engine.define_checks import new_refusal, refusals
from tickmig.engine.safety_net import check_edited_script
from tickmig.engine.unchained import unchained
from tickmig.errors import ConfigError, InputError, TickSyntaxError
from tickmig.rules import ALL_RULES
from tickmig.tasks.analysis import analyse
from tickmig.tasks.loaddir import instantiate
from tickmig.tasks.located import Located, parse_located
from tickmig.tasks.model import Task
from tickmig.tasks.workspace import Loader, Workspace
from tickmig.text.edits import OverlappingEditsError, apply_edits, overlaps
from tickmig.text.source import SourceFile
from tickmig.tickscript.nodes import Script
from tickmig.tickscript.parser import parse

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
    start: dict[str, SourceFile] = {}
    run = CheckRun()
    first_checker = checker
    # After the first pass, a plan's rename never applies to a pair another rename produced:
    # `a->b, b->c` keeps a at b, and a swap `a->b, b->a` settles (issue 11).
    checker = unchained(checker)
    later_memo: Memo = {}
    for attempt in range(MAX_PASSES):
        first = attempt == 0
        run = check_paths(
            workspace,
            first_checker if first else checker,
            jobs=jobs,
            overlay=overlay,
            keep_tasks=keep_tasks and first,
            memo=memo if first else later_memo,
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
        _apply(result, workspace.loader(overlay), overlay, _non_overlapping(candidates))
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
    if _refused_now(result, workspace, start, overlay):
        run = check_paths(
            workspace, checker, jobs=jobs, overlay=_kept(overlay, result), memo=later_memo
        )
    if annotate:
        _annotate(result, workspace.loader(overlay), overlay, run, unsafe)
        run = check_paths(
            workspace, checker, jobs=jobs, overlay=_kept(overlay, result), memo=later_memo
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
    return result


def _refused_now(
    result: Migration,
    workspace: Workspace,
    start: Mapping[str, SourceFile],
    overlay: Mapping[str, SourceFile],
) -> bool:
    """The define-time checks of the tasks a load directory's definitions create from their
    templates (the safety net checks each script alone, but such a task spans two files):
    mark failed the files of each one the migration would make Kapacitor refuse (and the
    files changed by the same fixes); True if any."""
    changed = {c.path for c in result.changed()} - set(result.failed)
    if not changed or not workspace.definition_files:
        return False
    before = _defined_tasks(workspace, start)
    marked = False
    for key, task in _defined_tasks(workspace, _kept(overlay, result)).items():
        old = before.get(key)
        if old is None or task.definition is None or not {task.path, task.definition} & changed:
            continue
        if old.kind != task.kind:
            problem: str | None = f"the edit changes the task type from {old.kind} to {task.kind}"
        else:
            problem = new_refusal(refusals(old), refusals(task))
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
    for the next pass, where they are computed again on the new text)."""
    chosen: list[Diagnostic] = []
    taken: list[Edit] = []
    for d in sorted(candidates, key=Diagnostic.sort_key):
        assert d.fix is not None
        if any(overlaps(e, t) for e in d.fix.edits for t in taken):
            continue
        chosen.append(d)
        taken.extend(d.fix.edits)
    return chosen


def _apply(
    result: Migration, load: Loader, overlay: dict[str, SourceFile], fixes: list[Diagnostic]
) -> None:
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
        problem = verify_edit(path, current.text, new_text, edits)
        if problem is not None:
            result.failed[path] = problem
            continue
        overlay[path] = replace(current, text=new_text)
        change.text = new_text
        change.applied.extend(diags)


def verify_edit(path: str, old: str, new: str, edits: Sequence[Edit]) -> str | None:
    """The safety net for one file: None when the edit is sound, else why it is not."""
    if path.endswith(DEFINITION_SUFFIXES):
        return check_edited_definition(path, old, new, edits)
    try:
        old_script = parse(old, path)
    except TickSyntaxError as exc:
        return f"the file did not parse before the edit: {exc.message}"
    problem = check_edited_script(old_script, new, edits)
    if problem is not None:
        return problem
    return define_time_problem(path, old_script, parse(new, path))


def define_time_problem(path: str, old: Script, new: Script) -> str | None:
    """Why Kapacitor would refuse the edited script where it accepted the original (a type
    that changed, a new refusal of its task store), or None."""
    before, after = analyse(old, path), analyse(new, path)
    if before.kind != after.kind:
        return f"the edit changes the task type from {before.kind} to {after.kind}"
    return new_refusal(refusals(before), refusals(after))


DEFINITION_SUFFIXES = (".yaml", ".yml", ".json")


def check_edited_definition(path: str, old: str, new: str, edits: Sequence[Edit]) -> str | None:
    """A task definition must still parse, with the same keys and the same values except
    those whose text the edits replaced."""
    try:
        before, after = parse_located(path, old), parse_located(path, new)
    except ConfigError as exc:
        return f"the edited file does not parse: {exc}"
    spans = [(e.start, e.end) for e in edits]

    def flat(node: Located, prefix: str, out: dict[str, Located]) -> dict[str, Located]:
        if isinstance(node.value, dict):
            for key, child in node.value.items():
                flat(child, f"{prefix}/{key}", out)
        elif isinstance(node.value, list):
            for i, child in enumerate(node.value):
                flat(child, f"{prefix}/{i}", out)
        else:
            out[prefix] = node
        return out

    old_values, new_values = flat(before, "", {}), flat(after, "", {})
    if old_values.keys() != new_values.keys():
        return "the edit changed the structure of the task definition"
    for key, value in old_values.items():
        edited = any(value.start <= s and e <= value.end for s, e in spans)
        if not edited and value.value != new_values[key].value:
            return f"the edit changed {key}, which it was not meant to touch"
    return None


# --- TODO annotations -----------------------------------------------------------------------


def _annotate(
    result: Migration,
    load: Loader,
    overlay: dict[str, SourceFile],
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
    for path, diags in sorted(todos.items()):
        try:
            current = load(path)
            script = parse(current.text, path)
        except (InputError, TickSyntaxError):
            continue
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
        problem = verify_edit(path, current.text, new_text, edit_list)
        if problem is not None:
            result.failed[path] = problem
            continue
        overlay[path] = replace(current, text=new_text)
        change = result.changes.setdefault(path, FileChange(path, current, current.text))
        change.text = new_text
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
