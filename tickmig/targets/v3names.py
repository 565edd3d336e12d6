"""How InfluxDB 3 (Core, Enterprise) turns a 1.x (database, retention policy) into one of its
databases, read from its code (influxdata/influxdb, 3.x):

* writes (``/write?db=&rp=``): ``core/iox_http/src/write/v1.rs`` ``RetentionPolicy``
  deserialises the rp lowercased; ``""``, ``autogen`` and ``default`` (in any case) mean the
  bare database, any other rp the database ``db/rp`` (rp lowercased);
  ``core/iox_http/src/write/single_tenant/mod.rs`` ``parse_v1`` (test ``rp_autogen``);
* queries (``FROM "db"."rp"."m"``): ``core/iox_query_influxql_rewrite/src/lib.rs``
  ``resolve_dbrp`` compares the rp with ``autogen``/``default`` case-sensitively and formats
  ``db/rp`` verbatim, so ``OneWeek`` is queried in ``db/OneWeek`` but written to ``db/oneweek``;
* names: ``influxdb3_server/src/http.rs`` ``validate_db_name`` (ASCII letters, digits, ``_``,
  ``-``, at most one ``/`` not at the end, first character a letter or digit, at most 511
  characters), applied to writes and to ``create database``;
* auto-create: a write to a database that does not exist creates it with indefinite retention
  (``influxdb3_catalog`` ``begin_database_transaction``).

The InfluxDB 3 docs (docs-v2 ``shared/influxdb3-admin/databases/create.md``, "InfluxQL DBRP
naming convention") map ``telegraf`` + ``autogen`` to ``telegraf/autogen``; the code does not.
"""

from __future__ import annotations

MAX_NAME = 511
DEFAULT_RPS = ("autogen", "default")


def write_database(database: str, retention_policy: str | None) -> str:
    """The database a v1 write with ``db=database&rp=retention_policy`` lands in."""
    rp = (retention_policy or "").lower()
    if rp in ("", "''", *DEFAULT_RPS):
        return database
    return f"{database}/{rp}"


def query_database(database: str, retention_policy: str | None) -> str:
    """The database a query of ``"database"."retention_policy"`` reads (rp unset or empty: the
    bare database)."""
    rp = retention_policy or ""
    if rp in ("", *DEFAULT_RPS):
        return database
    return f"{database}/{rp}"


def docs_database(database: str, retention_policy: str | None) -> str:
    """The database the docs' naming table would have one create: ``db/rp``, autogen too."""
    rp = retention_policy or "autogen"
    return f"{database}/{rp}"


def invalid_name(name: str) -> str | None:
    """Why InfluxDB 3 refuses a database name (its own message), or None when it accepts it."""
    if not name:
        return "db name cannot be empty"
    if len(name.encode("utf-8")) > MAX_NAME:
        return f"db name too long: max {MAX_NAME}"
    if not (name[0].isascii() and name[0].isalnum()):
        return "db name did not start with a number or letter"
    slash = False
    for char in name[1:]:
        if char == "/":
            if slash:
                return _BAD_RP
            slash = True
        elif not (char.isascii() and (char.isalnum() or char in "_-")):
            return (
                "invalid character in database or rp name: must be ASCII, containing only "
                "letters, numbers, underscores, or hyphens"
            )
    if name.endswith("/"):
        return _BAD_RP
    return None


_BAD_RP = (
    "db name with invalid retention policy, if providing a retention policy name, must be of "
    "form '<db_name>/<rp_name>'"
)


def split(name: str) -> tuple[str, str | None]:
    """A v3 database name as (db, rp): ``telegraf/one_year`` -> (telegraf, one_year)."""
    db, slash, rp = name.partition("/")
    return db, (rp if slash else None)


def suggest_name(name: str) -> str | None:
    """A name InfluxDB 3 accepts for one it refuses: characters it refuses become ``_``, a
    second ``/`` too, leading ones that are not letters or digits go; None when nothing is
    left (or for ``_internal``-like system names, which are not migrated)."""
    if name.startswith("_"):
        return None
    out = []
    slash = False
    for char in name:
        if char == "/" and not slash:
            slash = True
            out.append(char)
        elif char.isascii() and (char.isalnum() or char in "_-"):
            out.append(char)
        else:
            out.append("_")
    text = "".join(out).lstrip("_-/").rstrip("/")[:MAX_NAME]
    db, slash_, rp = text.partition("/")
    if slash_:
        text = f"{db}/{rp.lower()}"
    return text if text and invalid_name(text) is None else None
