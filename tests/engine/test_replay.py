"""A recorded `tickmig check` run (tickmig.engine.replay): the same command line on an
unchanged tree prints the same report and exit status without loading typer or parsing
anything; each thing the run depends on, changed, makes it check again; a damaged record is
ignored, never trusted."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

import tickmig
import tickmig.cli.app
from tickmig.__main__ import main
from tickmig.engine import replay

SCENARIO = Path(__file__).resolve().parents[2] / "fixtures" / "migration" / "kapacitor"
MAPPING = 'target = "oss"\n[[rename]]\nfrom = "telegraf"\nto = "telegraf_v2"\n'
ARGS = ["check", "kapacitor", "--output-format", "json", "--cache-dir", "cache", "-j", "1"]


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A load directory in a fresh folder (the current one), every file older than the run
    (RACY_NS 0: the stat of a file decides, as for a tree not edited in the last seconds)."""
    shutil.copytree(SCENARIO, tmp_path / "kapacitor")
    (tmp_path / "plan.toml").write_text(MAPPING)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(replay, "ARGV", None)
    monkeypatch.setattr(replay, "RACY_NS", 0)
    monkeypatch.delenv("TICKMIG_CACHE_DIR", raising=False)
    return tmp_path


def tickmig_main(monkeypatch: pytest.MonkeyPatch, *args: str) -> int:
    monkeypatch.setattr("sys.argv", ["tickmig", *args])
    try:
        main()
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


def replayed(monkeypatch: pytest.MonkeyPatch, *args: str) -> int | None:
    """The exit status of a replayed run, or None when `check` had to run."""
    ran: list[bool] = []

    def command() -> Callable[..., None]:
        ran.append(True)
        return lambda **_: None

    with monkeypatch.context() as m:
        m.setattr(tickmig.cli.app, "command", command)
        code = tickmig_main(m, *args)
    return None if ran else code


def recorded(monkeypatch: pytest.MonkeyPatch, *args: str, out: str = "first.json") -> int:
    code = tickmig_main(monkeypatch, *args, "-o", out)
    replay.ARGV = None
    return code


def test_an_unchanged_tree_is_replayed_byte_for_byte(
    tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert recorded(monkeypatch, *ARGS) == 1
    assert list((tree / "cache").glob("run-*.json")), "the first run must leave a record"
    # Another output file: where the report goes does not decide it.
    assert replayed(monkeypatch, *ARGS, "-o", "again.json") == 1
    assert (tree / "again.json").read_bytes() == (tree / "first.json").read_bytes()


def test_a_replay_loads_neither_typer_nor_the_parser(tree: Path) -> None:
    import subprocess
    import sys

    env = {**os.environ, "PYTHONPATH": str(Path(tickmig.__file__).parents[1])}
    first = subprocess.run(
        [sys.executable, "-m", "tickmig", *ARGS, "-o", "a.json"], cwd=tree, env=env, check=False
    )
    assert first.returncode == 1
    # The files were written just now (racy): the replay compares their bytes.
    probe = (
        "import sys, runpy\n"
        f"sys.argv = ['tickmig', *{ARGS!r}, '-o', 'b.json']\n"
        "try:\n    runpy.run_module('tickmig', run_name='__main__')\n"
        "except SystemExit as exc:\n    code = exc.code\n"
        "print(code, 'typer' in sys.modules, 'lark' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=tree, env=env, capture_output=True, text=True
    )
    assert done.stdout.split() == ["1", "False", "False"], done.stderr
    assert (tree / "b.json").read_bytes() == (tree / "a.json").read_bytes()


def _edit_same_size(path: Path) -> None:
    """Changes one byte and puts the old mtime back (size and mtime as before)."""
    info = path.stat()
    data = bytearray(path.read_bytes())
    data[data.index(b"cpu")] = ord("C")
    path.write_bytes(bytes(data))
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))


def _new_script(path: Path) -> None:
    path.parent.mkdir()
    path.write_text("stream|from()\n")


