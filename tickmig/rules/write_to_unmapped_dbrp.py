"""TM101: influxDBOut writes to a database/retention policy InfluxDB 2 has no mapping for."""

from __future__ import annotations

from collections.abc import Iterator

from tickmig.diagnostics import Diagnostic, Severity
from tickmig.rules.base import Context, Rule
from tickmig.rules.helpers.dbrp import broken, quoted_after_plan, use_location, written_pairs


class WriteToUnmappedDBRP(Rule):
    """`influxDBOut()` writes to a database/retention policy with no DBRP mapping.

    ## What it does
    Resolves the `.database()` / `.retentionPolicy()` pair of every `influxDBOut()` as
    InfluxDB 2's 1.x write API resolves it (exact mapping, virtual mapping on OSS >= 2.4),
    after any rename of the mapping plan, and reports the pairs that reach no bucket.

    ## Why is this bad?
    InfluxDB 2 answers `404 no dbrp mapping found`; Kapacitor logs only `invalid response:
    code 404` and drops the points. The task looks healthy while its output is lost.

    ## Example
    When `"scratch"."autogen"` has no DBRP mapping:
    ```tick
    batch
        |query('SELECT mean("usage") FROM "telegraf"."autogen"."cpu"')
        |influxDBOut()
            .database('scratch')
            .retentionPolicy('autogen')
    ```
    Use instead: create the mapping first (`tickmig report` prints the `influx v1 dbrp
    create` command), or rename the pair in a mapping plan (TM120 then rewrites the script), or
    write to a mapped pair:
    ```tick
    batch
        |query('SELECT mean("usage") FROM "telegraf"."autogen"."cpu"')
        |influxDBOut()
            .database('derived')
            .retentionPolicy('autogen')
    ```

    ## References
    InfluxDB `http/legacy/write_handler.go`; Kapacitor `influxdb_out.go`;
    docs.influxdata.com/influxdb/v2/reference/api/influxdb-1x/dbrp/;
    docs.influxdata.com/influxdb/v2/reference/api/influxdb-1x/write/
    """

    code = "TM101"
    name = "write-to-unmapped-dbrp"
    severity = Severity.ERROR
    annotate = True

    def check(self, ctx: Context) -> Iterator[Diagnostic]:
        if ctx.mappings.profile.v3:
            return  # InfluxDB 3 has no DBRP mappings: the TM4xx rules speak for it
        task = ctx.task
        for use in task.writes:
            if use.via != "influxDBOut":
                continue
            for db, rp in written_pairs(task, use):
                if rp is None:
                    continue  # TM113 speaks of writes that rely on the default mapping
                res = ctx.resolve(db, rp)
                if broken(res):
                    yield self.diagnostic(
                        use_location(ctx, use),
                        f"influxDBOut writes to {quoted_after_plan(res, db, rp)}, which has no "
                        "DBRP mapping: InfluxDB 2 answers 404 and Kapacitor drops the points",
                        notes=(res.reason,),
                    )
