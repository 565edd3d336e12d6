"""TM102: a batch task reads a database/retention policy InfluxDB 2 has no mapping for."""

from __future__ import annotations

from collections.abc import Iterator

from tickmig.diagnostics import Diagnostic, Severity
from tickmig.rules.base import Context, Rule
from tickmig.rules.helpers.dbrp import broken, quoted_after_plan, read_pair, use_location


class ReadFromUnmappedDBRP(Rule):
    """A batch task queries a database/retention policy with no DBRP mapping.

    ## What it does
    Resolves every `"db"."rp"` a batch task reads (its `dbrp` statements or task definition
    DBRPs, and the FROM sources of its `query()`) as InfluxDB 2's InfluxQL endpoint does,
    after any rename of the mapping plan, and reports those that reach no bucket.

    ## Why is this bad?
    The query fails every period with `retention policy not found: RP` (or `database not
    found: DB`); the task emits nothing and its alerts never fire.

    ## Example
    When `"telegraf"."two_years"` has no DBRP mapping:
    ```tick
    dbrp "telegraf"."two_years"

    batch
        |query('SELECT max("usage") FROM "telegraf"."two_years"."cpu"')
    ```
    Use instead: create the mapping (`influx v1 dbrp create --db telegraf --rp two_years
    --bucket-id ...`), rename the pair in a mapping plan, or read a mapped pair:
    ```tick
    dbrp "telegraf"."one_month"

    batch
        |query('SELECT max("usage") FROM "telegraf"."one_month"."cpu"')
    ```

    ## References
    InfluxDB `v1/coordinator/statement_executor.go`;
    docs.influxdata.com/influxdb/v2/reference/api/influxdb-1x/dbrp/
    """

    code = "TM102"
    name = "read-from-unmapped-dbrp"
    severity = Severity.ERROR
    annotate = True

    def check(self, ctx: Context) -> Iterator[Diagnostic]:
        if ctx.mappings.profile.v3:
            return  # InfluxDB 3 has no DBRP mappings: the TM4xx rules speak for it
        task = ctx.task
        if task.type != "batch":
            return
        for use in [*task.dbrps, *(u for u in task.reads if u.via == "query")]:
            pair = read_pair(use)
            if pair is None:
                continue
            res = ctx.resolve(*pair, direction="read")
            if broken(res):
                what = "query reads" if use.via == "query" else "batch task declares"
                yield self.diagnostic(
                    use_location(ctx, use),
                    f"{what} {quoted_after_plan(res, *pair)}, which has no DBRP mapping: the "
                    f'query fails with "{res.influx_error or "no dbrp mapping"}"',
                    notes=(res.reason,),
                )
