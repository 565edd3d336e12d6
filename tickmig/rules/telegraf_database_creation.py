"""TM302: a Telegraf `[[outputs.influxdb]]` sends CREATE DATABASE."""

from __future__ import annotations

from collections.abc import Iterator

from tickmig.diagnostics import Applicability, Severity
from tickmig.rules.helpers.config import (
    ConfigContext,
    ConfigRule,
    RuleFinding,
)


class TelegrafDatabaseCreation(ConfigRule):
    """A Telegraf `[[outputs.influxdb]]` does not set `skip_database_creation = true`.

    ## What it does
    Reports each `[[outputs.influxdb]]` of a Telegraf configuration without
    `skip_database_creation = true`, whether it writes to InfluxDB 2 or to Kapacitor.

    ## Why is this bad?
    Without it Telegraf sends `CREATE DATABASE` when it starts. InfluxDB 2's 1.x API answers
    `not implemented: CREATE DATABASE`, Kapacitor answers 404 (it has no `/query`), and
    Telegraf logs an error for every output at every start: noise that hides real errors.
    The buckets and DBRP mappings are created with the `influx` CLI instead.

    ## Example
    ```toml
    [[outputs.influxdb]]
      urls = ["http://influxdb:8086"]
      database = "telegraf"
    ```
    Use instead: add `skip_database_creation = true`.

    ## Fix safety
    Safe: the key only stops a request both servers refuse. The patched copy sets it under
    the commented-out sample line when there is one.

    ## References
    Telegraf InfluxDB output:
    https://github.com/influxdata/telegraf/blob/master/plugins/outputs/influxdb/README.md;
    Kapacitor issue https://github.com/influxdata/kapacitor/issues/2719; "Use Kapacitor with
    InfluxDB OSS": https://docs.influxdata.com/influxdb/v2/tools/kapacitor/.
    """

    code = "TM302"
    name = "telegraf-database-creation"
    severity = Severity.WARNING
    fix_safety = Applicability.SAFE
    config = "telegraf"

    def check_config(self, ctx: ConfigContext) -> Iterator[RuleFinding]:
        facts = ctx.deployment
        urls = ctx.kapacitor_urls
        for output in ctx.outputs():
            if output.skip_database_creation:
                continue
            if facts.mappings.profile.v3 and not output.to_kapacitor(urls):
                # On InfluxDB 3 this output keeps writing 1.x (which creates databases) and an
                # [[outputs.influxdb_v3]] writes InfluxDB 3 (TM304), which never sends DDL.
                continue
            server = (
                "Kapacitor has no /query and answers 404"
                if output.to_kapacitor(urls)
                else "InfluxDB 2 does not implement CREATE DATABASE"
            )
            yield self.set_key(
                ctx,
                output,
                "skip_database_creation",
                True,
                f"{output.label}: {server} (the output logs an error at start): set "
                "skip_database_creation = true",
                fix_title="set skip_database_creation = true",
            )
