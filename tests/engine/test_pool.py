"""`-j N` shares the scripts between worker processes and this one (tickmig.engine.pool): the
results are those of `-j 1`, in the same order, whoever checked each script, and a progress bar
steps once per script."""

from __future__ import annotations

from concurrent.futures import Future
from pathlib import Path

import pytest

import tickmig.engine.pool as pool
from tickmig.diagnostics import FileResult
from tickmig.engine.checker import check_paths, checker_for
from tickmig.settings import Settings
from tickmig.tasks.workspace import load_workspace

SCRIPT = (
    'dbrp "mydb"."autogen"\n\nstream\n    |from()\n        .measurement(\'m{n}\')\n'
    "    |influxDBOut()\n        .database('mydb')\n        .measurement('out{n}')\n"
)


class Steps:
    def __init__(self) -> None:
        self.count = 0

    def step(self) -> None:
        self.count += 1


def results(root: Path, jobs: int, steps: Steps) -> list[FileResult]:
    checker = checker_for(Settings(no_cache=True))
    return check_paths(load_workspace([str(root)]), checker, jobs=jobs, progress=steps).results


@pytest.mark.parametrize("share", ["worker-only", "shared"])
def test_two_processes_give_the_results_of_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, share: str
) -> None:
    for n in range(9):
        (tmp_path / f"s{n}.tick").write_text(SCRIPT.format(n=n) if n != 4 else "stream\n  |from(\n")
    (tmp_path / "binary.tick").write_bytes(b"\xff\xfe\x00")
    one = Steps()
    expected = results(tmp_path, 1, one)
    monkeypatch.setattr(pool, "PIECE", 2)
    if share == "worker-only":
        monkeypatch.setattr(Future, "cancel", lambda self: False)
    two = Steps()
    got = results(tmp_path, 2, two)
    assert got == expected
    assert [r.path for r in got] == sorted(str(p) for p in tmp_path.glob("s*.tick"))
    assert any(d.code == "TM001" for d in got[4].diagnostics)  # the script that does not parse
    assert all(r.source == Path(r.path).read_text() for r in got)
    assert one.count == two.count == 10
