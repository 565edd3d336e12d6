"""The consolidation of InfluxDB 3 Core as the operator's own plan with its changes: the plan
given with ``--mapping`` keeps every entry (its ``[[task]]`` tables, its other renames, its
comments), its ``target`` says the target, a ``bucket =`` entry becomes the ``database =`` it
means on InfluxDB 3, an entry whose database is folded says the database it folds into, and
the folds no entry covers are added at the end. Saving the proposal over the plan (or beside
it) therefore loses nothing the plan said. Line edits keep the plan's layout; the result is
checked to be TOML with the same ``[[task]]`` tables."""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence

from tickmig.targets.consolidate import Consolidation, Fold

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]

_HEADER = re.compile(r"^\s*\[")
_RENAME = re.compile(r"^\s*\[\[\s*rename\s*\]\]")
_TARGET_KEY = re.compile(r"^\s*target\s*=")
_DEST_KEY = re.compile(r"^(\s*)(to|bucket|database)\s*=")


def choose(plan_files: Sequence[tuple[str, str]], folds: Sequence[Fold]) -> tuple[str, str] | None:
    """The plan to merge into: the one holding the entries the folds change, else the first."""
    entries = {f.entry for f in folds if f.entry is not None}
    for path, text in plan_files:
        if entries and entries <= set(_froms(text)):
            return path, text
    return plan_files[0] if plan_files else None


def merge(text: str, consolidation: Consolidation, target: str, v3: bool = True) -> str | None:
    """``text`` (a tickmig plan) with the consolidation applied; None when the plan cannot be
    edited line by line (then the proposal is printed on its own)."""
    lines = text.splitlines()
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return None
    tables = _tables(lines)
    renames = doc.get("rename", [])
    headers = [i for i in tables if _RENAME.match(lines[i])]
    if not isinstance(renames, list) or len(headers) != len(renames):
        return None
    by_from = {str(entry.get("from")): index for index, entry in enumerate(renames)}
    folded = {f.entry or f.from_text: f for f in consolidation.folds}
    for index, entry in enumerate(renames):
        start = headers[index]
        end = next((t for t in tables if t > start), len(lines))
        fold = folded.get(str(entry.get("from")))
        for i in range(start + 1, end):
            match = _DEST_KEY.match(lines[i])
            if match is None:
                continue
            indent, key = match.groups()
            if fold is not None:
                lines[i] = (
                    f'{indent}database = "{fold.database}"   # consolidation; was {key} = '
                    f'"{entry[key]}"'
                )
            elif key == "bucket" and v3:
                lines[i] = (
                    f'{indent}database = "{entry[key]}"   # was bucket = (InfluxDB 3 has no '
                    "buckets)"
                )
            break
    head = next((i for i, line in enumerate(lines) if _HEADER.match(line)), len(lines))
    targets = [i for i in range(head) if _TARGET_KEY.match(lines[i])]
    if targets:
        old = doc.get("target")
        lines[targets[0]] = f'target = "{target}"' + (f'   # was "{old}"' if old != target else "")
    else:
        lines.insert(0, f'target = "{target}"')
    added = set(by_from)
    for fold in consolidation.folds:
        if fold.entry is not None and fold.was not in added:
            # Scripts already rewritten by the old entry name the database it sent them to.
            added.add(fold.was)
            lines += [
                "",
                "[[rename]]   # consolidation: scripts already migrated with the entry above",
                f'from = "{fold.was}"',
                f'database = "{fold.database}"',
            ]
        if (fold.entry or fold.from_text) in added:
            continue
        added.add(fold.from_text)
        lines += [
            "",
            "[[rename]]   # consolidation (tickmig report)",
            f'from = "{fold.from_text}"',
            f'database = "{fold.database}"   # was "{fold.was}"',
        ]
    merged = "\n".join(lines) + "\n"
    try:
        after = tomllib.loads(merged)
    except tomllib.TOMLDecodeError:
        return None
    if after.get("task") != doc.get("task"):
        return None
    return merged


def _tables(lines: list[str]) -> list[int]:
    return [i for i, line in enumerate(lines) if _HEADER.match(line)]


def _froms(text: str) -> list[str]:
    try:
        renames = tomllib.loads(text).get("rename", [])
    except tomllib.TOMLDecodeError:
        return []
    return [str(e.get("from")) for e in renames if isinstance(e, dict)]
