"""`tickmig migrate`: from the command line to exit status: compute the migration, then print
diffs, list what would change (--check), write files in place (--write), or write migrated
copies (--output-dir); standard input goes to standard output. `-i` and `--decisions` hand
over to the review (tickmig.review)."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated

import typer

from tickmig.cli.options import (
    NO_MAPPING_OPTIONS,
    ColorChoice,
    IgnoreOpt,
    JobsOpt,
    MappingOptions,
    PathsArg,
    split_codes,
    usage_error,
    with_mapping_options,
)
from tickmig.errors import ConfigError, TickmigError
from tickmig.text.source import STDIN

if TYPE_CHECKING:
    from tickmig.engine.checker import Checker
    from tickmig.engine.fixer import Migration
    from tickmig.settings import Settings
    from tickmig.tasks.workspace import Workspace


@with_mapping_options
def migrate_command(
    paths: PathsArg,
    check: Annotated[
        bool, typer.Option("--check", help="Change nothing; exit 1 when a file would change.")
    ] = False,
    write: Annotated[
        bool, typer.Option("--write", help="Replace the files in place (atomically).")
    ] = False,
    output_dir: Annotated[
        str | None,
        typer.Option(
            "--output-dir", help="Write migrated copies below DIR, mirroring the input tree."
        ),
    ] = None,
    backup: Annotated[
        str | None,
        typer.Option("--backup", help="With --write, keep each original as PATH+SUFFIX."),
    ] = None,
    unsafe_fixes: Annotated[
        bool, typer.Option("--unsafe-fixes", help="Also apply fixes that are not known to be safe.")
    ] = False,
    annotate: Annotated[
        bool,
        typer.Option(
            "--annotate",
            help="Insert // TICKMIG-TODO(TMnnn) comments where tickmig cannot make the change.",
        ),
    ] = False,
    diff: Annotated[
        bool, typer.Option("--diff", help="With --check, also print the diffs.")
    ] = False,
    color: Annotated[
        ColorChoice,
        typer.Option("--color", help="Colour the diff: auto (on a terminal), always, never."),
    ] = ColorChoice.auto,
    interactive: Annotated[
        bool,
        typer.Option(
            "--interactive",
            "-i",
            help="Review each proposed change in the terminal (apply, "
            "skip or edit it); accepted changes are written file by file. Exit 130 on Ctrl-C, "
            "1 at end of input.",
        ),
    ] = False,
    decisions: Annotated[
        str | None,
        typer.Option(
            "--decisions",
            metavar="FILE",
            help="Record the review's decisions in FILE (JSON) and "
            "resume from it; with --check, fail when they no longer account for the scripts.",
        ),
    ] = None,
    select: Annotated[
        list[str] | None,
        typer.Option("--select", help="Rule codes or prefixes whose fixes to apply."),
    ] = None,
    ignore: IgnoreOpt = None,
    jobs: JobsOpt = None,
    mapping_options: MappingOptions = NO_MAPPING_OPTIONS,
) -> None:
    """Rewrite scripts (and task definitions) for InfluxDB 2 with minimal edits. By default a
    dry run that prints a unified diff. Exit 0 done, 1 --check found changes, 2 errors."""
    try:
        settings = mapping_options.settings(
            select=split_codes(select), ignore=split_codes(ignore), jobs=jobs
        )
        code = run_migrate(
            paths,
            settings,
            MigrateOptions(
                check=check,
                write=write,
                output_dir=output_dir,
                backup=backup,
                unsafe_fixes=unsafe_fixes,
                annotate=annotate,
                diff=diff,
                color=color.value,
                interactive=interactive,
                decisions=decisions,
            ),
        )
    except TickmigError as exc:
        usage_error(str(exc))
    raise typer.Exit(code)


@dataclass
class MigrateOptions:
    check: bool = False
    write: bool = False
    output_dir: str | None = None
    backup: str | None = None
    unsafe_fixes: bool = False
    annotate: bool = False
    diff: bool = False
    color: str = "auto"
    interactive: bool = False
    decisions: str | None = None


def run_migrate(paths: Sequence[str], settings: Settings, options: MigrateOptions) -> int:
    if options.interactive or options.decisions:
        from tickmig.review.runner import run_review

        return run_review(paths, settings, options)
    if sum(bool(x) for x in (options.check, options.write, options.output_dir)) > 1:
        raise ConfigError("--check, --write and --output-dir cannot be combined")
    if options.backup and not options.write:
        raise ConfigError("--backup goes with --write")
    from tickmig.engine.checker import checker_for, unmatched_paths
    from tickmig.engine.fixer import migrate
    from tickmig.tasks.workspace import load_workspace

    checker = checker_for(settings)
    for note in checker.mappings.notes:  # what tickmig decided about the plan
        typer.echo(f"tickmig: note: {note}", err=True)
    unmatched = unmatched_paths(paths)
    if unmatched:  # a mistyped path or an empty directory: nothing there would be migrated
        raise ConfigError("; ".join(map(str, unmatched)))
    workspace = load_workspace(paths)
    stdin = STDIN in workspace.scripts
    if stdin and len(workspace.scripts) > 1:
        raise ConfigError("standard input (-) cannot be mixed with files")
    if stdin:
        return _from_stdin(workspace, checker, options)
    copies = _plan_copies(workspace, options.output_dir) if options.output_dir else {}
    result = migrate(
        workspace,
        checker,
        unsafe=options.unsafe_fixes,
        annotate=options.annotate,
        jobs=settings.jobs,
    )
    from tickmig.text.atomic import atomic_write
    from tickmig.text.diffs import unified_diff, use_color
    from tickmig.text.source import encode

    write_errors: list[str] = []
    color = use_color(options.color, sys.stdout.isatty())
    changed = result.changed()
    if options.write:  # one file after the other: an interruption leaves a clear cut
        for change in changed:
            try:
                atomic_write(
                    change.path,
                    encode(change.original, change.text),
                    backup_suffix=options.backup,
                    expected=encode(change.original, change.original.text),
                )
            except OSError as exc:
                write_errors.append(f"{change.path}: cannot write: {exc.strerror or exc}")
    elif options.output_dir:
        jobs = settings.jobs or os.cpu_count() or 1
        write_errors = _write_copies(result, workspace, options.output_dir, copies, jobs)
    elif options.check:
        for change in changed:
            sys.stdout.write(f"would migrate: {change.path}\n")
            if options.diff:
                sys.stdout.write(
                    unified_diff(change.path, change.original.text, change.text, color=color)
                )
    else:
        for change in changed:
            sys.stdout.write(
                unified_diff(change.path, change.original.text, change.text, color=color)
            )
    _report(result, write_errors)
    if result.errors or write_errors:
        return 2
    if options.check and changed:
        return 1
    return 0


def _from_stdin(workspace: Workspace, checker: Checker, options: MigrateOptions) -> int:
    """Standard input is read once, migrated in memory, and written to standard output."""
    from tickmig.engine.fixer import migrate
    from tickmig.text.diffs import unified_diff, use_color
    from tickmig.text.source import encode

    source = workspace.source(STDIN)
    result = migrate(workspace, checker, unsafe=options.unsafe_fixes, annotate=options.annotate)
    change = result.changes.get(STDIN)
    changed = change is not None and change.changed
    if options.check:
        if changed and options.diff:
            sys.stdout.write(
                unified_diff(
                    "-",
                    source.text,
                    change.text,  # type: ignore[union-attr]
                    color=use_color(options.color, sys.stdout.isatty()),
                )
            )
    else:
        text = change.text if change is not None else source.text
        sys.stdout.buffer.write(encode(source, text))
        sys.stdout.flush()
    _report(result, [])
    if result.errors:
        return 2
    return 1 if options.check and changed else 0


def _plan_copies(workspace: Workspace, output_dir: str) -> dict[str, str]:
    """Every input file's copy, decided (and collisions refused) before anything is written."""
    from tickmig.text.mirror import OutputDirProblem, check_output_dir, plan_copies

    paths = workspace.paths
    files = sorted(set(workspace.scripts) | set(_all_files(paths)))
    try:
        check_output_dir(paths, output_dir)
        return plan_copies(files, paths, output_dir)
    except OutputDirProblem as exc:
        raise ConfigError(str(exc)) from None


