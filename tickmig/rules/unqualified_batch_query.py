"""TM103: a batch query's FROM source does not name its database and retention policy."""

from __future__ import annotations

from collections.abc import Iterator

from tickmig.diagnostics import Diagnostic, Severity
from tickmig.rules.base import Context, Rule
from tickmig.rules.helpers.dbrp import use_location


class UnqualifiedBatchQuery(Rule):
    """A `query()` FROM source is not fully qualified as `"db"."rp"."measurement"`.

    ## What it does
    Parses the InfluxQL of every `batch|query()` and reports FROM sources that leave out the
    database or the retention policy (`FROM cpu`, `FROM "rp".cpu`, `FROM "db".."cpu"`).

    ## Why is this bad?
    Kapacitor sends batch queries with an empty `db` parameter and checks every source
    against the task's DBRPs, so an unqualified source fails with `batch query is not
    allowed to request data from "".""`. Against InfluxDB 2 the retention policy also decides
    which DBRP mapping (and bucket) answers.

    ## Example
    ```tick
    batch
        |query('SELECT mean("usage_idle") FROM cpu')
    ```
    Use instead:
    ```tick
    batch
        |query('SELECT mean("usage_idle") FROM "telegraf"."autogen"."cpu"')
    ```

    ## References
    Kapacitor `task.go` (checkDBRPs), issues #1342, #2768;
    docs.influxdata.com/influxdb/v2/tools/kapacitor/
    """

    code = "TM103"
    name = "unqualified-batch-query"
    severity = Severity.ERROR
    annotate = True

    def check(self, ctx: Context) -> Iterator[Diagnostic]:
        for use in ctx.task.reads:
            if use.via != "query":
                continue
            missing = [
                name
                for name, value in (
                    ("database", use.database),
                    ("retention policy", use.retention_policy),
                )
                if value.kind == "unset"
            ]
            if not missing:
                continue
            measurement = f' for "{use.measurement}"' if use.measurement else ""
            part = "database" if use.database.kind == "unset" else "retention_policy"
            yield self.diagnostic(
                use_location(ctx, use, part),
                f"query source{measurement} names no {' and no '.join(missing)}: Kapacitor "
                'refuses it (batch query is not allowed to request data from "".""); write '
                'it as "db"."rp"."measurement"',
            )
