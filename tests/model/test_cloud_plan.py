"""The proof's InfluxDB 2 with an InfluxDB Cloud plan's limits, and the bucket commands the
migration prints for each plan: Cloud answers 403 past the bucket quota and to a retention
longer than the plan allows (InfluxDB 2 API contract, /api/v2/buckets), and the printed
`influx bucket create --retention` never asks for more than the plan allows without saying so
(docs-v2 influxdb/cloud/account-management/limits.md)."""

from __future__ import annotations

import re

import pytest

from tickmig.engine.checker import Checker, check_paths
from tickmig.mappings import MappingSet, SourceRetentionPolicy
from tickmig.model.flows import MigrationModel, ModelInputs, build_model
from tickmig.model.limits import cloud_buckets
from tickmig.model.proof import initial_target, prove
from tickmig.model.script import render_script
from tickmig.model.target import ApiError, InfluxDB2
from tickmig.targets import parse_target
from tickmig.targets.cloudplan import DAY, LIMITS, bucket_retention, parse_cloud_plan
from tickmig.tasks.workspace import Workspace
from tickmig.text.source import decode

ORG = "acme"
YEAR = 365 * DAY


def cloud(plan: str) -> InfluxDB2:
    return InfluxDB2(virtual_mappings=False, limits=LIMITS[parse_cloud_plan(plan)])


def refused(db: InfluxDB2, name: str, retention: int = 0) -> tuple[int, str]:
    with pytest.raises(ApiError) as err:
        db.create_bucket(ORG, name, retention)
    return err.value.status, err.value.message


def test_the_free_plan_refuses_a_third_bucket_but_not_the_system_buckets() -> None:
    db = cloud("free")
    for name in ("_monitoring", "_tasks", "telegraf/autogen", "app/autogen"):
        db.create_bucket(ORG, name, 30 * DAY)
    assert refused(db, "ops/autogen", DAY) == (403, "creating bucket would exceed quota")
    # The quota is per organization.
    db.create_bucket("other-org", "ops/autogen", DAY)


@pytest.mark.parametrize(
    ("plan", "retention", "allowed"),
    [
        ("free", 30 * DAY, True),
        ("free", 30 * DAY + 1, False),
        ("free", 0, False),  # forever
        ("usage-based", YEAR, True),
        ("usage-based", 0, True),
        ("usage-based", YEAR + DAY, False),
    ],
)
def test_retention_the_plan_allows(plan: str, retention: int, allowed: bool) -> None:
    db = cloud(plan)
    if allowed:
        db.create_bucket(ORG, "b", retention)
        return
    assert refused(db, "b", retention) == (
        403,
        "provided retention exceeds orgs maximum retention duration",
    )


def test_usage_based_has_no_bucket_quota() -> None:
    db = cloud("usage-based")
    for i in range(50):
        db.create_bucket(ORG, f"b{i}", DAY)


@pytest.mark.parametrize(
    ("plan", "v1", "asked"),
    [
        ("free", 7 * DAY, 7 * DAY),
        ("free", YEAR, 30 * DAY),
        ("free", 0, 30 * DAY),
        ("free", None, 30 * DAY),
        ("usage-based", YEAR, YEAR),
        ("usage-based", 5 * YEAR, 0),  # forever: nothing lost
        ("usage-based", None, None),  # no --retention: forever
        (None, YEAR, YEAR),
    ],
)
def test_the_retention_asked_for(plan: str | None, v1: int | None, asked: int | None) -> None:
    known = parse_cloud_plan(plan) if plan is not None else None
    retention, notes = bucket_retention(known, v1)
    assert retention == asked
    changed = (v1 is None and plan == "free") or (v1 is not None and not _allows(plan, v1))
    assert bool(notes) is changed, notes


def _allows(plan: str | None, v1: int) -> bool:
    return LIMITS[parse_cloud_plan(plan or "free")].allows(v1)


