"""TM106: influxDBOut().precision() with a unit that loses the points: one Kapacitor itself
refuses (`u`, `µ`), one InfluxDB 2's 1.x write API refuses (`us`, `µs`), or one it reads as
nanoseconds (`m`, `h`)."""

from __future__ import annotations

from collections.abc import Iterator

from tickmig.diagnostics import Diagnostic, Severity
from tickmig.rules.base import Context, Rule

#: Units Kapacitor cannot parse as a Go duration (`time.ParseDuration("1" + precision)`):
#: every batch is refused before it is sent, on InfluxDB 1.x and 2.x alike.
REFUSED_BY_KAPACITOR = ("u", "µ")
#: Units Kapacitor accepts but formats in nanoseconds (its InfluxDB 1.x models know no `us`),
#: labelled with the unit: InfluxDB 2 scales them by 1000, overflows, and answers 400.
REFUSED_BY_INFLUXDB = ("us", "µs")
#: Units Kapacitor formats correctly that InfluxDB 2's legacy /write reads as nanoseconds.
MISREAD = {"m": "minutes", "h": "hours"}


def why(precision: str) -> str | None:
    """What happens to points written with `precision`, or None when nothing goes wrong."""
    if precision in REFUSED_BY_KAPACITOR:
        return (
            f".precision('{precision}') is not a unit Kapacitor accepts (it checks "
            f"`1{precision}` as a Go duration): it refuses every batch and the node writes "
            "nothing, on InfluxDB 1.x as on 2.x; use 's' or 'ms', or leave it unset"
        )
    if precision in REFUSED_BY_INFLUXDB:
        return (
            f".precision('{precision}') makes Kapacitor send nanosecond timestamps labelled "
            f"'{precision}': InfluxDB 2 scales them by 1000, overflows, and answers 400 to "
            "every write; use 's' or 'ms', or leave it unset"
        )
    if precision in MISREAD:
        return (
            f".precision('{precision}') writes timestamps in {MISREAD[precision]}, which "
            "InfluxDB 2 reads as nanoseconds: use 's' or 'ms', or leave it unset"
        )
    return None


class PrecisionMishandled(Rule):
    """`influxDBOut().precision()` is `'u'`/`'µ'`, `'us'`/`'µs'`, `'m'` or `'h'`: the points
    never land, or land at the wrong time.

    ## What it does
    Reports `.precision()` values of `influxDBOut()` that lose the points against InfluxDB 2:
    * `'u'`, `'µ'`: Kapacitor checks the unit with Go's `time.ParseDuration("1" + precision)`
      before it builds a batch (`influxdb/client.go` `NewBatchPoints`); `1u` is not a Go
      duration, so every batch fails (`failed to write points to InfluxDB`) and nothing is
      ever written, on InfluxDB 1.x as on 2.x. The TICKscript duration `1u` does not help:
      this is a string.
    * `'us'`, `'µs'`: a valid Go duration, but Kapacitor scales timestamps with its vendored
      InfluxDB 1.x line-protocol code, which knows `u`, `ms`, `s`, `m`, `h` and not `us`, so
      it sends nanoseconds labelled `precision=us`; InfluxDB 2 multiplies them by 1000,
      overflows, and answers `400` to every write.
    * `'m'`, `'h'`: Kapacitor writes minutes (hours); InfluxDB 2's 1.x `/write` maps only
      `us`, `ms` and `s` and treats anything else as nanoseconds: every point lands near 1970.
      Nothing fails, so nobody notices.

    ## Why is this bad?
    The task's output is lost (refused by Kapacitor, or by InfluxDB with 400), or stored at
    the wrong time.

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
    Kapacitor `influxdb/client.go` (`NewBatchPoints`, `SetPrecision`) and `influxdb_out.go`
    (`writeBuffer.run`); InfluxDB 2 `models.GetPrecisionMultiplier`, `models/time.go`
    `SafeCalcTime`;
    docs.influxdata.com/influxdb/v2/reference/api/influxdb-1x/write/ (the `precision` parameter).
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
            if feature.name != "precision" or value is None or value.text is None:
                continue
            message = why(value.text)
            if message is None:
                continue
            yield self.diagnostic(
                ctx.at(value)
                if value.path == ctx.task.path
                else ctx.location(ctx.task.path, feature.call.start, feature.call.end),
                message,
            )
