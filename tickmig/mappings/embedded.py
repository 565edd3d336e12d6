"""The embedded default mapping source: no server knowledge, references follow the convention."""

from __future__ import annotations

from tickmig.mappings.model import MappingSet, Target

ORIGIN = "embedded default (no mapping source given)"


def embedded_default(target: Target = "oss") -> MappingSet:
    """A set that knows no mappings and no buckets: every (db, rp) resolves as ASSUMED.

    On OSS the reason names the bucket that must exist (``db/rp``, or ``db`` for an unset rp,
    through virtual mappings); on Cloud it says a mapping must be created.
    """
    return MappingSet((), (), (), target, ORIGIN, from_server=False)