CHANGES: dict[str, Callable[[Path], object]] = {
    "a script, same size and mtime": lambda t: _edit_same_size(
        t / "kapacitor/tasks/cpu_minutely.tick"
    ),
    "a definition": lambda t: (t / "kapacitor/tasks/web_cpu_idle.yaml").write_text(
        (t / "kapacitor/tasks/web_cpu_idle.yaml").read_text() + "\n# edited\n"
    ),
    "a template": lambda t: (t / "kapacitor/templates/batch_rollup.tick").write_text(
        (t / "kapacitor/templates/batch_rollup.tick").read_text() + "// edited\n"
    ),
    "a new script in a new folder": lambda t: _new_script(t / "kapacitor/new/x.tick"),
    "a script removed": lambda t: (t / "kapacitor/tasks/disk_state.tick").unlink(),
    "a script renamed": lambda t: (t / "kapacitor/tasks/disk_state.tick").rename(
        t / "kapacitor/tasks/disk_state2.tick"
    ),
    "a settings file appears": lambda t: (t / "tickmig.toml").write_text('ignore = ["TM003"]\n'),
    "the mapping file": lambda t: (t / "plan.toml").write_text(MAPPING.replace("_v2", "_v3")),
    "the cache record's own tickmig version": lambda t: setattr(tickmig, "__version__", "9.9"),
}


@pytest.mark.parametrize("change", CHANGES, ids=list(CHANGES))
def test_anything_the_run_depends_on_changed_checks_again(
    tree: Path, monkeypatch: pytest.MonkeyPatch, change: str
) -> None:
    args = [*ARGS, "--mapping", "plan.toml"]
    assert recorded(monkeypatch, *args) == 1
    monkeypatch.setattr(tickmig, "__version__", tickmig.__version__)  # restored after the test
    CHANGES[change](tree)
    assert replayed(monkeypatch, *args) is None
    # ... and the run that follows is recorded again, then replayed.
    code = recorded(monkeypatch, *args, out="second.json")
    assert replayed(monkeypatch, *args, "-o", "third.json") == code
    assert (tree / "third.json").read_bytes() == (tree / "second.json").read_bytes()


@pytest.mark.parametrize(
    "other",
    [
        ["--select", "TM003"],  # another option
        ["--no-cache"],  # never replayed
    ],
)
def test_another_command_line_is_not_replayed(
    tree: Path, monkeypatch: pytest.MonkeyPatch, other: list[str]
) -> None:
    assert recorded(monkeypatch, *ARGS) == 1
    assert replayed(monkeypatch, *ARGS, *other) is None


