"""TM421: a retention policy's duration that the InfluxDB Cloud plan does not allow."""

from __future__ import annotations

from collections.abc import Iterator

from tickmig.diagnostics import Diagnostic, Severity
from tickmig.rules.base import Context, Rule
from tickmig.targets.cloudplan import FREE, LIMITS, RETENTION_EXCEEDED, days


class CloudRetentionLimit(Rule):
    """A bucket the migration creates stands for a 1.x retention policy that kept data longer
    than the Cloud plan allows.

    ## What it does
    On `--target cloud` and `cloud-serverless`, for each bucket the migration creates whose
    1.x duration a source tells (`--influxql-url` on the 1.x server), compares it with the
    plan's longest retention:
    * `--cloud-plan free`: at most 30 days, never forever. An error: the command tickmig
      prints asks for 30 days (`--retention 2592000s`) and says so, so data older than that
      expires where 1.x kept it;
    * `--cloud-plan usage-based`: up to 1 year, or forever. A longer finite duration is a
      warning: the command asks for forever (nothing is lost, more is stored);
    * no `--cloud-plan`: a warning when the Free plan would refuse the duration, naming it
      and asking for `--cloud-plan`; the command asks for the 1.x duration and says that a
      Free-plan organization refuses it.

    ## Why is this bad?
    Cloud answers a retention longer than the plan allows with 403 `provided retention
    exceeds orgs maximum retention duration`: the bucket is not created, and the writes of
    the retention policy are dropped. Creating it with the longest retention allowed instead
    keeps less history than the 1.x retention policy did.

    Rate limits (data in, reads, cardinality) also differ per plan, but they depend on the
    volume of data, which tickmig cannot see: it does not check them.

    ## Example
    The 1.x retention policy `telegraf.one_year` kept data 365 days:
    ```tick target=cloud plan=free v1=telegraf.one_year:8760h0m0s
    batch
        |query('SELECT mean("usage") FROM "telegraf"."autogen"."cpu"')
        |influxDBOut()
            .database('telegraf')
            .retentionPolicy('one_year')
    ```
    Use instead: keep at most 30 days on the Free plan (a retention policy of 30 days or
    less), or move the organization to the Usage-Based plan:
    ```tick target=cloud plan=usage-based v1=telegraf.one_year:8760h0m0s
    batch
        |query('SELECT mean("usage") FROM "telegraf"."autogen"."cpu"')
        |influxDBOut()
            .database('telegraf')
            .retentionPolicy('one_year')
    ```

    ## References
    https://docs.influxdata.com/influxdb/cloud/account-management/limits/ (Free Plan: 30 days
    of data retention; Usage-Based Plan: unlimited or up to 1 year);
    https://docs.influxdata.com/influxdb3/cloud-serverless/admin/billing/limits/ (the same
    for Cloud Serverless); https://docs.influxdata.com/flux/v0/stdlib/experimental/usage/limits/
    (`bucket.maxRetentionDuration`); the InfluxDB 2 API contract, `/api/v2/buckets` 403.
    """

    code = "TM421"
    name = "cloud-retention-limit"
    severity = Severity.ERROR

    def check(self, ctx: Context) -> Iterator[Diagnostic]:
        cloud = ctx.cloud
        if cloud is None:
            return
        entry = ctx.task.definition or ctx.task.path
        label = ctx.mappings.profile.label
        limits = LIMITS[cloud.plan] if cloud.plan is not None else FREE
        for bucket in cloud.created:
            v1 = bucket.v1_retention
            uses = [u for u in bucket.uses if u.task == entry and u.path in ctx.texts]
            if v1 is None or limits.allows(v1) or not uses:
                continue
            use = next((u for u in uses if u.verb == "writes"), uses[0])
            location = ctx.location(use.path, use.start, use.end)
            head = (
                f'{use.verb} {use.pair} in bucket "{bucket.name}", which the migration creates; '
                f"its 1.x retention policy kept data {days(v1)}, and the {label} "
                f"{limits.label} keeps data at most {limits.most}"
            )
            if cloud.plan is None:
                yield self.diagnostic(
                    location,
                    f'{head}: a Free-plan organization answers 403 "{RETENTION_EXCEEDED}"; give '
                    "--cloud-plan free (the bucket then keeps 30 days) or --cloud-plan "
                    "usage-based",
                    severity=Severity.WARNING,
                )
            elif bucket.retention == 0:
                yield self.diagnostic(
                    location,
                    f"{head}: the command creates it to keep data forever (nothing is lost; "
                    "more is stored than in 1.x)",
                    severity=Severity.WARNING,
                )
            else:
                kept = days(bucket.retention or limits.max_retention)
                yield self.diagnostic(
                    location,
                    f"{head}: the command creates it to keep {kept}, so data older than that "
                    "expires (move to the Usage-Based plan to keep it)",
                )
