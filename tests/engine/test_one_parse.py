"""One parse per file per pass (issue 14): `migrate` parses each script once as it is and each
edited text once; the safety net, the next pass, the second-run check and the define-time
checks reuse those trees. Fixes that do not overlap are applied in one pass, and choosing them
grows with the number of fixes, not its square. Parses are counted by wrapping the parser's
entry point wherever tickmig imported it."""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from pathlib import Path

import pytest

import tickmig.engine.fixer as fixer
import tickmig.engine.pool as pool
import tickmig.tickscript.parser as parser
from tickmig.diagnostics import Diagnostic, Edit, Fix, Location, Severity
from tickmig.engine.checker import checker_for
from tickmig.engine.safety_net import _Shift
from tickmig.settings import Settings
from tickmig.tasks.workspace import load_workspace
from tickmig.text.edits import overlaps, shift

PLAN = (
    'target = "oss"\n[[rename]]\nfrom = "telegraf"\nto = "telegraf_v2"\n'
    '[[rename]]\nfrom = "mydb"\nto = "mydb_v2"\n'
)
RENAMED = (
    'dbrp "telegraf"."autogen"\n\nstream\n    |from()\n        .measurement(\'cpu{n}\')\n'
    "    |influxDBOut()\n        .database('mydb')\n        .measurement('out{n}')\n"
)
UNTOUCHED = (
    'dbrp "other"."autogen"\n\n// kept as it is\nstream\n    |from()\n'
    "        .measurement('m{n}')\n    |influxDBOut()\n        .database('other')\n"
)

Parses = Callable[[], Counter[str | None]]


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Parses]:
    """How many times each path was parsed, in this process and in the worker processes it
    starts (they inherit the wrapper and append to the same log)."""
    log = tmp_path / "parses.log"
    log.touch()
    original = parser.parse

    def counting(text: str, path: str | None = None) -> object:
        with log.open("a", encoding="utf-8") as out:
            out.write(f"{path}\n")
        return original(text, path)

    for name, module in list(sys.modules.items()):
        if name.startswith("tickmig") and getattr(module, "parse", None) is original:
            monkeypatch.setattr(module, "parse", counting)

    def counted() -> Counter[str | None]:
        return Counter(line or None for line in log.read_text(encoding="utf-8").splitlines())

    yield counted


def tree(tmp_path: Path, scripts: dict[str, str]) -> tuple[Path, Path]:
    root = tmp_path / "tree"
    for name, text in scripts.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    plan = tmp_path / "plan.toml"
    plan.write_text(PLAN)
    return root, plan


def run_migrate(root: Path, plan: Path, jobs: int = 1) -> fixer.Migration:
    checker = checker_for(Settings(mapping=[str(plan)]))
    return fixer.migrate(load_workspace([str(root)]), checker, jobs=jobs)


def test_each_file_is_parsed_as_it_is_once_and_as_migrated_once(
    tmp_path: Path, parses: Parses
) -> None:
    scripts = {f"a/r{n}.tick": RENAMED.format(n=n) for n in range(4)}
    scripts |= {f"b/u{n}.tick": UNTOUCHED.format(n=n) for n in range(3)}
    root, plan = tree(tmp_path, scripts)
    result = run_migrate(root, plan)
    changed = {c.path for c in result.changed()}
    assert changed == {str(root / p) for p in scripts if "/r" in p}
    assert not result.failed
    assert result.passes == 1
    budget = {str(root / p): 2 if str(root / p) in changed else 1 for p in scripts}
    assert dict(parses()) == budget
    # The migrated scripts' trees are handed over: they are the trees of the migrated texts.
    assert set(result.trees) == changed
    for path in changed:
        assert result.trees[path].source == result.changes[path].text


@pytest.mark.parametrize("share", ["worker-only", "shared"])
def test_with_two_processes_each_file_is_parsed_once_as_it_is_and_once_as_migrated(
    tmp_path: Path, parses: Parses, monkeypatch: pytest.MonkeyPatch, share: str
) -> None:
    """The worker that checked a script sends its tree back with the findings, so the safety
    net here does not parse the old text again (parses in the workers count too). Either
    the worker checks every script, or this process takes its share too (one script a
    piece)."""
    monkeypatch.setattr(pool, "PIECE", 1)
    if share == "worker-only":  # this process never takes a piece back from the pool
        monkeypatch.setattr(Future, "cancel", lambda self: False)
    scripts = {f"r{n}.tick": RENAMED.format(n=n) for n in range(4)}
    scripts |= {f"u{n}.tick": UNTOUCHED.format(n=n) for n in range(4)}
    root, plan = tree(tmp_path, scripts)
    result = run_migrate(root, plan, jobs=2)
    changed = {c.path for c in result.changed()}
    assert len(changed) == 4
    assert not result.failed
    assert dict(parses()) == {str(root / p): 2 if p.startswith("r") else 1 for p in scripts}


def test_independent_fixes_in_one_file_settle_in_one_pass(tmp_path: Path, parses: Parses) -> None:
    k = 6
    outputs = "".join(
        f"\nstream\n    |from()\n        .measurement('in{n}')\n"
        f"    |influxDBOut()\n        .database('mydb')\n        .measurement('out{n}')\n"
        for n in range(k)
    )
    root, plan = tree(tmp_path, {"many.tick": 'dbrp "telegraf"."autogen"\n' + outputs})
    result = run_migrate(root, plan)
    (change,) = result.changed()
    assert change.text.count(".database('mydb_v2')") == k
    assert 'dbrp "telegraf_v2"."autogen"' in change.text
    assert len(change.applied) == k + 1
    assert result.passes == 1
    assert parses()[change.path] == 2


