"""Read tickmig's TOML mapping plan (renames of database/retention policy references).

Format (every key is optional except ``from`` and one of ``to`` / ``bucket`` per entry)::

    # tickmig mapping plan
    target = "oss"              # "oss" (default), "oss@2.7", "cloud", "v3-core"...: the target

    [[rename]]                  # the scripts should use another db/rp
    from = "telegraf/autogen"   # "db/rp", or "db" for every retention policy of that database
    to = "metrics/autogen"      # "db/rp", or "db" to keep each reference's retention policy

    [[rename]]                  # keep the db/rp in the scripts, map it to an existing bucket
    from = "app/one_week"
    bucket = "app-data"         # a bucket name (or ID)

    [[rename]]                  # InfluxDB 3: put the pair into this database (consolidation)
    from = "telegraf/one_year"
    database = "telegraf"       # the scripts are rewritten to the pair that reaches it:
                                # "telegraf"."autogen" here, "db"."rp" for "db/rp"

Rules: names split at the first ``/``; a database or retention policy must be non-empty, not
``.``/``..``, and contain no ``/`` or ``\\`` (InfluxDB's own DBRP name rules); each ``from``
appears once; an exact ``db/rp`` entry wins over a whole-database entry; a reference without a
retention policy is only matched by a whole-database entry. Unknown keys are errors (typos).
"""

from __future__ import annotations

import re
from typing import NoReturn

from tickmig.mappings.errors import MappingError
from tickmig.mappings.model import TARGETS, MappingSet, PlanFile, Rename, Target
from tickmig.targets import parse_target

TOP_KEYS = frozenset({"target", "rename", "task"})
RENAME_KEYS = frozenset({"from", "to", "bucket", "database"})
_HEADER = re.compile(r"^\s*\[\[\s*rename\s*\]\]")


def parse_plan(doc: dict[str, object], text: str, path: str) -> MappingSet:
    """Build a MappingSet (renames only) from a parsed TOML plan; ``text`` gives line numbers."""
    lines = text.splitlines()
    unknown = sorted(set(doc) - TOP_KEYS)
    if unknown:
        line, col = _find_key(lines, 0, len(lines), unknown[0])
        raise MappingError(
            f'unknown key "{unknown[0]}" in mapping plan '
            '(expected "target", [[rename]] and [[task]] tables)',
            path=path,
            line=line,
            column=col,
        )
    target = _target(doc.get("target", "oss"), lines, path)
    entries = doc.get("rename", [])
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        line, col = _find_key(lines, 0, len(lines), "rename")
        raise MappingError(
            "expected [[rename]] tables (an array of tables)", path=path, line=line, column=col
        )
    headers = [i for i, line in enumerate(lines) if _HEADER.match(line)]
    if len(headers) != len(entries):
        headers = []
    renames: list[Rename] = []
    seen: dict[tuple[str, str | None], Rename] = {}
    for index, entry in enumerate(entries):
        block = _Block(lines, headers, index, path)
        rename = _rename(entry, block)
        key = (rename.database, rename.retention_policy)
        if key in seen:
            block.fail("from", f'"{rename.from_text}" already planned at {seen[key].source}')
        seen[key] = rename
        renames.append(rename)
    from tickmig.mappings.plan_tasks import parse_tasks

    tasks = parse_tasks(doc.get("task", []), lines, path)
    written = doc.get("target")
    plan = PlanFile(
        path,
        text,
        written if isinstance(written, str) else None,
        _find_key(lines, 0, len(lines), "target")[0] if written is not None else None,
    )
    return MappingSet(
        (),
        (),
        tuple(renames),
        target,
        f"plan {path}",
        from_server=False,
        task_dbrps=tasks,
        plans=(plan,),
    )


class _Block:
    """The source lines of one [[rename]] table, to point errors at a line and column."""

    def __init__(self, lines: list[str], headers: list[int], index: int, path: str) -> None:
        self.lines = lines
        self.index = index
        self.path = path
        self.start = headers[index] if headers else None
        self.end = headers[index + 1] if headers and index + 1 < len(headers) else len(lines)

    @property
    def source(self) -> str:
        if self.start is None:
            return f"{self.path} rename #{self.index + 1}"
        return f"{self.path}:{self.start + 1}"

    def fail(self, key: str | None, message: str) -> NoReturn:
        line: int | None = None
        col: int | None = None
        if self.start is not None:
            line, col = self.start + 1, 1
            if key is not None:
                found = _find_key(self.lines, self.start + 1, self.end, key)
                if found[0] is not None:
                    line, col = found
        raise MappingError(
            f"[[rename]] #{self.index + 1}: {message}", path=self.path, line=line, column=col
        )


