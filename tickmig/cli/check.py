"""`tickmig check` from settings to exit status: mappings, rule selection, the engine (in
several processes with -j), a renderer, and the report written in one go."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

from tickmig import __version__
from tickmig.engine.checker import Checker, CheckRun, check_paths, checker_for
from tickmig.errors import ConfigError
from tickmig.rules import rule_infos
from tickmig.settings import Settings
from tickmig.tasks.workspace import Workspace, load_workspace


def run_check(paths: Sequence[str], settings: Settings, output: str | None) -> int:
    from tickmig.output import RENDERERS

    renderer = RENDERERS.get(settings.output_format)
    if renderer is None:
        raise ConfigError(
            f"unknown output format {settings.output_format!r} (one of: {', '.join(RENDERERS)})"
        )
    checker = checker_for(settings)
    workspace = load_workspace(paths)
    run = _run(workspace, checker, settings.jobs)
    report = renderer(run.results, rule_infos(), tool_version=__version__)
    _write(report, output)
    for message in run.input_errors:
        sys.stderr.write(f"tickmig: error: {message}\n")
    if run.input_errors:
        return 2
    if run.diagnostics() and not settings.exit_zero:
        return 1
    return 0


def _run(workspace: Workspace, checker: Checker, jobs: int) -> CheckRun:
    total = len(workspace.scripts)
    progress = _Progress(total) if sys.stderr.isatty() and total > 20 else None
    try:
        return check_paths(workspace, checker, jobs=jobs, progress=progress)
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
    tmp = f"{output}.tickmig-tmp"
    with open(tmp, "w", encoding="utf-8", newline="") as f:
        f.write(report)
    os.replace(tmp, output)
