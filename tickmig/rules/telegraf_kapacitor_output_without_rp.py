"""TM301: a Telegraf output writes to Kapacitor without a retention policy."""

from __future__ import annotations

from collections.abc import Iterator

from tickmig.configs.model import Pair
from tickmig.diagnostics import Severity
from tickmig.rules.helpers.config import ConfigContext, ConfigRule, RuleFinding, output_line


class TelegrafKapacitorOutputWithoutRP(ConfigRule):
    """A Telegraf `[[outputs.influxdb]]` writes to Kapacitor without `retention_policy`.

    ## What it does
    Reports each output of a Telegraf configuration that writes to Kapacitor (its URL is the
    Kapacitor URL, or uses Kapacitor's port 9092) and sets neither `retention_policy` nor
    `retention_policy_tag`, when the kapacitor.conf given does not set
    `default-retention-policy` either.

    ## Why is this bad?
    Kapacitor routes every point to the stream tasks whose `dbrp` is exactly the point's
    database **and** retention policy. Telegraf sends no `rp` when `retention_policy` is
    empty, and Kapacitor then uses `default-retention-policy`, which is empty by default: the
    points reach no task, silently. With InfluxDB 1.x the subscription always carried the rp.

    ## Example
    ```toml
    [[outputs.influxdb]]
      urls = ["http://kapacitor:9092"]
      database = "telegraf"
    ```
    Use instead: add `retention_policy = "autogen"` (the rp the stream tasks' `dbrp` names).

    ## References
    Kapacitor API, "Write data": https://docs.influxdata.com/kapacitor/v1/working/api/#write-data
    ("you MUST specify the `rp`"); Kapacitor configuration, `default-retention-policy`:
    https://docs.influxdata.com/kapacitor/v1/administration/configuration/; Kapacitor issues
    https://github.com/influxdata/kapacitor/issues/573 and /999.
    """

    code = "TM301"
    name = "telegraf-kapacitor-output-without-rp"
    severity = Severity.WARNING
    config = "telegraf"

    def check_config(self, ctx: ConfigContext) -> Iterator[RuleFinding]:
        conf, facts = ctx.telegraf_conf, ctx.deployment
        if facts.kapacitor_conf is not None and facts.kapacitor_conf.default_retention_policy:
            return
        urls = ctx.kapacitor_urls
        for output in conf.influxdb():
            if not output.to_kapacitor(urls) or output.retention_policy:
                continue
            if output.retention_policy_tag:
                continue
            yield self.finding(
                ctx,
                output_line(ctx, output),
                f"{output.label} writes {Pair(output.database or '', None).label} to Kapacitor "
                "without retention_policy: stream tasks match the exact (db, rp), so the "
                "points reach none unless kapacitor.conf sets default-retention-policy",
            )