SCRIPT = """dbrp "telegraf"."one_year"

batch
    |query('SELECT mean("usage") FROM "telegraf"."one_year"."cpu"')
    |influxDBOut()
        .database('app')
        .retentionPolicy('autogen')
    |influxDBOut()
        .database('ops')
        .retentionPolicy('autogen')
"""
INVENTORY = (
    SourceRetentionPolicy("telegraf", "one_year", "8760h0m0s", False, "1.x"),
    SourceRetentionPolicy("app", "autogen", "0s", True, "1.x"),
    SourceRetentionPolicy("ops", "autogen", "168h0m0s", True, "1.x"),
)


def model_on(target: str, plan: str | None) -> MigrationModel:
    profile = parse_target(target, cloud_plan=plan)
    ms = MappingSet((), (), (), profile, "1.x", from_server=False, inventory=INVENTORY)
    workspace = Workspace.of_texts([decode("t.tick", SCRIPT.encode())])
    tasks = check_paths(workspace, Checker(ms, set()), keep_tasks=True).tasks
    return build_model(ModelInputs(tasks, ms, ORG))


def test_the_free_plan_proof_refuses_the_third_bucket_and_says_why() -> None:
    model = model_on("cloud", "free")
    plan, verdict, _ = prove(model)
    assert verdict.action_errors == [
        'create bucket "telegraf/one_year": 403 creating bucket would exceed quota',
        'map "telegraf"."one_year" to bucket "telegraf/one_year": 404 bucket not found',
    ]
    failing = {(f.kind, f.pair.label): f.reason for f in verdict.failing}
    assert failing == {
        ("batch-read", '"telegraf"."one_year"'): "InfluxDB refused to create bucket "
        '"telegraf/one_year": 403 creating bucket would exceed quota'
    }
    buckets = cloud_buckets(model, plan, initial_target(model.inputs.mappings, ORG))
    assert buckets is not None
    assert [b.name for b in buckets.refused] == ["telegraf/one_year"]
    assert [(b.name, b.v1_retention, b.retention) for b in buckets.created] == [
        ("app", 0, 30 * DAY),
        ("ops", 7 * DAY, 7 * DAY),
        ("telegraf/one_year", YEAR, 30 * DAY),
    ]


def test_usage_based_proof_lands_everything() -> None:
    _plan, verdict, _ = prove(model_on("cloud", "usage-based"))
    assert verdict.action_errors == [] and verdict.failing == []


def flat(script: str) -> str:
    """The script with its comments unwrapped (one line each)."""
    return script.replace("\n#   ", " ")


RETENTION = re.compile(r"--name (\S+) --retention (\d+)s$")


@pytest.mark.parametrize("target", ["cloud", "cloud-serverless"])
def test_the_printed_commands_never_ask_for_more_than_the_free_plan_allows(target: str) -> None:
    plan, verdict, _ = prove(model_on(target, "free"))
    script = flat(render_script(plan, ORG, verdict.assumption))
    lines = [x for x in script.splitlines() if "influx bucket create" in x]
    asked = {m.group(1): int(m.group(2)) for x in lines if (m := RETENTION.search(x))}
    assert len(asked) == len(lines) == 3  # every command names its retention
    assert max(asked.values()) <= 30 * DAY
    # ...and says so where 1.x kept more: forever (app) and a year (telegraf).
    assert "1.x kept data forever, but the" in script
    assert "1.x kept data 365 days, but the" in script
    # no source lists the organization's buckets: 3 is a lower bound
    assert "with at least the 0 that exist this is at least bucket 3" in script


def test_without_a_plan_the_command_asks_for_the_1x_duration_and_says_free_refuses_it() -> None:
    plan, verdict, _ = prove(model_on("cloud", None))
    assert verdict.action_errors == []  # the plan is unknown: nothing is refused
    script = flat(render_script(plan, ORG, verdict.assumption))
    assert "--name telegraf/one_year --retention 31536000s" in script
    assert "Free plan keeps data at most 30 days: a Free-plan organization answers 403" in script
    assert "give --cloud-plan free or usage-based" in script
