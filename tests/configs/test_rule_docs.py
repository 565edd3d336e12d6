"""Every TM3xx rule is documented like the other rules, and the TOML example of its docstring
makes it fire (two stream tasks read "telegraf"."autogen")."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

from tickmig.rules import ALL_RULES
from tickmig.rules.helpers.config import ConfigRule

from .helpers import codes, facts, run
from .samples import write

CONFIG_RULES = [r for r in ALL_RULES if issubclass(r, ConfigRule)]
EXAMPLE = re.compile(r"## Example\n(?:.*\n)*?```toml\n(.*?)```", re.S)


def test_most_rules_show_an_example_file() -> None:
    assert len(WITH_EXAMPLES) >= 12


def test_tm3_codes_are_the_config_rules() -> None:
    assert {r.code for r in CONFIG_RULES} == {r.code for r in ALL_RULES if r.code[:3] == "TM3"}


@pytest.mark.parametrize("rule", CONFIG_RULES, ids=lambda r: r.code)
def test_documented_with_public_references(rule: type[ConfigRule]) -> None:
    doc = inspect.cleandoc(rule.__doc__ or "")
    for heading in ("## What it does", "## Why is this bad?", "## Example", "## References"):
        assert heading in doc
    assert "https://" in doc.split("## References", 1)[1]
    assert "../" not in doc and "/work/" not in doc
    assert rule.config in ("telegraf", "kapacitor")
    assert not rule.annotate  # a configuration file gets no TICKscript TODO


WITH_EXAMPLES = [r for r in CONFIG_RULES if EXAMPLE.search(inspect.cleandoc(r.__doc__ or ""))]


@pytest.mark.parametrize("rule", WITH_EXAMPLES, ids=lambda r: r.code)
def test_the_docstring_example_fires(rule: type[ConfigRule], tmp_path: Path) -> None:
    match = EXAMPLE.search(inspect.cleandoc(rule.__doc__ or ""))
    assert match is not None
    example = match.group(1)
    path = write(tmp_path, "example.conf", example)
    if rule.config == "telegraf":
        check = run(facts(), [path], enabled={rule.code})
    else:
        check = run(facts(), [], path, enabled={rule.code})
    assert not check.problems
    assert rule.code in {c for c, _ in codes(check)}
