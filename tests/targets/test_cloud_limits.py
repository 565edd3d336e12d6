"""InfluxDB Cloud (TSM) traps of issue 12 beyond its missing virtual mappings: the Free plan
allows 2 buckets (docs-v2 `influxdb/cloud/account-management/limits.md`), so a migration that
creates more must say so before an operator runs the commands."""

from __future__ import annotations

import json

import pytest

from .cases import BUCKETS, SCENARIO, run


@pytest.mark.xfail(
    strict=True,
    reason="issue 12: --target cloud knows no plan limits; nothing warns that the Free plan "
    "allows 2 buckets when the migration needs more",
)
def test_cloud_warns_when_the_migration_needs_more_buckets_than_the_free_plan_allows() -> None:
    proc = run(["check", SCENARIO, "--target", "cloud", *BUCKETS, "--output-format", "json-lines"])
    messages = [json.loads(line)["message"] for line in proc.stdout.decode().splitlines()]
    assert any("Free plan" in m and "2 buckets" in m for m in messages), messages
