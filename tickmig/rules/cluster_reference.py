"""TM108: a node names an InfluxDB cluster from kapacitor.conf."""

from __future__ import annotations

from collections.abc import Iterator

from tickmig.diagnostics import Diagnostic, Severity
from tickmig.rules.base import Context, Rule


class ClusterReference(Rule):
    """`.cluster('name')` ties a node to one `[[influxdb]]` section of kapacitor.conf.

    ## What it does
    Reports `.cluster()` on `influxDBOut()`, `query()` and `queryFlux()` nodes.

    ## Why is this bad?
    It is not broken in itself, but the named `[[influxdb]]` section must now point at
    InfluxDB 2 (its URL, a token, `disable-subscriptions = true`); when kapacitor.conf is
    rewritten, the section names must stay. `tickmig report --kapacitor-conf` checks them.

    ## Example
    ```tick
    batch
        |query('SELECT mean("usage") FROM "telegraf"."autogen"."cpu"')
        |influxDBOut()
            .cluster('metrics')
            .database('derived')
            .retentionPolicy('hourly')
    ```

    ## References
    Kapacitor `pipeline/influxdb_out.go`, `services/influxdb/config.go`.
    """

    code = "TM108"
    name = "cluster-reference"
    severity = Severity.INFO

    def check(self, ctx: Context) -> Iterator[Diagnostic]:
        for feature in ctx.task.features:
            if feature.name != "cluster":
                continue
            name = feature.argument.text if feature.argument is not None else None
            call = feature.call
            yield self.diagnostic(
                ctx.location(ctx.task.path, call.start, call.end),
                f"uses the [[influxdb]] section named {name!r} of kapacitor.conf: point it at "
                "InfluxDB 2 and keep its name"
                if name
                else "uses a named [[influxdb]] section of kapacitor.conf: point it at InfluxDB 2",
            )
