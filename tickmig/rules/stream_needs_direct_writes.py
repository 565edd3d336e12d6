"""TM110: a stream task's data must now be written straight to Kapacitor."""

from __future__ import annotations

from collections.abc import Iterator

from tickmig.diagnostics import Diagnostic, Severity
from tickmig.rules.base import Context, Rule
from tickmig.rules.helpers.dbrp import quoted, read_pair, use_location


class StreamNeedsDirectWrites(Rule):
    """A stream task's DBRP gets data only if writers send it straight to Kapacitor.

    ## What it does
    Reports each DBRP a stream task subscribes to (its `dbrp` statements or task definition
    DBRPs).

    ## Why is this bad?
    InfluxDB 2 has no subscriptions: it never forwards writes to Kapacitor. A stream task
    receives only points written to Kapacitor's own `/write` with exactly this database
    **and** retention policy; points written without `rp` reach no task unless
    kapacitor.conf sets `default-retention-policy`. Until Telegraf (or the application)
    writes to Kapacitor too, the task is silent. A pair already written into Kapacitor by a
    writer the given configuration files show (a kapacitor.conf `[[udp]]`, `[[graphite]]`,
    `[collectd]` or `[opentsdb]` listener with that `database`/`retention-policy`, or a
    Telegraf output to Kapacitor) is not reported: nothing changes for it. Nor is a pair that
    another task of the scripts checked writes with `kapacitorLoopback()`: Kapacitor writes
    those points into its own stream (`kapacitor_loopback.go`), where stream tasks get them.

    ## Example
    ```tick
    dbrp "telegraf"."autogen"

    stream
        |from()
            .measurement('cpu')
        |alert()
    ```
    Use instead: add an `[[outputs.influxdb]]` to Telegraf with `urls =
    ["http://kapacitor:9092"]`, `database = "telegraf"`, `retention_policy = "autogen"` and
    `skip_database_creation = true` (`tickmig report` writes it for you).

    ## References
    Kapacitor `task_master.go` (WritePoints); docs-v2 "Use Kapacitor with InfluxDB OSS";
    docs.influxdata.com/influxdb/v2/tools/kapacitor/ ("Support for stream tasks").
    """

    code = "TM110"
    name = "stream-needs-direct-writes"
    severity = Severity.WARNING

    def check(self, ctx: Context) -> Iterator[Diagnostic]:
        task = ctx.task
        if task.type != "stream":
            return
        server = "InfluxDB 3" if ctx.mappings.profile.v3 else "InfluxDB 2"
        for use in task.dbrps:
            pair = read_pair(use)
            if pair is None or pair in ctx.fed:
                # A writer the migration model knows (a kapacitor.conf listener such as
                # [[udp]], a Telegraf output to Kapacitor) already feeds it.
                continue
            yield self.diagnostic(
                use_location(ctx, use),
                f"stream task reads {quoted(*pair)}: {server} has no subscriptions, so "
                f"writers must send this database and retention policy straight to Kapacitor",
            )
