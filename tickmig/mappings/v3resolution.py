"""Resolve a (database, retention policy) reference the way InfluxDB 3 Core/Enterprise does:
no DBRP mappings, a naming rule (tickmig.targets.v3names), auto-create on write."""

from __future__ import annotations

from tickmig.mappings.model import Mapping, MappingSet, Resolution, ResolutionStatus
from tickmig.targets.v3names import invalid_name, query_database, write_database

S = ResolutionStatus


def ref(database: str, retention_policy: str | None) -> str:
    if retention_policy is None:
        return f'"{database}"'
    return f'"{database}"."{retention_policy}"'


def v3_database(database: str, retention_policy: str | None, direction: str) -> str:
    """The InfluxDB 3 database a write or a query of the pair reaches."""
    if direction == "write":
        return write_database(database, retention_policy)
    return query_database(database, retention_policy)


def resolve_v3(ms: MappingSet, database: str, rp: str | None, direction: str) -> Resolution:
    """EXACT when a live server lists the database; ASSUMED when nothing is known or a write
    would auto-create it; MISSING for a name InfluxDB 3 refuses, or a query of a database a
    live server does not have."""
    rename = ms.rename_for(database, rp)
    prefix = ""
    if rename is not None and rename.to_database is not None:
        new_rp = rename.to_retention_policy or rp
        prefix = (
            f"plan ({rename.source}) renames {ref(database, rp)} to "
            f"{ref(rename.to_database, new_rp)}; "
        )
        database, rp = rename.to_database, new_rp
    name = v3_database(database, rp, direction)
    if rename is not None and rename.bucket is not None:
        name = rename.bucket
        prefix = f"plan ({rename.source}) sends {ref(database, rp)} to database {name!r}; "
    verb = "writes to" if direction == "write" else "queries of"
    rule = f"InfluxDB 3 has no DBRP mappings: {verb} {ref(database, rp)} reach database {name!r}"
    other = v3_database(database, rp, "read" if direction == "write" else "write")
    if other != name and (rename is None or rename.bucket is None):
        what = "queries of it read" if direction == "write" else "writes of it land in"
        rule += f" ({what} {other!r}: the retention policy is lowercased on write only)"
    target = Mapping(database, rp or "autogen", None, name, rp is None, False, None, None, "")
    problem = invalid_name(name)
    if problem is not None:
        error = f"invalid database name {name!r}: {problem}"
        reason = f"{prefix}{rule}, a name it refuses ({problem})"
        return Resolution(S.MISSING, None, (), None, rename, reason, error)
    known = {d.name: d for d in ms.databases}
    if name in known:
        found = known[name]
        mapping = Mapping(
            database, rp or "autogen", None, name, rp is None, False, None, None, found.source
        )
        return Resolution(S.EXACT, mapping, (mapping,), name, rename, f"{prefix}{rule}")
    if ms.databases or (ms.from_server and _v3_source(ms)):
        if direction == "write":
            reason = (
                f"{prefix}{rule}, which does not exist: the first write creates it, with "
                "indefinite retention (create it first to choose its retention)"
            )
            return Resolution(S.ASSUMED, target, (target,), name, rename, reason)
        error = f"database not found: {name}"
        reason = f'{prefix}{rule}, which does not exist: the query fails with "{error}"'
        return Resolution(S.MISSING, None, (), None, rename, reason, error)
    reason = f"{prefix}{rule} (no InfluxDB 3 server given: assuming it exists or is created)"
    return Resolution(S.ASSUMED, target, (target,), name, rename, reason)


def _v3_source(ms: MappingSet) -> bool:
    return live_v3(ms)


def live_v3(ms: MappingSet) -> bool:
    """True when a live InfluxDB 3 (--influx3-url) was read: its database list is complete."""
    return any(part.startswith("InfluxDB 3 at") for part in ms.origin.split(" + "))
