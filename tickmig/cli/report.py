"""`tickmig report`: from the command line to exit status: build the report, render it in the chosen
format, write it (standard output or -o FILE), write the patched configuration copies when
asked (--patched-dir), and tell standard error about files that could not be read.

Exit status: 0 when the report is complete and its proof holds; 1 when the proof fails (a flow
that does not land: the report, written whole, opens with why); 2 when a task file or a
configuration file could not be read or parsed (the rest of the report is still produced), or
for usage errors."""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Annotated, cast

import typer

from tickmig.cli.options import (
    NO_MAPPING_OPTIONS,
    JobsOpt,
    KapacitorConfOpt,
    KapacitorUrlOpt,
    MappingOptions,
    PatchInfluxUrlOpt,
    TelegrafConfOpt,
    check_kapacitor_url,
    usage_error,
    with_mapping_options,
)
from tickmig.errors import ConfigError, TickmigError
from tickmig.report import FORMATS

if TYPE_CHECKING:
    from tickmig.report.model import Report
    from tickmig.settings import Settings


@with_mapping_options
def report_command(
    paths: Annotated[
        list[str],
        typer.Argument(help="Files or directories (*.tick; a load directory's task definitions)."),
    ],
    telegraf_conf: TelegrafConfOpt = None,
    kapacitor_conf: KapacitorConfOpt = None,
    kapacitor_url: KapacitorUrlOpt = None,
    patch_influx_url: PatchInfluxUrlOpt = None,
    output_format: Annotated[
        str,
        typer.Option(
            "--output-format",
            "--format",
            metavar="markdown|html|json|text",
            help="Report format (--format is the same option).",
        ),
    ] = "markdown",
    output: Annotated[
        str | None,
        typer.Option(
            "-o", "--output", metavar="FILE", help="Write the report to this file, not stdout."
        ),
    ] = None,
    patched_dir: Annotated[
        str | None,
        typer.Option(
            "--patched-dir",
            metavar="DIR",
            help="Write the patched configuration copies (NAME.patched.conf) into DIR.",
        ),
    ] = None,
    jobs: JobsOpt = None,
    mapping_options: MappingOptions = NO_MAPPING_OPTIONS,
) -> None:
    """Write a migration report: summary, DBRPs and their mappings, per-task findings and
    diffs, the influx commands to run first, Telegraf outputs for stream tasks and
    kapacitor.conf checks. Never writes a script. Exit 0; 1 when the proof fails (some data
    flow does not land: the report opens with which and why); 2 when an input or configuration
    file cannot be read (the rest of the report is still written) or for usage errors."""
    settings: Settings | None = None
    try:
        settings = mapping_options.settings(jobs=jobs)
        options = RunOptions(
            output_format=output_format,
            output=output,
            patched_dir=patched_dir,
            telegraf_confs=list(telegraf_conf or settings.telegraf_conf),
            kapacitor_conf=kapacitor_conf or settings.kapacitor_conf,
            kapacitor_url=kapacitor_url,
            patch_influx_url=patch_influx_url,
        )
        code = run_report(paths, settings, options)
    except TickmigError as exc:
        from tickmig.cli.option_errors import option_files, option_problem

        given = option_files(mapping_options, settings, telegraf_conf, kapacitor_conf)
        problem = option_problem(exc, given)
        if problem is None:
            usage_error(str(exc))
        _error_report(paths, str(problem), output_format, output)
    raise typer.Exit(code)


def _error_report(
    paths: Sequence[str], message: str, output_format: str, output: str | None
) -> None:
    """An option's file could not be read (the settings, a mapping file or plan): the report,
    in the format asked for, is only that error (no task is reported against mappings that
    were not read); exit 2."""
    from tickmig.engine.checker import checker_for
    from tickmig.report.build import build_report
    from tickmig.report.model import ReportOptions
    from tickmig.settings import Settings
    from tickmig.tasks.workspace import load_workspace

    try:
        render = renderer(output_format)
        report = build_report(
            load_workspace([]), checker_for(Settings()), Settings(), ReportOptions()
        )
        report.paths = list(paths)
        report.mapping_origin = "none: a file the options name could not be read (see Errors)"
        report.verdict, report.flows, report.actions = None, [], []  # no proof was run
        report.input_errors = [message]
        report.summary.input_errors = 1
        _write(render(report), output)
    except TickmigError as exc:
        typer.echo(f"tickmig: error: {message}", err=True)
        usage_error(str(exc))
    usage_error(message)


