"""The check cache: a result comes back only for the same text, facts and salt; a corrupt,
foreign or planted cache file is ignored, never trusted."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tickmig.diagnostics import FileResult
from tickmig.engine.cache import ResultCache, salt
from tickmig.engine.checker import Checker
from tickmig.mappings import embedded_default
from tickmig.rules import select
from tickmig.text.source import SourceFile

SCRIPT = (
    "dbrp \"telegraf\".\"autogen\"\nstream|from().measurement('cpu')|influxDBOut().database('x')\n"
)


def checked(text: str = SCRIPT, path: str = "a.tick") -> FileResult:
    checker = Checker(embedded_default("oss"), select(["TM"], []))
    return checker.check_source(SourceFile(path, text, bom=False, newline="\n"))


def test_a_result_comes_back_equal_for_the_same_text(tmp_path: Path) -> None:
    result = checked()
    assert result.diagnostics, "the example must have findings for the test to mean anything"
    cache = ResultCache(str(tmp_path / "c"), salt("v1"))
    cache.put("a.tick", SCRIPT, (), result)
    cache.save()
    again = ResultCache(str(tmp_path / "c"), salt("v1")).get("a.tick", SCRIPT, ())
    assert again == result


@pytest.mark.parametrize(
    ("text", "facts", "run_salt"),
    [
        (SCRIPT + "// edited\n", (), salt("v1")),  # the file changed
        (SCRIPT, ("instantiated",), salt("v1")),  # the check's facts changed
        (SCRIPT, (), salt("v2")),  # version, rules or mappings changed
    ],
)
def test_anything_that_decides_the_result_misses(
    tmp_path: Path, text: str, facts: tuple[str, ...], run_salt: str
) -> None:
    cache = ResultCache(str(tmp_path / "c"), salt("v1"))
    cache.put("a.tick", SCRIPT, (), checked())
    cache.save()
    assert ResultCache(str(tmp_path / "c"), run_salt).get("a.tick", text, facts) is None


def _cache_file(directory: Path) -> Path:
    cache = ResultCache(str(directory), salt("v1"))
    cache.put("a.tick", SCRIPT, (), checked())
    cache.save()
    (path,) = directory.glob("check-*.json")
    return path


@pytest.mark.parametrize(
    "damage",
    [
        lambda p: p.write_bytes(p.read_bytes()[: len(p.read_bytes()) // 2]),  # truncated
        lambda p: p.write_text("[1, 2, 3]"),  # not the shape
        lambda p: p.write_text('{"format": 1, "entries": {"a.tick": {"key": 1}}}'),
        lambda p: p.write_text(
            json.dumps(
                {
                    "format": 1,
                    "entries": {
                        "a.tick": {
                            "key": json.loads(p.read_text())["entries"]["a.tick"]["key"],
                            "result": {"task_type": None, "diagnostics": [{"code": 3}]},
                        }
                    },
                }
            )
        ),  # right key, a malformed result
        lambda p: p.write_bytes(b"\xff\xfe garbage"),
    ],
)
def test_a_damaged_cache_is_ignored_and_rebuilt(tmp_path: Path, damage: object) -> None:
    path = _cache_file(tmp_path / "c")
    damage(path)  # type: ignore[operator]
    cache = ResultCache(str(tmp_path / "c"), salt("v1"))
    assert cache.get("a.tick", SCRIPT, ()) is None
    cache.put("a.tick", SCRIPT, (), checked())
    cache.save()
    assert ResultCache(str(tmp_path / "c"), salt("v1")).get("a.tick", SCRIPT, ()) is not None


def test_a_symlink_or_fifo_in_place_of_the_cache_is_not_read(tmp_path: Path) -> None:
    real = _cache_file(tmp_path / "c")
    planted = tmp_path / "c2"
    planted.mkdir()
    (planted / real.name).symlink_to(real)
    assert ResultCache(str(planted), salt("v1")).get("a.tick", SCRIPT, ()) is None
    fifo_dir = tmp_path / "c3"
    fifo_dir.mkdir()
    os.mkfifo(fifo_dir / real.name)
    # Opening a FIFO must neither hang nor be read.
    assert ResultCache(str(fifo_dir), salt("v1")).get("a.tick", SCRIPT, ()) is None


def test_the_directory_is_private_and_tagged(tmp_path: Path) -> None:
    _cache_file(tmp_path / "c")
    assert (tmp_path / "c").stat().st_mode & 0o777 == 0o700
    assert (tmp_path / "c" / "CACHEDIR.TAG").read_text().startswith("Signature: 8a477f59")
    assert (tmp_path / "c" / ".gitignore").read_text() == "*\n"
