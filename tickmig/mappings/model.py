"""Data model of DBRP mappings: mappings, buckets, plan renames, mapping sets and resolutions."""

from __future__ import annotations

import enum
import os
from dataclasses import dataclass, field

from tickmig.targets import TARGET_NAMES, TargetProfile, parse_target

#: A target profile, or its name (``"oss"``, ``"oss@2.7"``, ``"v3-core"``...), coerced.
Target = TargetProfile | str
TARGETS = TARGET_NAMES


@dataclass(frozen=True)
class Mapping:
    """One DBRP mapping: a 1.x (database, retention policy) pair pointing at an InfluxDB 2 bucket.

    ``virtual`` mappings are derived from bucket names (InfluxDB OSS >= 2.4), physical ones are
    stored by the server. ``source`` says where the mapping was read (file, URL, bucket name).
    """

    database: str
    retention_policy: str
    bucket_id: str | None
    bucket_name: str | None
    default: bool
    virtual: bool
    org_id: str | None
    id: str | None
    source: str
    #: The retention policy's duration as 1.x lists it (``720h0m0s``, ``0s``), when known.
    duration: str | None = None

    @property
    def bucket(self) -> str | None:
        """The bucket name when known, else its ID."""
        return self.bucket_name or self.bucket_id


@dataclass(frozen=True)
class Bucket:
    """An InfluxDB 2 bucket, as far as DBRP resolution needs it."""

    id: str
    name: str
    org_id: str | None


@dataclass(frozen=True)
class Database:
    """An InfluxDB 3 database as a live server lists it; ``retention`` is its period as
    ``SHOW RETENTION POLICIES`` words it (None when unknown, ``"0s"`` when indefinite)."""

    name: str
    retention: str | None
    source: str


@dataclass(frozen=True)
class SourceRetentionPolicy:
    """A retention policy that exists on the InfluxDB 1.x server the data comes from (the
    source inventory `--influxql-url` reads from a 1.x server): not a mapping, a fact about
    the source. ``duration`` as 1.x words it (``720h0m0s``; ``0s`` is INF)."""

    database: str
    name: str
    duration: str | None
    default: bool
    source: str

    @property
    def bucket_retention(self) -> str | None:
        """The value for `influx bucket create --retention`: the duration in the largest
        whole unit (`720h`, `90m`, `45s`), `0` for INF (keep forever); None when unknown."""
        seconds = go_duration_seconds(self.duration) if self.duration else None
        if seconds is None:
            return None
        if seconds == 0:
            return "0"
        for unit, size in (("h", 3600), ("m", 60)):
            if seconds % size == 0:
                return f"{seconds // size}{unit}"
        return f"{seconds}s"


def go_duration_seconds(text: str) -> int | None:
    """Whole seconds of a duration as InfluxDB 1.x prints it (Go's `720h0m0s`, `1h30m0s`,
    `0s`; `INF` too); None when it is not one."""
    import re

    if text.upper() == "INF":
        return 0
    parts = re.fullmatch(r"(?:(\d+)h)?(?:(\d+)m(?!s))?(?:(\d+)s)?", text)
    if not text or parts is None:
        return None
    hours, minutes, seconds = (int(g or 0) for g in parts.groups())
    return hours * 3600 + minutes * 60 + seconds


@dataclass(frozen=True)
class TaskDBRPs:
    """One `[[task]]` entry: the DBRPs `kapacitor define -dbrp` gives the task `id` (or the
    script at `path`)."""

    id: str | None
    path: str | None
    dbrps: tuple[tuple[str, str], ...]
    source: str

    def matches(self, script_path: str) -> bool:
        if self.id is not None:
            return os.path.splitext(os.path.basename(script_path))[0] == self.id
        assert self.path is not None
        mine = os.path.normpath(self.path).split(os.sep)
        theirs = os.path.normpath(script_path).split(os.sep)
        return theirs[-len(mine) :] == mine


@dataclass(frozen=True)
class PlanFile:
    """A TOML mapping plan as read: its path and text (the consolidation of InfluxDB 3 Core
    is printed as this plan with its changes), and its own ``target =`` if it has one."""

    path: str
    text: str
    #: The ``target =`` value as written, and its line; None when the plan has none.
    target: str | None = None
    target_line: int | None = None


@dataclass(frozen=True)
class Rename:
    """One ``[[rename]]`` entry of a tickmig mapping plan.

    ``retention_policy`` is None when the entry covers every retention policy of the database.
    Exactly one of ``to_database`` (a new db/rp for the scripts) and ``bucket`` (keep the db/rp,
    map it to this existing bucket) is set. ``to_retention_policy`` None keeps the script's rp.
    """

    database: str
    retention_policy: str | None
    to_database: str | None
    to_retention_policy: str | None
    bucket: str | None
    source: str
    #: A ``database =`` entry (InfluxDB 3): the database named in the plan; ``to_database``
    #: and ``to_retention_policy`` are the pair that reaches it.
    v3_database: str | None = None

    def matches(self, database: str, retention_policy: str | None) -> bool:
        """True when this entry applies to a reference (an unset rp needs a whole-db entry)."""
        if database != self.database:
            return False
        return self.retention_policy is None or self.retention_policy == retention_policy

    @property
    def from_text(self) -> str:
        """The ``from`` value as written in the plan."""
        if self.retention_policy is None:
            return self.database
        return f"{self.database}/{self.retention_policy}"


