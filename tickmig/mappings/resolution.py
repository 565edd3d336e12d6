"""Resolve a (database, retention policy) reference the way InfluxDB 2's 1.x API does."""

from __future__ import annotations

import shlex
from collections.abc import Iterable
from dataclasses import replace

from tickmig.mappings.model import (
    Bucket,
    Mapping,
    MappingSet,
    Rename,
    Resolution,
    ResolutionStatus,
)

S = ResolutionStatus
VIRTUAL_NOTE = "InfluxDB OSS >= 2.4; InfluxQL queries through it need >= 2.5"
WRITE_404 = 'writes get 404 "no dbrp mapping found"'


def ref(database: str, retention_policy: str | None) -> str:
    """A reference as InfluxQL would quote it: ``"db"."rp"``, or ``"db"`` when rp is unset."""
    if retention_policy is None:
        return f'"{database}"'
    return f'"{database}"."{retention_policy}"'


def virtual_from_buckets(buckets: Iterable[Bucket], physical: Iterable[Mapping]) -> list[Mapping]:
    """The virtual mappings OSS >= 2.4 derives from bucket names (before suppression)."""
    physical_defaults = {m.database for m in physical if m.default}
    out = []
    for bucket in buckets:
        database, slash, rp = bucket.name.partition("/")
        if slash:
            default = False
        else:
            rp = "autogen"
            default = database not in physical_defaults
        out.append(
            Mapping(
                database=database,
                retention_policy=rp,
                bucket_id=bucket.id,
                bucket_name=bucket.name,
                default=default,
                virtual=True,
                org_id=bucket.org_id,
                id=bucket.id,
                source=f'virtual mapping of bucket "{bucket.name}"',
            )
        )
    return out


def effective_mappings(ms: MappingSet) -> tuple[Mapping, ...]:
    """Physical mappings plus unsuppressed virtual ones (none on Cloud), with bucket names."""
    names = {b.id: b.name for b in ms.buckets}
    physical = [_named(m, names) for m in ms.mappings if not m.virtual]
    if not ms.profile.virtual_mappings:
        return tuple(physical)
    seen: set[tuple[str, str, str | None]] = set()
    virtual: list[Mapping] = []
    explicit = [_named(m, names) for m in ms.mappings if m.virtual]
    for m in (*explicit, *virtual_from_buckets(ms.buckets, physical)):
        key = (m.database, m.retention_policy, m.bucket_id)
        if key not in seen:
            seen.add(key)
            virtual.append(m)
    taken = {(m.database, m.retention_policy) for m in physical}
    kept = [m for m in virtual if (m.database, m.retention_policy) not in taken]
    return (*physical, *kept)


def resolve_reference(
    ms: MappingSet, database: str, retention_policy: str | None, direction: str | None = None
) -> Resolution:
    """Resolve one reference, applying the plan entry that matches it (if any)."""
    if database.startswith("_"):
        return _system(database, retention_policy)
    if ms.profile.v3:
        from tickmig.mappings.v3resolution import resolve_v3

        return resolve_v3(ms, database, retention_policy, direction or "read")
    found = _resolve_renamed(ms, database, retention_policy)
    if (
        direction == "read"
        and found.status is S.VIRTUAL
        and not ms.profile.influxql_through_virtual
    ):
        rp = retention_policy
        error = f"retention policy not found: {rp}" if rp else f"database not found: {database}"
        reason = (
            f"{found.reason}; but {ms.profile.label} resolves InfluxQL queries through virtual "
            f'mappings only from 2.5: the query fails with "{error}" until a physical mapping '
            "exists"
        )
        return Resolution(S.MISSING, None, found.candidates, None, found.rename, reason, error)
    return found


def _resolve_renamed(ms: MappingSet, database: str, retention_policy: str | None) -> Resolution:
    rename = ms.rename_for(database, retention_policy)
    if rename is None:
        return _resolve_plain(ms, database, retention_policy)
    if rename.to_database is not None:
        new_rp = rename.to_retention_policy or retention_policy
        inner = _resolve_plain(ms, rename.to_database, new_rp)
        prefix = (
            f"plan ({rename.source}) renames {ref(database, retention_policy)} "
            f"to {ref(rename.to_database, new_rp)}; "
        )
        return replace(inner, rename=rename, reason=prefix + inner.reason)
    return _resolve_planned_bucket(ms, database, retention_policy, rename)


def _resolve_plain(ms: MappingSet, database: str, rp: str | None) -> Resolution:
    if database.startswith("_"):
        return _system(database, rp)
    mappings = [m for m in effective_mappings(ms) if m.database == database]
    if rp is None:
        return _resolve_default(ms, database, mappings)
    return _resolve_explicit(ms, database, rp, mappings)