def _rename(entry: dict[str, object], block: _Block) -> Rename:
    unknown = sorted(set(entry) - RENAME_KEYS)
    if unknown:
        block.fail(
            unknown[0],
            f'unknown key "{unknown[0]}" (expected "from", "to", "bucket" or "database")',
        )
    if "from" not in entry:
        block.fail(None, 'missing "from" (a "db/rp" or "db" the scripts use today)')
    if sum(key in entry for key in ("to", "bucket", "database")) != 1:
        block.fail(
            None,
            'expected exactly one of "to" (a new db/rp), "bucket" (a bucket name) or '
            '"database" (an InfluxDB 3 database)',
        )
    database, rp = _dbrp(entry["from"], "from", block)
    to_db: str | None = None
    to_rp: str | None = None
    bucket: str | None = None
    if "database" in entry:
        to_db, to_rp, v3_database = _v3_database(entry["database"], block)
        return Rename(database, rp, to_db, to_rp, None, block.source, v3_database)
    if "to" in entry:
        to_db, to_rp = _dbrp(entry["to"], "to", block)
    else:
        value = entry["bucket"]
        if not isinstance(value, str) or not value.strip():
            block.fail("bucket", "expected a non-empty bucket name")
        bucket = value
    return Rename(database, rp, to_db, to_rp, bucket, block.source)


def _v3_database(value: object, block: _Block) -> tuple[str, str, str]:
    """An InfluxDB 3 database name as the (db, rp) that reaches it (v3_database_pair)."""
    if not isinstance(value, str):
        block.fail("database", '"database" must be a string (an InfluxDB 3 database name)')
    try:
        db, rp = v3_database_pair(value)
    except ValueError as exc:
        block.fail("database", f'"database" = "{value}": {exc}')
    return db, rp, value


def v3_database_pair(value: str) -> tuple[str, str]:
    """An InfluxDB 3 database name as the (db, rp) that reaches it for writes and queries
    alike: ``db`` is ``"db"."autogen"``, ``db/rp`` is ``"db"."rp"`` (rp lowercase, since
    writes lowercase it and queries do not). ValueError says why no pair reaches it."""
    from tickmig.targets.v3names import invalid_name

    problem = invalid_name(value)
    if problem is not None:
        raise ValueError(f"InfluxDB 3 refuses it ({problem})")
    db, slash, rp = value.partition("/")
    if slash and rp != rp.lower():
        raise ValueError(
            "InfluxDB 3 lowercases the retention policy on write but not on query, so writes "
            f'and queries would reach different databases; use "{db}/{rp.lower()}"'
        )
    if slash and rp in ("autogen", "default"):
        raise ValueError(
            f"no 1.x write or query reaches it (InfluxDB 3 sends rp {rp} to the bare "
            f'database "{db}")'
        )
    return db, (rp if slash else "autogen")


def _dbrp(value: object, key: str, block: _Block) -> tuple[str, str | None]:
    if not isinstance(value, str):
        block.fail(key, f'"{key}" must be a string "db/rp" or "db"')
    text = value
    database, slash, rp = text.partition("/")
    problem = _name_problem(database, "database")
    if problem is None and slash:
        problem = _name_problem(rp, "retention policy")
    if problem is not None:
        block.fail(key, f'"{key}" = "{text}": {problem}')
    return database, (rp if slash else None)


def _name_problem(name: str, what: str) -> str | None:
    if not name:
        return f"the {what} is empty"
    if name in (".", "..") or "/" in name or "\\" in name or not name.isprintable():
        return f'"{name}" is not a valid {what} name (no "/", "\\", "." or "..")'
    return None


def _target(value: object, lines: list[str], path: str) -> Target:
    problem = f"target must be one of {', '.join(TARGETS)} (oss@2.N for a version), not {value!r}"
    if isinstance(value, str):
        try:
            return parse_target(value)
        except ValueError as exc:
            problem = str(exc)
    line, col = _find_key(lines, 0, len(lines), "target")
    raise MappingError(problem, path=path, line=line, column=col)


def _find_key(lines: list[str], start: int, end: int, key: str) -> tuple[int | None, int | None]:
    name = re.escape(key)
    pattern = re.compile(rf'^(\s*)(?:(?:{name}|"{name}")\s*=|\[\[?\s*{name}\s*\])')
    for i in range(start, end):
        match = pattern.match(lines[i])
        if match:
            return i + 1, len(match.group(1)) + 1
    return None, None
