"""Every rule has its test module here, and its documentation is an example that runs: each
```tick block of its `## Example` fires the rule, and each block after `Use instead` does not
(checked against the example mappings the docstrings describe; see tests/rules/examples.py);
a finding the example quotes (`TMnnn message`) is what tickmig reports."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from tickmig.configs.model import Facts
from tickmig.mappings import embedded_default
from tickmig.rules import ALL_RULES
from tickmig.rules.base import Rule
from tickmig.rules.helpers.config import ConfigRule
from tickmig.targets import parse_target

from .configs import config_findings, deployment
from .examples import Example, examples, findings, load_directory_findings, reported


def config_facts(target: str | None) -> Facts | None:
    """The deployment of a configuration example (```toml target=v3-core: that target)."""
    if target is None:
        return None
    return replace(deployment(), mappings=embedded_default(parse_target(target)))


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda r: r.code)
def test_the_example_fires(rule: type[Rule], tmp_path: Path) -> None:
    fires, _ = examples(rule)
    if issubclass(rule, ConfigRule):  # a Telegraf or kapacitor.conf file (```toml)
        for example in fires:
            found = config_findings(rule.code, example.text, config_facts(example.target))
            assert rule.code in {d.code for d in found}
        return
    assert fires, f"{rule.code}: the docstring needs an ## Example with a ```tick block"
    if any(e.path for e in fires):
        assert load_directory_findings(rule.code, fires, tmp_path / "kapacitor") != []
        return
    messages = set()
    for example in fires:
        found = findings(rule.code, example.text, **example.checked_with)
        assert [d.code for d in found][:1] == [rule.code], example.text
        messages.update(" ".join(f"{d.code} {d.message}".split()) for d in found)
    for quoted in reported(rule):
        assert quoted in messages, f"{rule.code}: tickmig does not report {quoted!r}"


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda r: r.code)
def test_use_instead_does_not_fire(rule: type[Rule], tmp_path: Path) -> None:
    _, instead = examples(rule)
    if issubclass(rule, ConfigRule):
        for example in instead:
            found = config_findings(rule.code, example.text, config_facts(example.target))
            assert found == [], example.text
        return
    if any(e.path for e in instead):
        assert load_directory_findings(rule.code, instead, tmp_path / "kapacitor") == []
        return
    for example in instead:
        assert findings(rule.code, example.text, **example.checked_with) == [], example.text


def test_examples_are_found_in_a_docstring() -> None:
    class Demo(Rule):
        """Demo.

        ## Example
        ```tick bom
        stream|from()
        ```
        Use instead:
        ```tick templates/t.tick
        batch|query('SELECT 1 FROM "a"."b"."c"')
        ```
        and
        ```yaml tasks/t.yaml
        template-id: t
        ```

        ## References
        None.
        """

    fires, instead = examples(Demo)
    assert fires == [Example("stream|from()\n", True)]
    assert instead == [
        Example('batch|query(\'SELECT 1 FROM "a"."b"."c"\')\n', False, "templates/t.tick"),
        Example("template-id: t\n", False, "tasks/t.yaml"),
    ]


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda r: r.code)
def test_every_rule_has_its_test_module(rule: type[Rule]) -> None:
    module = rule.__module__.rsplit(".", 1)[1]
    assert (Path(__file__).parent / f"test_{module}.py").is_file()
