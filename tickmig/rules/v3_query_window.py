"""TM411: a batch query reaches further back than InfluxDB 3 Core's query window."""

from __future__ import annotations

from collections.abc import Iterator

from tickmig.diagnostics import Diagnostic, Severity
from tickmig.rules.base import Context, Rule
from tickmig.tasks.model import PipelineNode, method_key
from tickmig.tickscript.nodes import Call, Duration

HOUR_NS = 3_600_000_000_000


class V3QueryWindow(Rule):
    """A batch query's `.period()` plus `.offset()` reaches past the ~72 hours InfluxDB 3 Core
    queries can read.

    ## What it does
    On `--target v3-core`, adds each `query()` node's `.period()` and `.offset()` (duration
    literals) and reports those over 72 hours, naming any `|shift()` of the task (the
    week-over-week pattern: a second query `.offset(1w)` then `|shift(1w)`).

    ## Why is this bad?
    Core limits how many Parquet files one query may read (`query-file-limit`, default 432
    files of 10 minutes each, about 72 hours). A query over an older range fails (or, with the
    limit raised, is slow and memory hungry): the comparison is never computed and its alert
    never fires. Enterprise has no such default window.

    ## Example
    ```tick target=v3-core
    var last_week = batch
        |query('SELECT mean("v") FROM "app"."autogen"."req"')
            .period(1h)
            .offset(1w)
    ```
    Use instead: move the task to Enterprise, raise `--query-file-limit` knowingly, or compare
    with a downsampled series that a shorter query can read:
    ```tick target=v3-core
    var yesterday = batch
        |query('SELECT mean("v") FROM "app"."autogen"."req"')
            .period(1h)
            .offset(1d)
    ```

    ## References
    docs-v2 `content/shared/influxdb3-cli/config-options.md` (`query-file-limit`),
    `content/shared/influxdb3-get-started/query.md`; influxdata/kapacitor#1548 (week-over-week).
    """

    code = "TM411"
    name = "v3-query-window"
    severity = Severity.ERROR

    def check(self, ctx: Context) -> Iterator[Diagnostic]:
        hours = ctx.mappings.profile.query_window_hours
        if hours is None or ctx.task.type != "batch":
            return
        shifts = [
            _duration(n.call.args[0] if n.call.args else None)
            for n in ctx.task.nodes
            if method_key(n.name) == "Shift" and n.call is not None
        ]
        shift_text = ", ".join(d.raw for d in shifts if d is not None)
        for node in ctx.task.nodes:
            if method_key(node.name) != "Query" or node.call is None:
                continue
            period, offset = _property(node, "period"), _property(node, "offset")
            window = sum(d.nanoseconds for d in (period, offset) if d is not None)
            if window <= hours * HOUR_NS:
                continue
            parts = " + ".join(
                f".{what}({d.raw})" for what, d in (("period", period), ("offset", offset)) if d
            )
            shifted = f"; the task shifts by {shift_text}" if shift_text else ""
            yield self.diagnostic(
                ctx.location(ctx.task.path, node.call.start, node.call.end),
                f"the query reaches {window // HOUR_NS}h back ({parts}), past the ~{hours}h "
                f"{ctx.mappings.profile.label} queries read by default (query-file-limit)"
                f"{shifted}",
            )


def _property(node: PipelineNode, name: str) -> Duration | None:
    prop = node.property(name)
    return _duration(prop.args[0] if isinstance(prop, Call) and prop.args else None)


def _duration(arg: object) -> Duration | None:
    return arg if isinstance(arg, Duration) else None
