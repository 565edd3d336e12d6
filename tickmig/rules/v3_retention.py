"""TM405: a retention policy's duration that does not carry over to InfluxDB 3."""

from __future__ import annotations

from collections.abc import Iterator

from tickmig.diagnostics import Diagnostic, Severity
from tickmig.rules.base import Context, Rule
from tickmig.rules.helpers.dbrp import use_location
from tickmig.rules.helpers.v3 import Reach, pair_text, reaches
from tickmig.targets.durations import human, parse_v1_duration, v3_retention
from tickmig.targets.v3names import DEFAULT_RPS, write_database


class V3Retention(Rule):
    """Retention that InfluxDB 3 will not keep as 1.x did: auto-created databases keep data
    forever, and Core cannot change a retention period later.

    ## What it does
    On `--target v3-core`/`v3-enterprise`, for each database a task writes:
    * when it does not exist yet (or no live server was given) and it stands for a named
      retention policy, or the 1.x duration is known (`--influxql-url`): Kapacitor's first
      write creates it with indefinite retention;
    * when a live server (`--influx3-url`) has it with another retention than the 1.x
      retention policy had: on Core an error (immutable), on Enterprise a warning.

    ## Why is this bad?
    Retention is per database in InfluxDB 3. A database created by a write keeps data forever,
    not for the retention policy's duration, and Core cannot change it afterwards
    (`update database` exists on Enterprise only). `0d` now means "delete everything", the
    opposite of 1.x's `0s`/`INF`, so a translated `--retention-period 0d` would lose all data.

    ## Example
    ```tick target=v3-core
    batch
        |query('SELECT mean("usage") FROM "telegraf"."autogen"."cpu"')
        |influxDBOut()
            .database('telegraf')
            .retentionPolicy('one_week')
    ```
    Use instead: create the database before Kapacitor writes to it:
    `influxdb3 create database telegraf/one_week --retention-period 7d` (`tickmig report`
    prints these commands; `INF` becomes no `--retention-period`, never `0d`).

    ## References
    influxdata/influxdb `influxdb3_catalog/src/catalog/versions/v3/catalog.rs`
    (`begin_database_transaction`: auto-create), `influxdb3/src/commands/create.rs`
    (`--retention-period`); docs-v2 `content/shared/influxdb3-admin/databases/create.md`
    (retention immutable in Core, `0d`).
    """

    code = "TM405"
    name = "v3-retention"
    severity = Severity.WARNING

    def check(self, ctx: Context) -> Iterator[Diagnostic]:
        profile = ctx.mappings.profile
        if not profile.v3:
            return
        done: set[str] = set()
        for reach in reaches(ctx.task):
            if reach.direction != "write" or reach.v3_name in done:
                continue
            done.add(reach.v3_name)
            found = self._finding(ctx, reach)
            if found is not None:
                yield found

    def _finding(self, ctx: Context, reach: Reach) -> Diagnostic | None:
        profile = ctx.mappings.profile
        name = reach.v3_name
        rename = ctx.mappings.rename_for(reach.database, reach.retention_policy)
        if rename is not None and rename.to_database is not None:
            # The script is rewritten to the pair the plan names (TM120): its database.
            to_rp = rename.to_retention_policy or reach.retention_policy
            name = write_database(rename.to_database, to_rp)
        entry = ctx.plan.get(name) if ctx.plan is not None else None
        v1 = entry.v1_duration if entry is not None else None
        v1_seconds = _seconds(v1)
        location = use_location(ctx, reach.use, "retention_policy")
        pair = pair_text(reach.database, reach.retention_policy)
        if entry is not None and entry.exists:
            have = _seconds(entry.retention)
            if v1 is None or have == v1_seconds:
                return None
            if profile.retention_mutable:
                flag = v3_retention(v1_seconds) or "none"
                change = f"influxdb3 update database --database {name} --retention-period {flag}"
                return self.diagnostic(
                    location,
                    f"database {name!r} keeps data {human(have)}, but {pair} kept it "
                    f"{human(v1_seconds)} in 1.x: change it ({change})",
                )
            return self.diagnostic(
                location,
                f"database {name!r} keeps data {human(have)}, but {pair} kept it "
                f"{human(v1_seconds)} in 1.x, and {profile.label} cannot change a retention "
                "period: recreate the database before the migration",
                severity=Severity.ERROR,
            )
        named = reach.retention_policy is not None and (
            reach.retention_policy.lower() not in DEFAULT_RPS
        )
        # A plan entry that sends a named 1.x retention policy here (scripts already migrated
        # with it name the database's own pair): the data is still that policy's.
        named = named or any(
            rp is not None and rp.lower() not in DEFAULT_RPS
            for (_, rp), _ in (entry.renamed if entry is not None else ())
        )
        if not named and v1_seconds is None:
            return None
        period = v3_retention(v1_seconds) if v1 is not None else None
        if v1 is not None and period is None:
            return None  # kept forever in 1.x too: auto-create keeps it forever as well
        command = f"influxdb3 create database {name} --retention-period {period or '<duration>'}"
        kept = f"kept data {human(v1_seconds)}" if v1 is not None else "had its own duration"
        return self.diagnostic(
            location,
            f"Kapacitor's first write to {pair} creates database {name!r} with indefinite "
            f"retention, but the retention policy {kept} in 1.x"
            + ("" if profile.retention_mutable else f" ({profile.label} cannot change it later)")
            + f": create it first ({command})",
        )


def _seconds(duration: str | None) -> int | None:
    if duration is None:
        return None
    try:
        return parse_v1_duration(duration)
    except ValueError:
        return None
