"""Special files and hostile inputs are refused by type or bounded, never waited on (issue 11,
0b): a FIFO or device as a script, config, decisions, settings or mapping file, or anywhere
under an --output-dir input; a YAML alias bomb; an unreadable subfolder."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tickmig.errors import ConfigError, InputError
from tickmig.tasks.located import parse_located
from tickmig.text.regular import NotRegularFile, read_regular
from tickmig.text.source import find_scripts


def tickmig(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tickmig", *args],
        capture_output=True,
        text=True,
        timeout=60,  # a FIFO that were opened would hang until here
        stdin=subprocess.DEVNULL,
        cwd=cwd,
    )


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    (tmp_path / "in" / "sub").mkdir(parents=True)
    (tmp_path / "in" / "a.tick").write_text('dbrp "db"."rp"\nstream|from()\n')
    os.mkfifo(tmp_path / "in" / "sub" / "x.tick")
    os.mkfifo(tmp_path / "in" / "sub" / "notes.txt")
    os.mkfifo(tmp_path / "fifo")
    return tmp_path


def test_read_regular_refuses_by_type_before_reading(tree: Path) -> None:
    with pytest.raises(NotRegularFile, match="is a FIFO"):
        read_regular(tree / "fifo")
    with pytest.raises(NotRegularFile, match="is a character device"):
        read_regular("/dev/zero")
    with pytest.raises(NotRegularFile, match="is a directory"):
        read_regular(tree)
    assert read_regular(tree / "in" / "a.tick", limit=4) == b"dbrp "  # at most limit + 1


def test_a_fifo_named_tick_is_an_error_not_a_hang(tree: Path) -> None:
    done = tickmig("check", str(tree / "in"))
    assert done.returncode == 2
    assert f"{tree / 'in' / 'sub' / 'x.tick'}: is a FIFO (named pipe)" in done.stderr


def test_output_dir_with_a_fifo_in_the_input(tree: Path) -> None:
    done = tickmig("migrate", str(tree / "in"), "--output-dir", str(tree / "out"))
    assert done.returncode == 2
    assert f"{tree / 'in' / 'sub' / 'notes.txt'}: not copied to" in done.stderr
    assert (tree / "out" / "in" / "a.tick").is_file() or (tree / "out" / "a.tick").is_file()


@pytest.mark.parametrize("option", ["--mapping", "--telegraf-conf", "--kapacitor-conf"])
def test_a_fifo_as_an_option_file_is_refused(tree: Path, option: str) -> None:
    command = "report" if option.endswith("-conf") else "check"
    done = tickmig(command, str(tree / "in" / "a.tick"), option, str(tree / "fifo"))
    assert done.returncode == 2, done.stderr
    assert "FIFO" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_fifo_as_the_settings_file(tree: Path) -> None:
    os.mkfifo(tree / "in" / "tickmig.toml")
    done = tickmig("check", "a.tick", cwd=tree / "in")
    assert done.returncode == 2
    assert "tickmig.toml" in done.stderr and "FIFO" in done.stderr


def test_a_fifo_as_the_decisions_file(tree: Path) -> None:
    done = tickmig(
        "migrate", str(tree / "in" / "a.tick"), "--decisions", str(tree / "fifo"), "--check"
    )
    assert done.returncode == 2
    assert "FIFO" in done.stderr and "Traceback" not in done.stderr


BOMB = """\
a: &a ["x","x","x","x","x","x","x","x","x"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""


def test_yaml_alias_bomb_is_refused() -> None:
    with pytest.raises(ConfigError, match="YAML aliases expand to more than 100000 values"):
        parse_located("tasks/bomb.yaml", BOMB)


def test_yaml_alias_bomb_in_a_load_directory(tmp_path: Path) -> None:
    (tmp_path / "tasks").mkdir()
    (tmp_path / "tasks" / "bomb.yaml").write_text(BOMB)
    (tmp_path / "tasks" / "t.tick").write_text('dbrp "db"."rp"\nstream|from()\n')
    done = tickmig("check", str(tmp_path))
    assert done.returncode == 2
    assert "bomb.yaml" in done.stderr and "YAML aliases expand" in done.stderr


def test_small_aliases_still_work() -> None:
    located = parse_located("t.yaml", "a: &x [1, 2]\nb: *x\n")
    assert [v.value for v in located.value["b"].value] == [1, 2]


def test_deep_nesting_is_a_message() -> None:
    with pytest.raises(ConfigError, match="nested too deeply"):
        parse_located("t.json", "[" * 100_000)


def test_unreadable_subfolder_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The tests run as root, who can read any folder: make one unlistable instead.
    (tmp_path / "locked").mkdir()
    (tmp_path / "a.tick").write_text("stream|from()\n")
    real = os.scandir

    def scandir(path: object = ".") -> object:
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "scandir", scandir)
    with pytest.raises(InputError, match="cannot read the folder: Permission denied"):
        find_scripts([str(tmp_path)])


def test_deeply_nested_decisions_and_mapping_files_are_messages(tmp_path: Path) -> None:
    (tmp_path / "t.tick").write_text("stream|from()\n")
    (tmp_path / "deep.json").write_text("[" * 100_000)
    done = tickmig(
        "migrate", str(tmp_path / "t.tick"), "--decisions", str(tmp_path / "deep.json"), "--check"
    )
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "nested too deeply" in done.stderr
    (tmp_path / "deep.json").write_text('{"content": ' + "[" * 100_000 + "}")
    done = tickmig("check", str(tmp_path / "t.tick"), "--mapping", str(tmp_path / "deep.json"))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "nested too deeply" in done.stderr
