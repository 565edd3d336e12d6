"""TM401: on InfluxDB 3 a retention policy with capitals is written and queried in two
different databases."""

from __future__ import annotations

from collections.abc import Iterator

from tickmig.diagnostics import Diagnostic, Severity
from tickmig.rules.base import Context, Rule
from tickmig.rules.helpers.dbrp import use_location
from tickmig.rules.helpers.v3 import pair_text, reaches
from tickmig.targets.v3names import query_database, write_database


class V3RetentionPolicyCase(Rule):
    """A retention policy with capital letters: InfluxDB 3 writes and queries of it reach
    different databases.

    ## What it does
    On `--target v3-core`/`v3-enterprise`, reports every `influxDBOut()` and batch query whose
    `(database, retention policy)` turns into one database name for writes and another for
    queries.

    ## Why is this bad?
    InfluxDB 3 has no DBRP mappings: a 1.x write with `rp=OneWeek` lands in database
    `db/oneweek` (the v1 write handler lowercases the retention policy), while a query of
    `"db"."OneWeek"` reads `db/OneWeek` verbatim (database names are case-sensitive). What
    Kapacitor or Telegraf writes is never what the batch task reads: the query finds nothing
    and its alerts stay silent. The same holds for `Autogen`/`Default`: written to the bare
    database, queried in `db/Autogen`.

    ## Example
    ```tick target=v3-core
    batch
        |query('SELECT mean("v") FROM "app"."OneWeek"."latency"')
    ```
    Use instead: a lowercase retention policy everywhere (rename it in a mapping plan and let
    `tickmig migrate` rewrite the scripts, and set Telegraf's `retention_policy` to match):
    ```tick target=v3-core
    batch
        |query('SELECT mean("v") FROM "app"."one_week"."latency"')
    ```

    ## References
    influxdata/influxdb `core/iox_http/src/write/v1.rs` (`RetentionPolicy` deserialises
    `to_lowercase()`), `core/iox_query_influxql_rewrite/src/lib.rs` (`resolve_dbrp` formats
    `db/rp` verbatim).
    """

    code = "TM401"
    name = "v3-retention-policy-case"
    severity = Severity.ERROR

    def check(self, ctx: Context) -> Iterator[Diagnostic]:
        if not ctx.mappings.profile.v3:
            return
        for reach in reaches(ctx.task):
            db, rp = reach.database, reach.retention_policy
            written, queried = write_database(db, rp), query_database(db, rp)
            if written == queried:
                continue
            if reach.direction == "write":
                message = (
                    f"influxDBOut writes {pair_text(db, rp)} into database {written!r}, but a "
                    f"query of {pair_text(db, rp)} reads {queried!r}: InfluxDB 3 lowercases the "
                    "retention policy on write only"
                )
            else:
                message = (
                    f"the query reads {pair_text(db, rp)} from database {queried!r}, but 1.x "
                    f"writes with rp={rp} land in {written!r}: InfluxDB 3 lowercases the "
                    "retention policy on write only, so the query finds no data"
                )
            yield self.diagnostic(use_location(ctx, reach.use, "retention_policy"), message)
