"""TM105: influxDBOut().create() issues CREATE DATABASE, which InfluxDB 2 does not implement."""

from __future__ import annotations

from collections.abc import Iterator

from tickmig.diagnostics import Applicability, Diagnostic, Severity
from tickmig.rules.base import Context, Rule
from tickmig.rules.helpers.removal import removal_fix


class InfluxDBOutCreate(Rule):
    """`influxDBOut().create()` asks InfluxDB to create the database at task start.

    ## What it does
    Reports every `.create()` property of an `influxDBOut()` node.

    ## Why is this bad?
    Kapacitor sends `CREATE DATABASE "db" WITH NAME "rp"`; InfluxDB 2 answers `not
    implemented: CREATE DATABASE`, Kapacitor logs `failed to create database` and goes on.
    The bucket and its DBRP mapping must exist before the task writes, so `.create()` only
    adds noise and hides the real requirement.

    ## Example
    ```tick
    batch
        |query('SELECT mean("usage") FROM "telegraf"."autogen"."cpu"')
        |influxDBOut()
            .create()
            .database('derived')
            .retentionPolicy('hourly')
    ```
    Use instead: create the bucket and mapping first (`tickmig report` lists the commands)
    and remove `.create()`:
    ```tick
    batch
        |query('SELECT mean("usage") FROM "telegraf"."autogen"."cpu"')
        |influxDBOut()
            .database('derived')
            .retentionPolicy('hourly')
    ```

    ## Fix safety
    Unsafe: removing `.create()` changes what the task does against InfluxDB 1.x (if it is
    ever pointed back there) and removes any comment inside the removed text.

    ## References
    Kapacitor `influxdb_out.go`; InfluxDB `v1/coordinator/statement_executor.go`.
    """

    code = "TM105"
    name = "influxdbout-create"
    severity = Severity.WARNING
    fix_safety = Applicability.UNSAFE

    def check(self, ctx: Context) -> Iterator[Diagnostic]:
        for feature in ctx.task.features:
            if feature.name != "create":
                continue
            call = feature.call
            fix = removal_fix(ctx.task.path, ctx.texts[ctx.task.path], call)
            yield self.diagnostic(
                ctx.location(ctx.task.path, call.start, call.end),
                ".create() sends CREATE DATABASE, which InfluxDB 2 does not implement: create "
                "the bucket and its DBRP mapping before the task runs",
                fix=fix,
            )
