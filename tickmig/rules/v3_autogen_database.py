"""TM403: the docs name a database `db/autogen`, but InfluxDB 3 sends `autogen` to `db`."""

from __future__ import annotations

from collections.abc import Iterator

from tickmig.diagnostics import Diagnostic, Severity
from tickmig.rules.base import Context, Rule
from tickmig.rules.helpers.dbrp import use_location
from tickmig.rules.helpers.v3 import pair_text, reaches
from tickmig.targets.v3names import DEFAULT_RPS


class V3AutogenDatabase(Rule):
    """`autogen` (or `default`) reaches the bare database on InfluxDB 3, not the `db/autogen`
    database the docs' naming table tells one to create.

    ## What it does
    On `--target v3-core`/`v3-enterprise`, reports writes and queries of `"db"."autogen"` (and
    `"db"."default"`). With a live server (`--influx3-url`) that has a `db/autogen` database it
    is a warning: that database is one Kapacitor never reaches. Without one it is a note
    saying which database to create.

    ## Why is this bad?
    The InfluxDB 3 docs ("InfluxQL DBRP naming convention") map v1 `telegraf` + `autogen` to a
    database `telegraf/autogen`. The server's code maps `rp=autogen`, `default` and an empty rp
    to the bare database `telegraf`, for writes and for queries. A `telegraf/autogen` created
    per the docs stays empty for Kapacitor; Kapacitor's first write silently auto-creates a
    second database `telegraf` (indefinite retention, one more against Core's limit of 5) and
    its batch queries read that one.

    ## Example
    ```tick target=v3-core
    batch
        |query('SELECT mean("usage") FROM "telegraf"."autogen"."cpu"')
        |influxDBOut()
            .database('telegraf')
            .retentionPolicy('autogen')
    ```
    Use instead: create (or keep) the database `telegraf` (`influxdb3 create database
    telegraf`), not `telegraf/autogen`; `tickmig report` prints the commands.

    ## References
    influxdata/influxdb `core/iox_http/src/write/v1.rs` (`RetentionPolicy::Autogen`),
    `core/iox_http/src/write/single_tenant/mod.rs` (test `rp_autogen`),
    `core/iox_query_influxql_rewrite/src/lib.rs` (`resolve_dbrp`); docs-v2
    `content/shared/influxdb3-admin/databases/create.md` (the naming table).
    """

    code = "TM403"
    name = "v3-autogen-database"
    severity = Severity.WARNING

    def check(self, ctx: Context) -> Iterator[Diagnostic]:
        if not ctx.mappings.profile.v3:
            return
        live = {d.name for d in ctx.mappings.databases}
        for reach in reaches(ctx.task):
            rp = reach.retention_policy
            if rp is None or rp not in DEFAULT_RPS:
                continue  # a capitalised Autogen is TM401's
            db = reach.database
            docs_name = f"{db}/{rp}"
            pair = pair_text(db, rp)
            location = use_location(ctx, reach.use, "retention_policy")
            if docs_name in live:
                yield self.diagnostic(
                    location,
                    f"{reach.verb} {pair}, which InfluxDB 3 sends to database {db!r}, not to "
                    f"the existing {docs_name!r} (the docs' naming): that database is "
                    f"unreachable for Kapacitor"
                    + ("" if db in live else f" and the first write creates {db!r}"),
                )
            elif not ctx.mappings.databases:
                yield self.diagnostic(
                    location,
                    f"{reach.verb} {pair}: InfluxDB 3 sends it to database {db!r}; create "
                    f"{db!r}, not {docs_name!r} as the docs' naming table says",
                    severity=Severity.INFO,
                )
