"""The consolidation as the operator's own plan with its changes (tickmig.targets.merged_plan):
every entry and comment of the given plan is kept, an entry whose database is folded says the
database it folds into, a `bucket =` becomes `database =`, the rest is added at the end."""

from __future__ import annotations

import sys

from tickmig.targets import parse_target
from tickmig.targets.consolidate import propose, render_comments
from tickmig.targets.merged_plan import merge
from tickmig.targets.plan import PairUse, build_plan

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]

CORE = parse_target("v3-core")
PLAN = """# written for InfluxDB 2
target = "oss"

[[rename]]
from = "app/one_week"
bucket = "app-weekly"   # the operator's bucket

# tasks defined with -dbrp
[[task]]
id = "rollup"
dbrps = ["app.one_week"]
"""


def uses(*pairs: tuple[str, str | None]) -> list[PairUse]:
    return [PairUse(db, rp, "write", "t.tick") for db, rp in pairs]


def core_plan(entries: dict[str, tuple[tuple[tuple[str, str | None], str], ...]]):  # type: ignore[no-untyped-def]
    # after the plan: app/one_week reaches "app-weekly"; five more databases, one of them db/rp
    found = uses(("app", None), ("app-weekly", "autogen"), ("a", None), ("b", None),
                 ("b", "long"), ("c", None), ("d", None))  # fmt: skip
    return build_plan(CORE, found, plan_files=(("plan.toml", PLAN),), entries=entries)


def test_the_given_plans_entries_and_comments_are_kept_and_its_entry_changed() -> None:
    plan = core_plan({"app-weekly": ((("app", "one_week"), "app/one_week"),)})
    assert plan.total == 7
    proposal = propose(plan)
    assert proposal is not None and proposal.fits
    merged = merge(PLAN, proposal, "v3-core")
    assert merged is not None
    doc = tomllib.loads(merged)
    assert doc["target"] == "v3-core" and doc["task"] == tomllib.loads(PLAN)["task"]
    assert doc["rename"][0] == {"from": "app/one_week", "database": "app"}
    assert {"from": "app-weekly", "database": "app"} in doc["rename"]
    assert {"from": "b/long", "database": "b"} in doc["rename"]
    assert "# written for InfluxDB 2" in merged and "# tasks defined with -dbrp" in merged
    assert 'target = "v3-core"   # was "oss"' in merged


def test_a_bucket_entry_no_fold_touches_becomes_its_database() -> None:
    plan = core_plan({})  # the entry's database is not foldable: only b/long is
    proposal = propose(plan)
    assert proposal is not None
    merged = merge(PLAN, proposal, "v3-core")
    assert merged is not None
    assert tomllib.loads(merged)["rename"][0] == {"from": "app/one_week", "database": "app-weekly"}


def test_the_script_tells_to_save_it_beside_the_plan_not_over_it() -> None:
    proposal = propose(core_plan({}))
    assert proposal is not None
    text = " ".join(render_comments(proposal, "v3-core", (("conf/plan.toml", PLAN),)))
    assert "save it as plan-v3-core.toml and use it instead of conf/plan.toml" in text
    assert "Save it as plan.toml" not in text


def test_without_a_plan_the_proposal_is_a_plan_of_its_own() -> None:
    proposal = propose(build_plan(CORE, uses(("a", None), ("b", None), ("b", "x"), ("c", None),
                                             ("d", None), ("e", None))))  # fmt: skip
    assert proposal is not None
    text = "\n".join(render_comments(proposal, "v3-core"))
    assert "Save it as consolidation.toml" in text and 'from = "b/x"' in text
