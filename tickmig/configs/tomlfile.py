"""A TOML file read (its text and its plain data, with the line and column of a syntax error
in TomlProblem), and a value written as TOML. tomlkit does the parsing and the writing; it is
imported only when a file is read."""

from __future__ import annotations

import re
import sys
from typing import Any

from tickmig.errors import InputError
from tickmig.text.regular import read_regular


class TomlProblem(InputError):
    """A TOML file that cannot be read or parsed; ``str()`` is ``path:line:column: message``."""


def read_toml(path: str) -> tuple[str, dict[str, Any]]:
    """The text of a TOML file and its plain data; raises TomlProblem with the position of a
    syntax error (1-based line and column)."""
    try:
        text = read_regular(path).decode("utf-8")
    except FileNotFoundError:
        raise TomlProblem(path, "no such file") from None
    except UnicodeDecodeError as exc:
        raise TomlProblem(path, f"not UTF-8 text ({exc.reason})") from None
    except OSError as exc:
        raise TomlProblem(path, f"cannot read: {exc.strerror or exc}") from None
    return text, parse_toml(path, text)


def parse_toml(path: str, text: str) -> dict[str, Any]:
    """Plain data of a TOML text; raises TomlProblem (1-based line and column)."""
    import tomlkit
    from tomlkit.exceptions import ParseError, TOMLKitError

    text = text.lstrip("\ufeff")
    try:
        data: dict[str, Any] = tomlkit.parse(text).unwrap()
    except ParseError as exc:
        message = str(exc)
        suffix = f" at line {exc.line} col {exc.col}"
        if message.endswith(suffix):
            message = message[: -len(suffix)]
        raise TomlProblem(
            path, f"invalid TOML: {message.rstrip('. ')}", exc.line, exc.col + 1
        ) from None
    except TOMLKitError as exc:  # e.g. a key defined twice: tomlkit gives no position
        line, column = _stdlib_position(text)
        raise TomlProblem(path, f"invalid TOML: {str(exc).rstrip('. ')}", line, column) from None
    return data


def _stdlib_position(text: str) -> tuple[int | None, int | None]:
    """Where Python's own TOML parser sees the first error (it names line and column)."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on Python 3.10 only
        import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]

    try:
        tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        if match:
            return int(match.group(1)), int(match.group(2))
    return None, None


def toml_value(value: object) -> str:
    """A value written as TOML (strings quoted and escaped, lists inline)."""
    import tomlkit

    if isinstance(value, dict):
        table = tomlkit.inline_table()
        table.update(value)
        return table.as_string()
    return tomlkit.item(value).as_string()
