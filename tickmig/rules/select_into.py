"""TM111: a batch query uses SELECT ... INTO, which InfluxDB 2 does not implement."""

from __future__ import annotations

from collections.abc import Iterator

from tickmig.diagnostics import Diagnostic, Severity
from tickmig.rules.base import Context, Rule


class SelectInto(Rule):
    """A `query()` uses `SELECT ... INTO`.

    ## What it does
    Reports batch queries whose InfluxQL has an INTO clause.

    ## Why is this bad?
    InfluxDB 2's InfluxQL endpoint answers `not implemented: SELECT INTO`; the query returns
    nothing and nothing is written.

    ## Example
    ```tick
    batch
        |query('SELECT mean("v") INTO "derived"."autogen"."m" FROM "telegraf"."autogen"."cpu"')
    ```
    Use instead: select without INTO and write the result with `|influxDBOut()`:
    ```tick
    batch
        |query('SELECT mean("v") FROM "telegraf"."autogen"."cpu"')
        |influxDBOut()
            .database('derived')
            .retentionPolicy('autogen')
            .measurement('m')
    ```

    ## References
    InfluxDB `v1/coordinator/statement_executor.go`.
    """

    code = "TM111"
    name = "select-into"
    severity = Severity.ERROR
    annotate = True

    def check(self, ctx: Context) -> Iterator[Diagnostic]:
        for feature in ctx.task.features:
            if feature.name == "selectInto":
                where = feature.argument
                location = (
                    ctx.at(where)
                    if where is not None and where.kind in ("literal", "var")
                    else ctx.location(ctx.task.path, feature.call.start, feature.call.end)
                )
                yield self.diagnostic(
                    location,
                    "SELECT ... INTO is not implemented by InfluxDB 2: select without INTO and "
                    "write the result with |influxDBOut()",
                )
