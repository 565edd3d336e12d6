"""Merge several mapping sets (files, servers, a plan) into one."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from tickmig.mappings.embedded import embedded_default
from tickmig.mappings.errors import MappingError
from tickmig.mappings.model import Bucket, Database, Mapping, MappingSet, Rename, Target


def combine(sets: Iterable[MappingSet], *, target: Target | None = None) -> MappingSet:
    """Merge mapping sets: buckets name the mappings' buckets, duplicates collapse.

    The target is ``target`` when given, else the first set's that is not OSS, else "oss".
    Two plan entries for the same ``from`` raise MappingError. No sets: the embedded default.
    """
    parts = list(sets)
    if target is None:
        target = next((s.profile for s in parts if s.profile.name != "oss"), "oss")
    if not parts:
        return embedded_default(target)
    buckets: dict[str, Bucket] = {}
    for bucket in (b for s in parts for b in s.buckets):
        buckets.setdefault(bucket.id, bucket)
    mappings: dict[tuple[str | None, str, str, str | None, bool], Mapping] = {}
    for m in (m for s in parts for m in s.mappings):
        if m.bucket_name is None and m.bucket_id in buckets:
            m = replace(m, bucket_name=buckets[m.bucket_id].name)
        key = (m.org_id, m.database, m.retention_policy, m.bucket_id or m.bucket_name, m.virtual)
        mappings.setdefault(key, m)
    return MappingSet(
        mappings=tuple(mappings.values()),
        buckets=tuple(buckets.values()),
        renames=_merge_renames(r for s in parts for r in s.renames),
        target=target,
        origin=" + ".join(s.origin for s in parts),
        from_server=any(s.from_server for s in parts),
        databases=_merge_databases(d for s in parts for d in s.databases),
        task_dbrps=tuple(t for s in parts for t in s.task_dbrps),
        plans=tuple(p for s in parts for p in s.plans),
        notes=tuple(n for s in parts for n in s.notes),
        inventory=tuple(
            {(r.database, r.name): r for s in reversed(parts) for r in s.inventory}.values()
        ),
    )


def _merge_databases(databases: Iterable[Database]) -> tuple[Database, ...]:
    seen: dict[str, Database] = {}
    for database in databases:
        seen.setdefault(database.name, database)
    return tuple(seen.values())


def _merge_renames(renames: Iterable[Rename]) -> tuple[Rename, ...]:
    seen: dict[tuple[str, str | None], Rename] = {}
    for rename in renames:
        key = (rename.database, rename.retention_policy)
        other = seen.get(key)
        if other is None:
            seen[key] = rename
        elif replace(other, source=rename.source) != rename:
            raise MappingError(
                f'plans disagree about "{rename.from_text}": {other.source} and {rename.source}'
            )
    return tuple(seen.values())
