"""TM113: influxDBOut sends an empty retention policy and its database has no default mapping."""

from __future__ import annotations

from collections.abc import Iterator

from tickmig.diagnostics import Applicability, Diagnostic, Edit, Fix, Severity
from tickmig.mappings import ResolutionStatus
from tickmig.rules.base import Context, Rule, quote_string
from tickmig.rules.helpers.dbrp import broken, renamed, use_location, writes_empty_rp
from tickmig.tasks.model import DBRPUse
from tickmig.tickscript.nodes import Call


class WriteWithoutDefaultRP(Rule):
    """`influxDBOut()` sends an empty retention policy, and its database has no default DBRP
    mapping.

    ## What it does
    Finds the `influxDBOut()` nodes without `.retentionPolicy()` that really send an empty
    retention policy, and resolves them the way InfluxDB 2 does: to the default mapping of
    the database. Kapacitor fills an unset retention policy from the data (`influxdb_out.go`:
    a point is written with its own db/rp, a batch with empty ones): points passed on
    unchanged from a stream `from()` (where, eval, default, delete, shift, sideload, alert,
    ...) keep the retention policy their writer sent, and those writes are resolved against
    that pair (TM101). Only batch-shaped data (batch tasks, after window, aggregates,
    selectors, join, combine, flatten, stats) goes out with an empty one; so does whatever a
    UDF builds, as far as tickmig can tell.

    ## Why is this bad?
    Buckets named `db/rp` give virtual mappings that are never the default, so a database
    whose buckets all look like that has no default: writes get `404 no dbrp mapping found`
    and Kapacitor drops them.

    ## Example
    `"derived"` has the mappings `"derived"."autogen"` and `"derived"."hourly"`, neither of
    them the default:
    ```tick
    batch
        |query('SELECT mean("usage") FROM "telegraf"."autogen"."cpu"')
        |influxDBOut()
            .database('derived')
    ```
    Use instead:
    ```tick
    batch
        |query('SELECT mean("usage") FROM "telegraf"."autogen"."cpu"')
        |influxDBOut()
            .database('derived')
            .retentionPolicy('autogen')
    ```

    ## Fix safety
    When the database has exactly one mapping, inserting its retention policy is safe: it is
    the only place the write can go. With several, tickmig offers `autogen` (if mapped) as an
    unsafe fix, since the data used to go to the 1.x default retention policy, which only you
    know.

    ## References
    InfluxDB `http/legacy/write_handler.go`; Kapacitor `influxdb_out.go` (`Point`,
    `BufferedBatch`, `write`) and `edge/messages.go` (`NewPointMessage`, `ShallowCopy`);
    docs.influxdata.com/influxdb/v2/reference/api/influxdb-1x/dbrp/ (default mappings);
    docs.influxdata.com/influxdb/v2/reference/api/influxdb-1x/write/
    """

    code = "TM113"
    name = "write-without-default-rp"
    severity = Severity.ERROR
    fix_safety = Applicability.SAFE
    annotate = True

    def check(self, ctx: Context) -> Iterator[Diagnostic]:
        if ctx.mappings.profile.v3:
            return  # InfluxDB 3 has no DBRP mappings: the TM4xx rules speak for it
        for use in ctx.task.writes:
            db = use.database
            if use.via != "influxDBOut" or not writes_empty_rp(use) or not db.text:
                continue
            res = ctx.resolve(db.text, None)
            if not broken(res):
                continue
            new = renamed(res, db.text, None)[0]
            plan = f', renamed by the plan to "{new}"' if new != db.text else ""
            yield self.diagnostic(
                use_location(ctx, use),
                f'influxDBOut writes to "{db.text}" without a retention policy{plan}, and '
                f'"{new}" has no default DBRP mapping: InfluxDB 2 answers 404',
                fix=self._fix(ctx, use, [m.retention_policy for m in res.candidates], res.status),
                notes=(res.reason, *_why_empty(use)),
            )

    def _fix(
        self, ctx: Context, use: DBRPUse, rps: list[str], status: ResolutionStatus
    ) -> Fix | None:
        choices = sorted(set(rps))
        if len(choices) == 1:
            rp, safety = choices[0], Applicability.SAFE
        elif "autogen" in choices:
            rp, safety = "autogen", Applicability.UNSAFE
        else:
            return None
        call = database_call(ctx, use)
        if call is None:
            return None
        text = ctx.texts[use.path]
        insert = insertion(text, call, f".retentionPolicy({quote_string(rp)})")
        return Fix(
            f"Insert .retentionPolicy('{rp}')",
            (Edit(use.path, call.end, call.end, insert),),
            safety,
        )


def _why_empty(use: DBRPUse) -> tuple[str, ...]:
    source = use.points
    if source is None:
        return ()
    path = "|".join(source.path)
    if source.kind == "mixed":
        return (f"some of its input is batch-shaped ({source.reason}): {path}",)
    return (f"{source.reason}: {path}",)


def database_call(ctx: Context, use: DBRPUse) -> Call | None:
    for node in ctx.task.nodes:
        if node.call is use.node:
            return node.property("database")
    return None


def insertion(text: str, after: Call, code: str) -> str:
    """`code` as a new property after `after`: on its own line with the same indentation when
    `after` starts its line with a dot, else right after it."""
    dot = text.rfind(".", 0, after.start)
    line_start = text.rfind("\n", 0, dot) + 1
    indent = text[line_start:dot]
    if dot != -1 and not indent.strip():
        newline = "\r\n" if text[:line_start].endswith("\r\n") else "\n"
        return newline + indent + code
    return code
