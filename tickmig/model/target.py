"""An in-memory InfluxDB 2 with the DBRP rules of the 1.x compatibility API, as InfluxDB's
own code implements them (influxdb `main-2.x`: `dbrp/service.go`, `http/legacy/write_handler.go`,
`v1/coordinator/statement_executor.go`; summarised in docs-v2 "Database and retention policy
mapping"). The proof (tickmig.model.proof) applies the migration's actions to it and asks it
where every write and query lands.

Rules:
* mappings are scoped to an organization; a bucket must exist in it (404 `bucket not found`);
* one physical mapping per (org, db, rp): a second one is 422 `conflict`;
* the first mapping of an (org, db) becomes its default whatever the request says; a later
  one with `default: true` takes the default over; unsetting it leaves the first found;
* virtual mappings (OSS >= 2.4, never Cloud) come from bucket names: `db/rp` (split at the
  first `/`) is never default, `db` maps `db.autogen` and is the default unless a physical
  mapping already is; a physical mapping with the same (db, rp) hides the virtual one;
* a write names `db` and maybe `rp`: with `rp`, the exact mapping; without, the default;
  none is 404 `no dbrp mapping found`;
* a query's `"db"."rp"` needs the exact mapping (`retention policy not found: RP`); `"db"`
  alone the default (`database not found: DB`, `default retention policy not set for: DB`).

InfluxDB Cloud adds its plan's limits (``limits``, tickmig.targets.cloudplan): a bucket past
the organization's quota (`_monitoring` and `_tasks` not counted) is 403 `creating bucket would
exceed quota`, a retention longer than the plan allows 403 `provided retention exceeds orgs
maximum retention duration` (the InfluxDB 2 API contract, POST and PATCH /api/v2/buckets).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from tickmig.targets.cloudplan import (
    QUOTA_EXCEEDED,
    RETENTION_EXCEEDED,
    SYSTEM_BUCKETS,
    PlanLimits,
)


class ApiError(Exception):
    """An HTTP error as InfluxDB 2 answers it: status, code and message."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(f"{status} {message}")
        self.status = status
        self.code = code
        self.message = message


class QueryError(Exception):
    """An InfluxQL statement error (InfluxDB answers HTTP 200 with this text)."""


@dataclass(frozen=True)
class TargetBucket:
    id: str
    org: str
    name: str
    #: Retention in seconds; 0 keeps data forever.
    retention: int = 0


@dataclass(frozen=True)
class TargetMapping:
    id: str
    org: str
    database: str
    retention_policy: str
    bucket_id: str
    default: bool
    virtual: bool


INVALID_NAME = "must contain at least one character and only be letters, numbers, '_', '-', and '.'"


def _valid(name: str) -> bool:
    return bool(name) and name not in (".", "..") and "/" not in name and "\\" not in name


