"""Errors in the files the options name (the settings file, --mapping files and plans,
--telegraf-conf, --kapacitor-conf, a `dbrp` setting) as input problems: `check` and `report`
show them in every output format, as they show a script that cannot be read, and exit 2.

An error that names no such file (a bad command-line value, a server that cannot be reached)
stays a usage error: one line on standard error, exit 2."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tickmig.cli.options import MappingOptions
    from tickmig.diagnostics import InputProblem
    from tickmig.settings import Settings

#: tomllib's position at the end of its message: `(at line 3, column 7)`.
_TOML_AT = re.compile(r"\(at line (\d+), column (\d+)\)")


def option_files(
    options: MappingOptions, settings: Settings | None, *more: Iterable[str] | str | None
) -> list[str]:
    """Every file the options and the settings name (the settings file too, also one found
    from the current directory upwards that could not be read)."""
    found: list[str] = [*(options.mapping or []), *([options.config] if options.config else [])]
    if settings is not None:
        found += [settings.source, *settings.mapping, *settings.telegraf_conf]
        found += [settings.kapacitor_conf or ""]
    else:
        for folder in (Path.cwd(), *Path.cwd().parents):
            found += [str(folder / "tickmig.toml"), str(folder / "pyproject.toml")]
    for item in more:
        found += [item] if isinstance(item, str) else list(item or [])
    return [path for path in dict.fromkeys(found) if path]


def option_problem(error: Exception, files: Iterable[str]) -> InputProblem | None:
    """The error as a problem of the option file it is about (its line and column when the
    error knows them), or None when it is about none of `files`."""
    from tickmig.diagnostics import InputProblem

    files = list(files)
    path = getattr(error, "path", None)
    if isinstance(path, str) and path in files:
        message = str(getattr(error, "message", "") or error)
        return _with_position(InputProblem(path, message, error_line(error), error_column(error)))
    text = " ".join(str(error).split())
    for candidate in sorted(files, key=len, reverse=True):
        if text.startswith(candidate + ":"):
            return _with_position(InputProblem.from_text(candidate, text))
    return None


def error_line(error: Exception) -> int | None:
    line = getattr(error, "line", None)
    return line if isinstance(line, int) else None


def error_column(error: Exception) -> int | None:
    column = getattr(error, "column", None)
    return column if isinstance(column, int) else None


def _with_position(problem: InputProblem) -> InputProblem:
    """A TOML error's position, from tomllib's `(at line N, column M)`, when none is known."""
    from tickmig.diagnostics import InputProblem

    if problem.line is not None:
        return problem
    match = _TOML_AT.search(problem.message)
    if match is None:
        return problem
    return InputProblem(problem.path, problem.message, int(match[1]), int(match[2]))
