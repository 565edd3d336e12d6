"""TM107: influxDBOut().writeConsistency() is ignored by InfluxDB 2."""

from __future__ import annotations

from collections.abc import Iterator

from tickmig.diagnostics import Applicability, Diagnostic, Severity
from tickmig.rules.base import Context, Rule
from tickmig.rules.helpers.removal import removal_fix


class WriteConsistencyIgnored(Rule):
    """`influxDBOut().writeConsistency()` has no effect against InfluxDB 2.

    ## What it does
    Reports `.writeConsistency()` on `influxDBOut()` nodes.

    ## Why is this bad?
    It is sent as the `consistency` parameter of `/write`, which InfluxDB 2 never reads (it
    only ever mattered for InfluxDB Enterprise clusters). A reader of the script would
    believe in a guarantee that does not exist.

    ## Example
    ```tick
    batch
        |query('SELECT mean("usage") FROM "telegraf"."autogen"."cpu"')
        |influxDBOut()
            .database('derived')
            .retentionPolicy('hourly')
            .writeConsistency('quorum')
    ```
    Use instead:
    ```tick
    batch
        |query('SELECT mean("usage") FROM "telegraf"."autogen"."cpu"')
        |influxDBOut()
            .database('derived')
            .retentionPolicy('hourly')
    ```

    ## Fix safety
    Unsafe: removing it is harmless against InfluxDB 2 but changes the task if it is pointed
    back at an InfluxDB Enterprise cluster, and drops comments inside the removed text.

    ## References
    InfluxDB `http/legacy/write_handler.go`.
    """

    code = "TM107"
    name = "write-consistency-ignored"
    severity = Severity.INFO
    fix_safety = Applicability.UNSAFE

    def check(self, ctx: Context) -> Iterator[Diagnostic]:
        for feature in ctx.task.features:
            if feature.name != "writeConsistency":
                continue
            call = feature.call
            fix = removal_fix(ctx.task.path, ctx.texts[ctx.task.path], call)
            yield self.diagnostic(
                ctx.location(ctx.task.path, call.start, call.end),
                ".writeConsistency() is ignored by InfluxDB 2 (the consistency parameter is "
                "never read)",
                fix=fix,
            )
