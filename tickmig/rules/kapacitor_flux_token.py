"""TM317: a task uses queryFlux() through an `[[influxdb]]` section without a token."""

from __future__ import annotations

from collections.abc import Iterator

from tickmig.diagnostics import Severity
from tickmig.rules.helpers.config import ConfigContext, ConfigRule, RuleFinding


class KapacitorFluxToken(ConfigRule):
    """A task uses `queryFlux()` through an `[[influxdb]]` section that has no token.

    ## What it does
    Reports each task with `batch|queryFlux()` whose `[[influxdb]]` section (its
    `.cluster()`, else the default) sets no `token`.

    ## Why is this bad?
    `queryFlux()` goes to InfluxDB 2's `/api/v2/query`, which takes a token, not a 1.x
    username/password, and the node needs `.org()` or `.orgID()`.

    ## Example
    `batch|queryFlux('from(bucket: "telegraf/autogen") ...')` with a section that has only
    `username`/`password`. Use instead: set `token` in that section.

    ## References
    Kapacitor `QueryFluxNode`:
    https://docs.influxdata.com/kapacitor/v1/reference/nodes/query_flux_node/.
    """

    code = "TM317"
    name = "kapacitor-flux-token"
    severity = Severity.WARNING
    config = "kapacitor"

    def check_config(self, ctx: ConfigContext) -> Iterator[RuleFinding]:
        if ctx.deployment.mappings.profile.v3:
            return  # no token makes queryFlux() work on InfluxDB 3 (it has no Flux: TM413)
        enabled = ctx.kapacitor_conf.enabled_clusters()
        by_name = {c.name: c for c in enabled}
        default = next((c for c in enabled if c.default), None)
        if default is None and len(enabled) == 1:
            default = enabled[0]
        for task, name in sorted(ctx.deployment.flux_tasks.items()):
            cluster = by_name.get(name) if name is not None else default
            if cluster is None or cluster.auth == "token":
                continue
            yield self.finding(
                ctx,
                cluster.line,
                f"{task} uses queryFlux(), which goes to /api/v2/query: [[influxdb]] "
                f'"{cluster.name}" needs a token (username/password are not enough), and the '
                "node an .org() or .orgID() of InfluxDB 2",
            )
