"""The check cache (like ruff's): one script's check result, remembered per file and keyed by
what decides it: the file's text, the facts the check received, and a salt made of tickmig's
version, the enabled rules and the mapping sources' content (a live source's answer included).

Safety (issue 11): the cache holds JSON only (nothing executable is loaded), lives in a
directory the user owns, is opened without following symbolic links, must be a regular file
owned by the user and at most `MAX_BYTES`, and is replaced atomically. Anything unexpected (a
corrupt, truncated, foreign or oversized file) is ignored and rebuilt, never trusted. Runs that
overlap each write a whole file: the last one wins, and both are valid.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Iterable
from dataclasses import asdict
from typing import Any

from tickmig.diagnostics import (
    Applicability,
    Diagnostic,
    Edit,
    FileResult,
    Fix,
    Location,
    Severity,
)
from tickmig.engine.cachefiles import (
    DIRECTORY,
    MAX_BYTES,
    cache_directory,
    ensure_directory,
    read_private,
    write_private,
)

#: The entry of a script's kapacitorLoopback pairs is its path after this prefix.
FEEDS = "loopback:"
#: Bumped whenever the stored shape changes; part of every salt.
FORMAT = 1


def salt(*parts: str) -> str:
    """A short digest of everything that decides every result of a run."""
    digest = hashlib.blake2b(digest_size=16)
    for part in (f"format={FORMAT}", *parts):
        digest.update(part.encode("utf-8", "surrogatepass"))
        digest.update(b"\0")
    return digest.hexdigest()


def _key(text: str, facts: Iterable[str]) -> str:
    digest = hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16)
    digest.update(b"\0" + "\0".join(sorted(facts)).encode())
    return digest.hexdigest()


class ResultCache:
    """The results of one salt: `get` before checking a file, `put` after, `save` at the end."""

    def __init__(self, directory: str, run_salt: str) -> None:
        self.directory = directory
        self.file = os.path.join(directory, f"check-{run_salt}.json")
        self._entries: dict[str, dict[str, Any]] = {}
        self._dirty = False
        self.hits = 0
        self._load()

    # --- lookups -------------------------------------------------------------------------

    def get(self, path: str, text: str, facts: Iterable[str] = ()) -> FileResult | None:
        """The remembered result of `path` when its text and facts are the same, else None."""
        entry = self._entries.get(path)
        if entry is None or entry.get("key") != _key(text, facts):
            return None
        try:
            result = _result(path, entry["result"], text)
        except (KeyError, TypeError, ValueError):
            return None
        self.hits += 1
        return result

    def put(self, path: str, text: str, facts: Iterable[str], result: FileResult) -> None:
        self._entries[path] = {"key": _key(text, facts), "result": _plain(result)}
        self._dirty = True

    def get_feeds(self, path: str, text: str) -> list[tuple[str, str]] | None:
        """The pairs the script's kapacitorLoopback nodes write (tickmig.engine.loopback),
        remembered for this text, else None."""
        entry = self._entries.get(FEEDS + path)
        if entry is None or entry.get("key") != _key(text, ()):
            return None
        pairs = entry.get("pairs")
        if not isinstance(pairs, list) or not all(
            isinstance(p, list) and len(p) == 2 and all(isinstance(x, str) for x in p)
            for p in pairs
        ):
            return None
        return [(db, rp) for db, rp in pairs]

    def put_feeds(self, path: str, text: str, pairs: list[tuple[str, str]]) -> None:
        self._entries[FEEDS + path] = {"key": _key(text, ()), "pairs": [list(p) for p in pairs]}
        self._dirty = True

    # --- the file ------------------------------------------------------------------------

    def _load(self) -> None:
        data = read_private(self.file)
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            return
        entries = data.get("entries")
        if isinstance(entries, dict):
            self._entries = {k: v for k, v in entries.items() if isinstance(v, dict)}

    def save(self) -> None:
        """Writes the cache when anything changed; a cache that cannot be written is skipped
        silently (it is an optimisation, never a reason to fail a check)."""
        if not self._dirty:
            return
        with contextlib.suppress(OSError):
            ensure_directory(self.directory)
            data = json.dumps(
                {"format": FORMAT, "entries": self._entries},
                separators=(",", ":"),
                sort_keys=True,
            ).encode()
            write_private(self.file, data)
            self._dirty = False


# --- FileResult <-> JSON --------------------------------------------------------------------


def _plain(result: FileResult) -> dict[str, Any]:
    return {
        "task_type": result.task_type,
        "diagnostics": [asdict(d) for d in result.diagnostics],
    }


def _result(path: str, data: dict[str, Any], text: str) -> FileResult:
    diagnostics = [_diagnostic(d) for d in data["diagnostics"]]
    task_type = data["task_type"]
    if task_type is not None and not isinstance(task_type, str):
        raise ValueError("task_type")
    return FileResult(path, diagnostics, task_type, text)


def _diagnostic(d: dict[str, Any]) -> Diagnostic:
    fix = d.get("fix")
    return Diagnostic(
        code=str(d["code"]),
        name=str(d["name"]),
        message=str(d["message"]),
        severity=Severity(d["severity"]),
        location=_location(d["location"]),
        fix=None
        if fix is None
        else Fix(
            title=str(fix["title"]),
            edits=tuple(
                Edit(str(e["path"]), _int(e["start"]), _int(e["end"]), str(e["text"]))
                for e in fix["edits"]
            ),
            applicability=Applicability(fix["applicability"]),
        ),
        notes=tuple(str(n) for n in d.get("notes", ())),
    )


def _int(value: object) -> int:
    if type(value) is not int:
        raise ValueError("not an integer")
    return value


def _location(d: dict[str, Any]) -> Location:
    names = ("start", "end", "line", "column", "end_line", "end_column")
    return Location(str(d["path"]), *(_int(d[n]) for n in names))


__all__ = [
    "DIRECTORY",
    "MAX_BYTES",
    "ResultCache",
    "cache_directory",
    "ensure_directory",
    "read_private",
    "salt",
    "write_private",
]
