"""TM305: a Telegraf file writes data a stream task reads, but not to Kapacitor."""

from __future__ import annotations

import os
from collections.abc import Iterator

from tickmig.configs.patches import AddTables, SetKey
from tickmig.configs.secrets import redact_url
from tickmig.configs.telegraf import intro, kapacitor_outputs, kapacitor_table, plan
from tickmig.diagnostics import Applicability, Severity
from tickmig.rules.helpers.config import (
    ConfigContext,
    ConfigRule,
    RuleFinding,
    output_line,
    output_table,
)


class TelegrafKapacitorOutputMissing(ConfigRule):
    """A Telegraf file writes a DBRP that stream tasks read, but not to Kapacitor.

    ## What it does
    For each (db, rp) that stream tasks read, finds the output of the Telegraf file that
    writes it to InfluxDB and reports that no output sends it to Kapacitor. The fix adds an
    `[[outputs.influxdb]]` right after that output's block (its commented options stay with
    it): Kapacitor's URL (from `--kapacitor-url`, else kapacitor.conf's `hostname` and
    `[http] bind-address`, else the placeholder `${KAPACITOR_URL}`, see TM306), the exact
    database and retention policy the migrated tasks read (a plan's rename included),
    `skip_database_creation = true`, the mirrored output's metric filters (`namepass`,
    `tagpass`, `fieldinclude`, ...) and the stream tasks' `namepass` on top. An output to
    Kapacitor that still sends a pair the plan renames is renamed in place (its `database`
    and `retention_policy`; its filters and comments stay); when a metric's tag chooses that
    pair (`database_tag`, `retention_policy_tag`), which no patch can rename, the finding
    says so and an output for the new pair is added instead. Nothing
    is added for data that already reaches Kapacitor directly: an output of the file to
    Kapacitor, a kapacitor.conf listener (`[[udp]]`, ...), or kapacitorLoopback.

    ## Why is this bad?
    InfluxDB 2 has no subscriptions: it never forwards writes to Kapacitor. Until the data is
    written to Kapacitor as well, the stream task is silent.

    ## Example
    ```toml
    [[outputs.influxdb]]
      urls = ["http://influxdb:8086"]
      database = "telegraf"
    ```
    with a stream task `dbrp "telegraf"."autogen"`. Use instead: also
    ```toml
    [[outputs.influxdb]]
      urls = ["http://kapacitor:9092"]
      database = "telegraf"
      retention_policy = "autogen"
      skip_database_creation = true
    ```

    ## Fix safety
    Safe: it adds an output and changes no existing one, except an output to Kapacitor whose
    pair the plan renames.

    ## References
    "Use Kapacitor with InfluxDB OSS": https://docs.influxdata.com/influxdb/v2/tools/kapacitor/;
    Telegraf metric filtering:
    https://github.com/influxdata/telegraf/blob/master/docs/CONFIGURATION.md#metric-filtering.
    """

    code = "TM305"
    name = "telegraf-kapacitor-output-missing"
    severity = Severity.WARNING
    fix_safety = Applicability.SAFE
    config = "telegraf"

    def check_config(self, ctx: ConfigContext) -> Iterator[RuleFinding]:
        conf, facts = ctx.telegraf_conf, ctx.deployment
        url = facts.kapacitor.url
        todo = plan(conf, kapacitor_outputs(facts), facts)
        product = facts.mappings.profile.product
        for output, mirrored in todo.add:
            tasks = ", ".join(os.path.splitext(os.path.basename(t))[0] for t in output.tasks)
            label = output.sends.label
            actions = []
            if "influxdb" not in conf.single_tables:
                actions.append(
                    AddTables(
                        output_table(conf, mirrored),
                        ("outputs", "influxdb"),
                        ((tuple(intro(output, product)), kapacitor_table(output, url, mirrored)),),
                    )
                )
            yield self.finding(
                ctx,
                output_line(ctx, mirrored),
                f"{mirrored.label} writes {output.written.label}, which the stream tasks "
                f"{tasks} read, but no output sends it to Kapacitor: add an "
                f"[[outputs.influxdb]] writing {label} to {redact_url(url)}",
                actions=actions,
                fix_title=f"add an output writing {label} to Kapacitor",
            )
        for output, existing in todo.retarget:
            sends = output.sends
            table = output_table(conf, existing)
            yield self.finding(
                ctx,
                output_line(ctx, existing, "database"),
                f"{existing.label} sends {output.written.label} to Kapacitor, but the plan "
                f"renames it: the migrated stream tasks read {sends.label}",
                actions=[
                    SetKey(table, "database", sends.database),
                    SetKey(table, "retention_policy", sends.retention_policy or ""),
                ],
                fix_title=f"send {sends.label} to Kapacitor",
            )
        for output, existing in todo.tagged:
            sends, written = output.sends, output.written
            tags = [
                f'{key} = "{tag}" (have it say "{new}", or remove {key})'
                for key, tag, new in (
                    ("database_tag", existing.database_tag, sends.database),
                    (
                        "retention_policy_tag",
                        existing.retention_policy_tag,
                        sends.retention_policy or "",
                    ),
                )
                if tag
            ]
            yield self.finding(
                ctx,
                output_line(
                    ctx,
                    existing,
                    "database_tag" if existing.database_tag else "retention_policy_tag",
                ),
                f"{existing.label} sends {written.label} to Kapacitor, but each metric's tag "
                f"chooses the pair it sends: {' and '.join(tags)}; the patch cannot rename a "
                f"tag's value to {sends.label}, which the migrated stream tasks read, so it "
                f"adds an output writing {sends.label} to Kapacitor",
            )
        for output in todo.elsewhere:
            yield self.finding(
                ctx,
                None,
                f'no output of this file writes database "{output.pair.database}": whoever '
                f"writes {output.pair.label} must also send it to Kapacitor",
                severity=Severity.INFO,
            )