@dataclass
class RunOptions:
    output_format: str = FORMATS[0]
    output: str | None = None
    patched_dir: str | None = None
    telegraf_confs: list[str] = field(default_factory=list)
    kapacitor_conf: str | None = None
    kapacitor_url: str | None = None
    patch_influx_url: str | None = None


def renderer(output_format: str) -> Callable[[Report], Iterable[str]]:
    """The format's renderer, giving the document in pieces as they are written (a report of
    thousands of tasks is megabytes: it is never held as one string, nor as a whole list of
    lines, nor as one JSON value)."""
    if output_format not in FORMATS:
        raise ConfigError(
            f"unknown --output-format {output_format!r} (one of: {', '.join(FORMATS)})"
        )
    module = importlib.import_module(f"tickmig.report.render_{output_format}")
    return cast("Callable[[Report], Iterable[str]]", module.render_pieces)


def run_report(paths: Sequence[str], settings: Settings, options: RunOptions) -> int:
    from tickmig.configs.telegraf import patched_name
    from tickmig.report.build import build_report, load_inputs
    from tickmig.report.model import ReportOptions

    render = renderer(options.output_format)
    check_kapacitor_url(options.kapacitor_url)
    check_kapacitor_url(options.patch_influx_url, "--patch-influx-url")
    configs = [
        *options.telegraf_confs,
        *([options.kapacitor_conf] if options.kapacitor_conf else []),
    ]
    names = [patched_name(p) for p in configs]
    if options.patched_dir and len(set(names)) != len(names):
        raise ConfigError(
            "--patched-dir: two configuration files have the same name; "
            "give them different file names"
        )
    checker, workspace = load_inputs(paths, settings)
    for note in checker.mappings.notes:  # what tickmig decided about the plan
        typer.echo(f"tickmig: note: {note}", err=True)
    report = build_report(
        workspace,
        checker,
        settings,
        ReportOptions(
            options.telegraf_confs,
            options.kapacitor_conf,
            options.kapacitor_url,
            options.patch_influx_url,
        ),
        jobs=settings.jobs,
    )
    _add_unmatched(report, paths)
    _write(render(report), options.output)
    write_errors = _write_patched(report, options.patched_dir) if options.patched_dir else []
    for message in report.input_errors:
        sys.stderr.write(f"tickmig: error: {message}\n")
    for path, problem in report.config_errors:
        sys.stderr.write(f"tickmig: error: {problem.where(path)}: {problem.message}\n")
    for message in write_errors:
        sys.stderr.write(f"tickmig: error: {message}\n")
    if report.input_errors or report.config_errors or write_errors:
        return 2
    if report.verdict is not None and not report.verdict.ok:
        sys.stderr.write(f"tickmig: the proof fails: {report.verdict.headline}\n")
        return 1
    return 0


def _add_unmatched(report: Report, paths: Sequence[str]) -> None:
    """An empty directory (no `*.tick`, no task definition) is an input error of the report,
    as it is of `check` and `migrate`: shown in every format and in the exit status."""
    from tickmig.engine.checker import unmatched_paths

    extra = [str(p) for p in unmatched_paths(paths) if str(p) not in report.input_errors]
    if extra:
        report.input_errors = sorted([*report.input_errors, *extra])
        report.summary.input_errors = len(report.input_errors)


def _write(pieces: Iterable[str], output: str | None) -> None:
    if output is None:
        for piece in pieces:
            sys.stdout.write(piece)
        sys.stdout.flush()
        return
    from tickmig.text.atomic import atomic_write

    try:
        atomic_write(output, (piece.encode("utf-8") for piece in pieces))
    except OSError as exc:
        raise ConfigError(f"{output}: cannot write: {exc.strerror or exc}") from None


def _write_patched(report: Report, directory: str) -> list[str]:
    """Write each patched copy below `directory`, with its original's permission bits (a
    telegraf.conf readable by its group stays so; one readable by its owner only too)."""
    from tickmig.text.atomic import atomic_write

    errors: list[str] = []
    files = [*report.telegraf.files, *([report.kapacitor.file] if report.kapacitor.file else [])]
    try:
        os.makedirs(directory, exist_ok=True)
    except OSError as exc:
        return [f"{directory}: cannot create: {exc.strerror or exc}"]
    for file in files:
        if file.patched_text is None:
            continue
        target = os.path.join(directory, file.patched_name)
        try:
            mode = os.stat(file.path).st_mode if os.path.isfile(file.path) else None
            atomic_write(target, file.patched_text.encode("utf-8"), mode=mode)
        except OSError as exc:
            errors.append(f"{target}: cannot write: {exc.strerror or exc}")
    return errors