def _resolve_explicit(ms: MappingSet, db: str, rp: str, mappings: list[Mapping]) -> Resolution:
    same = [m for m in mappings if m.retention_policy == rp]
    physical = _distinct(m for m in same if not m.virtual)
    if len(physical) == 1:
        m = physical[0]
        return _found(S.EXACT, m, f"{ref(db, rp)} maps to bucket {_bucket_text(m)}{_id_text(m)}")
    if len(physical) > 1:
        return _ambiguous(db, rp, physical, f"several physical mappings for {ref(db, rp)}")
    virtual = _distinct(m for m in same if m.virtual)
    if len(virtual) == 1:
        m = virtual[0]
        text = f"{ref(db, rp)} maps to bucket {_bucket_text(m)} through a virtual DBRP mapping"
        return _found(S.VIRTUAL, m, f"{text} ({VIRTUAL_NOTE})")
    if len(virtual) > 1:
        names = " and ".join(f"bucket {_bucket_text(m)}" for m in virtual)
        return _ambiguous(db, rp, virtual, f"both {names} give {ref(db, rp)} a virtual mapping")
    query_error = f"retention policy not found: {rp}"
    if not ms.from_server:
        return _assumed(ms, db, rp)
    others = sorted({m.retention_policy for m in mappings})
    has = f" ({ref(db, None)} has: {', '.join(others)})" if others else ""
    reason = f'no DBRP mapping for {ref(db, rp)}{has}; {WRITE_404}, queries get "{query_error}"'
    return _missing(ms, db, rp, tuple(mappings), reason, query_error)


def _resolve_default(ms: MappingSet, db: str, mappings: list[Mapping]) -> Resolution:
    defaults = [m for m in mappings if m.default]
    for virtual in (False, True):
        found = _distinct(m for m in defaults if m.virtual is virtual)
        if len(found) > 1:
            return _ambiguous(db, None, found, f"several default mappings for {ref(db, None)}")
        if found:
            m = found[0]
            target = f"{ref(db, m.retention_policy)} -> bucket {_bucket_text(m)}"
            if virtual:
                reason = (
                    f"unset retention policy for {ref(db, None)} resolves to the virtual "
                    f"default mapping {target} ({VIRTUAL_NOTE})"
                )
                return _found(S.VIRTUAL, m, reason)
            reason = f"unset retention policy for {ref(db, None)} resolves to its default {target}"
            return _found(S.DEFAULT, m, reason)
    no_default = f"default retention policy not set for: {db}"
    if len(mappings) > 1:
        rps = ", ".join(sorted(m.retention_policy for m in mappings))
        reason = (
            f"{ref(db, None)} has {len(mappings)} mappings ({rps}) and none is the default; "
            f'queries get "{no_default}": name the retention policy or mark one default'
        )
        return Resolution(S.AMBIGUOUS, None, tuple(mappings), None, None, reason, no_default)
    if mappings:
        reason = (
            f"{ref(db, None)} has no default DBRP mapping (only {mappings[0].retention_policy}); "
            f'{WRITE_404}, queries get "{no_default}"'
        )
        return _missing(ms, db, None, tuple(mappings), reason, no_default)
    if not ms.from_server:
        return _assumed(ms, db, None)
    not_found = f"database not found: {db}"
    reason = f'no DBRP mapping for database {ref(db, None)}; {WRITE_404}, queries get "{not_found}"'
    return _missing(ms, db, None, (), reason, not_found)


def _resolve_planned_bucket(ms: MappingSet, db: str, rp: str | None, rename: Rename) -> Resolution:
    wanted = rename.bucket or ""
    plain = _resolve_plain(ms, db, rp)
    m = plain.mapping
    if plain.ok and m is not None:
        if wanted in (m.bucket_name, m.bucket_id):
            return replace(plain, rename=rename, reason=f"{plain.reason}, as the plan asks")
        if not m.virtual:
            reason = (
                f'{plain.reason}, but the plan ({rename.source}) wants bucket "{wanted}": '
                "a mapping's bucket cannot be changed, delete the mapping and create a new one"
            )
            return replace(plain, rename=rename, reason=reason)
    known = next((b for b in ms.buckets if wanted in (b.name, b.id)), None)
    new_rp = rp or "autogen"
    planned = Mapping(
        database=db,
        retention_policy=new_rp,
        bucket_id=known.id if known else None,
        bucket_name=known.name if known else wanted,
        default=rp is None,
        virtual=False,
        org_id=known.org_id if known else None,
        id=None,
        source=rename.source,
    )
    command = _create_command(db, new_rp, rp is None, known.id if known else None, wanted)
    reason = f'plan ({rename.source}) maps {ref(db, rp)} to bucket "{wanted}"; create it: {command}'
    if ms.buckets and known is None:
        reason += f' (no bucket "{wanted}" is known yet: create the bucket first)'
    return Resolution(S.ASSUMED, planned, (planned,), planned.bucket, rename, reason)


