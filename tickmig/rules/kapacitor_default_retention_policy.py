"""TM318: kapacitor.conf's `default-retention-policy` and the stream tasks' rps."""

from __future__ import annotations

from collections.abc import Iterator

from tickmig.configs.patches import TableRef
from tickmig.configs.telegraf import kapacitor_outputs
from tickmig.diagnostics import Applicability, Severity
from tickmig.rules.helpers.config import ConfigContext, ConfigRule, RuleFinding


class KapacitorDefaultRetentionPolicy(ConfigRule):
    """`default-retention-policy` is empty while stream tasks need writes with an rp.

    ## What it does
    Compares kapacitor.conf's top-level `default-retention-policy` with the retention
    policies the stream tasks read (kapacitorLoopback writes left out). When it is empty and
    every stream task reads one rp, the patched copy sets it (warning); when stream tasks
    read several, every writer must send the rp (warning); when it names an rp no stream
    task reads, an info.

    ## Why is this bad?
    Kapacitor gives points written without `rp` this retention policy, then routes them by
    exact (db, rp): when it is empty those points reach no stream task.

    ## Example
    ```toml
    default-retention-policy = ""
    ```
    with stream tasks that all read `"telegraf"."autogen"`. Use instead:
    `default-retention-policy = "autogen"`.

    ## Fix safety
    Safe: it only gives an rp to points that reach no task today.

    ## References
    Kapacitor configuration: https://docs.influxdata.com/kapacitor/v1/administration/configuration/;
    Kapacitor API, "Write data": https://docs.influxdata.com/kapacitor/v1/working/api/#write-data.
    """

    code = "TM318"
    name = "kapacitor-default-retention-policy"
    severity = Severity.WARNING
    fix_safety = Applicability.SAFE
    config = "kapacitor"

    def check_config(self, ctx: ConfigContext) -> Iterator[RuleFinding]:
        conf = ctx.kapacitor_conf
        rps = sorted(
            {
                o.sends.retention_policy or ""
                for o in kapacitor_outputs(ctx.deployment)
                if not o.loopback
            }
        )
        if not rps:
            return
        value = conf.default_retention_policy
        line = conf.default_retention_policy_line
        if value:
            if value not in rps:
                yield self.finding(
                    ctx,
                    line,
                    f'default-retention-policy is "{value}", which no stream task reads '
                    f"({', '.join(rps)}): points written without a retention policy reach no task",
                    severity=Severity.INFO,
                )
            return
        if len(rps) == 1:
            yield self.set_key(
                ctx,
                TableRef(()),
                "default-retention-policy",
                rps[0],
                "default-retention-policy is empty: points written to Kapacitor without a "
                "retention policy reach no stream task (tasks match the exact db and rp); "
                f'every stream task reads "{rps[0]}"',
                comments=("Retention policy of points written to Kapacitor without one.",),
                fix_title=f'set default-retention-policy = "{rps[0]}"',
            )
        else:
            yield self.finding(
                ctx,
                line,
                "default-retention-policy is empty and stream tasks read several retention "
                f"policies ({', '.join(rps)}): every writer must send the rp (Telegraf: "
                "retention_policy)",
            )
