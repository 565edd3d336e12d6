"""TM413: queryFlux() against a target that has no Flux."""

from __future__ import annotations

from collections.abc import Iterator

from tickmig.diagnostics import Diagnostic, Severity
from tickmig.rules.base import Context, Rule


class TargetNoFlux(Rule):
    """`batch|queryFlux()` cannot run: InfluxDB 3 has no Flux.

    ## What it does
    On `--target v3-core`/`v3-enterprise`, reports every `queryFlux()` node.

    ## Why is this bad?
    InfluxDB 3 does not support Flux: the `/api/v2/query` endpoint Kapacitor's `queryFlux()`
    calls does not exist, so the task fails every period. Kapacitor's `[fluxtask]` service
    probes InfluxDB with Flux too and must be switched off.

    ## Example
    ```tick target=v3-core
    batch
        |queryFlux('from(bucket: "app") |> range(start: -5m)')
            .period(5m)
            .every(5m)
    ```
    Use instead: `batch|query('SELECT ...')` with InfluxQL (InfluxDB 3 serves it on the v1
    `/query` Kapacitor uses):
    ```tick target=v3-core
    batch
        |query('SELECT mean("v") FROM "app"."autogen"."load"')
            .period(5m)
            .every(5m)
    ```

    ## References
    docs-v2 `content/flux/v0/future-of-flux.md`, `content/shared/influxdb3-get-started/
    query.md` ("Flux ... is not supported in InfluxDB 3"); influxdata/kapacitor
    `task/backend/analytical_storage.go`.
    """

    code = "TM413"
    name = "target-no-flux"
    severity = Severity.ERROR

    def check(self, ctx: Context) -> Iterator[Diagnostic]:
        profile = ctx.mappings.profile
        if profile.flux:
            return
        for feature in ctx.task.features:
            if feature.name == "queryFlux":
                call = feature.call
                yield self.diagnostic(
                    ctx.location(ctx.task.path, call.start, call.end),
                    f"queryFlux cannot run against {profile.label}, which has no Flux: rewrite "
                    "the query in InfluxQL (batch|query)",
                )
