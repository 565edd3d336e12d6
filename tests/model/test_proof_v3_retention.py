"""The v3 proof carries the 1.x retention into InfluxDB 3: `create database` runs with the
retention policy's duration, a pair whose duration nobody knows is left to the first write
(auto-created, kept forever), and a consolidated database keeps one retention period."""

from __future__ import annotations

from dataclasses import replace

from tickmig.engine.v3plan import plan_for
from tickmig.mappings import embedded_default
from tickmig.mappings.model import SourceRetentionPolicy
from tickmig.model.flows import ModelInputs, build_model
from tickmig.model.proof_v3 import prove_v3
from tickmig.targets import parse_target
from tickmig.tasks.analysis import analyse
from tickmig.tickscript.parser import parse

SCRIPT = """\
dbrp "telegraf"."autogen"

batch
    |query('SELECT mean("usage_user") AS "usage_user" FROM "telegraf"."autogen"."cpu"')
        .period(1h)
        .every(1h)
    |influxDBOut()
        .database('telegraf')
        .retentionPolicy('one_year')
        .measurement('cpu_1h')
"""


def inventory(*rps: tuple[str, str, str, bool]) -> tuple[SourceRetentionPolicy, ...]:
    return tuple(SourceRetentionPolicy(db, rp, d, default, "1.x") for db, rp, d, default in rps)


def test_created_databases_keep_the_1x_durations():
    task = analyse(parse(SCRIPT, "rollup.tick"), "rollup.tick")
    ms = replace(
        embedded_default(parse_target("v3-core", kapacitor_version="1.8.3")),
        inventory=inventory(
            ("telegraf", "autogen", "168h0m0s", True),
            ("telegraf", "one_year", "8760h0m0s", False),
        ),
    )
    plan, verdict, server = prove_v3(
        build_model(ModelInputs([task], ms, None)), plan_for(ms, [task])
    )
    created = {a.bucket: a.retention for a in plan.actions if a.kind == "database-create"}
    assert created == {"telegraf": 168 * 3600, "telegraf/one_year": 8760 * 3600}
    assert server.databases["telegraf/one_year"].retention == 8760 * 3600
    assert not server.databases["telegraf/one_year"].auto_created
    assert verdict.ok, [f.reason for f in verdict.failing]


def test_an_unknown_duration_is_left_to_the_first_write():
    task = analyse(parse(SCRIPT, "rollup.tick"), "rollup.tick")
    ms = embedded_default(parse_target("v3-core", kapacitor_version="1.8.3"))
    plan, verdict, server = prove_v3(
        build_model(ModelInputs([task], ms, None)), plan_for(ms, [task])
    )
    assert "telegraf/one_year" not in {
        a.bucket for a in plan.actions if a.kind == "database-create"
    }
    landed = server.databases["telegraf/one_year"]
    assert landed.auto_created and landed.retention is None
    assert verdict.ok  # it lands; TM405 says the retention is lost