def fix_at(path: str, start: int, end: int) -> Diagnostic:
    location = Location(path, start, end, 1, start + 1, 1, end + 1)
    fix = Fix("rename", (Edit(path, start, end, "x"),))
    return Diagnostic("TM101", "t", "m", Severity.WARNING, location, fix=fix)


def count_comparisons(monkeypatch: pytest.MonkeyPatch, candidates: list[Diagnostic]) -> int:
    calls = 0
    original = overlaps

    def counting(a: Edit, b: Edit) -> bool:
        nonlocal calls
        calls += 1
        return original(a, b)

    monkeypatch.setattr(fixer, "overlaps", counting)
    fixer._non_overlapping(candidates)
    monkeypatch.setattr(fixer, "overlaps", original)
    return calls


@pytest.mark.parametrize("files", [1, 400])
def test_choosing_fixes_grows_with_their_number_not_its_square(
    monkeypatch: pytest.MonkeyPatch, files: int
) -> None:
    per_file = 400 // files
    candidates = [
        fix_at(f"f{i}.tick", 10 * j, 10 * j + 4) for i in range(files) for j in range(per_file)
    ]
    overlapping = [fix_at("f0.tick", 2, 6), fix_at("f0.tick", 3, 3), fix_at("f0.tick", 4, 4)]
    chosen = fixer._non_overlapping(candidates + overlapping)
    # The first two overlap the edit at 0-4 and wait for the next pass; an insertion at its
    # end does not overlap it.
    assert chosen == sorted([*candidates, overlapping[2]], key=Diagnostic.sort_key)
    # Each edit is compared with at most the two taken edits beside its place.
    assert count_comparisons(monkeypatch, candidates + overlapping) <= 2 * (len(candidates) + 2)


@pytest.mark.parametrize(
    "spans",
    [
        [(3, 5), (5, 5), (5, 8)],
        [(0, 0), (4, 4), (4, 9), (12, 20)],
        [(2, 7), (7, 7), (9, 9), (9, 11)],
    ],
)
def test_the_safety_nets_shift_is_the_edits_shift(spans: list[tuple[int, int]]) -> None:
    edits = [Edit("t", s, e, "y" * (1 + s % 3)) for s, e in reversed(spans)]
    by_bisection = _Shift(edits)
    for offset in range(25):
        for end in (False, True):
            assert by_bisection(offset, end=end) == shift(offset, edits, end=end)


def test_the_first_pass_hands_over_the_task_models_without_parsing_again(
    tmp_path: Path, parses: Parses
) -> None:
    scripts = {f"r{n}.tick": RENAMED.format(n=n) for n in range(3)}
    scripts |= {f"u{n}.tick": UNTOUCHED.format(n=n) for n in range(2)}
    root, plan = tree(tmp_path, scripts)
    checker = checker_for(Settings(mapping=[str(plan)]))
    result = fixer.migrate(load_workspace([str(root)]), checker, keep_tasks=True)
    tasks = {t.path: t for t in result.before.tasks}
    assert set(tasks) == {str(root / p) for p in scripts}
    # The models of the files as they are (the report's input), not of the migrated texts.
    assert all(t.script.source == (root / Path(t.path).name).read_text() for t in tasks.values())
    assert {t.dbrps[0].database.text for t in tasks.values()} == {"telegraf", "other"}
    assert max(parses().values()) == 2
    assert sum(parses().values()) == len(scripts) + len(result.changed())


def calls_to_migrate(tmp_path: Path, files: int) -> int:
    """The Python function calls `migrate` makes on `files` scripts, two fixes each."""
    scripts = {f"d{n // 50}/r{n}.tick": RENAMED.format(n=n) for n in range(files)}
    root, plan = tree(tmp_path / str(files), scripts)
    checker = checker_for(Settings(mapping=[str(plan)]))
    workspace = load_workspace([str(root)])
    calls = 0

    def count(frame: object, event: str, arg: object) -> None:
        nonlocal calls
        calls += event == "call"

    sys.setprofile(count)
    try:
        result = fixer.migrate(workspace, checker)
    finally:
        sys.setprofile(None)
    assert len(result.changed()) == files and result.fixes_applied == 2 * files
    return calls


def test_migrate_does_no_more_than_twice_the_work_on_twice_the_files(tmp_path: Path) -> None:
    """Issue 11 saw migrate slow down quadratically with the number of fixes: counted in
    function calls (not time), twice the changed files cost at most twice the calls."""
    small, large = calls_to_migrate(tmp_path, 40), calls_to_migrate(tmp_path, 80)
    assert large <= 2 * small, (small, large)


def test_kept_trees_hold_no_token_lists(tmp_path: Path) -> None:
    """What a migration keeps between passes is the tree and task model without the lexer's
    token list (nothing after parsing reads it; holding it for every fixable script of a
    10,000-script report cost about 18 MB): the safety net and the next pass work as before."""
    from tickmig.engine.jobs import Kept, lean
    from tickmig.tasks.analysis import analyse
    from tickmig.tickscript.parser import parse

    text = RENAMED.format(n=1)
    script = parse(text, "r.tick")
    assert script.tokens  # the parser's own checks (tickscript.unparse) read them
    slim = lean(Kept(text, script, analyse(script, "r.tick")))
    assert slim.tree.tokens == () and slim.tree == script
    assert slim.task is not None and slim.task.script is slim.tree
    scripts = {f"a/r{n}.tick": RENAMED.format(n=n) for n in range(3)}
    root, plan = tree(tmp_path, scripts)
    result = run_migrate(root, plan)
    assert not result.failed and len(result.changes) == 3
    assert all(t.tokens == () for t in result.trees.values())
