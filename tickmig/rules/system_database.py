"""TM114: a task writes to, or a batch task reads, a system database such as _internal."""

from __future__ import annotations

from collections.abc import Iterator

from tickmig.diagnostics import Diagnostic, Severity
from tickmig.rules.base import Context, Rule
from tickmig.rules.helpers.dbrp import use_location


class SystemDatabase(Rule):
    """A task writes to or queries an InfluxDB 1.x system database (`_internal`...).

    ## What it does
    Reports `influxDBOut()` writes and batch reads of databases whose names start with `_`.
    Stream tasks reading `_kapacitor` (Kapacitor's own statistics) are fine and not reported.

    ## Why is this bad?
    `_internal` is InfluxDB 1.x's self-monitoring database: `influxd upgrade` does not
    migrate it and InfluxDB 2 has no such database (its monitoring lives in `_monitoring`
    and the `/metrics` endpoint).

    ## Example
    ```tick
    batch
        |query('SELECT mean("writeReq") FROM "_internal"."monitor"."httpd"')
    ```

    ## References
    docs.influxdata.com/influxdb/v2/tools/kapacitor/ (InfluxDB 2 has no `_internal` database);
    docs.influxdata.com/influxdb/v2/reference/api/influxdb-1x/dbrp/
    """

    code = "TM114"
    name = "system-database"
    severity = Severity.WARNING
    annotate = True

    def check(self, ctx: Context) -> Iterator[Diagnostic]:
        if ctx.mappings.profile.v3:
            return  # InfluxDB 3 has no DBRP mappings: the TM4xx rules speak for it
        task = ctx.task
        uses = [u for u in task.writes if u.via == "influxDBOut"]
        if task.type == "batch":
            uses += [*task.dbrps, *(u for u in task.reads if u.via == "query")]
        for use in uses:
            db = use.database.text
            if db and db.startswith("_"):
                what = "writes to" if use.direction == "write" else "reads"
                yield self.diagnostic(
                    use_location(ctx, use),
                    f'{what} the system database "{db}", which InfluxDB 2 does not have',
                )
