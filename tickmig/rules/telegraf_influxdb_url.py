"""TM304: a Telegraf output to InfluxDB must now point at InfluxDB 2."""

from __future__ import annotations

from collections.abc import Iterator

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

    On InfluxDB 3 targets, the patched copy adds an `[[outputs.influxdb_v3]]` (Telegraf's
    InfluxDB 3 output: `urls`, `token`, `database`) right after each output to InfluxDB, writing
    the database that 1.x writes of its (db, rp) reach, with its metric filters; the old output
    keeps writing InfluxDB 1.x until it is retired.

    ## Fix safety
    Safe, and only with `--patch-influx-url`: the operator names the URL. On InfluxDB 3 the
    added output writes to `--patch-influx-url` or `${INFLUXDB3_URL}` with `${INFLUXDB3_TOKEN}`,
    which Telegraf reads from its environment: nothing is removed.

    ## References
    "Use Kapacitor with InfluxDB OSS": https://docs.influxdata.com/influxdb/v2/tools/kapacitor/;
    InfluxDB 2 1.x compatibility authentication:
    https://docs.influxdata.com/influxdb/v2/reference/api/influxdb-1x/#authentication;
    Telegraf `plugins/outputs/influxdb_v3/sample.conf` (https://github.com/influxdata/telegraf).
    """

    code = "TM304"
    name = "telegraf-influxdb-url"
    severity = Severity.INFO
    fix_safety = Applicability.SAFE
    config = "telegraf"

    def check_config(self, ctx: ConfigContext) -> Iterator[RuleFinding]:
        facts = ctx.deployment
        urls = ctx.kapacitor_urls
        target = facts.patch_influx_url
        if ctx.profile.v3:
            yield from _v3(self, ctx, urls)
            return
        for output in ctx.outputs():
            if output.to_kapacitor(urls):
                continue
            if target and list(output.urls) != [target]:
                yield self.set_key(
                    ctx,
                    output,
                    "urls",
                    [target],
                    f"{output.label}: urls set to InfluxDB 2 at {redact_url(target)} "
                    "(--patch-influx-url)",
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


def _v3(rule: ConfigRule, ctx: ConfigContext, urls: tuple[str, ...]) -> Iterator[RuleFinding]:
    """InfluxDB 3: an [[outputs.influxdb_v3]] beside each output to InfluxDB 1.x."""
    from tickmig.configs.patches import AddTables
    from tickmig.targets.v3names import write_database

    conf, facts = ctx.telegraf_conf, ctx.deployment
    profile = ctx.profile
    section = ctx.editor.data.get("outputs", {})
    existing = section.get("influxdb_v3", []) if isinstance(section, dict) else []
    have = {
        str(t.get("database"))
        for t in (existing if isinstance(existing, list) else [existing])
        if isinstance(t, dict)
    }
    url = facts.patch_influx_url or "${INFLUXDB3_URL}"
    for output in ctx.outputs():
        if output.to_kapacitor(urls):
            continue
        if output.database_tag or output.retention_policy_tag or output.database is None:
            continue  # the database comes from each metric: no one database to name
        rp = output.retention_policy or None
        rename = facts.mappings.rename_for(output.database, rp)
        db = output.database
        if rename is not None and rename.to_database is not None:
            db, rp = rename.to_database, rename.to_retention_policy or rp
        name = write_database(db, rp)
        if name in have:
            continue
        table: dict[str, object] = {
            "urls": [url],
            "token": "${INFLUXDB3_TOKEN}",
            "database": name,
            **output.filters.as_toml(),
        }
        comments = (
            f"{profile.label}, database {name!r} (added by tickmig report; InfluxDB 3 has no",
            f"retention policies). {output.label} keeps writing InfluxDB 1.x until retired.",
        )
        yield rule.finding(
            ctx,
            output_line(ctx, output, "urls"),
            f"{output.label} writes InfluxDB 1.x: add an [[outputs.influxdb_v3]] writing "
            f'database "{name}" of {profile.label} (its urls {redact_url(url)}, port 8181 by '
            "default, and a token)",
            actions=[
                AddTables(
                    output_table(conf, output), ("outputs", "influxdb_v3"), ((comments, table),)
                )
            ],
            fix_title=f'add an [[outputs.influxdb_v3]] writing database "{name}"',
        )
