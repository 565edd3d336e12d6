"""TM420 cloud-bucket-limit: the buckets that exist plus those the migration creates must fit
the InfluxDB Cloud plan's quota (Free: 2, not counting _monitoring and _tasks)."""

from __future__ import annotations

import pytest

from tickmig.cli.check import flow_findings
from tickmig.diagnostics import Diagnostic, Severity
from tickmig.engine.checker import Checker, check_paths
from tickmig.mappings import Bucket, MappingSet
from tickmig.settings import Settings
from tickmig.targets import parse_target
from tickmig.tasks.workspace import Workspace

from .examples import assert_unchanged, findings, source

CODE = "TM420"
QUERY = 'var data = batch\n    |query(\'SELECT mean("usage") FROM "telegraf"."autogen"."cpu"\')\n'


def writing(*databases: str) -> str:
    """A task reading "telegraf"."autogen" (bucket telegraf) and writing each database's
    autogen (bucket db): 1 + len(databases) buckets to create."""
    text = QUERY
    for database in databases:
        text += (
            f"data\n    |influxDBOut()\n        .database('{database}')\n"
            "        .retentionPolicy('autogen')\n"
        )
    return text


THREE = writing("app", "ops")
TWO = writing("app")

UNCHANGED = [
    pytest.param(THREE, "cloud plan=free", True, id="three-on-free"),
    pytest.param(TWO, "cloud plan=free", False, id="two-on-free"),
    pytest.param(THREE, "cloud plan=usage-based", False, id="three-on-usage-based"),
    pytest.param(THREE, "cloud", True, id="three-no-plan"),
    pytest.param(THREE, "cloud-serverless plan=free", True, id="three-on-serverless-free"),
    pytest.param(THREE, "oss", False, id="influxdb-oss"),
]


@pytest.mark.parametrize(("text", "target", "fires"), UNCHANGED)
def test_migrate_leaves_it_unchanged(text: str, target: str, fires: bool) -> None:
    assert_unchanged(CODE, text, fires, target)


def test_free_plan_over_the_limit_is_an_error_at_the_bucket_cloud_refuses() -> None:
    (found,) = findings(CODE, THREE, target="cloud plan=free")
    # The commands create app, ops, telegraf in that order: the
    # third is past the quota, so the query of "telegraf"."autogen" fails.
    assert found.severity is Severity.ERROR
    assert THREE[found.location.start : found.location.end].startswith("query(")
    assert found.message.startswith(
        'queries "telegraf"."autogen" in bucket "telegraf", which the migration creates'
    )
    for part in (
        "with at least the 0 buckets the mappings name (no bucket listing was given) and the "
        "3 it creates the migration needs at least 3",
        "InfluxDB Cloud Free plan allows 2 buckets (not counting _monitoring and _tasks)",
        '403 "creating bucket would exceed quota"',
    ):
        assert part in found.message


def test_no_plan_is_a_warning_against_the_free_plan_asking_for_the_plan() -> None:
    (found,) = findings(CODE, THREE, target="cloud")
    assert found.severity is Severity.WARNING
    assert "Free plan allows 2 buckets" in found.message
    assert "give --cloud-plan free" in found.message
    assert "--cloud-plan usage-based" in found.message


def test_cloud_serverless_says_its_own_product() -> None:
    (found,) = findings(CODE, THREE, target="cloud-serverless plan=free")
    assert "InfluxDB Cloud Serverless Free plan allows 2 buckets" in found.message


def listed(*names: str, plan: str | None = "free") -> MappingSet:
    """A bucket listing of the Cloud organization (as `GET /api/v2/buckets` answers)."""
    buckets = tuple(Bucket(f"{i:016x}", name, "0a0b0c0d0e0f0102") for i, name in enumerate(names))
    profile = parse_target("cloud", cloud_plan=plan)
    return MappingSet((), buckets, (), profile, "buckets.json")


def checked(mappings: MappingSet, text: str) -> list[Diagnostic]:
    checker = Checker(mappings, {CODE})
    workspace = Workspace.of_texts([source(text)])
    run = check_paths(workspace, checker)
    flow_findings(workspace, checker, Settings(), run)
    return run.diagnostics()


def test_existing_buckets_count_but_not_monitoring_and_tasks() -> None:
    # Two to create: fits an organization with only its system buckets...
    assert checked(listed("_monitoring", "_tasks"), TWO) == []
    # ...not one that already has a bucket of its own.
    (found,) = checked(listed("_monitoring", "_tasks", "sensors"), TWO)
    assert "with the 1 bucket that exist and the 2 it creates the migration needs 3" in (
        found.message
    )


def test_a_bucket_that_exists_is_not_created_again() -> None:
    # telegraf/autogen exists: only app/autogen is created, 2 buckets in all.
    assert checked(listed("telegraf/autogen"), TWO) == []


def test_suppressed_with_an_ignore_comment() -> None:
    text = THREE.replace("    |query(", "    // tickmig: ignore[TM420]\n    |query(")
    assert findings(CODE, text, target="cloud plan=free") == []
