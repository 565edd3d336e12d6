"""TM314: several enabled `[[influxdb]]` sections and not exactly one default."""

from __future__ import annotations

from collections.abc import Iterator

from tickmig.diagnostics import Severity
from tickmig.rules.helpers.config import ConfigContext, ConfigRule, RuleFinding


class KapacitorDefaultCluster(ConfigRule):
    """Several `[[influxdb]]` sections are enabled and not exactly one is `default = true`.

    ## What it does
    Reports a kapacitor.conf with more than one enabled `[[influxdb]]` section where none,
    or more than one, sets `default = true`.

    ## Why is this bad?
    Nodes without `.cluster()` use the default section; Kapacitor refuses to start without
    exactly one.

    ## Example
    Two `[[influxdb]]` sections, neither with `default = true`. Use instead: mark the one
    that points at InfluxDB 2 for the tasks without `.cluster()`.

    ## References
    Kapacitor configuration, `[[influxdb]]` `default`:
    https://docs.influxdata.com/kapacitor/v1/administration/configuration/#influxdb.
    """

    code = "TM314"
    name = "kapacitor-default-cluster"
    severity = Severity.ERROR
    config = "kapacitor"

    def check_config(self, ctx: ConfigContext) -> Iterator[RuleFinding]:
        enabled = ctx.kapacitor_conf.enabled_clusters()
        defaults = [c.name for c in enabled if c.default]
        if len(enabled) > 1 and len(defaults) != 1:
            names = ", ".join(f'"{n}"' for n in defaults) or "none"
            yield self.finding(
                ctx,
                enabled[0].line,
                f"{len(enabled)} [[influxdb]] sections are enabled and {len(defaults)} is "
                f"marked default = true ({names}): exactly one must be; nodes without "
                ".cluster() use it",
            )
