"""The grammar file: it builds, LALR(1), with exactly the documented shift/reduce conflicts
(both resolved by shifting, which is Kapacitor's greedy choice)."""

from __future__ import annotations

import logging
import re

import pytest
from lark import Lark
from lark.exceptions import GrammarError

from tickmig.tickscript.parser import TickFeed, grammar_text


def build(**options: object) -> Lark:
    return Lark(grammar_text(), parser="lalr", lexer=TickFeed, maybe_placeholders=False, **options)


def test_conflicts_are_exactly_the_documented_ones(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG, logger="lark"):
        build(debug=True)
    terminals = {
        m.group(1) for m in re.finditer(r"Shift/Reduce conflict for terminal (\w+)", caplog.text)
    }
    assert terminals == {"MINUS", "LPAR"}
    assert "Reduce/Reduce" not in caplog.text


def test_strict_mode_names_the_conflicts() -> None:
    with pytest.raises(GrammarError, match="Shift/Reduce conflict"):
        build(strict=True)


def test_grammar_declares_every_token_the_lexer_makes() -> None:
    from tickmig.tickscript import tokens

    declared = set(re.findall(r"^%declare (.*)$", grammar_text(), re.M))
    names = {name for line in declared for name in line.split()}
    made = {
        tokens.VAR,
        tokens.DBRP,
        tokens.ASGN,
        tokens.DOT,
        tokens.PIPE,
        tokens.AT,
        tokens.IDENT,
        tokens.REFERENCE,
        tokens.LAMBDA,
        tokens.NUMBER,
        tokens.STRING,
        tokens.DURATION,
        tokens.LPAR,
        tokens.RPAR,
        tokens.LSQB,
        tokens.RSQB,
        tokens.COMMA,
        tokens.NOT,
        tokens.TRUE,
        tokens.FALSE,
        tokens.REGEX,
        tokens.STAR,
        tokens.MINUS,
        tokens.OP,
    }
    assert names == made
