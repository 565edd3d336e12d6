"""InfluxDB Cloud plan limits (``--cloud-plan free|usage-based`` on ``--target cloud`` and
``cloud-serverless``): how many buckets an organization may have and how long a bucket may
keep data, and the buckets a migration needs (what exists plus what it creates), for the
rules TM420/TM421, the commands and the proof.

Sources (public):
* Free Plan: 2 buckets, not counting ``_monitoring`` and ``_tasks``; 30 days of data
  retention. Usage-Based Plan: unlimited buckets; retention unlimited or up to 1 year.
  docs-v2 ``content/influxdb/cloud/account-management/limits.md`` and, for Cloud Serverless,
  ``content/influxdb3/cloud-serverless/admin/billing/limits.md`` (the same numbers).
* The Flux ``usage.limits()`` record of a Free organization: ``bucket: {maxBuckets: 2,
  maxRetentionDuration: 2592000000000000}`` (ns: 30 days), docs-v2
  ``content/flux/v0/stdlib/experimental/usage/limits.md``.
* What Cloud answers: ``POST /api/v2/buckets`` beyond the quota is 403 ``creating bucket would
  exceed quota``; a retention beyond the organization's maximum is 403 ``provided retention
  exceeds orgs maximum retention duration`` (the InfluxDB 2 API contract, influxdata/openapi).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

CloudPlan = Literal["free", "usage-based"]
CLOUD_PLANS: tuple[CloudPlan, ...] = ("free", "usage-based")
#: Names people type for the same plans.
PLAN_ALIASES: dict[str, CloudPlan] = {
    "usage": "usage-based",
    "usage_based": "usage-based",
    "payg": "usage-based",
    "pay-as-you-go": "usage-based",
}
#: Buckets Cloud makes for every organization that the bucket quota does not count.
SYSTEM_BUCKETS = frozenset({"_monitoring", "_tasks"})

DAY = 86400
#: Cloud's answers (InfluxDB 2 API contract, POST/PATCH /api/v2/buckets, 403 forbidden).
QUOTA_EXCEEDED = "creating bucket would exceed quota"
RETENTION_EXCEEDED = "provided retention exceeds orgs maximum retention duration"

LIMITS_URL = "https://docs.influxdata.com/influxdb/cloud/account-management/limits/"
SERVERLESS_LIMITS_URL = (
    "https://docs.influxdata.com/influxdb3/cloud-serverless/admin/billing/limits/"
)


@dataclass(frozen=True)
class PlanLimits:
    """What one Cloud plan allows: ``buckets`` (None: no limit) and the longest retention in
    seconds (``max_retention``), with whether "keep forever" is allowed too."""

    plan: CloudPlan
    buckets: int | None
    max_retention: int
    forever: bool

    @property
    def label(self) -> str:
        return {"free": "Free plan", "usage-based": "Usage-Based plan"}[self.plan]

    def allows(self, seconds: int) -> bool:
        """Whether a bucket may keep data ``seconds`` (0: forever)."""
        if seconds == 0:
            return self.forever
        return seconds <= self.max_retention

    def retention_for(self, seconds: int | None) -> int:
        """The retention the commands ask for when 1.x kept data ``seconds`` (0: forever;
        None: unknown): the 1.x duration when the plan allows it; else forever when the plan
        allows that (keeps more than 1.x did, loses nothing), else the plan's maximum."""
        if seconds is not None and self.allows(seconds):
            return seconds
        return 0 if self.forever else self.max_retention

    @property
    def most(self) -> str:
        """The longest retention, for messages: ``30 days``, ``1 year or forever``."""
        text = f"{self.max_retention // DAY} days"
        if self.max_retention == 365 * DAY:
            text = "1 year"
        return f"{text} or forever" if self.forever else text


LIMITS: dict[CloudPlan, PlanLimits] = {
    "free": PlanLimits("free", 2, 30 * DAY, forever=False),
    "usage-based": PlanLimits("usage-based", None, 365 * DAY, forever=True),
}
#: What a migration is held against when no plan is given: every account starts on Free.
FREE = LIMITS["free"]


def parse_cloud_plan(text: str) -> CloudPlan:
    """``free`` or ``usage-based`` (a few aliases); raises ValueError with a one-line
    message."""
    raw = text.strip().lower()
    plan = PLAN_ALIASES.get(raw, raw)
    for known in CLOUD_PLANS:
        if plan == known:
            return known
    raise ValueError(f"unknown InfluxDB Cloud plan {text!r} (one of: {', '.join(CLOUD_PLANS)})")


def days(seconds: int) -> str:
    """A retention for messages: ``30 days``, ``36h``, ``forever``."""
    if seconds == 0:
        return "forever"
    if seconds % DAY == 0:
        count = seconds // DAY
        return "1 day" if count == 1 else f"{count} days"
    if seconds % 3600 == 0:
        return f"{seconds // 3600}h"
    return f"{seconds}s"


