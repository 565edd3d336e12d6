"""TM307: `[outputs.influxdb]` is a single table, so no output can be added beside it."""

from __future__ import annotations

from collections.abc import Iterator

from tickmig.configs.telegraf import kapacitor_outputs, plan
from tickmig.diagnostics import Severity
from tickmig.rules.helpers.config import ConfigContext, ConfigRule, RuleFinding, output_line


class TelegrafSingleTableOutput(ConfigRule):
    """`[outputs.influxdb]` is a single table, and an output must be added beside it.

    ## What it does
    Reports an output written as `[outputs.influxdb]` (one table) when TM305 needs to add an
    output to Kapacitor beside it.

    ## Why is this bad?
    TOML does not allow `[[outputs.influxdb]]` elements next to a plain `[outputs.influxdb]`
    table, so tickmig cannot add the output to Kapacitor and leaves the file unchanged.

    ## Example
    ```toml
    [outputs.influxdb]
      urls = ["http://influxdb:8086"]
    ```
    Use instead: `[[outputs.influxdb]]` (Telegraf reads both the same way), then run
    `tickmig report` again.

    ## References
    TOML arrays of tables: https://toml.io/en/v1.0.0#array-of-tables; Telegraf configuration:
    https://github.com/influxdata/telegraf/blob/master/docs/CONFIGURATION.md.
    """

    code = "TM307"
    name = "telegraf-single-table-output"
    severity = Severity.ERROR
    config = "telegraf"

    def check_config(self, ctx: ConfigContext) -> Iterator[RuleFinding]:
        conf, facts = ctx.telegraf_conf, ctx.deployment
        if "influxdb" not in conf.single_tables:
            return
        if plan(conf, kapacitor_outputs(facts), facts).add:
            (single,) = [o for o in conf.influxdb() if o.index == 0][:1]
            yield self.finding(
                ctx,
                output_line(ctx, single),
                "[outputs.influxdb] is a single table, not [[outputs.influxdb]]: "
                "tickmig cannot add outputs next to it",
            )