class InfluxDB2:
    """The DBRP and bucket state of one InfluxDB 2 server (several organizations)."""

    def __init__(self, *, virtual_mappings: bool = True, limits: PlanLimits | None = None) -> None:
        #: OSS >= 2.4 derives virtual mappings from bucket names; Cloud does not.
        self.virtual_mappings = virtual_mappings
        #: A Cloud plan's bucket quota and longest retention (None: no limits).
        self.limits = limits
        self.buckets: list[TargetBucket] = []
        self.mappings: list[TargetMapping] = []
        self._next = 0x0A00000000000000

    def _id(self) -> str:
        self._next += 1
        return f"{self._next:016x}"

    # --- buckets ------------------------------------------------------------------------------

    def create_bucket(self, org: str, name: str, retention: int = 0, id: str | None = None) -> str:
        if self.bucket_named(org, name) is not None:
            raise ApiError(422, "conflict", f"bucket with name {name} already exists")
        limits = self.limits
        if limits is not None:
            quota = limits.buckets
            if quota is not None and name not in SYSTEM_BUCKETS and self.counted(org) >= quota:
                raise ApiError(403, "forbidden", QUOTA_EXCEEDED)
            if not limits.allows(retention):
                raise ApiError(403, "forbidden", RETENTION_EXCEEDED)
        bucket = TargetBucket(id or self._id(), org, name, retention)
        self.buckets.append(bucket)
        return bucket.id

    def counted(self, org: str) -> int:
        """The buckets of `org` a Cloud bucket quota counts (not `_monitoring`, `_tasks`)."""
        return sum(1 for b in self.buckets if b.org == org and b.name not in SYSTEM_BUCKETS)

    def bucket_named(self, org: str, name: str) -> TargetBucket | None:
        return next((b for b in self.buckets if b.org == org and b.name == name), None)

    def bucket(self, bucket_id: str) -> TargetBucket | None:
        return next((b for b in self.buckets if b.id == bucket_id), None)

    # --- DBRP mappings --------------------------------------------------------------------------

    def create_dbrp(
        self, org: str, database: str, retention_policy: str, bucket_id: str, default: bool = False
    ) -> TargetMapping:
        """POST /api/v2/dbrps."""
        for what, name in (("database", database), ("retentionPolicy", retention_policy)):
            if not _valid(name):
                raise ApiError(400, "invalid", f"DBRP provided is invalid: {what} {INVALID_NAME}")
        found = self.bucket(bucket_id)
        if found is None or found.org != org:
            raise ApiError(404, "not found", "bucket not found")
        physical = self._physical(org, database)
        if any(m.retention_policy == retention_policy for m in physical):
            raise ApiError(
                422, "conflict", "another DBRP mapping with same orgID, db, and rp exists"
            )
        first = not physical
        if default and not first:
            self._clear_default(org, database)
        mapping = TargetMapping(
            self._id(), org, database, retention_policy, bucket_id, default or first, False
        )
        self.mappings.append(mapping)
        return mapping

    def update_dbrp(self, org: str, mapping_id: str, *, default: bool) -> TargetMapping:
        """PATCH /api/v2/dbrps/{id} with a `default` (the only change migrations need)."""
        current = next((m for m in self.mappings if m.id == mapping_id and m.org == org), None)
        if current is None:
            raise ApiError(404, "not found", "unable to find DBRP")
        if default:
            self._clear_default(org, current.database)
        index = self.mappings.index(current)
        self.mappings[index] = updated = replace(current, default=default)
        if not default and not any(m.default for m in self._physical(org, current.database)):
            self._make_default(self._physical(org, current.database)[0])
            updated = self.mappings[index]
        return updated

    def delete_dbrp(self, org: str, mapping_id: str) -> None:
        gone = [m for m in self.mappings if m.id == mapping_id and m.org == org]
        self.mappings = [m for m in self.mappings if m not in gone]
        for m in gone:
            rest = self._physical(org, m.database)
            if m.default and rest:
                self._make_default(rest[0])

    def _physical(self, org: str, database: str) -> list[TargetMapping]:
        return [m for m in self.mappings if m.org == org and m.database == database]

    def _clear_default(self, org: str, database: str) -> None:
        self.mappings = [
            replace(m, default=False) if m.org == org and m.database == database else m
            for m in self.mappings
        ]

    def _make_default(self, mapping: TargetMapping) -> None:
        self.mappings = [replace(m, default=True) if m is mapping else m for m in self.mappings]

    def dbrps(self, org: str) -> list[TargetMapping]:
        """GET /api/v2/dbrps?org=: physical mappings, then the virtual ones not hidden."""
        physical = [m for m in self.mappings if m.org == org]
        if not self.virtual_mappings:
            return physical
        taken = {(m.database, m.retention_policy) for m in physical}
        defaults = {m.database for m in physical if m.default}
        virtual = []
        for b in self.buckets:
            if b.org != org:
                continue
            database, slash, rp = b.name.partition("/")
            default = not slash and database not in defaults
            rp = rp if slash else "autogen"
            if (database, rp) in taken or not _valid(database) or not _valid(rp):
                continue
            virtual.append(TargetMapping(b.id, org, database, rp, b.id, default, True))
        return [*physical, *virtual]

    def find(self, org: str, database: str, retention_policy: str | None) -> TargetMapping | None:
        """The mapping a 1.x request resolves to: exact with an rp, the default without."""
        mappings = [m for m in self.dbrps(org) if m.database == database]
        if retention_policy:
            return next((m for m in mappings if m.retention_policy == retention_policy), None)
        return next((m for m in mappings if m.default), None)

    # --- the 1.x API ----------------------------------------------------------------------------

    def write(self, org: str, database: str, retention_policy: str | None) -> TargetBucket:
        """POST /write?db=&rp= with a token of `org`: the bucket the points land in."""
        if not database:
            raise ApiError(400, "invalid", "missing db")
        mapping = self.find(org, database, retention_policy)
        bucket = self.bucket(mapping.bucket_id) if mapping is not None else None
        if bucket is None:
            raise ApiError(404, "not found", "no dbrp mapping found")
        return bucket

    def query(self, org: str, database: str, retention_policy: str | None) -> TargetBucket:
        """The bucket a `FROM "db"."rp".m` (or `"db"..m`) reads; QueryError otherwise."""
        mapping = self.find(org, database, retention_policy)
        if mapping is not None:
            bucket = self.bucket(mapping.bucket_id)
            if bucket is not None:
                return bucket
        if retention_policy:
            raise QueryError(f"retention policy not found: {retention_policy}")
        if not any(m.database == database for m in self.dbrps(org)):
            raise QueryError(f"database not found: {database}")
        raise QueryError(f"default retention policy not set for: {database}")
