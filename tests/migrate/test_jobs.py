"""`migrate -j N` says and writes exactly what `-j 1` does: the same diffs, the same copies
under --output-dir, the same messages and exit status, on a tree with fixes, a script that
does not parse, a file that cannot be read, and an edit the safety net refuses."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.migrate.test_define_time import RenameDefinitionDBRPOnly, write_load_directory
from tickmig.engine.checker import Checker
from tickmig.engine.fixer import Migration, migrate
from tickmig.mappings import embedded_default
from tickmig.rules import select
from tickmig.tasks.workspace import load_workspace

SCENARIO = Path(__file__).resolve().parents[2] / "fixtures" / "migration" / "kapacitor"
PLAN = (
    'target = "oss"\n[[rename]]\nfrom = "telegraf"\nto = "telegraf_v2"\n'
    '[[rename]]\nfrom = "mydb"\nto = "mydb_v2"\n'
)
MORE = (
    'dbrp "mydb"."autogen"\n\nstream\n    |from()\n        .measurement(\'m{n}\')\n'
    "    |influxDBOut()\n        .database('mydb')\n        .measurement('out{n}')\n"
)


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "tree"
    shutil.copytree(SCENARIO, root / "kapacitor")
    for n in range(12):  # enough scripts for both processes to get some
        (root / "more").mkdir(exist_ok=True)
        (root / "more" / f"m{n:02}.tick").write_text(MORE.format(n=n))
    (root / "more" / "broken.tick").write_text("stream\n    |from(\n")  # does not parse
    (root / "more" / "binary.tick").write_bytes(b"\xff\xfe\x00 not text")  # cannot be read
    (tmp_path / "plan.toml").write_text(PLAN)
    return tmp_path


def tickmig(cwd: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "tickmig", "migrate", *args],
        cwd=cwd,
        capture_output=True,
        timeout=300,
        stdin=subprocess.DEVNULL,
    )


def copies(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.mark.parametrize("mode", [[], ["--check", "--diff"], ["--annotate"]])
def test_j2_prints_what_j1_prints(tree: Path, mode: list[str]) -> None:
    one = tickmig(tree, "tree", "--mapping", "plan.toml", "-j", "1", *mode)
    two = tickmig(tree, "tree", "--mapping", "plan.toml", "-j", "2", *mode)
    assert one.returncode == 2, one.stderr  # the unreadable file
    assert b"binary.tick" in one.stderr and b"fixes applied" in one.stderr
    assert mode == ["--check", "--diff"] or b"telegraf_v2" in one.stdout
    assert (two.returncode, two.stdout, two.stderr) == (one.returncode, one.stdout, one.stderr)


def test_j2_writes_the_copies_j1_writes(tree: Path) -> None:
    runs = [
        tickmig(tree, "tree", "--mapping", "plan.toml", "-j", jobs, "--output-dir", f"out{jobs}")
        for jobs in ("1", "2")
    ]
    assert runs[0].returncode == 2, runs[0].stderr
    assert (runs[1].returncode, runs[1].stderr) == (runs[0].returncode, runs[0].stderr)
    first, second = copies(tree / "out1"), copies(tree / "out2")
    assert b"mydb_v2" in first["more/m00.tick"]
    assert first["more/broken.tick"] == (tree / "tree/more/broken.tick").read_bytes()
    assert second == first


def _summary(result: Migration) -> object:
    return (
        {p: (c.text, [d.code for d in c.applied]) for p, c in result.changes.items()},
        result.failed,
        result.input_errors,
        [(d.code, d.location) for d in result.remaining],
        result.scanned,
    )


def test_a_refused_edit_is_refused_with_any_number_of_processes(tmp_path: Path) -> None:
    write_load_directory(tmp_path, template_dbrp=False)
    for n in range(6):
        (tmp_path / f"s{n}.tick").write_text(MORE.format(n=n))
    checker = Checker(embedded_default("oss"), select())
    checker.rules.append(RenameDefinitionDBRPOnly())
    results = [migrate(load_workspace([str(tmp_path)]), checker, jobs=j) for j in (1, 2)]
    assert str(tmp_path / "tasks" / "cpu.yaml") in results[0].failed
    assert _summary(results[1]) == _summary(results[0])
