"""TM311: an `[[influxdb]]` section leaves subscriptions on."""

from __future__ import annotations

from collections.abc import Iterator

from tickmig.diagnostics import Applicability, Severity
from tickmig.rules.helpers.config import (
    ConfigContext,
    ConfigRule,
    RuleFinding,
)


class KapacitorSubscriptionsEnabled(ConfigRule):
    """An enabled `[[influxdb]]` section does not set `disable-subscriptions = true`.

    ## What it does
    Reports each enabled `[[influxdb]]` section without `disable-subscriptions = true`.

    ## Why is this bad?
    Kapacitor manages subscriptions with `SHOW SUBSCRIPTIONS` and `CREATE SUBSCRIPTION` at
    start; InfluxDB 2 answers `not implemented: SHOW SUBSCRIPTIONS` and Kapacitor refuses to
    start ("failed to link subscription on startup").

    ## Example
    ```toml
    [[influxdb]]
      name = "localhost"
      urls = ["http://influxdb2:8086"]
      disable-subscriptions = false
    ```
    Use instead: `disable-subscriptions = true`.

    ## Fix safety
    Safe: InfluxDB 2 has no subscriptions to keep.

    ## References
    Kapacitor issue https://github.com/influxdata/kapacitor/issues/2814; "Use Kapacitor with
    InfluxDB OSS": https://docs.influxdata.com/influxdb/v2/tools/kapacitor/.
    """

    code = "TM311"
    name = "kapacitor-subscriptions-enabled"
    severity = Severity.ERROR
    fix_safety = Applicability.SAFE
    config = "kapacitor"

    def check_config(self, ctx: ConfigContext) -> Iterator[RuleFinding]:
        profile = ctx.profile
        # InfluxDB 3's InfluxQL has no SHOW SUBSCRIPTIONS (influxdb core/influxdb_influxql_parser)
        server = ctx.server
        refusal = (
            "SHOW SUBSCRIPTIONS: invalid SHOW statement"
            if profile.v3
            else "not implemented: SHOW SUBSCRIPTIONS"
        )
        for cluster in ctx.clusters():
            if cluster.disable_subscriptions:
                continue
            yield self.set_key(
                ctx,
                cluster,
                "disable-subscriptions",
                True,
                f'[[influxdb]] "{cluster.name}": disable-subscriptions must be true: {server} '
                f"has no subscriptions and Kapacitor refuses to start ({refusal})",
                fix_title="set disable-subscriptions = true",
            )