@dataclass(frozen=True)
class BucketUse:
    """A write or query of a task that reaches a bucket the migration creates."""

    path: str
    start: int
    end: int
    #: "writes" or "queries".
    verb: str
    #: The (db, rp) as the task names it after the plan: ``"telegraf"."autogen"``.
    pair: str
    #: The task (its file, or the definition's).
    task: str


@dataclass(frozen=True)
class CreatedBucket:
    """A bucket the migration's commands create, with the 1.x retention it stands for
    (seconds, 0 forever; None when no source tells it) and the retention the command asks
    for (None: the command sets none, which keeps data forever)."""

    name: str
    v1_retention: int | None
    retention: int | None
    uses: tuple[BucketUse, ...]


@dataclass(frozen=True)
class CloudBuckets:
    """The buckets a migration to Cloud needs: the user buckets that exist (``_monitoring``
    and ``_tasks`` left out) and those it creates, in the order the commands create them."""

    existing: tuple[str, ...]
    created: tuple[CreatedBucket, ...]
    #: Where ``existing`` comes from (a live server, a file), for messages.
    origin: str
    #: The plan given (--cloud-plan), None when not given.
    plan: CloudPlan | None
    #: False when no source lists the organization's buckets (no --influx-url, no bucket
    #: listing): ``existing`` are then only the buckets the mappings name, a lower bound.
    listed: bool = True

    @property
    def total(self) -> int:
        return len(self.existing) + len(self.created)

    @property
    def limits(self) -> PlanLimits:
        """The plan's limits, the Free plan's when none was given."""
        return LIMITS[self.plan] if self.plan is not None else FREE

    @property
    def over_limit(self) -> bool:
        limit = self.limits.buckets
        return limit is not None and bool(self.created) and self.total > limit

    @property
    def refused(self) -> tuple[CreatedBucket, ...]:
        """The created buckets past the plan's quota (the Free plan's when none was given):
        Cloud creates the first ones that fit and answers 403 to the rest."""
        limit = self.limits.buckets
        if limit is None:
            return ()
        return self.created[max(0, limit - len(self.existing)) :]


def user_buckets(names: list[str]) -> tuple[str, ...]:
    """The names the bucket quota counts, sorted and unique."""
    return tuple(sorted({n for n in names if n not in SYSTEM_BUCKETS}))


def bucket_retention(
    plan: CloudPlan | None, v1: int | None, label: str = "InfluxDB Cloud"
) -> tuple[int | None, list[str]]:
    """The retention `influx bucket create --retention` asks for on a Cloud target (seconds,
    0 forever; None: no --retention) when 1.x kept data ``v1`` (None: unknown), and the
    comments the command carries: it never asks for more than the plan allows without
    saying so. ``plan`` None: no plan given, the 1.x duration is asked for, with a warning
    when the Free plan would refuse it."""
    if plan is None:
        if v1 is not None and not FREE.allows(v1):
            return v1, [
                f"1.x kept data {days(v1)}, but the {label} Free plan keeps data at most "
                f'{FREE.most}: a Free-plan organization answers 403 "{RETENTION_EXCEEDED}" '
                "to this command; give --cloud-plan free or usage-based (TM421)"
            ]
        return v1, []
    limits = LIMITS[plan]
    if v1 is None:
        if limits.forever:
            return None, []
        asked = limits.max_retention
        return asked, [
            f"no source knows the 1.x retention duration (give --influxql-url): the {label} "
            f"{limits.label} keeps data at most {limits.most}, so the bucket keeps {days(asked)}"
        ]
    asked = limits.retention_for(v1)
    if asked == v1:
        return v1, []
    loses = v1 == 0 or (asked != 0 and asked < v1)
    tail = (
        f", so data older than {days(asked)} expires (TM421)"
        if loses
        else " (more than 1.x did: nothing is lost; delete older data yourself if storage matters)"
    )
    return asked, [
        f"1.x kept data {days(v1)}, but the {label} {limits.label} keeps data at most "
        f"{limits.most}: the bucket keeps {days(asked)}{tail}"
    ]


def quota_note(
    plan: CloudPlan | None, existing: int, number: int, label: str, listed: bool = True
) -> str | None:
    """The comment of the command creating the ``number``-th new bucket (1-based) when
    ``existing`` user buckets exist (at least, when no source ``listed`` them): None while
    the quota (the Free plan's when no plan is given) has room for it."""
    limits = LIMITS[plan] if plan is not None else FREE
    quota = limits.buckets
    if quota is None or existing + number <= quota:
        return None
    total = existing + number
    head = (
        f"the {label} {limits.label} allows {quota} buckets (not counting _monitoring and "
        f"_tasks); with {'the' if listed else 'at least the'} {existing} that exist this is "
        f"{'' if listed else 'at least '}bucket {total}"
    )
    if plan is None:
        return (
            f'{head}: a Free-plan organization answers 403 "{QUOTA_EXCEEDED}"; give '
            "--cloud-plan free or usage-based (TM420)"
        )
    return (
        f'{head}: Cloud answers 403 "{QUOTA_EXCEEDED}" and the writes and queries of this '
        "bucket fail (TM420)"
    )
