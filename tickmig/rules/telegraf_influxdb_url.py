"""TM304: a Telegraf output to InfluxDB must now point at InfluxDB 2."""

from __future__ import annotations

from collections.abc import Iterator

from tickmig.configs.patches import SetKey
from tickmig.configs.secrets import redact_url
from tickmig.diagnostics import Applicability, Severity
from tickmig.rules.helpers.config import (
    ConfigContext,
    ConfigRule,
    RuleFinding,
    output_line,
    output_table,
)


class TelegrafInfluxdbUrl(ConfigRule):
    """A Telegraf `[[outputs.influxdb]]` to InfluxDB must reach InfluxDB 2 with 2.x credentials.

    ## What it does
    Reports each `[[outputs.influxdb]]` that writes to InfluxDB (not Kapacitor): its `urls`
    must be InfluxDB 2's (the same when InfluxDB was upgraded in place) and its
    `username`/`password` a v1 authorization or a username with an API token as password.
    With `tickmig report --patch-influx-url URL` the patched copy sets `urls` to that URL;
    tickmig never writes the address it used to read the mappings on its own.

    ## Why is this bad?
    InfluxDB 2 refuses 1.x users (`influxd upgrade` does not migrate admin users), so an
    output that kept its 1.x credentials gets 401 and Telegraf drops the metrics.

    ## Example
    ```toml
    [[outputs.influxdb]]
      urls = ["http://influxdb-1x:8086"]
      username = "telegraf"
    ```
    Use instead: `urls = ["http://influxdb2:8086"]` and the username/password of an
    `influx v1 auth create` authorization.

    ## Fix safety
    Safe, and only with `--patch-influx-url`: the operator names the URL.

    ## References
    "Use Kapacitor with InfluxDB OSS": https://docs.influxdata.com/influxdb/v2/tools/kapacitor/;
    InfluxDB 2 1.x compatibility authentication:
    https://docs.influxdata.com/influxdb/v2/reference/api/influxdb-1x/#authentication.
    """

    code = "TM304"
    name = "telegraf-influxdb-url"
    severity = Severity.INFO
    fix_safety = Applicability.SAFE
    config = "telegraf"

    def check_config(self, ctx: ConfigContext) -> Iterator[RuleFinding]:
        conf, facts = ctx.telegraf, ctx.deployment
        assert conf is not None
        urls = () if facts.kapacitor.placeholder else (facts.kapacitor.url,)
        target = facts.patch_influx_url
        for output in conf.influxdb():
            if output.to_kapacitor(urls) or output.line is None:
                continue
            if target and list(output.urls) != [target]:
                yield self.finding(
                    ctx,
                    output_line(ctx, output, "urls"),
                    f"{output.label}: urls set to InfluxDB 2 at {redact_url(target)} "
                    "(--patch-influx-url)",
                    actions=[SetKey(output_table(conf, output), "urls", [target])],
                    fix_title="point urls at InfluxDB 2",
                )
            elif not target:
                yield self.finding(
                    ctx,
                    output_line(ctx, output, "urls"),
                    f"{output.label}: keep it pointed at InfluxDB 2 (the same URL when InfluxDB "
                    "was upgraded in place); its username/password must be a v1 authorization "
                    "(influx v1 auth create) or any username with an API token as password",
                )
