"""TM412: influxDBOut().precision() with a unit InfluxDB 3's v1 /write refuses."""

from __future__ import annotations

from collections.abc import Iterator

from tickmig.diagnostics import Diagnostic, Severity
from tickmig.rules.base import Context, Rule


class V3WritePrecision(Rule):
    """`influxDBOut().precision('m')` or `'h'`: InfluxDB 3's v1 `/write` refuses the batch.

    ## What it does
    On `--target v3-core`/`v3-enterprise`, reports `.precision()` values of `influxDBOut()`
    other than `s`, `ms`, `us`/`u`, `ns`/`n`.

    ## Why is this bad?
    Kapacitor sends the precision as the `precision` parameter of `/write`. InfluxDB 3 parses
    only `s`, `ms`, `us`/`u` and `ns`/`n` there and answers 400 to `m` and `h`, although its
    docs' precision table lists them; Kapacitor drops every point of the task.

    ## Example
    ```tick target=v3-core
    batch
        |query('SELECT mean("usage") FROM "app"."autogen"."cpu"')
        |influxDBOut()
            .database('app')
            .precision('m')
    ```
    Use instead: `.precision('s')` (the points keep their minute-aligned times):
    ```tick target=v3-core
    batch
        |query('SELECT mean("usage") FROM "app"."autogen"."cpu"')
        |influxDBOut()
            .database('app')
            .precision('s')
    ```

    ## References
    influxdata/influxdb `core/iox_http/src/write/params.rs` (`Precision`); InfluxDB 3 OpenAPI
    (`PrecisionWriteCompatibility`: ms, s, us, u, ns, n).
    """

    code = "TM412"
    name = "v3-write-precision"
    severity = Severity.ERROR

    def check(self, ctx: Context) -> Iterator[Diagnostic]:
        accepted = ctx.mappings.profile.write_precisions
        if accepted is None:
            return
        for feature in ctx.task.features:
            if feature.name != "precision" or feature.argument is None:
                continue
            unit = feature.argument.text
            if unit is None or unit in accepted:
                continue
            yield self.diagnostic(
                ctx.at(feature.argument),
                f"precision {unit!r}: {ctx.mappings.profile.label}'s /write accepts only "
                f"{', '.join(sorted(accepted))} and answers 400, so Kapacitor drops the points",
            )
