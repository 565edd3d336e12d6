"""TM112: queryFlux() talks to InfluxDB 2's own API, not through DBRP mappings."""

from __future__ import annotations

from collections.abc import Iterator

from tickmig.diagnostics import Diagnostic, Severity
from tickmig.rules.base import Context, Rule


class QueryFlux(Rule):
    """`batch|queryFlux()` needs a token and an organization, not DBRP mappings.

    ## What it does
    Reports `queryFlux()` nodes, whose sources tickmig does not check.

    ## Why is this bad?
    Nothing is wrong with it, but it reads buckets by name through `/api/v2/query`: the
    `[[influxdb]]` section it uses needs a `token`, and `.org()` / `.orgID()` must name the
    InfluxDB 2 organization. Renamed or re-mapped DBRPs do not apply to it.

    ## Example
    ```tick
    batch
        |queryFlux('''from(bucket: "telegraf/autogen") |> range(start: -1m)''')
            .period(1m)
            .every(1m)
    ```

    ## References
    Kapacitor 1.6 release notes (Flux batch queries).
    """

    code = "TM112"
    name = "query-flux"
    severity = Severity.INFO

    def check(self, ctx: Context) -> Iterator[Diagnostic]:
        if ctx.mappings.profile.v3:
            return  # InfluxDB 3 has no DBRP mappings: the TM4xx rules speak for it
        for feature in ctx.task.features:
            if feature.name == "queryFlux":
                call = feature.call
                yield self.diagnostic(
                    ctx.location(ctx.task.path, call.start, call.end),
                    "queryFlux reads buckets through the v2 API: its [[influxdb]] section needs "
                    "a token and the node an .org(); DBRP mappings do not apply",
                )
