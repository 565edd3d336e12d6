"""InfluxDB Cloud (TSM) traps of issue 12 beyond its missing virtual mappings: the plan's
limits (docs-v2 `influxdb/cloud/account-management/limits.md`). The Free plan allows 2 buckets
(not counting `_monitoring` and `_tasks`) and 30 days of retention; the Usage-Based plan has
no bucket limit. `--cloud-plan` (or `cloud-plan =` in tickmig.toml) says which; without it a
migration that exceeds the Free plan's limits is a warning that asks for it."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tickmig.targets import parse_target
from tickmig.targets.cloudplan import LIMITS

from .cases import BUCKETS, SCENARIO, run


def findings(*args: str) -> list[dict[str, object]]:
    proc = run(["check", SCENARIO, *BUCKETS, "--output-format", "json-lines", *args])
    assert proc.returncode in (0, 1), proc.stderr
    return [json.loads(line) for line in proc.stdout.decode().splitlines()]


def by_code(found: list[dict[str, object]], code: str) -> list[dict[str, object]]:
    return [f for f in found if f["code"] == code]


def test_cloud_warns_when_the_migration_needs_more_buckets_than_the_free_plan_allows() -> None:
    proc = run(["check", SCENARIO, "--target", "cloud", *BUCKETS, "--output-format", "json-lines"])
    messages = [json.loads(line)["message"] for line in proc.stdout.decode().splitlines()]
    assert any("Free plan" in m and "2 buckets" in m for m in messages), messages


def test_without_a_plan_the_bucket_findings_are_warnings_that_ask_for_it() -> None:
    found = by_code(findings("--target", "cloud"), "TM420")
    assert found
    assert {f["severity"] for f in found} == {"warning"}
    # fixtures/v3/mappings/buckets.json lists 6 user buckets; the migration creates 5 more.
    assert all(
        "with the 6 buckets that exist and the 5 it creates" in str(f["message"]) for f in found
    )
    assert all("give --cloud-plan free" in str(f["message"]) for f in found)


def test_the_free_plan_makes_them_errors_and_the_proof_refuses_the_buckets() -> None:
    found = findings("--target", "cloud", "--cloud-plan", "free")
    limits = by_code(found, "TM420")
    assert limits and {f["severity"] for f in limits} == {"error"}
    refused = by_code(found, "TM130")
    assert refused
    assert all("403 creating bucket would exceed quota" in str(f["message"]) for f in refused)


def test_the_usage_based_plan_has_no_bucket_limit() -> None:
    found = findings("--target", "cloud", "--cloud-plan", "usage-based")
    assert by_code(found, "TM420") == []


def test_cloud_serverless_has_the_same_plans() -> None:
    found = findings("--target", "cloud-serverless", "--cloud-plan", "free")
    limits = by_code(found, "TM420")
    assert limits and all("Cloud Serverless Free plan" in str(f["message"]) for f in limits)


def test_oss_has_no_plan_limits() -> None:
    assert by_code(findings("--target", "oss"), "TM420") == []


def test_the_plan_from_the_settings_file(tmp_path: Path) -> None:
    settings = tmp_path / "tickmig.toml"
    settings.write_text('target = "cloud"\ncloud-plan = "free"\n', encoding="utf-8")
    found = findings("--config", str(settings))
    assert {f["severity"] for f in by_code(found, "TM420")} == {"error"}


@pytest.mark.parametrize(
    ("settings", "args", "message"),
    [
        (
            'target = "cloud"\ncloud-plan = "gold"\n',
            [],
            "{file}: unknown InfluxDB Cloud plan 'gold' (one of: free, usage-based)",
        ),
        (
            'target = "v3-core"\ncloud-plan = "free"\n',
            [],
            "{file}: --cloud-plan applies to --target cloud and cloud-serverless only, not v3-core",
        ),
        (
            "",
            ["--target", "oss", "--cloud-plan", "free"],
            "--cloud-plan applies to --target cloud and cloud-serverless only, not oss",
        ),
        (
            "",
            ["--target", "cloud", "--cloud-plan", "enterprise"],
            "unknown InfluxDB Cloud plan 'enterprise' (one of: free, usage-based)",
        ),
    ],
)
def test_a_bad_plan_is_one_line_naming_where_it_came_from(
    tmp_path: Path, settings: str, args: list[str], message: str
) -> None:
    config = tmp_path / "tickmig.toml"
    config.write_text(settings, encoding="utf-8")
    proc = run(["check", SCENARIO, "--config", str(config), *args])
    assert proc.returncode == 2
    assert proc.stderr.decode() == "tickmig: error: " + message.format(file=config) + "\n"
    if "{file}" in message:  # an option file's error is also check's result (TM005)
        assert proc.stdout.decode().startswith(f"{config}: TM005 ")
    else:
        assert proc.stdout == b""


def test_the_report_shows_the_findings_and_commands_within_the_plan() -> None:
    proc = run(
        [
            "report",
            SCENARIO,
            "--target",
            "cloud",
            "--cloud-plan",
            "free",
            *BUCKETS,
            "--format",
            "json",
        ]
    )
    doc = json.loads(proc.stdout)
    codes = [f["code"] for t in doc["tasks"] for f in t["findings"]]
    assert "TM420" in codes
    script = doc["commands"]["script"]
    creates = [x for x in script.splitlines() if "influx bucket create" in x]
    assert creates
    asked = [int(m.group(1)) for x in creates if (m := re.search(r"--retention (\d+)s$", x))]
    assert len(asked) == len(creates) and max(asked) <= 30 * 86400
    assert script.count("(TM420)") == len(creates)  # all 5 are past the quota: each says so


@pytest.mark.parametrize(
    ("target", "plan", "expected"),
    [
        ("cloud", "free", "free"),
        ("cloud", " Usage-Based ", "usage-based"),
        ("cloud2", "usage", "usage-based"),
        ("serverless", "free", "free"),
        ("cloud", None, None),
        ("cloud", "", None),
    ],
)
def test_the_plan_on_the_profile(target: str, plan: str | None, expected: str | None) -> None:
    profile = parse_target(target, cloud_plan=plan)
    assert profile.cloud_plan == expected
    limits = profile.plan_limits
    assert (limits.plan if limits else None) == expected


def test_the_plans_limits_are_the_documented_ones() -> None:
    free, usage = LIMITS["free"], LIMITS["usage-based"]
    # docs-v2 limits.md; usage.limits(): bucket {maxBuckets: 2, maxRetentionDuration: 30d}
    assert (free.buckets, free.max_retention, free.forever) == (2, 30 * 86400, False)
    assert (usage.buckets, usage.max_retention, usage.forever) == (None, 365 * 86400, True)
