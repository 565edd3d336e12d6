"""Every rule's documentation is an example that runs: each ```tick block of its `## Example`
fires the rule, and each block after `Use instead` does not (checked against the example
mappings the docstrings describe; see tests/rules/examples.py)."""

from __future__ import annotations

import pytest

from tickmig.rules import ALL_RULES
from tickmig.rules.base import Rule

from .examples import examples, findings


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda r: r.code)
def test_the_example_fires(rule: type[Rule]) -> None:
    fires, _ = examples(rule)
    assert fires, f"{rule.code}: the docstring needs an ## Example with a ```tick block"
    for example in fires:
        found = findings(rule.code, example.text, bom=example.bom)
        assert [d.code for d in found][:1] == [rule.code], example.text


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda r: r.code)
def test_use_instead_does_not_fire(rule: type[Rule]) -> None:
    _, instead = examples(rule)
    for example in instead:
        assert findings(rule.code, example.text, bom=example.bom) == [], example.text


def test_examples_are_found_in_a_docstring() -> None:
    class Demo(Rule):
        """Demo.

        ## Example
        ```tick bom
        stream|from()
        ```
        Use instead:
        ```tick
        batch|query('SELECT 1 FROM "a"."b"."c"')
        ```

        ## References
        None.
        """

    fires, instead = examples(Demo)
    assert [(e.text, e.bom) for e in fires] == [("stream|from()\n", True)]
    assert [(e.text, e.bom) for e in instead] == [
        ('batch|query(\'SELECT 1 FROM "a"."b"."c"\')\n', False)
    ]
