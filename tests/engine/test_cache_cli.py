"""`tickmig check` with its cache: the second run of an unchanged tree parses nothing and
prints the same report; an edited file is checked again; --no-cache leaves no cache."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import tickmig.engine.checker
import tickmig.tasks.workspace
from tickmig.cli.check import run_check
from tickmig.settings import Settings

SCENARIO = Path(__file__).resolve().parents[2] / "fixtures" / "migration" / "kapacitor"


def settings_for(tmp_path: Path, **changes: object) -> Settings:
    settings = Settings(output_format="json", cache_dir=str(tmp_path / "cache"), jobs=1)
    settings.select = ["TM003"]  # the examples below differ in their dbrp statement only
    for name, value in changes.items():
        setattr(settings, name, value)
    return settings


def no_parsing(*_args: object, **_kwargs: object) -> None:
    raise AssertionError("a cached check parsed a script")


def test_a_cached_check_parses_nothing_and_says_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tree = tmp_path / "kapacitor"
    shutil.copytree(SCENARIO, tree)
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    assert run_check([str(tree)], settings_for(tmp_path, select=[]), str(first)) == 1
    monkeypatch.setattr(tickmig.engine.checker, "parse", no_parsing)
    monkeypatch.setattr(tickmig.tasks.workspace, "parse", no_parsing)
    scripts_only = [str(p) for p in sorted(tree.glob("tasks/*.tick"))]
    # The definitions of a load directory parse their templates; plain scripts do not.
    assert run_check(scripts_only, settings_for(tmp_path, select=[]), str(second)) == 1
    monkeypatch.undo()
    assert run_check([str(tree)], settings_for(tmp_path, select=[]), str(second)) == 1
    assert second.read_bytes() == first.read_bytes()


def test_an_edited_script_is_checked_again(tmp_path: Path) -> None:
    script = tmp_path / "cpu.tick"
    script.write_text('dbrp "telegraf"."autogen"\nstream|from().measurement(\'cpu\')\n')
    out = tmp_path / "out.json"
    assert run_check([str(script)], settings_for(tmp_path), str(out)) == 0
    script.write_text("stream|from().measurement('cpu')\n")
    assert run_check([str(script)], settings_for(tmp_path), str(out)) == 1
    assert "TM003" in out.read_text()


def test_no_cache_writes_no_cache(tmp_path: Path) -> None:
    script = tmp_path / "cpu.tick"
    script.write_text('dbrp "telegraf"."autogen"\nstream|from().measurement(\'cpu\')\n')
    settings = settings_for(tmp_path, no_cache=True)
    assert run_check([str(script)], settings, str(tmp_path / "out.json")) == 0
    assert not (tmp_path / "cache").exists()


def test_a_changed_setting_is_a_new_cache(tmp_path: Path) -> None:
    script = tmp_path / "cpu.tick"
    script.write_text("stream|from().measurement('cpu')\n")
    out = tmp_path / "out.json"
    assert run_check([str(script)], settings_for(tmp_path), str(out)) == 1
    assert run_check([str(script)], settings_for(tmp_path, ignore=["TM003"]), str(out)) == 0
    assert run_check([str(script)], settings_for(tmp_path), str(out)) == 1


def test_tickmig_edited_in_place_is_a_new_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same version number with other code (an editable install, a patched copy) must not
    reuse results: the salt holds a fingerprint of tickmig's own files."""
    import tickmig.engine.replay

    script = tmp_path / "cpu.tick"
    script.write_text("stream|from().measurement('cpu')\n")
    out = tmp_path / "out.json"
    assert run_check([str(script)], settings_for(tmp_path), str(out)) == 1
    assert len(list((tmp_path / "cache").glob("check-*.json"))) == 1
    monkeypatch.setattr(tickmig.engine.replay, "code_fingerprint", lambda: "another build")
    assert run_check([str(script)], settings_for(tmp_path), str(out)) == 1
    assert len(list((tmp_path / "cache").glob("check-*.json"))) == 2