def _assumed(ms: MappingSet, db: str, rp: str | None) -> Resolution:
    # One bucket for a database's default and its `autogen`: a bucket named `db` gives the
    # virtual mapping db/autogen, the database's default (dbrp/service.go bucketToMapping), so
    # writes without a retention policy and reads of "db"."autogen" reach the same data.
    bucket = db if rp in (None, "autogen") else f"{db}/{rp}"
    new_rp = rp or "autogen"
    cloud = ms.profile.cloud_like
    no_virtual = not cloud and not ms.profile.virtual_mappings
    assumed = Mapping(
        database=db,
        retention_policy=new_rp,
        bucket_id=None,
        bucket_name=bucket,
        default=rp is None,
        virtual=ms.profile.virtual_mappings,
        org_id=None,
        id=None,
        source=ms.origin,
    )
    command = _create_command(db, new_rp, rp is None, None, bucket)
    if cloud:
        what = "a default mapping for" if rp is None else "a mapping for"
        reason = (
            f"no mapping source given and InfluxDB Cloud has no virtual mappings: create "
            f"{what} {ref(db, rp)} ({command}), or let the first 1.x write create it, "
            f'which Cloud does only if bucket "{bucket}" exists'
        )
    elif no_virtual:
        what = "a default mapping for" if rp is None else "a mapping for"
        reason = (
            f"no mapping source given and {ms.profile.label} has no virtual mappings (they "
            f'start with 2.4): create bucket "{bucket}" and {what} {ref(db, rp)} ({command})'
        )
    elif rp is None:
        reason = (
            f'no mapping source given: assuming bucket "{bucket}" exists, whose virtual mapping '
            f"{ref(db, 'autogen')} is the default for {ref(db, None)} ({VIRTUAL_NOTE}); "
            f"otherwise create a mapping: {command}"
        )
    else:
        reason = (
            f'no mapping source given: assuming bucket "{bucket}" exists, which gives '
            f"{ref(db, rp)} a virtual mapping ({VIRTUAL_NOTE}); otherwise create a mapping: "
            f"{command}"
        )
    return Resolution(S.ASSUMED, assumed, (assumed,), bucket, None, reason)


def _missing(
    ms: MappingSet,
    db: str,
    rp: str | None,
    candidates: tuple[Mapping, ...],
    reason: str,
    query_error: str,
) -> Resolution:
    bucket = None
    if ms.profile.cloud_like:
        name = db if rp is None else f"{db}/{rp}"
        if any(b.name == name for b in ms.buckets):
            bucket = name
            reason += (
                f'; bucket "{name}" exists, so InfluxDB Cloud creates the mapping on the first '
                "1.x write (queries fail until then)"
            )
    return Resolution(S.MISSING, None, candidates, bucket, None, reason, query_error)


def _found(status: ResolutionStatus, m: Mapping, reason: str) -> Resolution:
    return Resolution(status, m, (m,), m.bucket, None, reason)


def _ambiguous(db: str, rp: str | None, found: list[Mapping], what: str) -> Resolution:
    where = "; ".join(f"bucket {_bucket_text(m)} ({m.source})" for m in found)
    reason = f"{what}: {where}; create one physical mapping to choose"
    return Resolution(S.AMBIGUOUS, None, tuple(found), None, None, reason)


def _system(database: str, rp: str | None) -> Resolution:
    reason = (
        f'{ref(database, rp)} is a system database (its name starts with "_"); '
        "it is not migrated and tickmig does not map it"
    )
    return Resolution(S.SYSTEM, None, (), None, None, reason)


def _distinct(mappings: Iterable[Mapping]) -> list[Mapping]:
    out: list[Mapping] = []
    seen: set[tuple[str | None, str, str, str | None]] = set()
    for m in mappings:
        key = (m.org_id, m.database, m.retention_policy, m.bucket_id or m.bucket_name)
        if key not in seen:
            seen.add(key)
            out.append(m)
    return out


def _named(m: Mapping, names: dict[str, str]) -> Mapping:
    if m.bucket_name is None and m.bucket_id in names:
        return replace(m, bucket_name=names[m.bucket_id])
    return m


def _bucket_text(m: Mapping) -> str:
    if m.bucket_name is not None:
        return f'"{m.bucket_name}"'
    if m.bucket_id is not None:
        return f"with ID {m.bucket_id}"
    return f"(name unknown, mapping read from {m.source})"


def _id_text(m: Mapping) -> str:
    return f" (DBRP mapping {m.id})" if m.id else ""


def _create_command(db: str, rp: str, default: bool, bucket_id: str | None, name: str) -> str:
    """The `influx v1 dbrp create` that makes the mapping, runnable as printed: the org from
    INFLUX_ORG (the variable the influx CLI itself reads), the bucket's ID when it is known,
    else looked up by name (`influx bucket list` prints no banner, unlike `v1 dbrp list`)."""
    parts = ["influx", "v1", "dbrp", "create", "--org", '"$INFLUX_ORG"', "--db", shlex.quote(db)]
    parts += ["--rp", shlex.quote(rp)]
    if default:
        parts.append("--default")
    if bucket_id:
        bucket = shlex.quote(bucket_id)
    else:
        lookup = f'influx bucket list --org "$INFLUX_ORG" --name {shlex.quote(name)} --hide-headers'
        bucket = f'"$({lookup} | cut -f1)"'
    return " ".join([*parts, "--bucket-id", bucket])
