"""TM404: the migration needs more databases than InfluxDB 3 Core (or Enterprise) allows."""

from __future__ import annotations

from collections.abc import Iterator

from tickmig.diagnostics import Diagnostic, Severity
from tickmig.rules.base import Context, Rule
from tickmig.rules.helpers.dbrp import use_location
from tickmig.rules.helpers.v3 import reaches


class V3DatabaseLimit(Rule):
    """The databases the migration reaches, with those that exist, exceed the edition's limit.

    ## What it does
    On `--target v3-core` (limit 5) and `v3-enterprise` (limit 100), counts the databases a
    live server already has (`--influx3-url`) plus every database the tasks write or query that
    does not exist yet, and reports each write or query of a database beyond what exists when
    the total is over the limit.

    ## Why is this bad?
    InfluxDB 3 has no retention policies: under its naming rule every non-default retention
    policy is a database of its own (`db/rp`). A modest 1.x install (`telegraf` with two extra
    retention policies, `chronograf`, two application databases) already needs six. Writes
    auto-create databases, so the overflow shows up at run time as write errors (`Adding a
    new database would exceed limit of 5 databases`), with Kapacitor dropping the points.

    ## Example
    Six databases against an empty Core (which allows five):
    ```tick target=v3-core
    var data = batch
        |query('SELECT mean("usage") FROM "telegraf"."autogen"."cpu"')
    data
        |influxDBOut()
            .database('app')
    data
        |influxDBOut()
            .database('billing')
    data
        |influxDBOut()
            .database('chronograf')
    data
        |influxDBOut()
            .database('ops')
    data
        |influxDBOut()
            .database('web')
    ```
    Use instead: consolidate retention policies into fewer databases with a mapping plan
    (`[[rename]]` with `database = "telegraf"` for each pair folded into `telegraf`; `tickmig
    report` proposes one, with its cost: one retention period per database, measurement names
    two retention policies share), or use Enterprise:
    ```tick target=v3-enterprise
    var data = batch
        |query('SELECT mean("usage") FROM "telegraf"."autogen"."cpu"')
    data
        |influxDBOut()
            .database('app')
    data
        |influxDBOut()
            .database('billing')
    data
        |influxDBOut()
            .database('chronograf')
    data
        |influxDBOut()
            .database('ops')
    data
        |influxDBOut()
            .database('web')
    ```

    ## References
    influxdata/influxdb `influxdb3/src/commands/serve.rs` (`CORE_NUM_DBS_LIMIT = 5`),
    `influxdb3_catalog` (auto-create on write); docs-v2 `data/products.yml` (limits).
    """

    code = "TM404"
    name = "v3-database-limit"
    severity = Severity.ERROR

    def check(self, ctx: Context) -> Iterator[Diagnostic]:
        plan = ctx.plan
        profile = ctx.mappings.profile
        if plan is None or not profile.v3 or not plan.over_limit:
            return
        created = plan.created
        existing = plan.total - len(created)
        names = ", ".join(repr(n) for n in created)
        reported: set[str] = set()
        for reach in reaches(ctx.task):
            name = reach.v3_name
            if name not in created or name in reported:
                continue
            reported.add(name)
            yield self.diagnostic(
                use_location(ctx, reach.use),
                f"{reach.verb} database {name!r}, one of {len(created)} the migration creates "
                f"({names}); with the {existing} that exist that makes {plan.total}, and "
                f"{profile.label} allows {profile.database_limit}: writes past the limit fail "
                "(tickmig report proposes a consolidation plan)",
            )
