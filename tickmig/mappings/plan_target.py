"""A plan written for one target, read for another: which target wins, and what a plan's
``bucket =`` means where there are no buckets.

* ``--target`` (or ``target =`` in the settings file) wins over a plan's ``target =``, and
  the report and every command say so (a plan written for InfluxDB 2 run against InfluxDB 3
  is never silently reinterpreted); without it, the plan's ``target =`` is the target (two
  plans naming different targets are an error).
* On InfluxDB 3 (Core, Enterprise) there are no buckets and no DBRP mappings: a pair reaches
  the database its name gives (``db`` or ``db/rp``), so keeping the pair in the scripts can
  never send it anywhere else. ``bucket = "NAME"`` is read as ``database = "NAME"`` (the
  scripts are rewritten to the pair that reaches NAME), with the same name checks, and a
  note naming the plan's line; a bucket ID (16 hex digits) names no database and is an
  error asking for ``database =``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from tickmig.mappings.errors import MappingError
from tickmig.mappings.model import MappingSet, PlanFile, Rename
from tickmig.targets import TargetProfile, parse_target

_BUCKET_ID = re.compile(r"[0-9a-f]{16}")


def choose_target(
    given: TargetProfile, explicit: str | None, sets: Sequence[MappingSet]
) -> tuple[TargetProfile, tuple[str, ...]]:
    """The target of the run and the notes about plans that named another one. ``explicit``
    says where ``given`` came from (``--target v3-core``, ``target in tickmig.toml``), None
    when it is the default."""
    plans = [p for s in sets for p in s.plans if p.target is not None]
    notes: list[str] = []
    if explicit is None:
        chosen: tuple[PlanFile, TargetProfile] | None = None
        for plan in plans:
            profile = _profile(plan, given)
            if chosen is not None and profile.name != chosen[1].name:
                raise MappingError(
                    f'target = "{plan.target}", but {chosen[0].path} says target = '
                    f'"{chosen[0].target}": give --target',
                    path=plan.path,
                    line=plan.target_line,
                    column=1,
                )
            chosen = chosen or (plan, profile)
        return (chosen[1] if chosen is not None else given), ()
    for plan in plans:
        profile = _profile(plan, given)
        versions = (profile.version, given.version)
        if profile.name != given.name or (None not in versions and versions[0] != versions[1]):
            notes.append(
                f'{_where(plan)}: the plan says target = "{plan.target}", {explicit}: tickmig '
                f"follows {explicit} ({given.label}); set the plan's target to the one it is "
                "written for"
            )
    return given, tuple(notes)


def _profile(plan: PlanFile, given: TargetProfile) -> TargetProfile:
    assert plan.target is not None  # parse_plan checked it
    profile = parse_target(plan.target)
    return replace(profile, kapacitor=given.kapacitor)


def _where(plan: PlanFile) -> str:
    return plan.path if plan.target_line is None else f"{plan.path}:{plan.target_line}"


def for_target(ms: MappingSet, profile: TargetProfile) -> MappingSet:
    """``ms`` for ``profile``: on InfluxDB 3 each ``bucket =`` entry becomes the
    ``database =`` entry it can only mean (with a note), or an error."""
    if not profile.v3 or not any(r.bucket is not None for r in ms.renames):
        return replace(ms, target=profile)
    renames = []
    notes = list(ms.notes)
    for rename in ms.renames:
        if rename.bucket is None:
            renames.append(rename)
            continue
        renamed = _as_database(rename, profile)
        notes.append(
            f'{rename.source}: bucket = "{rename.bucket}" is read as database = '
            f'"{rename.bucket}" on {profile.label} (no buckets, no DBRP mappings): the scripts '
            f'are rewritten from "{rename.from_text}" to the pair that reaches it, '
            f'"{renamed.to_database}"."{renamed.to_retention_policy}"'
        )
        renames.append(renamed)
    return replace(ms, target=profile, renames=tuple(renames), notes=tuple(notes))


def _as_database(rename: Rename, profile: TargetProfile) -> Rename:
    from tickmig.mappings.plan import v3_database_pair

    assert rename.bucket is not None
    path, line = _source(rename.source)
    if _BUCKET_ID.fullmatch(rename.bucket):
        raise MappingError(
            f'bucket = "{rename.bucket}" is an InfluxDB 2 bucket ID, and {profile.label} has '
            'no buckets: write database = "NAME" (the InfluxDB 3 database of '
            f'"{rename.from_text}")',
            path=path,
            line=line,
            column=1 if line is not None else None,
        )
    try:
        db, rp = v3_database_pair(rename.bucket)
    except ValueError as exc:
        raise MappingError(
            f'bucket = "{rename.bucket}" (read as database = on {profile.label}): {exc}',
            path=path,
            line=line,
            column=1 if line is not None else None,
        ) from None
    return replace(
        rename, to_database=db, to_retention_policy=rp, bucket=None, v3_database=rename.bucket
    )


def _source(source: str) -> tuple[str, int | None]:
    path, colon, line = source.rpartition(":")
    if colon and line.isdigit():
        return path, int(line)
    return source.split(" rename #")[0], None
