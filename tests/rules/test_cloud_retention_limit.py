"""TM421 cloud-retention-limit: a bucket the migration creates must not need a longer
retention than the InfluxDB Cloud plan allows (Free: 30 days; Usage-Based: 1 year or
forever)."""

from __future__ import annotations

import pytest

from tickmig.diagnostics import Severity

from .examples import BATCH, assert_unchanged, findings, marked

CODE = "TM421"
SCRIPT = (
    BATCH
    + "    |influxDBOut()\n        .database('telegraf')\n        .retentionPolicy('one_year')\n"
)


def on(target: str, duration: str | None) -> str:
    """`target`, with the 1.x duration of telegraf.one_year when given."""
    return target if duration is None else f"{target} v1=telegraf.one_year:{duration}"


UNCHANGED = [
    pytest.param(on("cloud plan=free", "8760h0m0s"), True, id="year-on-free"),
    pytest.param(on("cloud plan=free", "0s"), True, id="forever-on-free"),
    pytest.param(on("cloud plan=free", "720h0m0s"), False, id="30-days-on-free"),
    pytest.param(on("cloud plan=free", None), False, id="unknown-duration"),
    pytest.param(on("cloud plan=usage-based", "8760h0m0s"), False, id="year-on-usage-based"),
    pytest.param(on("cloud plan=usage-based", "0s"), False, id="forever-on-usage-based"),
    pytest.param(on("cloud plan=usage-based", "43800h0m0s"), True, id="5-years-usage-based"),
    pytest.param(on("cloud", "8760h0m0s"), True, id="year-no-plan"),
    pytest.param(on("cloud", "720h0m0s"), False, id="30-days-no-plan"),
    pytest.param(on("cloud-serverless plan=free", "8760h0m0s"), True, id="serverless-free"),
    pytest.param(on("oss", "8760h0m0s"), False, id="influxdb-oss"),
]


@pytest.mark.parametrize(("target", "fires"), UNCHANGED)
def test_migrate_leaves_it_unchanged(target: str, fires: bool) -> None:
    assert_unchanged(CODE, SCRIPT, fires, target)


def test_the_finding_points_at_the_write() -> None:
    (span,) = marked(CODE, SCRIPT, on("cloud plan=free", "8760h0m0s"))
    assert span == "influxDBOut()"


def test_free_plan_error_says_what_the_bucket_keeps() -> None:
    (found,) = findings(CODE, SCRIPT, target=on("cloud plan=free", "8760h0m0s"))
    assert found.severity is Severity.ERROR
    assert found.message == (
        'writes "telegraf"."one_year" in bucket "telegraf/one_year", which the migration '
        "creates; its 1.x retention policy kept data 365 days, and the InfluxDB Cloud Free "
        "plan keeps data at most 30 days: the command creates it to keep 30 days, so data "
        "older than that expires (move to the Usage-Based plan to keep it)"
    )


def test_forever_on_free_is_an_error_too() -> None:
    (found,) = findings(CODE, SCRIPT, target=on("cloud plan=free", "0s"))
    assert found.severity is Severity.ERROR
    assert "kept data forever" in found.message


def test_usage_based_keeps_forever_what_1x_kept_longer_than_a_year() -> None:
    (found,) = findings(CODE, SCRIPT, target=on("cloud plan=usage-based", "43800h0m0s"))
    assert found.severity is Severity.WARNING
    assert "kept data 1825 days" in found.message
    assert "Usage-Based plan keeps data at most 1 year or forever" in found.message
    assert "keep data forever (nothing is lost" in found.message


def test_no_plan_warns_against_the_free_plan() -> None:
    (found,) = findings(CODE, SCRIPT, target=on("cloud", "8760h0m0s"))
    assert found.severity is Severity.WARNING
    assert "the InfluxDB Cloud Free plan keeps data at most 30 days" in found.message
    assert '403 "provided retention exceeds orgs maximum retention duration"' in found.message
    assert "give --cloud-plan free" in found.message