class ResolutionStatus(enum.Enum):
    """How a (database, retention policy) reference resolves."""

    EXACT = "exact"
    DEFAULT = "default"
    VIRTUAL = "virtual"
    ASSUMED = "assumed"
    MISSING = "missing"
    AMBIGUOUS = "ambiguous"
    SYSTEM = "system"


@dataclass(frozen=True)
class Resolution:
    """The outcome of resolving one reference, with a one-sentence ``reason`` for reports.

    EXACT: an explicit physical mapping. DEFAULT: an unset rp resolved to the database's default
    physical mapping. VIRTUAL: resolved through a virtual mapping (OSS >= 2.4, never Cloud).
    ASSUMED: nothing is known about the server (embedded default, or a plan ``bucket`` entry not
    yet backed by a mapping); ``bucket`` names the bucket that must exist or be mapped.
    MISSING: InfluxDB would answer 404 / a query error (``influx_error``). AMBIGUOUS: several
    candidates and no rule picks one. SYSTEM: a ``_``-prefixed database tickmig ignores.
    """

    status: ResolutionStatus
    mapping: Mapping | None
    candidates: tuple[Mapping, ...]
    bucket: str | None
    rename: Rename | None
    reason: str
    influx_error: str | None = None

    @property
    def ok(self) -> bool:
        """True when writes and queries through the 1.x API would find a bucket."""
        return self.status in (
            ResolutionStatus.EXACT,
            ResolutionStatus.DEFAULT,
            ResolutionStatus.VIRTUAL,
        )


@dataclass(frozen=True)
class MappingSet:
    """Mappings, buckets and plan renames from one or more sources, resolvable as InfluxDB 2 does.

    ``from_server`` is False when nothing was read from a server or its exported output (the
    embedded default, a plan alone); unresolved references are then ASSUMED, not MISSING.
    """

    mappings: tuple[Mapping, ...]
    buckets: tuple[Bucket, ...]
    renames: tuple[Rename, ...]
    target: Target
    origin: str
    from_server: bool = field(default=True)
    #: InfluxDB 3 databases a live v3 server listed (``--influx3-url``).
    databases: tuple[Database, ...] = ()
    #: The retention policies of the InfluxDB 1.x source (``--influxql-url`` on a 1.x server).
    inventory: tuple[SourceRetentionPolicy, ...] = ()
    #: A plan's `[[task]]` entries: DBRPs of tasks defined with `kapacitor define -dbrp`.
    task_dbrps: tuple[TaskDBRPs, ...] = ()
    #: The TOML plans read (path, text, their own target).
    plans: tuple[PlanFile, ...] = ()
    #: What tickmig decided about the sources that the operator must see (a plan's target
    #: that --target overrides, a plan's ``bucket =`` read as an InfluxDB 3 database).
    notes: tuple[str, ...] = ()

    def dbrps_for(self, script_path: str) -> tuple[tuple[str, str], ...]:
        """The DBRPs the plan gives the task of `script_path` (first matching entry)."""
        for entry in self.task_dbrps:
            if entry.matches(script_path):
                return entry.dbrps
        return ()

    def source_retention_policy(self, database: str, name: str) -> SourceRetentionPolicy | None:
        """The 1.x source's retention policy (database, name), when the inventory has it."""
        for rp in self.inventory:
            if (rp.database, rp.name) == (database, name):
                return rp
        return None

    def __post_init__(self) -> None:
        if isinstance(self.target, str):
            object.__setattr__(self, "target", parse_target(self.target))

    @property
    def profile(self) -> TargetProfile:
        """The target profile (``target`` after coercion)."""
        assert isinstance(self.target, TargetProfile)
        return self.target

    def resolve(
        self, database: str, retention_policy: str | None, direction: str | None = None
    ) -> Resolution:
        """Resolve a script's (database, retention policy); an empty or None rp means unset.
        ``direction`` ("read", "write", None for either) matters on InfluxDB 3, where a write
        lowercases the retention policy and a query does not (None resolves as a query), and
        on OSS 2.4, whose InfluxQL does not use virtual mappings yet."""
        from tickmig.mappings.resolution import resolve_reference

        return resolve_reference(self, database, retention_policy or None, direction)

    def effective_mappings(self) -> tuple[Mapping, ...]:
        """Physical mappings plus the virtual ones the target server would show (OSS only)."""
        from tickmig.mappings.resolution import effective_mappings

        return effective_mappings(self)

    def rename_for(self, database: str, retention_policy: str | None) -> Rename | None:
        """The plan entry for a reference: an exact db/rp entry wins over a db-wide one."""
        exact = [r for r in self.renames if r.retention_policy is not None]
        for rename in (*exact, *(r for r in self.renames if r.retention_policy is None)):
            if rename.matches(database, retention_policy):
                return rename
        return None
