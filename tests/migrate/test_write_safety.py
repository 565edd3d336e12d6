"""What `--write`, `--output-dir`, `check -o` and `report -o` keep and refuse (issue 11, 0b
and 1): symlinks, hard links, owners, read-only files, edits made meanwhile, earlier backups,
file modes (never 0600), and no traceback or stray temp file when an output cannot be written."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tickmig.text.atomic import ChangedOnDisk, ReadOnlyFile, atomic_write, default_mode

OLD = 'dbrp "telegraf"."autogen"\nstream|from().measurement(\'cpu\')\n'


def tickmig(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tickmig", *args],
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
        cwd=cwd,
    )


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_symlink_stays_a_link_and_its_target_is_written(tmp_path: Path) -> None:
    real = tmp_path / "real.tick"
    real.write_text("old\n")
    link = tmp_path / "link.tick"
    link.symlink_to(real)
    atomic_write(str(link), b"new\n")
    assert link.is_symlink()
    assert real.read_text() == "new\n"


def test_hard_links_are_kept(tmp_path: Path) -> None:
    one = tmp_path / "one.tick"
    one.write_text("old\n")
    two = tmp_path / "two.tick"
    os.link(one, two)
    atomic_write(str(one), b"new\n", backup_suffix=".orig")
    assert one.stat().st_ino == two.stat().st_ino
    assert two.read_text() == "new\n"
    assert (tmp_path / "one.tick.orig").read_text() == "old\n"


def test_read_only_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "ro.tick"
    path.write_text("old\n")
    path.chmod(0o444)
    with pytest.raises(ReadOnlyFile):
        atomic_write(str(path), b"new\n")
    assert path.read_text() == "old\n" and mode(path) == 0o444


def test_a_file_edited_meanwhile_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "t.tick"
    path.write_text("edited by the user\n")
    with pytest.raises(ChangedOnDisk):
        atomic_write(str(path), b"new\n", expected=b"what tickmig read\n")
    assert path.read_text() == "edited by the user\n"


def test_owner_and_mode_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "t.tick"
    path.write_text("old\n")
    path.chmod(0o640)
    if os.geteuid() == 0:
        os.chown(path, 65534, 65534)
    atomic_write(str(path), b"new\n")
    assert mode(path) == 0o640
    if os.geteuid() == 0:
        assert (path.stat().st_uid, path.stat().st_gid) == (65534, 65534)


def test_second_backup_never_overwrites_the_first(tmp_path: Path) -> None:
    path = tmp_path / "t.tick"
    path.write_text("original\n")
    first = atomic_write(str(path), b"second\n", backup_suffix=".orig")
    second = atomic_write(str(path), b"third\n", backup_suffix=".orig")
    assert first == f"{path}.orig" and second == f"{path}.orig.1"
    assert (tmp_path / "t.tick.orig").read_text() == "original\n"
    assert (tmp_path / "t.tick.orig.1").read_text() == "second\n"
    assert not [p for p in tmp_path.iterdir() if "tickmig-" in p.name]


def test_new_files_get_the_umask_default_not_0600(tmp_path: Path) -> None:
    path = tmp_path / "new.txt"
    atomic_write(str(path), b"x")
    assert mode(path) == default_mode() != 0o600
    atomic_write(str(tmp_path / "given"), b"x", mode=0o640)
    assert mode(tmp_path / "given") == 0o640


def test_output_dir_copies_keep_the_input_modes(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "t.tick").write_text(OLD)
    (src / "t.tick").chmod(0o644)
    (src / "notes.txt").write_text("n\n")
    (src / "notes.txt").chmod(0o604)
    done = tickmig("migrate", str(src), "--output-dir", str(tmp_path / "out"))
    assert done.returncode in (0, 1), done.stderr
    copies = {p.name: mode(p) for p in (tmp_path / "out").rglob("*") if p.is_file()}
    assert copies == {"t.tick": 0o644, "notes.txt": 0o604}


def test_report_and_check_outputs_are_not_0600(tmp_path: Path) -> None:
    (tmp_path / "t.tick").write_text(OLD)
    assert tickmig("report", str(tmp_path / "t.tick"), "-o", str(tmp_path / "r.md")).returncode in (
        0,
        1,
    )
    assert tickmig("check", str(tmp_path / "t.tick"), "-o", str(tmp_path / "c.txt")).returncode in (
        0,
        1,
    )
    assert mode(tmp_path / "r.md") == default_mode()
    assert mode(tmp_path / "c.txt") == default_mode()


def test_check_output_that_cannot_be_written(tmp_path: Path) -> None:
    (tmp_path / "t.tick").write_text(OLD)
    done = tickmig("check", str(tmp_path / "t.tick"), "-o", str(tmp_path / "nosuch" / "c.txt"))
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert f"{tmp_path / 'nosuch' / 'c.txt'}: cannot write" in done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.tick"]


def test_check_output_does_not_write_through_a_planted_temp_symlink(tmp_path: Path) -> None:
    (tmp_path / "t.tick").write_text(OLD)
    victim = tmp_path / "victim"
    victim.write_text("precious\n")
    (tmp_path / "c.txt.tickmig-tmp").symlink_to(victim)  # the old fixed temp name
    tickmig("check", str(tmp_path / "t.tick"), "-o", str(tmp_path / "c.txt"))
    assert victim.read_text() == "precious\n"
    assert (tmp_path / "c.txt").is_file() and not (tmp_path / "c.txt").is_symlink()
