"""`tickmig report` from settings to exit status: build the report, render it in the chosen
format, write it (standard output or -o FILE), write the patched configuration copies when
asked (--patched-dir), and tell standard error about files that could not be read.

Exit status: 0 when the report is complete; 2 when a task file or a configuration file could
not be read or parsed (the rest of the report is still produced), or for usage errors."""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import cast
from urllib.parse import urlsplit

from tickmig.configs.telegraf import patched_name
from tickmig.errors import ConfigError
from tickmig.report import FORMATS
from tickmig.report.build import DEFAULT_KAPACITOR_URL, ReportOptions, build_report, load_inputs
from tickmig.report.model import Report
from tickmig.settings import Settings


@dataclass
class RunOptions:
    output_format: str = FORMATS[0]
    output: str | None = None
    patched_dir: str | None = None
    telegraf_confs: list[str] = field(default_factory=list)
    kapacitor_conf: str | None = None
    kapacitor_url: str = DEFAULT_KAPACITOR_URL


def renderer(output_format: str) -> Callable[[Report], str]:
    if output_format not in FORMATS:
        raise ConfigError(f"unknown --format {output_format!r} (one of: {', '.join(FORMATS)})")
    module = importlib.import_module(f"tickmig.report.render_{output_format}")
    return cast(Callable[[Report], str], module.render)


def run_report(paths: Sequence[str], settings: Settings, options: RunOptions) -> int:
    render = renderer(options.output_format)
    _check_url(options.kapacitor_url)
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
    report = build_report(
        workspace,
        checker,
        settings,
        ReportOptions(options.telegraf_confs, options.kapacitor_conf, options.kapacitor_url),
    )
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
    return 0


def _check_url(url: str) -> None:
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a bad port
    except ValueError:
        parts = None
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(
            f"--kapacitor-url must be an http(s) URL such as {DEFAULT_KAPACITOR_URL}, not {url!r}"
        )


def _write(text: str, output: str | None) -> None:
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    from tickmig.text.atomic import atomic_write

    try:
        atomic_write(output, text.encode("utf-8"))
    except OSError as exc:
        raise ConfigError(f"{output}: cannot write: {exc.strerror or exc}") from None


def _write_patched(report: Report, directory: str) -> list[str]:
    """Write each patched copy (with its secrets: the files are created readable by their
    owner only) below `directory`."""
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
            atomic_write(target, file.patched_text.encode("utf-8"))
        except OSError as exc:
            errors.append(f"{target}: cannot write: {exc.strerror or exc}")
    return errors
