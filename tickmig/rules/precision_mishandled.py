"""TM106: influxDBOut().precision() with a unit InfluxDB 2's 1.x write API reads as
nanoseconds."""

from __future__ import annotations

from collections.abc import Iterator

from tickmig.diagnostics import Diagnostic, Severity
from tickmig.rules.base import Context, Rule

#: Units Kapacitor formats timestamps in that InfluxDB 2's legacy /write treats as ns.
MISREAD = {"u": "microseconds", "µ": "microseconds", "m": "minutes", "h": "hours"}


class PrecisionMishandled(Rule):
    """`influxDBOut().precision()` is `'u'`, `'m'` or `'h'`, which InfluxDB 2 misreads.

    ## What it does
    Reports `.precision()` values of `influxDBOut()` that Kapacitor (which uses InfluxDB 1.x
    line-protocol rules) understands but InfluxDB 2's 1.x `/write` endpoint does not: it
    maps only `us`, `ms` and `s`, and treats anything else as nanoseconds.

    ## Why is this bad?
    Kapacitor writes timestamps in minutes (or hours, or microseconds) and InfluxDB 2 stores
    them as nanoseconds: every point lands near 1970. Nothing fails, so nobody notices.

    ## Example
    ```tick
    batch
        |query('SELECT mean("usage") FROM "telegraf"."autogen"."cpu"')
        |influxDBOut()
            .database('derived')
            .retentionPolicy('hourly')
            .precision('m')
    ```
    Use instead: `.precision('s')` (Kapacitor truncates timestamps to the precision either
    way), or leave the precision unset (nanoseconds):
    ```tick
    batch
        |query('SELECT mean("usage") FROM "telegraf"."autogen"."cpu"')
        |influxDBOut()
            .database('derived')
            .retentionPolicy('hourly')
            .precision('s')
    ```

    ## References
    InfluxDB 2 `models.GetPrecisionMultiplier`; ../shared/docs/influxdb2-migration.md
    section 1.6.
    """

    code = "TM106"
    name = "precision-mishandled"
    severity = Severity.ERROR
    annotate = True

    def check(self, ctx: Context) -> Iterator[Diagnostic]:
        if ctx.mappings.profile.v3:
            return  # InfluxDB 3 has no DBRP mappings: the TM4xx rules speak for it
        for feature in ctx.task.features:
            value = feature.argument
            if feature.name != "precision" or value is None or value.text not in MISREAD:
                continue
            yield self.diagnostic(
                ctx.at(value)
                if value.path == ctx.task.path
                else ctx.location(ctx.task.path, feature.call.start, feature.call.end),
                f".precision('{value.text}') writes timestamps in {MISREAD[value.text]}, which "
                "InfluxDB 2 reads as nanoseconds: use 's' or 'ms', or leave it unset",
            )
