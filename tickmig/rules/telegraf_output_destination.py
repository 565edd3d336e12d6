"""TM303: where a Telegraf output's writes land in InfluxDB 2."""

from __future__ import annotations

from collections.abc import Iterator

from tickmig.configs.model import Pair
from tickmig.configs.secrets import redact_url
from tickmig.diagnostics import Severity
from tickmig.rules.helpers.config import ConfigContext, ConfigRule, RuleFinding, output_line


class TelegrafOutputDestination(ConfigRule):
    """Where the writes of a Telegraf output land in InfluxDB 2, or that they land nowhere.

    ## What it does
    For each `[[outputs.influxdb]]` that does not write to Kapacitor, resolves its database
    and retention policy through the DBRP mappings as InfluxDB 2's 1.x write API does, and
    reports the bucket (info) or that no mapping serves it (warning). Reports the bucket of
    each `[[outputs.influxdb_v2]]`, and outputs whose database a tag chooses.

    ## Why is this bad?
    InfluxDB 2 answers `404 no dbrp mapping found` to a write with no mapping, and Telegraf
    drops the metrics after logging the error: the data is lost until the mapping exists.

    ## Example
    ```toml
    [[outputs.influxdb]]
      urls = ["http://influxdb:8086"]
      database = "pages"
    ```
    with no bucket or mapping for `pages`. Use instead: create the mapping (`tickmig report`
    prints the `influx v1 dbrp create` command), or point the output at a mapped database.

    ## References
    InfluxDB 2 DBRP mappings:
    https://docs.influxdata.com/influxdb/v2/api-guide/influxdb-1x/dbrp/; the 1.x write API:
    https://docs.influxdata.com/influxdb/v2/reference/api/influxdb-1x/write/.
    """

    code = "TM303"
    name = "telegraf-output-destination"
    severity = Severity.INFO
    config = "telegraf"

    def check_config(self, ctx: ConfigContext) -> Iterator[RuleFinding]:
        conf, facts = ctx.telegraf_conf, ctx.deployment
        urls = ctx.kapacitor_urls
        for output in conf.outputs:
            line = output_line(ctx, output)
            if output.plugin == "influxdb_v2":
                target = f'bucket "{output.bucket}"' if output.bucket else "no bucket"
                tag = (
                    f' (tag "{output.bucket_tag}" chooses the bucket)' if output.bucket_tag else ""
                )
                yield self.finding(ctx, line, f"{output.label} writes {target}{tag}")
                continue
            if output.to_kapacitor(urls):
                continue
            database = output.database or ""
            pair = Pair(database, output.retention_policy or None)
            shown = ", ".join(redact_url(u) for u in output.urls)
            if output.database_tag:
                yield self.finding(
                    ctx,
                    line,
                    f'{output.label}: tag "{output.database_tag}" chooses the database '
                    f"(default {pair.label}); every database it names needs a DBRP mapping",
                )
                continue
            proven = facts.writer_landing.get(f"{ctx.path} {output.label}")
            if proven is not None:  # the migration model's proof, after the actions
                lands, landing = proven
                yield self.finding(
                    ctx,
                    line,
                    f"{output.label} writes {pair.label} to {shown}; after the migration's "
                    f"actions that {'lands in' if lands else 'does not land:'} {landing}",
                    severity=None if lands else Severity.WARNING,
                )
                continue
            res = facts.mappings.resolve(database, output.retention_policy or None)
            status = res.status.value
            if res.ok:
                yield self.finding(
                    ctx,
                    line,
                    f"{output.label} writes {pair.label} to {shown}; through InfluxDB 2's 1.x "
                    f'API that is bucket "{res.bucket}" ({status} mapping)',
                )
            else:
                yield self.finding(
                    ctx,
                    line,
                    f"{output.label} writes {pair.label} to {shown}; through InfluxDB 2's 1.x "
                    f"API that is {status}: {res.reason}",
                    severity=Severity.WARNING,
                )
