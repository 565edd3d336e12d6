"""The TM3xx rules are documented like every rule (tests/rules runs their examples), cite
public sources only, and are what `tickmig rules` lists as TM3xx."""

from __future__ import annotations

import inspect

import pytest

from tickmig.rules import ALL_RULES, rule_infos
from tickmig.rules.helpers.config import ConfigRule

CONFIG_RULES = [r for r in ALL_RULES if issubclass(r, ConfigRule)]


def test_tm3_codes_are_the_config_rules() -> None:
    assert {r.code for r in CONFIG_RULES} == {r.code for r in ALL_RULES if r.code[:3] == "TM3"}
    assert {c for c, i in rule_infos().items() if i.config} == {r.code for r in CONFIG_RULES}


@pytest.mark.parametrize("rule", CONFIG_RULES, ids=lambda r: r.code)
def test_documented_with_public_references(rule: type[ConfigRule]) -> None:
    doc = inspect.cleandoc(rule.__doc__ or "")
    for heading in ("## What it does", "## Why is this bad?", "## Example", "## References"):
        assert heading in doc
    assert "https://" in doc.split("## References", 1)[1]
    assert "../" not in doc and "/work/" not in doc
    assert rule.config in ("telegraf", "kapacitor")
    assert not rule.annotate  # a configuration file gets no TICKscript TODO
