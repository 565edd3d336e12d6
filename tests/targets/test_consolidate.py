"""The consolidation plan for InfluxDB 3 Core's 5 databases (tickmig.targets.consolidate): which
retention policies fold into their database, what it costs, and the plan TOML it prints."""

from __future__ import annotations

import tomllib

from tickmig.targets import parse_target
from tickmig.targets.consolidate import plan_toml, propose, render_comments
from tickmig.targets.plan import PairUse, build_plan

CORE = parse_target("v3-core")


def uses(*specs: tuple[str, str | None, str, str | None]) -> list[PairUse]:
    return [PairUse(db, rp, direction, "t.tick", m) for db, rp, direction, m in specs]


# The modest 1.x install of the InfluxDB 3 facts: telegraf with two extra retention policies,
# chronograf, two application databases (one with an extra retention policy).
INSTALL = uses(
    ("telegraf", "autogen", "read", "cpu"),
    ("telegraf", "one_year", "write", "cpu"),  # the rollup keeps the measurement name
    ("telegraf", "five_years", "write", "cpu_1d"),
    ("chronograf", "autogen", "write", "alerts"),
    ("shop", None, "write", "orders"),
    ("shop", "short", "write", "carts"),
    ("billing", "autogen", "write", "invoices"),
)


def test_nothing_to_propose_under_the_limit():
    plan = build_plan(CORE, INSTALL[:4])
    assert not plan.over_limit and propose(plan) is None
    assert propose(build_plan(parse_target("v3-enterprise"), INSTALL)) is None


def test_the_database_with_most_retention_policies_is_folded_first():
    plan = build_plan(CORE, INSTALL)
    assert plan.total == 7
    proposal = propose(plan)
    assert proposal is not None and proposal.fits
    assert [(f.from_text, f.database) for f in proposal.folds] == [
        ("telegraf/five_years", "telegraf"),
        ("telegraf/one_year", "telegraf"),
    ]
    assert (proposal.before, proposal.after) == (7, 5)  # "shop/short" may stay


def test_a_measurement_in_two_folded_retention_policies_is_flagged():
    proposal = propose(build_plan(CORE, INSTALL))
    assert proposal is not None
    (collision,) = proposal.collisions
    assert collision.startswith('measurement "cpu" is in "one_year", the default retention')
    assert "share one table" in collision


def test_the_cost_in_retention_uses_the_1x_durations_when_known():
    durations = {("telegraf", "autogen"): "168h0m0s", ("telegraf", "one_year"): "8760h0m0s"}
    proposal = propose(build_plan(CORE, INSTALL, v1_durations=durations))
    assert proposal is not None
    (cost,) = proposal.retention
    assert "one retention period for telegraf/five_years, telegraf/one_year" in cost
    assert "default 168h0m0s, one_year 8760h0m0s" in cost
    assert "Core cannot change it later" in cost


def test_the_plan_is_a_tickmig_plan():
    proposal = propose(build_plan(CORE, INSTALL))
    assert proposal is not None
    doc = tomllib.loads(plan_toml(proposal, "v3-core"))
    assert doc == {
        "target": "v3-core",
        "rename": [
            {"from": "telegraf/five_years", "database": "telegraf"},
            {"from": "telegraf/one_year", "database": "telegraf"},
        ],
    }
    text = "\n".join(render_comments(proposal, "v3-core"))
    assert "Collision: measurement" in text and "7 databases, the limit is 5" in text


def test_too_many_databases_even_after_folding_is_said():
    many = uses(
        *((f"db{i}", "autogen", "write", None) for i in range(6)), ("db0", "x", "write", None)
    )
    proposal = propose(build_plan(CORE, many))
    assert proposal is not None and not proposal.fits
    assert proposal.after == 6
    assert "still over the limit: merge databases by hand" in " ".join(
        render_comments(proposal, "v3-core")
    )


def test_a_database_the_server_has_is_not_folded_away():
    # telegraf/one_year exists on the server: folding it saves nothing
    plan = build_plan(CORE, INSTALL, existing={"telegraf/one_year": "8760h0m0s"})
    proposal = propose(plan)
    assert proposal is not None
    assert all(f.was != "telegraf/one_year" for f in proposal.folds)
