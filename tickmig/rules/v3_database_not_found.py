"""TM406: a batch query reads an InfluxDB 3 database the live server does not have."""

from __future__ import annotations

from collections.abc import Iterator

from tickmig.diagnostics import Diagnostic, Severity
from tickmig.rules.base import Context, Rule
from tickmig.rules.helpers.dbrp import use_location
from tickmig.rules.helpers.v3 import pair_text, reaches
from tickmig.targets.v3names import invalid_name


class V3DatabaseNotFound(Rule):
    """A batch query reads a database that the InfluxDB 3 server (`--influx3-url`) does not
    have and that no task writes.

    ## What it does
    With a live InfluxDB 3 (`--influx3-url`), turns each query source into its database name
    (`db`, or `db/rp` with the retention policy as written) and reports the names the server
    does not list, unless a task of the migration writes that database (the write creates it).

    ## Why is this bad?
    The query fails with `database not found: NAME` every period; the task emits nothing and
    its alerts never fire. Typical causes: the data was migrated into `db/autogen` per the
    docs (TM403), a capitalised retention policy (TM401), or data that still lives in 1.x.

    ## Example
    The InfluxDB 3 Core of `--influx3-url` lists one database, `telegraf`:
    ```tick target=v3-core influx3=telegraf
    batch
        |query('SELECT max("usage_user") FROM "telegraf"."one_year"."cpu"')
    ```
    `tickmig check --target v3-core --influx3-url URL` reports (line 2): `TM406 the query reads
    "telegraf"."one_year", InfluxDB 3 database 'telegraf/one_year', which the server does not
    have: it fails with "database not found: telegraf/one_year"`.

    Use instead: create and fill the database (`influxdb3 create database telegraf/one_year`),
    or point the query at the database that holds the data:
    ```tick target=v3-core influx3=telegraf
    batch
        |query('SELECT max("usage_user") FROM "telegraf"."autogen"."cpu"')
    ```

    ## References
    influxdata/influxdb `core/iox_query_influxql_rewrite/src/lib.rs` (`resolve_dbrp`),
    `influxdb3_server/src/http.rs` (v1 `/query`); docs-v2 `content/shared/influxdb3-admin/
    databases/create.md`.
    """

    code = "TM406"
    name = "v3-database-not-found"
    severity = Severity.ERROR

    def check(self, ctx: Context) -> Iterator[Diagnostic]:
        plan = ctx.plan
        if not ctx.mappings.profile.v3 or plan is None or not plan.live:
            return
        for reach in reaches(ctx.task):
            name = reach.v3_name
            if reach.direction != "read" or name in plan.existing or invalid_name(name):
                continue
            entry = plan.get(name)
            if entry is not None and entry.written:
                continue
            yield self.diagnostic(
                use_location(ctx, reach.use),
                f"the query reads {pair_text(reach.database, reach.retention_policy)}, InfluxDB "
                f'3 database {name!r}, which the server does not have: it fails with "database '
                f'not found: {name}"',
            )
