"""`tickmig migrate`: dry run, --check, --write (atomic; mode, BOM and line endings kept;
--backup), --output-dir, standard input, and files that cannot be migrated."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

PLAN = '[[rename]]\nfrom = "telegraf/one_year"\nto = "telegraf/downsampled"\n'
SCRIPT = (
    'dbrp "telegraf"."autogen"\n\nstream\n    |from()\n'
    "        .measurement('cpu')\n    |influxDBOut()\n        .database('telegraf')\n"
    "        .retentionPolicy('one_year')\n"
)
MIGRATED = SCRIPT.replace("'one_year'", "'downsampled'")


def tickmig(
    *args: str, cwd: Path | None = None, stdin: bytes | None = None
) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "tickmig", *args],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        timeout=300,
        env={**os.environ, "NO_COLOR": "1"},
    )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "plan.toml").write_text(PLAN, encoding="utf-8")
    scripts = tmp_path / "scripts"
    scripts.mkdir()
    (scripts / "a.tick").write_text(SCRIPT, encoding="utf-8")
    (scripts / "clean.tick").write_text(
        'dbrp "telegraf"."autogen"\n\nstream|from()\n', encoding="utf-8"
    )
    return tmp_path


def run(project: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    return tickmig("migrate", "scripts", "--mapping", "plan.toml", *args, cwd=project)


def test_dry_run_prints_a_diff_and_writes_nothing(project: Path) -> None:
    proc = run(project)
    assert proc.returncode == 0
    out = proc.stdout.decode()
    assert out.startswith("--- a/scripts/a.tick\n+++ b/scripts/a.tick\n")
    assert "-        .retentionPolicy('one_year')\n+        .retentionPolicy('downsampled')" in out
    assert "\x1b[" not in out
    assert (project / "scripts" / "a.tick").read_text() == SCRIPT
    assert proc.stderr.decode().strip() == (
        "2 files scanned, 1 changed, 1 fixes applied, 0 unsafe fixes skipped, 0 errors"
    )


def test_color_always(project: Path) -> None:
    assert "\x1b[32m+" in run(project, "--color", "always").stdout.decode()


def test_check_exits_1_when_something_would_change(project: Path) -> None:
    proc = run(project, "--check")
    assert proc.returncode == 1
    assert proc.stdout.decode() == "would migrate: scripts/a.tick\n"
    run(project, "--write")
    assert run(project, "--check").returncode == 0


def test_write_keeps_mode_bom_and_line_endings(project: Path) -> None:
    path = project / "scripts" / "a.tick"
    path.write_bytes(b"\xef\xbb\xbf" + SCRIPT.replace("\n", "\r\n").encode())
    os.chmod(path, 0o640)
    proc = run(project, "--write", "--backup", ".orig")
    assert proc.returncode == 0, proc.stderr
    assert path.read_bytes() == b"\xef\xbb\xbf" + MIGRATED.replace("\n", "\r\n").encode()
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert (project / "scripts" / "a.tick.orig").read_bytes().startswith(b"\xef\xbb\xbf")
    assert not list((project / "scripts").glob("*.tickmig-tmp"))


def test_output_dir_mirrors_the_tree(project: Path) -> None:
    proc = run(project, "--output-dir", "out")
    assert proc.returncode == 0
    assert (project / "out" / "a.tick").read_text() == MIGRATED
    assert (project / "out" / "clean.tick").exists()
    assert (project / "scripts" / "a.tick").read_text() == SCRIPT


def test_standard_input_to_standard_output(project: Path) -> None:
    proc = tickmig("migrate", "-", "--mapping", "plan.toml", cwd=project, stdin=SCRIPT.encode())
    assert proc.returncode == 0 and proc.stdout.decode() == MIGRATED


def test_exclusive_options(project: Path) -> None:
    assert run(project, "--write", "--check").returncode == 2
    assert run(project, "--backup", ".b").returncode == 2


def test_bad_files_are_reported_and_the_rest_is_migrated(project: Path) -> None:
    scripts = project / "scripts"
    (scripts / "broken.tick").write_text("stream|from(\n", encoding="utf-8")
    (scripts / "binary.tick").write_bytes(b"\x00\x01\x02")
    os.symlink(scripts / "nowhere.tick", scripts / "dangling.tick")
    proc = run(project, "--write")
    err = proc.stderr.decode()
    assert proc.returncode == 2
    assert "binary.tick" in err and "dangling.tick" in err
    assert (scripts / "a.tick").read_text() == MIGRATED
    assert (scripts / "broken.tick").read_text() == "stream|from(\n"
    assert (scripts / "binary.tick").read_bytes() == b"\x00\x01\x02"


def test_unwritable_file_is_reported_and_left(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """os.replace fails for one file (root ignores permission bits, so the failure is
    injected); the other file is still written and the failing one is left as it was."""
    import tickmig.text.atomic
    from tickmig.cli.migrate import MigrateOptions, run_migrate
    from tickmig.settings import Settings

    scripts = project / "scripts"
    (scripts / "b.tick").write_text(SCRIPT, encoding="utf-8")
    real_replace = os.replace

    def replace(src: str, dst: str) -> None:
        if dst.endswith("b.tick"):
            raise PermissionError(13, "Permission denied")
        real_replace(src, dst)

    monkeypatch.setattr(tickmig.text.atomic.os, "replace", replace)
    monkeypatch.chdir(project)
    settings = Settings(mapping=["plan.toml"])
    code = run_migrate(["scripts"], settings, MigrateOptions(write=True))
    err = capsys.readouterr().err
    assert code == 2
    assert "scripts/b.tick: cannot write: Permission denied" in err
    assert (scripts / "a.tick").read_text() == MIGRATED
    assert (scripts / "b.tick").read_text() == SCRIPT
    assert not list(scripts.glob("*.tickmig-tmp"))


TEMPLATE = """\
var db string
var rp string

stream
    |from()
        .measurement('cpu')
    |influxDBOut()
        .database(db)
        .retentionPolicy(rp)
"""
DEFINITION = """\
# CPU copy for the long-term dashboards
template-id: copy
dbrps:
  - db: telegraf
    rp: autogen
vars:
  db: {type: string, value: telegraf}   # the database
  rp:
    type: string
    value: 'one_year'   # quoted on purpose
"""


def test_template_vars_are_edited_in_the_task_definition(tmp_path: Path) -> None:
    (tmp_path / "plan.toml").write_text(PLAN, encoding="utf-8")
    load = tmp_path / "load"
    (load / "templates").mkdir(parents=True)
    (load / "tasks").mkdir()
    (load / "templates" / "copy.tick").write_text(TEMPLATE, encoding="utf-8")
    (load / "tasks" / "copy.yaml").write_text(DEFINITION, encoding="utf-8")
    proc = tickmig("migrate", "load", "--mapping", "plan.toml", "--write", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert (load / "templates" / "copy.tick").read_text() == TEMPLATE
    assert (load / "tasks" / "copy.yaml").read_text() == DEFINITION.replace(
        "'one_year'", "'downsampled'"
    )
