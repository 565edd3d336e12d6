"""Hand-written expectations for the fixtures/mappings scenario, shared by several test modules."""

from __future__ import annotations

from tickmig.mappings import MappingSet

# An OSS 2.7 org upgraded from 1.x (telegraf with autogen and one_month, app_metrics) plus a
# natively created "sensors" bucket and the system buckets.
# (database, retention policy, bucket name, default, virtual)
UPGRADED_EFFECTIVE = {
    ("telegraf", "autogen", "telegraf/autogen", True, False),
    ("telegraf", "one_month", "telegraf/one_month", False, False),
    ("app_metrics", "autogen", "app_metrics/autogen", True, False),
    ("_monitoring", "autogen", "_monitoring", True, True),
    ("_tasks", "autogen", "_tasks", True, True),
    ("sensors", "autogen", "sensors", True, True),
}


def summary(ms: MappingSet) -> set[tuple[str, str, str | None, bool, bool]]:
    """The effective mappings of a set, without IDs and sources."""
    return {
        (m.database, m.retention_policy, m.bucket_name, m.default, m.virtual)
        for m in ms.effective_mappings()
    }
