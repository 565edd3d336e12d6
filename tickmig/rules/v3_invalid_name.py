"""TM402: a (database, retention policy) whose InfluxDB 3 database name the server refuses."""

from __future__ import annotations

from collections.abc import Iterator

from tickmig.diagnostics import Diagnostic, Severity
from tickmig.rules.base import Context, Rule
from tickmig.rules.helpers.dbrp import use_location
from tickmig.rules.helpers.v3 import pair_text, reaches
from tickmig.targets.v3names import invalid_name


class V3InvalidName(Rule):
    """A database or retention policy name 1.x allowed but InfluxDB 3 refuses.

    ## What it does
    On `--target v3-core`/`v3-enterprise`, turns each written or queried pair into its
    InfluxDB 3 database name (`db`, or `db/rp`) and checks it as the server does.

    ## Why is this bad?
    InfluxDB 3 database names are ASCII letters, digits, `_` and `-`, with at most one `/`
    (between database and retention policy), starting with a letter or digit, at most 511
    characters. `_internal`, `_kapacitor`, names with `.` or spaces, and retention policies
    with `/` are refused: writes fail with 400 (Kapacitor drops the points) and such a
    database can never be created, so queries of it fail too. 1.x's `_internal` monitoring
    has no InfluxDB 3 counterpart with the same series.

    ## Example
    ```tick target=v3-core
    batch
        |query('SELECT mean("queryReq") FROM "_internal"."monitor"."httpd"')
        |influxDBOut()
            .database('app.metrics')
    ```
    Use instead: rename the database in a mapping plan (`to = "app_metrics"`) and let
    `tickmig migrate` rewrite the scripts; monitor InfluxDB 3 through its `/metrics` endpoint.

    ## References
    influxdata/influxdb `influxdb3_server/src/http.rs` (`validate_db_name`, applied by
    `write_lp_inner` and `create_database`; tests `foo/bar/baz`, `_foo`).
    """

    code = "TM402"
    name = "v3-invalid-name"
    severity = Severity.ERROR

    def check(self, ctx: Context) -> Iterator[Diagnostic]:
        if not ctx.mappings.profile.v3:
            return
        for reach in reaches(ctx.task):
            name = reach.v3_name
            problem = invalid_name(name)
            if problem is None:
                continue
            what = "writes fail with HTTP 400" if reach.direction == "write" else "the query fails"
            pair = pair_text(reach.database, reach.retention_policy)
            yield self.diagnostic(
                use_location(ctx, reach.use),
                f"{reach.verb} {pair}, InfluxDB 3 database {name!r}, a name it refuses "
                f"({problem}): {what}",
            )
