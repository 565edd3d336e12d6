"""TM420: the migration needs more buckets than the InfluxDB Cloud plan allows."""

from __future__ import annotations

from collections.abc import Iterator

from tickmig.diagnostics import Diagnostic, Severity
from tickmig.rules.base import Context, Rule
from tickmig.targets.cloudplan import QUOTA_EXCEEDED


class CloudBucketLimit(Rule):
    """The buckets that exist plus those the migration creates exceed the Cloud plan's quota.

    ## What it does
    On `--target cloud` and `cloud-serverless`, counts the user buckets of the organization
    (`_monitoring` and `_tasks` are not counted) as the mapping sources describe it (a live
    server with `--influx-url`, or a `--mapping` bucket listing; without one, only the
    buckets the DBRP mappings name, a lower bound the message says it is), plus every bucket
    the migration's commands create (`tickmig report`), and reports each write and query of
    a created bucket past the quota. With `--cloud-plan free` (2 buckets) it is an error;
    `--cloud-plan usage-based` has no bucket limit; without `--cloud-plan` it is a warning
    against the Free plan's 2 buckets, since every Cloud account starts on it.

    ## Why is this bad?
    Each 1.x retention policy becomes a bucket of its own (`db/rp`), so a modest 1.x install
    needs more than the Free plan's 2 buckets. Cloud answers `influx bucket create` past the
    quota with 403 `creating bucket would exceed quota`; the DBRP mapping to that bucket
    cannot be made, and Kapacitor's writes get 404 and are dropped. tickmig's proof (the
    in-memory InfluxDB 2) refuses those buckets the same way.

    Rate limits (data in, reads, cardinality) also differ per plan, but they depend on the
    volume of data, which tickmig cannot see: it does not check them.

    ## Example
    Three buckets on the Free plan, which allows two:
    ```tick target=cloud plan=free
    var data = batch
        |query('SELECT mean("usage") FROM "telegraf"."autogen"."cpu"')
    data
        |influxDBOut()
            .database('app')
            .retentionPolicy('autogen')
    data
        |influxDBOut()
            .database('ops')
            .retentionPolicy('autogen')
    ```
    Use instead: fold retention policies into fewer buckets with a mapping plan
    (`[[rename]]` with `bucket = "..."`, or `to = "db/rp"` to rewrite the scripts), or move
    the organization to the Usage-Based plan:
    ```tick target=cloud plan=usage-based
    var data = batch
        |query('SELECT mean("usage") FROM "telegraf"."autogen"."cpu"')
    data
        |influxDBOut()
            .database('app')
            .retentionPolicy('autogen')
    data
        |influxDBOut()
            .database('ops')
            .retentionPolicy('autogen')
    ```

    ## References
    https://docs.influxdata.com/influxdb/cloud/account-management/limits/ (Free Plan: 2
    buckets, excluding `_monitoring` and `_tasks`; Usage-Based Plan: unlimited buckets);
    https://docs.influxdata.com/influxdb3/cloud-serverless/admin/billing/limits/ (the same
    for Cloud Serverless); https://docs.influxdata.com/flux/v0/stdlib/experimental/usage/limits/
    (`bucket.maxBuckets`); the InfluxDB 2 API contract, `POST /api/v2/buckets` 403.
    """

    code = "TM420"
    name = "cloud-bucket-limit"
    severity = Severity.ERROR

    def check(self, ctx: Context) -> Iterator[Diagnostic]:
        cloud = ctx.cloud
        if cloud is None or not cloud.over_limit:
            return
        entry = ctx.task.definition or ctx.task.path
        limits = cloud.limits
        label = ctx.mappings.profile.label
        existing = f"{len(cloud.existing)} bucket{'s' if len(cloud.existing) != 1 else ''}"
        have = (
            f"the {existing} that exist"
            if cloud.listed
            else f"at least the {existing} the mappings name (no bucket listing was given)"
        )
        needs = (
            f"with {have} and the {len(cloud.created)} it creates the migration needs "
            f"{'' if cloud.listed else 'at least '}{cloud.total}, and the {label} "
            f"{limits.label} allows {limits.buckets} buckets (not counting _monitoring and "
            "_tasks)"
        )
        seen: set[tuple[str, int, int]] = set()
        for bucket in cloud.refused:
            for use in bucket.uses:
                key = (use.path, use.start, use.end)
                if use.task != entry or use.path not in ctx.texts or key in seen:
                    continue
                seen.add(key)
                head = (
                    f'{use.verb} {use.pair} in bucket "{bucket.name}", which the migration '
                    "creates: "
                )
                if cloud.plan is None:
                    yield self.diagnostic(
                        ctx.location(use.path, use.start, use.end),
                        head
                        + needs
                        + ": give --cloud-plan free (then Cloud refuses the bucket) or "
                        "--cloud-plan usage-based (no bucket limit)",
                        severity=Severity.WARNING,
                    )
                    continue
                yield self.diagnostic(
                    ctx.location(use.path, use.start, use.end),
                    head
                    + needs
                    + f': Cloud answers 403 "{QUOTA_EXCEEDED}" and this fails; fold retention '
                    "policies into fewer buckets with a mapping plan ([[rename]] with "
                    'bucket = "...") or move to the Usage-Based plan',
                )
