"""The InfluxDB 3 databases a migration reaches: every (database, retention policy) the tasks
write or query, turned into v3 database names by the server's rule (tickmig.targets.v3names),
with what a live server already has. Rules (database-count limit, retention) and the v3
commands (tickmig.targets.commands) read it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from tickmig.targets.profile import TargetProfile
from tickmig.targets.v3names import invalid_name, query_database, write_database

#: InfluxDB 3's own system database, not counted against the database limit.
INTERNAL = "_internal"


@dataclass(frozen=True)
class PairUse:
    """One (database, retention policy) a task writes or queries; rp None means unset."""

    database: str
    retention_policy: str | None
    #: "read", "write", or "feed": the data a stream task reads, which Telegraf writes to
    #: InfluxDB 3 next to its output to Kapacitor (InfluxDB 3 has no subscriptions).
    direction: str
    task: str
    #: The measurement written or queried, when the script names it.
    measurement: str | None = None


@dataclass(frozen=True)
class V3Database:
    """One InfluxDB 3 database the migration reaches."""

    name: str
    #: The 1.x pairs that reach it, as written ("db"."rp" or "db").
    pairs: tuple[tuple[str, str | None], ...]
    written: bool
    read: bool
    #: Why InfluxDB 3 refuses the name, or None.
    invalid: str | None
    #: True when a live server lists it.
    exists: bool
    #: Its retention on the live server (``0s`` for indefinite), when listed.
    retention: str | None = None
    #: The 1.x duration of its retention policy, when a 1.x source told it.
    v1_duration: str | None = None
    #: Task files that reach it.
    tasks: tuple[str, ...] = ()
    #: Telegraf writes it for stream tasks (it holds their input data).
    fed: bool = False
    #: The 1.x pairs a plan entry sends here: (pair, the entry's ``from``).
    renamed: tuple[tuple[tuple[str, str | None], str], ...] = ()


@dataclass(frozen=True)
class V3Plan:
    """What the migration needs on InfluxDB 3; ``existing`` are the databases a live server
    lists (empty when none was asked: then ``live`` is False)."""

    profile: TargetProfile
    databases: tuple[V3Database, ...]
    existing: tuple[str, ...] = ()
    live: bool = False
    #: Measurements the scripts write or query, by 1.x (db, rp) as written.
    measurements: dict[tuple[str, str | None], frozenset[str]] = field(
        default_factory=dict, compare=False
    )
    #: The TOML plans given (path, text): a consolidation is printed as changes to them.
    plan_files: tuple[tuple[str, str], ...] = ()
    _by_name: dict[str, V3Database] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._by_name.update({d.name: d for d in self.databases})

    def get(self, name: str) -> V3Database | None:
        return self._by_name.get(name)

    @property
    def created(self) -> tuple[str, ...]:
        """Valid databases the migration needs that do not exist yet."""
        have = set(self.existing)
        return tuple(d.name for d in self.databases if d.invalid is None and d.name not in have)

    @property
    def total(self) -> int:
        """Databases on the server after the migration, as the limit counts them: what exists
        (but ``_internal``, which influxdb3_catalog ``database_count`` leaves out) plus what
        the migration creates."""
        return len(set(self.existing) - {INTERNAL}) + len(self.created)

    @property
    def over_limit(self) -> bool:
        limit = self.profile.database_limit
        return limit is not None and self.total > limit


@dataclass
class _Seen:
    pairs: list[tuple[str, str | None]] = field(default_factory=list)
    tasks: set[str] = field(default_factory=set)
    written: bool = False
    read: bool = False
    fed: bool = False


def build_plan(
    profile: TargetProfile,
    uses: Iterable[PairUse],
    existing: Mapping[str, str | None] | None = None,
    v1_durations: Mapping[tuple[str, str], str] | None = None,
    plan_files: tuple[tuple[str, str], ...] = (),
    entries: Mapping[str, tuple[tuple[tuple[str, str | None], str], ...]] | None = None,
) -> V3Plan:
    """The plan of ``uses``; ``existing`` maps the live server's databases to their retention
    (None: no live server); ``v1_durations`` maps 1.x (db, rp) to the rp's duration ((db, "")
    for the default retention policy); ``entries`` maps a database to the 1.x pairs a plan
    entry sends there (with the entry's ``from``)."""
    found: dict[str, _Seen] = {}
    measured: dict[tuple[str, str | None], set[str]] = {}
    for use in uses:
        if use.measurement:
            measured.setdefault((use.database, use.retention_policy), set()).add(use.measurement)
        if use.direction == "read":
            name = query_database(use.database, use.retention_policy)
        else:
            name = write_database(use.database, use.retention_policy)
        seen = found.setdefault(name, _Seen())
        pair = (use.database, use.retention_policy)
        if pair not in seen.pairs:
            seen.pairs.append(pair)
        seen.tasks.add(use.task)
        if use.direction == "write":
            seen.written = True
        elif use.direction == "feed":
            seen.fed = True
        else:
            seen.read = True
    live = dict(existing or {})
    durations = dict(v1_durations or {})
    databases = []
    for name in sorted(found):
        seen = found[name]
        sent = (entries or {}).get(name, ())
        keys = [(db, rp or "") for db, rp in (*seen.pairs, *(pair for pair, _ in sent))]
        duration = next((durations[k] for k in keys if k in durations), None)
        databases.append(
            V3Database(
                name,
                tuple(seen.pairs),
                seen.written,
                seen.read,
                invalid_name(name),
                name in live,
                live.get(name),
                duration,
                tuple(sorted(seen.tasks)),
                seen.fed,
                sent,
            )
        )
    return V3Plan(
        profile,
        tuple(databases),
        tuple(sorted(live)),
        existing is not None,
        {k: frozenset(v) for k, v in sorted(measured.items(), key=lambda kv: str(kv[0]))},
        plan_files,
    )