def _write_copies(
    result: Migration, workspace: Workspace, output_dir: str, copies: dict[str, str], jobs: int = 1
) -> list[str]:
    """Every input file gets its copy: migrated, unchanged, or (refused by the safety net, and
    reported so) the original; the copies are written in up to `jobs` threads, and the
    errors listed in the copies' order."""
    from tickmig.engine.jobs import in_threads
    from tickmig.text.atomic import atomic_write, default_mode
    from tickmig.text.mirror import OUTPUT_MARK, check_output_dir
    from tickmig.text.regular import read_regular
    from tickmig.text.source import encode

    errors: list[str] = []
    if check_output_dir(workspace.paths, output_dir):
        try:
            os.makedirs(output_dir, exist_ok=True)
            atomic_write(os.path.join(output_dir, OUTPUT_MARK), b"written by tickmig migrate\n")
        except OSError as exc:
            return [f"{output_dir}: cannot write: {exc.strerror or exc}"]
    default = default_mode()  # once, here: it reads the umask by setting it
    todo: list[tuple[str, bytes, int]] = []
    for path, target in copies.items():
        change = None if path in result.failed else result.changes.get(path)
        if change is not None:
            data = encode(change.original, change.text)
        elif workspace.was_read(path):
            source = workspace.source(path)
            data = encode(source, source.text)
        else:
            try:
                data = read_regular(path)
            except OSError as exc:
                errors.append(f"{path}: not copied to {target}: {exc.strerror or exc}")
                continue
        mode = _mode_of(path)
        todo.append((target, data, default if mode is None else mode))

    def write(item: tuple[str, bytes, int]) -> str | None:
        target, data, mode = item
        try:
            os.makedirs(os.path.dirname(target) or ".", exist_ok=True)
            atomic_write(target, data, mode=mode, sync=False)
        except OSError as exc:
            return f"{target}: cannot write: {exc.strerror or exc}"
        return None

    errors.extend(e for e in in_threads(write, todo, jobs) if e is not None)
    # The copies sit beside untouched originals: one sync makes them all durable before
    # migrate reports success (an fsync per copy cost ~2 ms each, most of a 10,000-file run).
    os.sync()
    return errors


