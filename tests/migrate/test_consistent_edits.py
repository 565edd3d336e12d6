"""Edits that must go together form one fix: a task's `dbrp` statements and the batch queries
that read them (Kapacitor refuses a batch query of an undeclared pair), a var and its single use.
And fixes settle: the safe and the unsafe tiers over every corpus script, with a plan that
renames everything, never end in "did not settle"."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import corpus_oracle, corpus_text
from tests.migrate.test_corpus_migrate import rename_everything
from tickmig.engine.checker import Checker
from tickmig.engine.fixer import migrate
from tickmig.mappings import MappingSet, Rename
from tickmig.rules import select
from tickmig.tasks.analysis import analyse
from tickmig.tasks.workspace import Workspace
from tickmig.text.source import decode
from tickmig.tickscript.parser import parse

SCRIPT = """dbrp "telegraf"."autogen"

var q = 'SELECT mean("used") FROM "telegraf"."autogen"."mem"'

batch
    |query(q)
        .period(5m)
        .every(5m)
    |alert()
        .crit(lambda: "mean" > 90)
"""
PLAN = MappingSet(
    (),
    (),
    (Rename("telegraf", "autogen", "metrics", "autogen", None, "plan.toml"),),
    "oss",
    "plan.toml",
    from_server=False,
)


def run(
    text: str, *, unsafe: bool = False, mappings: MappingSet = PLAN
) -> tuple[str, dict[str, str]]:
    result = migrate(
        Workspace.of_texts([decode("t.tick", text.encode())]),
        Checker(mappings, select()),
        unsafe=unsafe,
    )
    change = result.changes.get("t.tick")
    return (change.text if change is not None else text), result.failed


def test_the_dbrp_and_the_query_in_a_var_used_once_are_renamed_together() -> None:
    new, failed = run(SCRIPT)
    assert failed == {}
    assert new == SCRIPT.replace('"telegraf"', '"metrics"')


def test_the_two_renames_are_one_fix_with_an_honest_title() -> None:
    run_ = Checker(PLAN, select()).check_source(decode("t.tick", SCRIPT.encode()))
    renames = [d for d in run_.diagnostics if d.code == "TM120"]
    assert len(renames) == 2
    assert renames[0].fix == renames[1].fix
    fix = renames[0].fix
    assert fix is not None and len(fix.edits) == 2
    assert (
        fix.title == 'Rename to "metrics"."autogen": the dbrp and the 1 query reading it, together'
    )
    assert not any("used elsewhere" in n for d in renames for n in d.notes)


def test_with_unsafe_fixes_the_fixes_settle() -> None:
    new, failed = run(SCRIPT, unsafe=True)
    assert failed == {}
    assert new == SCRIPT.replace('"telegraf"', '"metrics"')


def test_a_var_used_for_something_else_leaves_the_whole_group_alone() -> None:
    """Renaming only the dbrp would leave a query of an undeclared pair: Kapacitor refuses."""
    script = SCRIPT.replace("    |alert()\n", "    |alert()\n        .message(q)\n")
    for unsafe in (False, True):
        new, failed = run(script, unsafe=unsafe)
        assert (new, failed) == (script, {})
    result = Checker(PLAN, select()).check_source(decode("t.tick", script.encode()))
    notes = [n for d in result.diagnostics if d.code == "TM120" for n in d.notes]
    assert notes and all("var q is also used for something else" in n for n in notes)


def test_a_query_of_an_undeclared_renamed_pair_is_renamed_then_declared_once() -> None:
    script = SCRIPT.replace('dbrp "telegraf"', 'dbrp "other"')
    new, failed = run(script, unsafe=True)
    assert failed == {}
    assert new.count('dbrp "metrics"."autogen"') == 1
    assert '"metrics"."autogen"."mem"' in new


def test_review_offers_the_group_as_one_proposal(tmp_path: Path) -> None:
    from tickmig.engine.checker import checker_for
    from tickmig.review.proposals import propose
    from tickmig.settings import Settings
    from tickmig.tasks.workspace import load_workspace

    (tmp_path / "t.tick").write_text(SCRIPT, encoding="utf-8")
    (tmp_path / "plan.toml").write_text(
        '[[rename]]\nfrom = "telegraf/autogen"\nto = "metrics/autogen"\n', encoding="utf-8"
    )
    settings = Settings(mapping=[str(tmp_path / "plan.toml")])
    workspace = load_workspace([str(tmp_path / "t.tick")])
    found = propose(workspace, checker_for(settings), unsafe=False)
    assert [(p.code, len(p.edits)) for p in found.proposals] == [("TM120", 2)]


def _declared_variant(name: str, text: str) -> str | None:
    """The script with a `dbrp` statement for every pair its queries read, when it has none:
    the shape where the dbrp statements and the queries must change together."""
    task = analyse(parse(text), name)
    if task.dbrps:
        return None
    pairs = sorted(
        {
            (u.database.text, u.retention_policy.text)
            for u in task.reads
            if u.via == "query" and u.database.text and u.retention_policy.text
        }
    )
    if not pairs:
        return None
    head = "".join(
        f'dbrp "{db}"."{rp}"\n' for db, rp in pairs if '"' not in db + rp and "\\" not in db + rp
    )
    return head + "\n" + text if head else None


@pytest.mark.parametrize("unsafe", [False, True], ids=["safe", "unsafe"])
def test_fixes_settle_over_the_corpus_with_a_plan_renaming_everything(
    corpus_dir: Path, unsafe: bool
) -> None:
    texts = {row["file"]: corpus_text(row["file"]) for row in corpus_oracle()}
    accepted = {r["file"]: texts[r["file"]] for r in corpus_oracle() if r["ok"]}
    variants = {f"declared-{n}": v for n, t in accepted.items() if (v := _declared_variant(n, t))}
    assert len(variants) > 20
    everything = {**texts, **variants}
    checker = Checker(rename_everything({**accepted, **variants}), select())
    failures = {}
    changed = 0
    for name, text in sorted(everything.items()):
        result = migrate(Workspace.of_texts([decode(name, text.encode())]), checker, unsafe=unsafe)
        failures.update(result.failed)
        changed += len(result.changed())
    assert not [f for f in failures.values() if "did not settle" in f]
    assert failures == {}
    assert changed > 150
