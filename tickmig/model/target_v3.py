"""An in-memory InfluxDB 3 (Core or Enterprise) as its code treats what Kapacitor sends through
the 1.x compatibility API (influxdata/influxdb 3.x; summarised with sources in the module
docstring of tickmig.targets.v3names). The v3 proof (tickmig.model.proof_v3) applies the
migration's actions to it and asks it where every write and query lands.

Rules:
* there are no DBRP mappings: a (db, rp) is a database by a naming rule; rp unset, empty,
  ``autogen`` or ``default`` is the bare database, any other rp ``db/rp``;
* a write lowercases the rp before naming (``core/iox_http/src/write/v1.rs``); a query does
  not (``core/iox_query_influxql_rewrite/src/lib.rs`` ``resolve_dbrp``);
* names are validated on create and on write (``influxdb3_server/src/http.rs``
  ``validate_db_name``): 400 with the server's message;
* a write to a database that does not exist creates it with indefinite retention
  (``influxdb3_catalog`` ``begin_database_transaction``), unless that would pass the database
  limit (Core 5, Enterprise 100; ``_internal`` not counted): "Adding a new database would
  exceed limit of N databases";
* ``create database`` of an existing name is 409 (contract ``PostConfigureDatabase``);
* a query of a database that does not exist fails with ``database not found: NAME``.
"""

from __future__ import annotations

from dataclasses import dataclass

from tickmig.targets.v3names import invalid_name, query_database, write_database

#: InfluxDB 3's own database, left out of the limit (influxdb3_catalog ``database_count``).
INTERNAL = "_internal"


class V3ApiError(Exception):
    """An HTTP error as InfluxDB 3 answers it (v1-style ``{"error": message}``)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(f"{status} {message}")
        self.status = status
        self.message = message


class V3QueryError(Exception):
    """An InfluxQL error of InfluxDB 3's v1 /query."""


@dataclass(frozen=True)
class V3Db:
    name: str
    #: Retention in seconds; None keeps data forever.
    retention: int | None = None
    #: Created by a write (auto-create), not by `influxdb3 create database`.
    auto_created: bool = False


class InfluxDB3:
    """The databases of one InfluxDB 3 server."""

    def __init__(self, limit: int | None) -> None:
        #: How many databases the server allows (None: no limit modelled).
        self.limit = limit
        self.databases: dict[str, V3Db] = {}

    def count(self) -> int:
        return sum(1 for name in self.databases if name != INTERNAL)

    def _admit(self, name: str) -> None:
        problem = invalid_name(name)
        if problem is not None:
            raise V3ApiError(400, problem)
        if self.limit is not None and self.count() >= self.limit:
            raise V3ApiError(
                422, f"Adding a new database would exceed limit of {self.limit} databases"
            )

    def create_database(self, name: str, retention: int | None = None) -> V3Db:
        """`influxdb3 create database NAME [--retention-period]`."""
        if name in self.databases:
            raise V3ApiError(409, f"attempted to create a resource that already exists: {name}")
        self._admit(name)
        self.databases[name] = db = V3Db(name, retention)
        return db

    def create_dbrp(self, *_args: object) -> None:
        """InfluxDB 3 Core and Enterprise have no DBRP mapping API at all."""
        raise V3ApiError(404, "not found: /api/v2/dbrps")

    def write(self, database: str, retention_policy: str | None) -> V3Db:
        """POST /write?db=&rp=: the database the points land in (created when missing)."""
        if not database:
            raise V3ApiError(400, "missing db")
        name = write_database(database, retention_policy)
        found = self.databases.get(name)
        if found is not None:
            return found
        self._admit(name)
        self.databases[name] = db = V3Db(name, None, auto_created=True)
        return db

    def query(self, database: str, retention_policy: str | None) -> V3Db:
        """The database a ``FROM "db"."rp".m`` (or ``"db"..m``) reads; V3QueryError otherwise."""
        name = query_database(database, retention_policy)
        found = self.databases.get(name)
        if found is None:
            raise V3QueryError(f"database not found: {name}")
        return found