def _mode_of(path: str) -> int | None:
    """The input's permission bits, for its copy (None: the umask's default)."""
    try:
        return os.stat(path).st_mode
    except OSError:
        return None


def _all_files(paths: Sequence[str]) -> list[str]:
    """Every file below the directories named (version-control and cache folders aside), so
    that --output-dir mirrors the whole input tree."""
    from tickmig.text.source import _unreadable_folder, keep_folder

    found: list[str] = []
    for path in paths:
        if os.path.isdir(path):
            for root, dirs, names in os.walk(path, onerror=_unreadable_folder):
                dirs[:] = sorted(d for d in dirs if keep_folder(root, d))
                found.extend(os.path.join(root, n) for n in names)
    return found


def _report(result: Migration, write_errors: list[str]) -> None:
    for message in result.input_errors:
        sys.stderr.write(f"tickmig: error: {message}\n")
    for path, reason in sorted(result.failed.items()):
        sys.stderr.write(f"tickmig: error: {path}: left unchanged: {reason}\n")
    for message in write_errors:
        sys.stderr.write(f"tickmig: error: {message}\n")
    changed = result.changed()
    todos = sum(c.todos for c in changed)
    summary = (
        f"{result.scanned} files scanned, {len(changed)} changed, "
        f"{result.fixes_applied} fixes applied, {result.unsafe_skipped} unsafe fixes "
        f"skipped, {result.errors + len(write_errors)} errors"
    )
    if todos:
        summary += f", {todos} TODOs added"
    sys.stderr.write(summary + "\n")
