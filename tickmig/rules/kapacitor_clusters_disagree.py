"""TM316: the `[[influxdb]]` sections point at different servers."""

from __future__ import annotations

from collections.abc import Iterator

from tickmig.diagnostics import Severity
from tickmig.rules.helpers.config import ConfigContext, ConfigRule, RuleFinding


class KapacitorClustersDisagree(ConfigRule):
    """The enabled `[[influxdb]]` sections of kapacitor.conf point at different servers.

    ## What it does
    Reports a kapacitor.conf whose enabled `[[influxdb]]` sections have different `urls`.

    ## Why is this bad?
    After the migration the data is in one InfluxDB 2 organization: each section must point
    at InfluxDB 2, keeping its name, because tasks refer to the sections with `.cluster()`.

    ## Example
    Sections `"metrics"` (`http://influx-a:8086`) and `"events"` (`http://influx-b:8086`).
    Use instead: both with InfluxDB 2's URL.

    ## References
    Kapacitor configuration, `[[influxdb]]`:
    https://docs.influxdata.com/kapacitor/v1/administration/configuration/#influxdb.
    """

    code = "TM316"
    name = "kapacitor-clusters-disagree"
    severity = Severity.WARNING
    config = "kapacitor"

    def check_config(self, ctx: ConfigContext) -> Iterator[RuleFinding]:
        enabled = ctx.kapacitor_conf.enabled_clusters()
        if len({c.urls for c in enabled}) > 1:
            names = ", ".join(f'"{c.name}"' for c in enabled)
            yield self.finding(
                ctx,
                enabled[0].line,
                f"the [[influxdb]] sections {names} point at different servers: after the "
                "migration the data is in one InfluxDB 2 organization, so point each at "
                "InfluxDB 2 and keep the names (tasks refer to them with .cluster())",
            )
