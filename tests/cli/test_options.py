"""The options check, migrate and report share are declared once (MappingOptions): each command
lists them in the same order with the same help, and the values reach the settings over the
settings file."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path
from typing import Any

import pytest
import typer

from tickmig.cli.app import app
from tickmig.cli.options import MappingOptions

SHARED = [f.name for f in fields(MappingOptions)]


def options_of(command: str) -> list[Any]:
    """The command's options as typer builds them (its own vendored click: duck typed)."""
    group: Any = typer.main.get_command(app)
    return [p for p in group.commands[command].params if p.param_type_name == "option"]


@pytest.mark.parametrize("command", ["check", "migrate", "report"])
def test_each_command_takes_the_shared_options_in_one_run(command: str) -> None:
    names = [p.name for p in options_of(command)]
    start = names.index(SHARED[0])
    assert names[start : start + len(SHARED)] == SHARED


def test_the_shared_options_read_the_same_everywhere() -> None:
    def shown(command: str) -> list[tuple[object, ...]]:
        return [(p.name, tuple(p.opts), p.help) for p in options_of(command) if p.name in SHARED]

    assert shown("check") == shown("migrate") == shown("report")


def test_options_given_override_the_settings_file(tmp_path: Path) -> None:
    config = tmp_path / "tickmig.toml"
    config.write_text('target = "cloud"\norg = "acme"\njobs = 3\n', encoding="utf-8")
    given = MappingOptions(target="oss", dbrp=["telegraf.autogen"], config=str(config))
    settings = given.settings(jobs=None, select=["TM1"])
    assert (settings.target, settings.org, settings.jobs) == ("oss", "acme", 3)
    assert (settings.dbrp, settings.select) == (["telegraf.autogen"], ["TM1"])
    assert settings.source == str(config)
