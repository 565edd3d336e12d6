"""TM130: the migration proof says a data flow of this task does not land."""

from __future__ import annotations

from collections.abc import Iterator

from tickmig.diagnostics import Diagnostic, Severity
from tickmig.rules.base import Context, Rule


class FlowDoesNotLand(Rule):
    """A write, query or stream input of this task does not land, even after the migration.

    ## What it does
    tickmig resolves every data flow of the deployment once (who writes or reads which
    database and retention policy, after the plan's renames), works out the actions that
    migrate it (buckets, DBRP mappings and defaults, Telegraf outputs to Kapacitor,
    Kapacitor's token), applies them to an in-memory InfluxDB 2 with the DBRP rules of
    InfluxDB's own code, and checks each flow. This rule reports the flows of this task that
    still do not land, with the answer InfluxDB or Kapacitor would give.

    ## Why is this bad?
    Against InfluxDB 2 a write that no DBRP mapping serves gets 404 `no dbrp mapping found`
    and Kapacitor drops the batch (it logs only `invalid response: code 404`); a query of an
    unmapped pair fails with `retention policy not found`; a mapping cannot be moved to
    another bucket (`influx v1 dbrp update` changes only the retention policy and the
    default); a stream task that nothing writes to is silent. These are data loss an
    operator would not see.

    ## Example
    InfluxDB 2 already maps `"telegraf"."autogen"` to bucket `telegraf/autogen`
    (`influx v1 dbrp list`), and the mapping plan sends the pair to bucket `metrics`:
    ```toml plan.toml
    [[rename]]
    from = "telegraf/autogen"
    bucket = "metrics"
    ```
    ```tick
    batch
        |query('SELECT mean("usage") FROM "telegraf"."autogen"."cpu"')
        |influxDBOut()
            .database('telegraf')
            .retentionPolicy('autogen')
            .measurement('cpu_mean')
    ```
    `tickmig check` reports the query (line 2) and the write (line 3):
    `TM130 queries "telegraf"."autogen", which does not land even after the migration's
    actions: reads bucket "telegraf/autogen", not "metrics"` and `TM130 writes
    "telegraf"."autogen", which does not land even after the migration's actions:
    "telegraf"."autogen" is mapped to bucket "telegraf/autogen", not "metrics": a mapping's
    bucket cannot be changed; delete it (influx v1 dbrp delete) and run this script again`.

    Use instead: delete that mapping first (`influx v1 dbrp delete --id ID`, then the commands
    of `tickmig report`), or keep the pair in the bucket it is mapped to (no `bucket` for it
    in the plan):
    ```tick
    batch
        |query('SELECT mean("usage") FROM "telegraf"."autogen"."cpu"')
        |influxDBOut()
            .database('telegraf')
            .retentionPolicy('autogen')
            .measurement('cpu_mean')
    ```

    ## References
    influxdb `main-2.x` `dbrp/service.go`, `http/legacy/write_handler.go`; docs-v2 "Database
    and retention policy mapping"; kapacitor `influxdb_out.go`, `task_master.go`.
    """

    code = "TM130"
    name = "flow-does-not-land"
    severity = Severity.ERROR

    def check(self, ctx: Context) -> Iterator[Diagnostic]:
        for failure in ctx.flow_failures:
            if failure.path in ctx.texts:
                yield self.diagnostic(
                    ctx.location(failure.path, failure.start, failure.end), failure.message
                )