def test_tickmig_edited_in_place_checks_again(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert recorded(monkeypatch, *ARGS) == 1
    monkeypatch.setattr(replay, "code_fingerprint", lambda: "another build")
    assert replayed(monkeypatch, *ARGS) is None


def test_a_racily_recorded_file_is_compared_by_its_bytes(
    tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file written in the same clock tick as the run keeps its stat across an edit on a
    coarse file system: such files are recorded as racy and their bytes decide."""
    monkeypatch.setattr(replay, "RACY_NS", 10**18)  # every file is racy
    assert recorded(monkeypatch, *ARGS) == 1
    assert replayed(monkeypatch, *ARGS) == 1  # racy but unchanged: its bytes match
    script = tree / "kapacitor/tasks/cpu_minutely.tick"
    _edit_same_size(script)
    (record,) = (tree / "cache").glob("run-*.json")
    data = json.loads(record.read_bytes())
    info = os.stat(script)
    for entry in data["files"]:  # as if the stat had not changed
        if entry[0].endswith("cpu_minutely.tick"):
            entry[1:6] = [
                info.st_dev,
                info.st_ino,
                info.st_size,
                info.st_mtime_ns,
                info.st_ctime_ns,
            ]
    record.write_text(json.dumps(data))
    assert replayed(monkeypatch, *ARGS) is None


def _record(tree: Path, suffix: str) -> Path:
    (path,) = (tree / "cache").glob(f"run-*{suffix}")
    return path


def _planted_link(record: Path) -> None:
    """The record moved away and a symbolic link to it in its place."""
    elsewhere = record.parent.parent / "elsewhere.json"
    record.rename(elsewhere)
    record.symlink_to(elsewhere)


DAMAGE: dict[str, Callable[[Path], object]] = {
    "record truncated": lambda t: _record(t, ".json").write_bytes(
        _record(t, ".json").read_bytes()[:100]
    ),
    "record not JSON": lambda t: _record(t, ".json").write_bytes(b"\xff\xfe garbage"),
    "record of another shape": lambda t: _record(t, ".json").write_text('{"format": 1}'),
    "status not a number": lambda t: _record(t, ".json").write_text(
        _record(t, ".json").read_text().replace('"status":1', '"status":"1"')
    ),
    "report truncated": lambda t: _record(t, ".out").write_bytes(
        _record(t, ".out").read_bytes()[:-10]
    ),
    "report altered": lambda t: _record(t, ".out").write_bytes(
        _record(t, ".out").read_bytes().replace(b"TM", b"XX", 1)
    ),
    "report missing": lambda t: _record(t, ".out").unlink(),
    "record a symbolic link": lambda t: _planted_link(_record(t, ".json")),
}


@pytest.mark.parametrize("damage", DAMAGE, ids=list(DAMAGE))
def test_a_damaged_record_is_ignored_and_rebuilt(
    tree: Path, monkeypatch: pytest.MonkeyPatch, damage: str
) -> None:
    assert recorded(monkeypatch, *ARGS) == 1
    DAMAGE[damage](tree)
    assert replayed(monkeypatch, *ARGS) is None
    assert recorded(monkeypatch, *ARGS, out="second.json") == 1
    assert (tree / "second.json").read_bytes() == (tree / "first.json").read_bytes()
    assert replayed(monkeypatch, *ARGS, "-o", "third.json") == 1


def test_a_config_file_check_is_recorded_with_the_config(
    tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    conf = tree / "telegraf.conf"
    conf.write_text('[[outputs.influxdb]]\n  urls = ["http://influx:8086"]\n')
    args = [*ARGS, "--telegraf-conf", "telegraf.conf"]
    code = recorded(monkeypatch, *args)
    assert replayed(monkeypatch, *args, "-o", "again.json") == code
    conf.write_text('[[outputs.influxdb]]\n  urls = ["http://influx:8087"]\n')
    assert replayed(monkeypatch, *args) is None


def test_runs_with_input_errors_are_not_recorded(
    tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tree / "kapacitor/tasks/bad.tick").write_bytes(b"\xff\xfe not utf-8")
    assert recorded(monkeypatch, *ARGS) == 2
    assert not list((tree / "cache").glob("run-*"))


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["check", "a", "-o", "x"], (["check", "a"], "x")),
        (["check", "--output=x", "a"], (["check", "a"], "x")),
        (["check", "a"], (["check", "a"], None)),
        (["check", "-ox", "a"], None),  # not read here: no replay
        (["check", "-o", "x", "-o", "y"], None),
    ],
)
def test_the_output_path_is_set_aside(
    argv: list[str], expected: tuple[list[str], str | None] | None
) -> None:
    assert replay.split_output(argv) == expected


def test_a_file_added_while_the_run_reads_the_tree_is_not_replayed_as_checked(
    tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tickmig.tasks.workspace

    load = tickmig.tasks.workspace.load_workspace

    def load_then_add(paths: list[str]) -> object:
        found = load(paths)
        (tree / "kapacitor/tasks/late.tick").write_text("stream|from()\n")
        return found

    with monkeypatch.context() as m:
        m.setattr(tickmig.tasks.workspace, "load_workspace", load_then_add)
        assert recorded(m, *ARGS) == 1
    assert not list((tree / "cache").glob("run-*"))
    assert replayed(monkeypatch, *ARGS) is None


def test_the_default_cache_inside_the_tree_is_replayed_from_the_second_run(
    tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`tickmig check .`: the first run creates .tickmig_cache (and the report) in the tree
    it reads, so only the second run, which finds them there, is recorded."""
    monkeypatch.chdir(tree / "kapacitor")
    args = ["check", ".", "--output-format", "json", "-j", "1"]
    assert recorded(monkeypatch, *args, out="report.json") == 1
    assert replayed(monkeypatch, *args, "-o", "report.json") is None
    assert recorded(monkeypatch, *args, out="report.json") == 1
    first = (tree / "kapacitor/report.json").read_bytes()
    assert replayed(monkeypatch, *args, "-o", "report.json") == 1
    assert replayed(monkeypatch, *args, "-o", "report.json") == 1
    assert (tree / "kapacitor/report.json").read_bytes() == first
