"""TM310: kapacitor.conf has no `[[influxdb]]` section."""

from __future__ import annotations

from collections.abc import Iterator

from tickmig.configs.kapacitor_facts import KAPACITOR_INFLUX_DEFAULT_URL
from tickmig.diagnostics import Severity
from tickmig.rules.helpers.config import ConfigContext, ConfigRule, RuleFinding


class KapacitorNoInfluxdb(ConfigRule):
    """kapacitor.conf has no `[[influxdb]]` section.

    ## What it does
    Reports a kapacitor.conf without any `[[influxdb]]` section.

    ## Why is this bad?
    Kapacitor then uses its built-in default, `http://localhost:8086` with no credentials
    and subscriptions on, which InfluxDB 2 refuses (401, and `not implemented: SHOW
    SUBSCRIPTIONS` at start).

    ## Example
    A kapacitor.conf with `[http]` and `[logging]` sections only. Use instead: an
    `[[influxdb]]` section with InfluxDB 2's URL, a `token` and `disable-subscriptions = true`.

    ## References
    Kapacitor configuration, `[[influxdb]]`:
    https://docs.influxdata.com/kapacitor/v1/administration/configuration/#influxdb;
    "Use Kapacitor with InfluxDB OSS": https://docs.influxdata.com/influxdb/v2/tools/kapacitor/.
    """

    code = "TM310"
    name = "kapacitor-no-influxdb"
    severity = Severity.ERROR
    config = "kapacitor"

    def check_config(self, ctx: ConfigContext) -> Iterator[RuleFinding]:
        if ctx.kapacitor_conf.influxdb:
            return
        yield self.finding(
            ctx,
            None,
            "no [[influxdb]] section: Kapacitor would use the built-in default "
            f"({KAPACITOR_INFLUX_DEFAULT_URL}, no credentials), which InfluxDB 2 refuses; add "
            "one that points at InfluxDB 2 with a token",
        )
