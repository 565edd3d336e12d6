"""Kapacitor's own verdicts on 610 real scripts: tickmig must agree on every one, build the
same tree, and print every accepted script back byte for byte."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import corpus_oracle, corpus_params, corpus_text, load_jsonl

from tickmig.errors import TickSyntaxError
from tickmig.text.spans import LineIndex
from tickmig.tickscript.ast_json import to_kapacitor
from tickmig.tickscript.nodes import LEAVES, Paren
from tickmig.tickscript.parser import parse
from tickmig.tickscript.unparse import span_errors, unparse

ORACLE = corpus_oracle()
ACCEPTED = [row["file"] for row in ORACLE if row["ok"]]


def test_the_corpus_is_complete(corpus_dir: Path) -> None:
    assert len(ORACLE) == 610
    assert len(ACCEPTED) == 566


@pytest.mark.parametrize("row", corpus_params(ORACLE, [r["file"] for r in ORACLE]))
def test_verdict_agrees_with_kapacitor(row: dict[str, object], corpus_dir: Path) -> None:
    text = corpus_text(str(row["file"]))
    try:
        parse(text)
        accepted = True
    except TickSyntaxError as exc:
        accepted = False
        assert 1 <= exc.line <= text.count("\n") + 1
    assert accepted == row["ok"], row["error"]


def test_trees_equal_kapacitors_ast(corpus_dir: Path) -> None:
    """Every node kind, operator, name, literal value, comment, flag and position, as
    Kapacitor's AST dump has them (Kapacitor type names; byte offsets)."""
    differing = []
    for row in load_jsonl(corpus_dir / "ORACLE_AST.jsonl"):
        mine = to_kapacitor(parse(corpus_text(row["file"])))
        if mine != row["ast"]:
            differing.append(row["file"])
    assert differing == []


def test_spans_contain_kapacitors_positions(corpus_dir: Path) -> None:
    for name in ACCEPTED:
        text = corpus_text(name)
        script = parse(text)
        index = LineIndex(text)
        for node in script.walk():
            assert node.start <= node.pos < max(node.end, node.start + 1), (name, node)
            if isinstance(node, LEAVES):
                assert node.pos == node.start
        assert index.byte_offset(len(text)) == len(text.encode("utf-8"))


@pytest.mark.parametrize("name", corpus_params(ACCEPTED, ACCEPTED))
def test_prints_back_byte_for_byte(name: str, corpus_dir: Path) -> None:
    text = corpus_text(name)
    script = parse(text)
    assert unparse(script) == text
    assert span_errors(script) == []


def test_parentheses_are_kept_in_the_tree_and_dropped_in_kapacitors(corpus_dir: Path) -> None:
    parens = [
        n for name in ACCEPTED for n in parse(corpus_text(name)).walk() if isinstance(n, Paren)
    ]
    assert parens, "the corpus has parenthesised expressions"
