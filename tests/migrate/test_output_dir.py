"""`migrate --output-dir` never loses a file (issue 11, item 1): several inputs mirror under
their own names or are refused before anything is written, every input file has a copy (a
refused one too), the input folder itself is refused as output, and an output folder inside
the input is not migrated again on the next run."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

OLD = 'dbrp "telegraf"."autogen"\nstream|from().measurement(\'cpu\')\n'


def tickmig(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tickmig", *args],
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )


def files(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): p.read_text()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != ".tickmig-output"
    }


def test_several_roots_mirror_under_their_own_names(tmp_path: Path) -> None:
    for name in ("a", "b"):
        (tmp_path / name / "tasks").mkdir(parents=True)
        (tmp_path / name / "tasks" / "x.tick").write_text(OLD.replace("cpu", name))
    out = tmp_path / "out"
    done = tickmig("migrate", str(tmp_path / "a"), str(tmp_path / "b"), "--output-dir", str(out))
    assert done.returncode in (0, 1), done.stderr
    copies = files(out)
    assert sorted(copies) == ["a/tasks/x.tick", "b/tasks/x.tick"]
    assert "'a'" in copies["a/tasks/x.tick"] and "'b'" in copies["b/tasks/x.tick"]


def test_a_collision_is_refused_before_writing(tmp_path: Path) -> None:
    for name in ("one", "two"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "x.tick").write_text(OLD)
    out = tmp_path / "out"
    done = tickmig(
        "migrate",
        str(tmp_path / "one" / "x.tick"),
        str(tmp_path / "two" / "x.tick"),
        "--output-dir",
        str(out),
    )
    assert done.returncode == 2
    assert "would both be copied to" in done.stderr and "nothing was written" in done.stderr
    assert not out.exists()


def test_a_single_root_mirrors_as_before(tmp_path: Path) -> None:
    (tmp_path / "in" / "tasks").mkdir(parents=True)
    (tmp_path / "in" / "tasks" / "x.tick").write_text(OLD)
    out = tmp_path / "out"
    assert tickmig("migrate", str(tmp_path / "in"), "--output-dir", str(out)).returncode in (0, 1)
    assert sorted(files(out)) == ["tasks/x.tick"]


def test_a_file_the_safety_net_refused_is_copied_as_it_was(tmp_path: Path) -> None:
    from tickmig.cli.migrate import _plan_copies, _write_copies
    from tickmig.engine.fixer import Migration
    from tickmig.tasks.workspace import load_workspace

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "good.tick").write_text(OLD)
    (tmp_path / "in" / "refused.tick").write_text(OLD)
    workspace = load_workspace([str(tmp_path / "in")])
    out = str(tmp_path / "out")
    refused = str(tmp_path / "in" / "refused.tick")
    result = Migration(failed={refused: "the edited text does not parse"})
    assert _write_copies(result, workspace, out, _plan_copies(workspace, out)) == []
    assert files(tmp_path / "out") == {"good.tick": OLD, "refused.tick": OLD}


def test_the_input_folder_as_output_is_refused(tmp_path: Path) -> None:
    (tmp_path / "x.tick").write_text(OLD)
    done = tickmig("migrate", str(tmp_path), "--output-dir", str(tmp_path))
    assert done.returncode == 2
    assert "would overwrite the originals; use --write" in done.stderr
    assert (tmp_path / "x.tick").read_text() == OLD
    done = tickmig("migrate", str(tmp_path / "x.tick"), "--output-dir", str(tmp_path))
    assert done.returncode == 2 and (tmp_path / "x.tick").read_text() == OLD


def test_an_output_folder_inside_the_input_is_not_migrated_again(tmp_path: Path) -> None:
    (tmp_path / "x.tick").write_text(OLD)
    out = tmp_path / "migrated"
    first = tickmig("migrate", str(tmp_path), "--output-dir", str(out))
    assert first.returncode in (0, 1), first.stderr
    assert (out / ".tickmig-output").is_file()
    second = tickmig("migrate", str(tmp_path), "--output-dir", str(out))
    assert second.returncode in (0, 1), second.stderr
    assert sorted(files(out)) == ["x.tick"]
    assert "1 files scanned" in second.stderr
    assert tickmig("check", str(tmp_path)).stdout.count("migrated") == 0


def test_copies_are_made_durable_by_one_sync_not_an_fsync_each(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The originals stay untouched under --output-dir, so the copies need not be flushed one
    by one (an fsync costs milliseconds: most of a 10,000-file run); one sync before migrate
    reports makes them all durable."""
    from tickmig.cli.migrate import _plan_copies, _write_copies
    from tickmig.engine.fixer import Migration
    from tickmig.tasks.workspace import load_workspace

    (tmp_path / "in").mkdir()
    for n in range(20):
        (tmp_path / "in" / f"t{n}.tick").write_text(OLD)
    calls: list[str] = []
    real_fsync, real_sync = os.fsync, os.sync
    monkeypatch.setattr(os, "fsync", lambda fd: (calls.append("fsync"), real_fsync(fd))[1])
    monkeypatch.setattr(os, "sync", lambda: (calls.append("sync"), real_sync())[1])
    workspace = load_workspace([str(tmp_path / "in")])
    out = str(tmp_path / "out")
    assert _write_copies(Migration(), workspace, out, _plan_copies(workspace, out)) == []
    assert len(files(tmp_path / "out")) == 20
    assert calls.count("fsync") <= 1  # the output folder's mark, written alone
    assert calls[-1] == "sync"
