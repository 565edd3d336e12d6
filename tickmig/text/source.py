"""Reading TICKscript files: finding them, decoding them, and remembering how they were stored
(BOM, line endings) so that a rewrite can store them the same way."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from dataclasses import dataclass

from tickmig.errors import InputError
from tickmig.text.regular import NotRegularFile, read_regular

STDIN = "-"
BOM = "\ufeff"
#: Files larger than this are refused with a message instead of being parsed.
MAX_BYTES = 64 * 1024 * 1024
#: Files named explicitly that are never TICKscripts: definitions, vars files, topic handlers.
NOT_SCRIPTS = (".yaml", ".yml", ".json")
SKIP_DIRS = frozenset({".git", ".hg", ".svn", "node_modules", "__pycache__", ".venv", ".tox"})


@dataclass(frozen=True)
class SourceFile:
    """A decoded script: `text` has no BOM; `bom` and `newline` say how it was stored."""

    path: str
    text: str
    bom: bool
    newline: str

    @property
    def display_path(self) -> str:
        return "<stdin>" if self.path == STDIN else self.path


def find_scripts(paths: Iterable[str], pattern: str = ".tick") -> list[str]:
    """The files named, and the `*.tick` files below the directories named, sorted per
    argument; raises InputError for a path that does not exist."""
    found: list[str] = []
    for path in paths:
        if path == STDIN:
            found.append(path)
        elif os.path.isdir(path):
            below: list[str] = []
            for root, dirs, files in os.walk(path, onerror=_unreadable_folder):
                dirs[:] = sorted(d for d in dirs if keep_folder(root, d))
                below.extend(os.path.join(root, f) for f in files if f.endswith(pattern))
            found.extend(sorted(below))
        elif os.path.lexists(path):
            if path.lower().endswith(NOT_SCRIPTS):
                kind = "a JSON" if path.lower().endswith(".json") else "a YAML"
                raise InputError(
                    path,
                    f"{kind} file, not a TICKscript: task definitions (tasks/*.yaml, *.json) and "
                    "vars files are read when their load directory is given, the folder that "
                    "holds tasks/; topic handlers are not read",
                )
            found.append(path)
        else:
            raise InputError(path, "no such file")
    seen: set[str] = set()
    return [p for p in found if not (p in seen or seen.add(p))]  # type: ignore[func-returns-value]


def keep_folder(root: str, name: str) -> bool:
    """Whether a folder below an input is searched: not version-control or cache folders, and
    not an output folder of `migrate --output-dir` (its copies are not inputs again)."""
    from tickmig.text.mirror import is_output_dir

    return name not in SKIP_DIRS and not is_output_dir(os.path.join(root, name))


def _unreadable_folder(exc: OSError) -> None:
    """A folder below an input that cannot be listed is an error, never silently skipped."""
    raise InputError(str(exc.filename), f"cannot read the folder: {exc.strerror or exc}")


def decode(path: str, data: bytes) -> SourceFile:
    """Decode UTF-8 (a BOM is allowed and remembered); binary or non-UTF-8 data is refused
    with the line and column of the first bad byte."""
    if len(data) > MAX_BYTES:
        raise InputError(path, f"file is too large ({len(data)} bytes; the limit is {MAX_BYTES})")
    if b"\x00" in data:
        line, column = _position(data, data.index(b"\x00"))
        raise InputError(path, "binary file (contains a NUL byte), not a TICKscript", line, column)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, column = _position(data, exc.start)
        raise InputError(
            path,
            f"not valid UTF-8 (byte 0x{data[exc.start]:02x}); TICKscripts are UTF-8 text",
            line,
            column,
        ) from None
    bom = text.startswith(BOM)
    if bom:
        text = text[1:]
    newline = "\r\n" if "\r\n" in text else "\n"
    return SourceFile(path, text, bom, newline)


def read_bytes(path: str) -> bytes:
    """The bytes of one file (at most MAX_BYTES + 1 of them), or of standard input for `-`;
    raises InputError naming the file."""
    try:
        if path == STDIN:
            return sys.stdin.buffer.read()
        if os.path.isdir(path):
            raise InputError(path, "is a directory")
        return read_regular(path, MAX_BYTES)
    except NotRegularFile as exc:
        raise InputError(path, exc.strerror or "not a regular file") from None
    except OSError as exc:
        raise InputError(path, f"cannot read: {exc.strerror or exc}") from None


def read_source(path: str) -> SourceFile:
    """Read and decode one file, or standard input for `-`."""
    return decode(path, read_bytes(path))


def encode(source: SourceFile, text: str) -> bytes:
    """The bytes to store for `text` as a new version of `source` (same BOM)."""
    return (BOM + text if source.bom else text).encode("utf-8")


def _position(data: bytes, index: int) -> tuple[int, int]:
    before = data[:index]
    line = before.count(b"\n") + 1
    column = len(before) - (before.rfind(b"\n") + 1) + 1
    return line, column
